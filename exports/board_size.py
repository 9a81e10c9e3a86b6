"""What of an enterprise report a board reads: the board PDF and the dashboard's figures stay the same
size however many sites there are; the per-site detail they leave out is in the workbook.

Rules (each applies only beyond its limit, so the demo's four estates show everything):
- Sites compared (chart and table): the SITE_ROWS sites with the lowest verified maturity — the
  ones that need attention — heavier weight first among equals, then by name; listed in the
  report's site order.
- CPG goals by site (heatmap): the SITE_COLUMNS sites with the most goals not implemented, then in
  progress, then by weight and name; the "All sites" columns still cover every site.
- Appendix C (caps) and D (N/A reasons): the first APPENDIX_ROWS lines in report order.
Each cut is stated where it happens (`Shown.note`), naming the workbook sheet that has all rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from exports.context import GoalRow, NoteGroup, ReportContext, SiteRow

SITE_ROWS = 25
SITE_COLUMNS = 12
APPENDIX_ROWS = 100

T = TypeVar("T")


@dataclass(frozen=True)
class Shown(Generic[T]):
    """The rows a board report shows out of `total`, and the sentence saying so ("" when all)."""

    rows: tuple[T, ...]
    total: int
    note: str
    short: str = ""
    """A few words for a chart title, e.g. "the 25 lowest of 201 sites" ("" when all)."""


def _lowest_first(s: SiteRow) -> tuple:
    verified = s.overall.verified
    return (verified is None, verified if verified is not None else 0.0, -s.weight, s.name)


def sites(rows: Sequence[SiteRow], limit: int = SITE_ROWS) -> Shown[SiteRow]:
    """The sites compared on paper and on screen (see the module docstring)."""
    if len(rows) <= limit:
        return Shown(tuple(rows), len(rows), "")
    keep = {s.name for s in sorted(rows, key=_lowest_first)[:limit]}
    note = (f"The {limit} sites with the lowest verified maturity of {len(rows)}; "
            "the workbook's Sites sheet compares every site.")
    return Shown(tuple(s for s in rows if s.name in keep), len(rows), note, f"the {limit} lowest of {len(rows)} sites")


BAD_FIRST = {"not_implemented": 0, "in_progress": 1}


def goal_sites(goals: Sequence[GoalRow], weights: dict[str, int], limit: int = SITE_COLUMNS) -> Shown[GoalRow]:
    """The goals with their site columns cut to the `limit` weakest sites (see the module docstring)."""
    names = [site for site, _ in goals[0].sites] if goals else []
    if len(names) <= limit:
        return Shown(tuple(goals), len(names), "")
    tally = {name: [0, 0] for name in names}
    for goal in goals:
        for site, status in goal.sites:
            if status in BAD_FIRST:
                tally[site][BAD_FIRST[status]] += 1
    ranked = sorted(names, key=lambda n: (-tally[n][0], -tally[n][1], -weights.get(n, 0), n))
    keep = set(ranked[:limit])
    note = (f"Columns for the {limit} sites with the most goals not implemented, of {len(names)}; "
            "the workbook's CPG by site sheet has every site.")
    return Shown(tuple(replace(g, sites=tuple(p for p in g.sites if p[0] in keep)) for g in goals), len(names), note,
                 f"the {limit} weakest of {len(names)} sites")


def appendix(rows: Sequence[T], sheet: str, what: str, limit: int = APPENDIX_ROWS) -> Shown[T]:
    """The first `limit` of an appendix table's `rows`; `what` names them, `sheet` the workbook sheet
    that has them all."""
    if len(rows) <= limit:
        return Shown(tuple(rows), len(rows), "")
    return Shown(tuple(rows[:limit]), len(rows),
                 f"The first {limit} of {len(rows):,} {what}; the workbook's {sheet} sheet has them all.")


def na_reasons(groups: Sequence[NoteGroup], enterprise: bool, limit: int = APPENDIX_ROWS) -> Shown[NoteGroup]:
    """Appendix D's groups: in an enterprise report only the lines with an N/A reason (each site's
    notes are in its own report), cut after `limit` lines in all."""
    kept, lines = [], 0
    total = sum(len([n for n in g.lines if n.na_reason or not enterprise]) for g in groups)
    for g in groups:
        own = tuple(n for n in g.lines if n.na_reason or not enterprise)
        if not own:
            continue
        if lines >= limit:
            break
        own = own[:limit - lines]
        kept.append(replace(g, lines=own))
        lines += len(own)
    if total <= limit:
        return Shown(tuple(kept), total, "")
    what = "N/A reasons" if enterprise else "notes and N/A reasons"
    return Shown(tuple(kept), total, f"The first {limit} of {total:,} {what}; the workbook's Responses sheet has them all.")


def site_weights(context: ReportContext) -> dict[str, int]:
    return {s.name: s.weight for s in context.sites}


@dataclass(frozen=True)
class BoardView:
    """The cut-down tables of one report (exports.pdf passes it to the template as `board`)."""

    sites: Shown[SiteRow]
    goals: Shown[GoalRow]
    caps: Shown
    notes: Shown[NoteGroup]


def board_view(context: ReportContext) -> BoardView:
    enterprise = context.meta.kind == "enterprise"
    return BoardView(sites=sites(context.sites), goals=goal_sites(context.goals, site_weights(context)), caps=appendix(context.caps, "Responses", "caps (their reasons)"),
                     notes=na_reasons(context.note_groups, enterprise))
