"""The deck's score slides: the answer and headline figures, verified vs claimed vs target with the
trend, CSF functions IT vs OT, CPG 2.0 goal status, and the sites compared (enterprise).

Every figure is a field of the ReportContext (the JSON report), formatted by exports.formatting;
the notes of each slide name the fields. Chart data holds the unrounded values; labels show them
as the PDF does (2 decimals for maturity).
"""

from __future__ import annotations

from pptx.enum.chart import XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE

from exports.charts import BLUE, ENV_STYLE, INK, SKY, STATUS_STYLE, VERMILLION
from exports.context import ReportContext, Score3
from exports.deck.native import Bars, Line, Scale, bar_chart, line_chart
from exports.deck.style import CONTENT, MARGIN, Box, halves, new_slide, notes, table, text_box, tile
from exports.formatting import day, delta, percent, score, share, status

KIND = {"assessment": "Assessment", "site": "Site", "enterprise": "Enterprise"}
GOAL_STATUSES = ("implemented", "in_progress", "not_implemented", "not_assessed")
GOAL_PATTERNS = {"implemented": "", "in_progress": ".", "not_implemented": "/", "not_assessed": ""}
GOAL_ROWS = 11
COUNTS = Scale(low=0, high=None, step=None, number_format="0;-0;;", title="Goals")
JSON = "JSON report (scorecard report … --format json)"


def answer(c: ReportContext) -> str:
    """The one-sentence answer: verified against target and claimed, the change, CPG goals."""
    h = c.headline
    o = h.overall
    if o.verified is None:
        return f"No verified score yet: {h.answered} of the {h.applicable} applicable answers are in."
    text = (f"{c.meta.subject} is at {score(o.verified)} of 5 verified cyber resilience maturity against a "
            f"target of {score(o.target)} (claimed {score(o.claimed)})")
    if h.delta_verified is not None:
        move = "unchanged" if abs(h.delta_verified) < 0.005 else (
            f"{'up' if h.delta_verified > 0 else 'down'} {score(abs(h.delta_verified))}")
        text += f", {move} since {h.previous_label}"
    if h.cpg_implemented_pct is not None:
        text += f"; {percent(h.cpg_implemented_pct)} of the assessed CISA CPG 2.0 goals are implemented"
    return text + "."


def answer_slide(prs, c: ReportContext) -> None:
    h, m, v = c.headline, c.meta, c.verdict
    slide = new_slide(prs, c, "The answer in one sentence",
                      f"{KIND[m.kind]} report · {m.scope} · as of {day(m.as_of)} · {status(m.status)}")
    text_box(slide, Box(MARGIN, 1.55, CONTENT.width, 1.25), answer(c), size=22, bold=True).name = "answer"
    verdict = v.headline + (": " + "; ".join(v.reasons) if v.reasons else "") + "."
    text_box(slide, Box(MARGIN, 2.8, CONTENT.width, 0.7), verdict, size=14,
             colour=INK if v.level == "reliable" else VERMILLION).name = "verdict"
    o = h.overall
    tiles = (
        ("Verified maturity", score(o.verified), f"target {score(o.target)} · claimed {score(o.claimed)}"),
        (f"Change since {h.previous_label or 'last assessment'}", delta(h.delta_verified),
         f"was {score(h.previous_verified)}" if h.previous_verified is not None else "first assessment"),
        ("CPG 2.0 goals implemented", percent(h.cpg_implemented_pct), "of assessed goal × environment pairs"),
        ("Completion", share(h.completion), f"{h.answered} answered, {h.not_applicable} N/A of {h.applicable}"),
        ("Confidence", share(h.confidence), "of answers checked against evidence"),
    )
    width = (CONTENT.width - 4 * 0.25) / 5
    for index, (label, value, note) in enumerate(tiles):
        tile(slide, Box(MARGIN + index * (width + 0.25), 3.6, width, 2.0), label, value, note)
    if m.basis:
        text_box(slide, Box(MARGIN, 5.75, CONTENT.width, 1.1), m.basis, size=10, colour="555555").name = "basis"
    notes(slide, "Verified maturity is the mean (0–5) of the verified levels of the answered questions — each "
                 "claim capped by the evidence rules — averaged up the CSF tree (subcategory, category, function, "
                 "overall) and over IT and OT (docs/methodology.md)."
                 + (" Enterprise: maturity criticality-weighted across the sites; completion and confidence pooled."
                    if m.kind == "enterprise" else "")
                 + " The verdict is the PDF cover's: final, ≥ 90 % complete and ≥ 50 % evidenced is reliable.",
          [f"Verified / target / claimed: headline.overall in the {JSON}.",
           f"Change: headline.delta_verified against headline.previous_label ({h.previous_label or 'none'}).",
           "CPG 2.0 goals implemented: headline.cpg_implemented_pct (goal × environment pairs assessed).",
           "Completion and confidence: headline.completion, headline.confidence; counts: headline.answered, "
           "not_applicable, applicable.",
           "Verdict: verdict.headline and verdict.reasons; basis: meta.basis.",
           f"Assessment {m.assessment_id or '(enterprise roll-up)'}, as of {day(m.as_of)}, questionnaire "
           f"{m.questionnaire}; generated {day(m.generated_on)}."])


