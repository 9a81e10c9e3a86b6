"""Drafts never pose as results: which assessment stands for a site, and when a draft may appear.

The rule, one for the dashboard, the reports and `scorecard trend`:
- A site's result is its latest final assessment (latest as-of date, then highest id). The site's
  default dashboard view, the site report (`scorecard report --site`), trends, "what changed" and
  "change since" use final assessments only (their snapshots).
- A draft or in-review assessment appears only when asked for: selected by id, or with
  `include_draft` (the latest assessment of any status, when it is newer than the latest final).
  It is then marked provisional everywhere it is drawn or printed: `ReportMeta.status`, the trend
  row's `provisional` flag, the word "provisional" next to its figures.
"""

from __future__ import annotations

from collections.abc import Iterable

from errors import NotFoundError, Problem
from storage.records import Assessment

FINAL = "final"


def is_provisional(status: str) -> bool:
    """True for a draft or in-review assessment: its figures may still change."""
    return status != FINAL


def latest_result(assessments: Iterable[Assessment], *, include_draft: bool = False) -> Assessment | None:
    """The latest final assessment; with `include_draft`, the latest of any status. None if none."""
    eligible = [a for a in assessments if include_draft or a.status == FINAL]
    return max(eligible, key=lambda a: (a.as_of, a.id), default=None)


def require_result(assessments: list[Assessment], subject: str, *, include_draft: bool = False) -> Assessment:
    """`latest_result`, or a NotFoundError naming `subject` that says how to see its draft."""
    found = latest_result(assessments, include_draft=include_draft)
    if found is not None:
        return found
    if not assessments:
        raise NotFoundError(f"{subject} has no assessment yet",
                            [Problem("site", subject, "create one with `scorecard assessment create` or on Home")])
    draft = latest_result(assessments, include_draft=True)
    raise NotFoundError(
        f"{subject} has no final assessment yet, so it has no result to show",
        [Problem("site", subject, f"its {draft.status.replace('_', ' ')} of {draft.as_of.isoformat()} (#{draft.id}) "
                 "is provisional: select it as the assessment, or ask for drafts (--include-draft)")])
