"""The answer first: one sentence on top of the dashboard and the PDF summary saying where we are,
which way we are moving, by how much, and when the target is due.

    "Verified 3.31, up 0.11 since 2026 Q2; 5 of 6 functions improved; target 3.51 due 2027-06-30, 0.20 to go."

Rules:
- Scores are verified maturity 0–5 with 2 decimals; a change smaller than 0.005 (one rounding
  step) reads "unchanged".
- The comparison is with the previous finalised assessment (the headline's previous point); there
  is none for a first assessment, and the sentence says so.
- Functions count as improved or declined when their verified score moved by 0.005 or more since
  that point; the clause is left out when the functions cannot be compared (an environment filter:
  earlier points keep functions for IT and OT together only).
- A draft or in-review assessment opens with "Provisional (draft, N % complete):" so the sentence
  never poses as a result (services.result_basis).
- The target clause names its due date when the target has one, "met" when verified reaches it.
- When the report has a plan (exports.plan_context) with an overall target, the sentence ends with
  when the plan reaches it: "the plan reaches it on 2027-03-31", "… 45 days late", or "no action of
  the plan reaches it".
"""

from __future__ import annotations

from collections.abc import Mapping

from exports.context import Headline, ReportMeta
from exports.formatting import days, score, share, status
from exports.plan_context import TargetRow

EPSILON = 0.005


def answer_sentence(meta: ReportMeta, headline: Headline, functions_now: Mapping[str, float | None] | None,
                    functions_before: Mapping[str, float | None] | None, plan: TargetRow | None = None) -> str:
    """The sentence (see the module docstring); `functions_*` map CSF function id → verified score,
    None to leave the functions clause out; `plan` is the plan's overall target row, if any."""
    verified = headline.overall.verified
    if verified is None:
        return "No verified score yet: no applicable answer has been given."
    parts = [f"Verified {score(verified)}{_direction(headline)}"]
    moved = _functions(functions_now, functions_before) if headline.previous_verified is not None else ""
    if moved:
        parts.append(moved)
    parts.append(_target(headline))
    if plan is not None and not _met(headline):
        parts.append(_reach(plan))
    text = "; ".join(parts) + "."
    if not meta.is_final:
        text = f"Provisional ({status(meta.status).lower()}, {share(headline.completion)} complete): {text[0].lower()}{text[1:]}"
    return text


def _direction(h: Headline) -> str:
    if h.previous_verified is None or h.delta_verified is None:
        return " (first assessment: nothing earlier to compare)"
    since = h.previous_label or "the previous assessment"
    if abs(h.delta_verified) < EPSILON:
        return f", unchanged since {since}"
    word = "up" if h.delta_verified > 0 else "down"
    return f", {word} {abs(h.delta_verified):.2f} since {since}"


def _functions(now: Mapping[str, float | None] | None, before: Mapping[str, float | None] | None) -> str:
    if not now or not before:
        return ""
    pairs = [(v, before[f]) for f, v in now.items() if v is not None and before.get(f) is not None]
    if not pairs:
        return ""
    up = sum(1 for v, b in pairs if v - b >= EPSILON)
    down = sum(1 for v, b in pairs if b - v >= EPSILON)
    text = f"{up} of {len(pairs)} functions improved"
    return text + (f", {down} declined" if down else "")


def _met(h: Headline) -> bool:
    v, t = h.overall.verified, h.overall.target
    return v is not None and t is not None and v >= t - EPSILON


def _reach(plan: TargetRow) -> str:
    if plan.reached_on is None:
        return "no action of the plan reaches it"
    late = f", {days(plan.days_late)} late" if plan.days_late else ""
    return f"the plan reaches it on {plan.reached_on.isoformat()}{late}"


def _target(h: Headline) -> str:
    target = h.overall.target
    if target is None:
        return "no target set"
    due = f" due {h.target_due.isoformat()}" if h.target_due else " (no due date set)"
    verified = h.overall.verified
    if verified is not None and verified >= target - EPSILON:
        return f"target {score(target)}{due} met"
    return f"target {score(target)}{due}, {target - verified:.2f} to go"