def scores_slide(prs, c: ReportContext) -> None:
    h = c.headline
    slide = new_slide(prs, c, "Verified vs claimed vs target, and the trend",
                      "Claimed is what assessors answered; verified is what the evidence supports.")
    left, right = halves(split=0.44)
    labels = ["Overall", *c.environments]
    triples = [h.overall, *(h.by_environment.get(e) or Score3() for e in c.environments)]
    bar_chart(slide, left, "overall", labels, [
        Bars("Claimed", [t.claimed for t in triples], SKY, "/"),
        Bars("Verified", [t.verified for t in triples], BLUE),
        Bars("Target", [t.target for t in triples], INK, outline=True),
    ])
    if len(c.trend) >= 2:
        line_chart(slide, right, "trend", [t.label for t in c.trend], [
            Line("Target", [t.overall.target for t in c.trend], INK, MSO_LINE_DASH_STYLE.ROUND_DOT,
                 XL_MARKER_STYLE.DIAMOND),
            Line("Claimed", [t.overall.claimed for t in c.trend], SKY, MSO_LINE_DASH_STYLE.DASH,
                 XL_MARKER_STYLE.SQUARE),
            Line("Verified", [t.overall.verified for t in c.trend], BLUE, labels=True),
        ])
    else:
        text_box(slide, right, "The trend appears after the second finalised assessment.", size=14, colour="555555")
    notes(slide, "Claimed uses the assessors' current levels, verified the same answers after evidence caps, target "
                 "the target levels, all through the same averaging (docs/methodology.md, rules 1–5). The trend "
                 "holds the finalised assessments up to the as-of date, then the current figures"
                 + (" (enterprise: the roll-up of each period)." if c.meta.kind == "enterprise" else "."),
          [f"Bars: headline.overall and headline.by_environment.<IT|OT> (claimed, verified, target) in the {JSON}.",
           "Lines: trend[].overall (claimed, verified, target), labelled by trend[].label."])


def functions_slide(prs, c: ReportContext) -> None:
    rows = c.functions
    scored = [r for r in rows if r.combined.verified is not None]
    weakest = min(scored, key=lambda r: r.combined.verified) if scored else None
    takeaway = (f"Weakest function: {_name(weakest.id, weakest.title)} at {score(weakest.combined.verified)} "
                f"verified against a target of {score(weakest.combined.target)}." if weakest else "No function scored yet.")
    slide = new_slide(prs, c, "CSF 2.0 functions: IT vs OT", takeaway)
    series = []
    for env in c.environments:
        colour, pattern = ENV_STYLE[env]
        series.append(Bars(f"{env} verified", [_env(r, env).verified for r in rows], colour, pattern))
    series.append(Bars("Target", [r.combined.target for r in rows], INK, outline=True))
    bar_chart(slide, CONTENT, "functions", [_name(r.id, r.title) for r in rows], series)
    notes(slide, "Each function is the plain mean of its scored categories, each category of its scored "
                 "subcategories, per environment; the target bar is the combined target (IT and OT together).",
          [f"Bars: functions[].it.verified and functions[].ot.verified in the {JSON}.",
           "Target: functions[].combined.target. Categories and subcategories: categories[], subcategories[] "
           "(and the PDF's category chart)."])


