"""The executive summary's three lists, derived from the numbers (never typed in by hand).

- Improvements: the largest positive changes since the previous finalised snapshot, among CSF
  function verified scores (in maturity levels), CPG % implemented (in points ÷ 20, so 20 points
  weigh like one maturity level) and metrics whose RAG status or value got better. Without a
  previous snapshot, the three strongest functions are shown as strengths instead.
- Risks: the top ranked gaps (priority = gap × weight × consequence), one per question.
- Decisions: what the board is asked to decide, from the top risks (owner/funding; an action
  past its due date at the as-of date says "overdue by N days"), aged high-risk exceptions
  (re-accept or retire; the oldest is the oldest high-risk row of the exception table, the figure
  the metric "Oldest open high-risk exception" reports), completion and evidence confidence below
  the verdict's floors (exports.verdict), in that order.
"""

from __future__ import annotations

from exports.context import (
    ExceptionRow,
    Headline,
    HistoryPoint,
    MetricRow,
    RoadmapItem,
    SummaryItem,
)
from exports.formatting import days, due, metric_value, share, status
from exports.verdict import COMPLETION_FLOOR, CONFIDENCE_FLOOR
from scoring.model import Scorecard

TOP = 3
CPG_POINTS_PER_LEVEL = 20.0
# The summary must fit one page: long question texts and consequence notes are shortened there
# (the roadmap and the workbook keep them whole).
TITLE_CHARS = 90
CONSEQUENCE_CHARS = 150
# An enterprise risk also names its site and often both environments: shorter text keeps the page.
SITE_TITLE_CHARS = 55
SITE_CONSEQUENCE_CHARS = 115


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


def improvements(
    scorecard: Scorecard, previous: HistoryPoint | None, metrics: tuple[MetricRow, ...]
) -> tuple[SummaryItem, ...]:
    if previous is None:
        return _strengths(scorecard)
    candidates: list[tuple[float, SummaryItem]] = []
    for fid, node in scorecard.functions.items():
        now, before = node.combined.verified, previous.functions.get(fid)
        if now is not None and before is not None and now - before > 1e-9:
            item = SummaryItem(
                f"{node.title} ({fid}) up {now - before:.2f}",
                f"Verified maturity {before:.2f} → {now:.2f} since {previous.label}.",
            )
            candidates.append((now - before, item))
    now_pct, before_pct = scorecard.cpg_implemented_pct, previous.cpg_implemented_pct
    if now_pct is not None and before_pct is not None and now_pct > before_pct:
        item = SummaryItem(
            f"CISA CPG goals implemented up {now_pct - before_pct:.0f} points",
            f"{before_pct:.0f} % → {now_pct:.0f} % of assessed goals since {previous.label}.",
        )
        candidates.append(((now_pct - before_pct) / CPG_POINTS_PER_LEVEL, item))
    for m in metrics:
        if m.trend == "better" and m.previous is not None and m.value is not None:
            item = SummaryItem(
                f"{m.label}: {metric_value(m.previous, m.unit)} → {m.display}",
                f"Status now {m.status}; measured from evidence, not self-assessed.",
            )
            # A metric counts as half a level: evidence moves are real but narrower than a function.
            candidates.append((0.5, item))
    candidates.sort(key=lambda c: -c[0])
    chosen = tuple(item for _, item in candidates[:TOP])
    if chosen:
        return chosen
    return (SummaryItem("No measurable improvement", f"No score or metric improved since {previous.label}."),)


def _strengths(scorecard: Scorecard) -> tuple[SummaryItem, ...]:
    scored = [n for n in scorecard.functions.values() if n.combined.verified is not None]
    scored.sort(key=lambda n: -(n.combined.verified or 0))
    return tuple(
        SummaryItem(
            f"Strength: {n.title} ({n.id}) at {n.combined.verified:.2f}",
            "No earlier finalised assessment to compare; this is among the strongest areas.",
        )
        for n in scored[:TOP]
    )


def risks(roadmap: tuple[RoadmapItem, ...]) -> tuple[SummaryItem, ...]:
    """The top gaps, one item per question and site (IT and OT merged); the site leads the title
    in an enterprise report."""
    chosen: dict[tuple[str, str], list[RoadmapItem]] = {}
    for item in roadmap:
        key = (item.site, item.question_id)
        if key in chosen:
            chosen[key].append(item)
        elif len(chosen) < TOP:
            chosen[key] = [item]
    out = []
    for items in chosen.values():
        first = items[0]
        levels = "; ".join(f"{i.environment} verified {i.verified} of target {i.target}" for i in items)
        consequence = shorten(first.consequence, SITE_CONSEQUENCE_CHARS if first.site else CONSEQUENCE_CHARS)
        detail = f"{levels}. If it fails: {consequence}"
        where = f"{first.site}: " if first.site else ""
        text = shorten(first.text, SITE_TITLE_CHARS if first.site else TITLE_CHARS)
        out.append(SummaryItem(f"{where}{first.question_id} · {text}", detail))
    return tuple(out)


def decisions(
    headline: Headline, roadmap: tuple[RoadmapItem, ...], exceptions: tuple[ExceptionRow, ...]
) -> tuple[SummaryItem, ...]:
    out: list[SummaryItem] = []
    seen: set[tuple[str, str]] = set()
    for item in roadmap:
        if len(out) >= 2 or (item.site, item.question_id) in seen:
            continue
        seen.add((item.site, item.question_id))
        at = f" at {item.site}" if item.site else ""
        if not item.owner:
            out.append(
                SummaryItem(
                    f"Assign an owner and budget to close {item.question_id}{at}",
                    f"Gap of {item.gap} level(s) in {item.environment}; no action owner yet.",
                )
            )
        else:
            when = f" {due(item.due, item.overdue_days)}" if item.due else ""
            out.append(
                SummaryItem(
                    f"Confirm funding for {item.owner}'s plan on {item.question_id}{at}{when}",
                    f"Gap of {item.gap} level(s) in {item.environment}; action status: {status(item.status).lower()}.",
                )
            )
    aged = [e for e in exceptions if e.high_risk and e.age_days > 90]
    if aged:
        oldest = max(e.age_days for e in aged)
        out.append(
            SummaryItem(
                f"Re-accept or retire {len(aged)} high-risk exception(s) open over 90 days",
                f"The oldest has been open {days(oldest)}; accepted risk should be re-decided.",
            )
        )
    if headline.completion < COMPLETION_FLOOR:
        out.append(
            SummaryItem(
                "Require the assessment to be completed before relying on it",
                f"Only {share(headline.completion)} of applicable answers are in.",
            )
        )
    if headline.confidence < CONFIDENCE_FLOOR:
        out.append(
            SummaryItem(
                "Ask for evidence behind self-assessed answers",
                f"Only {share(headline.confidence)} of answers are checked against evidence.",
            )
        )
    return tuple(out[:TOP])
