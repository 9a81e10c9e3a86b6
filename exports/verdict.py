"""Whether a report's figures are a result yet: the one rule the dashboard banner, the PDF cover and
the board's decisions read.

- reliable: final, complete (at least COMPLETION_FLOOR = 90 % of applicable answers in) and mostly
  evidenced (confidence at least CONFIDENCE_FLOOR = 50 % of answers checked against evidence);
- incomplete: fewer than half of that completion floor (45 %): "not a result yet";
- provisional: anything else, or any caution (an admin override at finalising, evidence rows left
  out as invalid); the reasons say in words what is missing or doubtful.
"""

from __future__ import annotations

from exports.context import Headline, Verdict
from exports.formatting import share

COMPLETION_FLOOR = 0.9
CONFIDENCE_FLOOR = 0.5
INCOMPLETE_BELOW = COMPLETION_FLOOR / 2


def judge(headline: Headline, status: str, cautions: tuple[str, ...] = ()) -> Verdict:
    """The verdict on figures with this headline and assessment status (draft, in_review, final);
    `cautions` (ReportMeta.cautions) are added to the reasons and keep it from being reliable."""
    h = headline
    reasons = []
    if h.completion < COMPLETION_FLOOR:
        reasons.append(f"only {share(h.completion)} of the {h.applicable} applicable answers are in "
                       f"({h.answered} answered, {h.not_applicable} not applicable)")
    if h.confidence < CONFIDENCE_FLOOR:
        reasons.append(f"only {share(h.confidence)} of answers are checked against evidence")
    if status != "final":
        reasons.append("the assessment is " + {"draft": "a draft", "in_review": "in review"}.get(status, status)
                       + " and may still change")
    reasons.extend(cautions)
    if h.completion < INCOMPLETE_BELOW:
        return Verdict("incomplete", "Not a result yet: most answers are missing", tuple(reasons))
    if reasons:
        return Verdict("provisional", "Provisional figures", tuple(reasons))
    return Verdict("reliable", "Final and complete", ())