def cpg_slide(prs, c: ReportContext) -> None:
    h = c.headline
    per_env = ", ".join(f"{e} {percent(h.cpg_by_environment.get(e))}" for e in c.environments)
    slide = new_slide(prs, c, "CISA CPG 2.0 goals: status",
                      f"{percent(h.cpg_implemented_pct)} of assessed goal × environment pairs implemented ({per_env}).")
    left, right = halves(split=0.45)
    columns, counts = cpg_counts(c)
    bar_chart(slide, left, "cpg", columns, [
        Bars(STATUS_STYLE[s][2], counts[s], STATUS_STYLE[s][1], GOAL_PATTERNS[s]) for s in GOAL_STATUSES
    ], scale=COUNTS, horizontal=False, stacked=True)
    pending = sorted((g for g in c.goals if _states(c, g) & {"not_implemented", "in_progress"}),
                     key=lambda g: "not_implemented" not in _states(c, g))
    if pending:
        shown = pending[:GOAL_ROWS]
        fills, rows = {}, []
        for r, g in enumerate(shown):
            cells = [g.id.split(":")[-1], g.title]
            for env in c.environments:
                state = (g.status_it if env == "IT" else g.status_ot) or "not_assessed"
                fills[r, len(cells)] = (STATUS_STYLE[state][1].lstrip("#"), "FFFFFF" if state == "implemented" else INK)
                cells.append(STATUS_STYLE[state][2])
            rows.append(cells)
        text_box(slide, Box(right.left, right.top, right.width, 0.35),
                 "Goals not yet implemented everywhere (not implemented first):", size=13, bold=True)
        table(slide, Box(right.left, right.top + 0.4, right.width, 0.3 * (len(rows) + 1)),
              ["Goal", "Title", *c.environments], rows, [0.6, 3.2] + [1.3] * len(c.environments), size=10,
              fills=fills)
        if len(pending) > len(shown):
            text_box(slide, Box(right.left, CONTENT.top + CONTENT.height - 0.35, right.width, 0.35),
                     f"and {len(pending) - len(shown)} more: see the PDF's CPG section and the workbook's CPG goals sheet.",
                     size=10, colour="555555")
    else:
        text_box(slide, right, "Every assessed goal is implemented.", size=14)
    notes(slide, "A goal is implemented in an environment when every answered question mapped to it is verified at "
                 "level 3 or more, in progress when any is at 1 or more, not implemented otherwise, not assessed "
                 "when none is answered (docs/methodology.md, rule 6)."
                 + (" Enterprise: each site's status is its worst over its environments." if c.sites else ""),
          [f"Bars: the number of goals[] with each status_it / status_ot in the {JSON}"
           + ("; per site: goals[].sites." if c.sites else "."),
           "Headline: headline.cpg_implemented_pct and headline.cpg_by_environment.",
           "Table: goals[] not implemented or in progress in an environment (not implemented first), in "
           "framework order."])


def cpg_counts(c: ReportContext) -> tuple[list[str], dict[str, list[int]]]:
    """Columns (each environment, then each site in an enterprise report) and the number of goals
    of each status in each column: the environment's status_it / status_ot (the worst over the
    sites in an enterprise report), a site's worst status over its environments."""
    sites = [site for site, _ in c.goals[0].sites] if c.goals else []
    columns = [(f"All sites {e}" if sites else e,
                [(g.status_it if e == "IT" else g.status_ot) or "not_assessed" for g in c.goals])
               for e in c.environments]
    columns += [(site, [dict(g.sites).get(site) or "not_assessed" for g in c.goals]) for site in sites]
    counts = {s: [states.count(s) for _, states in columns] for s in GOAL_STATUSES}
    return [label for label, _ in columns], counts


def sites_slide(prs, c: ReportContext) -> None:
    slide = new_slide(prs, c, "Sites compared", "Claimed, verified and target maturity of each site in the roll-up.")
    left, right = halves(split=0.5)
    bar_chart(slide, left, "sites", [s.name for s in c.sites], [
        Bars("Claimed", [s.overall.claimed for s in c.sites], SKY, "/"),
        Bars("Verified", [s.overall.verified for s in c.sites], BLUE),
        Bars("Target", [s.overall.target for s in c.sites], INK, outline=True),
    ])
    rows = [[s.name, s.criticality, str(s.weight), status(s.status), score(s.overall.verified), delta(s.delta_verified),
             share(s.completion)] for s in c.sites]
    table(slide, Box(right.left, right.top, right.width, 0.3 * (len(rows) + 1)),
          ["Site", "Criticality", "Weight", "Status", "Verified", "Change", "Complete"], rows,
          [2.0, 1.0, 0.7, 0.9, 0.8, 0.75, 0.9], size=10)
    notes(slide, "Each site's figures are its own assessment's (latest final, else latest); the enterprise "
                 "maturity is their criticality-weighted mean, with the weights shown (docs/methodology.md, "
                 "Enterprise roll-up).",
          [f"Bars and table: sites[] (overall, criticality, weight, status, delta_verified, completion) in the {JSON}.",
           "Which sites with which weights: meta.basis."])


def _states(c: ReportContext, goal) -> set[str]:
    return {(goal.status_it if env == "IT" else goal.status_ot) or "not_assessed" for env in c.environments}


def _env(row, env: str) -> Score3:
    return (row.it if env == "IT" else row.ot) or Score3()


def _name(node_id: str, title: str) -> str:
    """'GV Govern' from ('GV', 'GOVERN'): the catalog writes function titles in capitals."""
    return f"{node_id} {title.capitalize() if title.isupper() else title}"
