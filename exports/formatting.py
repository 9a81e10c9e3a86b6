"""How numbers, dates and states read in every output: the only rounding in the product.

The board PDF (as Jinja filters), the workbooks' labels, the dashboard and its tiles, the Evidence
page and the charts' labels all format through these functions, so a figure reads the same
wherever it is shown. Missing values read as an em dash, never as 0.

Rules:
- maturity scores: 2 decimals (0–5); shares (0–1) as whole percentages; percentages (0–100) with
  one decimal.
- a metric's value in its unit (`metric_value`): pct with one decimal ("79.2 %"); counts whole,
  with thousands separators ("1,204"); days and minutes whole when whole, else one decimal
  ("815 days", "108.5 days", "53 min"). A change (`metric_change`) is signed, in percentage points
  for pct ("+3.1 pts").
- dates relative to the report's as-of date (`due`): a date that has passed reads "overdue by N
  days (due YYYY-MM-DD)", never "by YYYY-MM-DD" when that date is already in the past.
- plans: a cost in the organisation's currency, whole with thousands separators ("45,000", no
  currency symbol: the product never assumes one); what an action adds (`gain`) with 3 decimals
  ("+0.042"), since one action moves an average of averages by hundredths; value for money per
  100 000 of cost with 2 decimals.
"""

from __future__ import annotations

from datetime import date

DASH = "—"
STATUS_LABELS = {
    "implemented": "Implemented",
    "in_progress": "In progress",
    "not_implemented": "Not implemented",
    "not_assessed": "Not assessed",
    "green": "Green",
    "amber": "Amber",
    "red": "Red",
    "missing": "Missing",
    "better": "▲ better",
    "worse": "▼ worse",
    "same": "= same",
    "new": "new",
    "answered": "Answered",
    "na": "N/A",
    "unanswered": "Unanswered",
    "draft": "Draft",
    "in_review": "In review",
    "final": "Final",
}
STATUS_SYMBOLS = {"green": "●", "amber": "◐", "red": "○", "missing": "–"}
UNIT_SUFFIX = {"pct": " %", "count": "", "days": " days", "minutes": " min"}
UNIT_NAMES = {"pct": "percent (0–100)", "count": "count", "days": "days", "minutes": "minutes"}


def score(value: float | int | None) -> str:
    """A maturity score with 2 decimals (0–5), or a dash."""
    return DASH if value is None else f"{value:.2f}"


def level(value: int | None) -> str:
    return DASH if value is None else str(value)


def share(value: float | None) -> str:
    """A 0–1 share as a percentage with no decimals."""
    return DASH if value is None else f"{value * 100:.0f} %"


def percent(value: float | None) -> str:
    """A 0–100 percentage with one decimal."""
    return DASH if value is None else f"{value:.1f} %"


def delta(value: float | None) -> str:
    """A signed change in maturity, e.g. +0.31."""
    return DASH if value is None else f"{value:+.2f}"


def day(value: date | None) -> str:
    return DASH if value is None else value.isoformat()


def _number(value: float, unit: str, sign: str = "") -> str:
    if unit == "pct":
        return f"{value:{sign}.1f}"
    if unit == "count" or float(value).is_integer():
        return f"{value:{sign},.0f}"
    return f"{value:{sign},.1f}"


def metric_value(value: float | None, unit: str) -> str:
    """A metric's value in its unit (module docstring), e.g. "79.2 %", "815 days", "53 min"."""
    if value is None:
        return DASH
    return _number(value, unit) + _suffix(value, unit)


def _suffix(value: float, unit: str) -> str:
    return " day" if unit == "days" and abs(value) == 1 else UNIT_SUFFIX.get(unit, "")


def metric_change(change: float | None, unit: str) -> str:
    """A signed change of a metric: "+3.1 pts" for pct, "-12 days", "no change" below a display step."""
    if change is None:
        return ""
    if abs(change) < 0.05:
        return "no change"
    if unit == "pct":
        return f"{change:+.1f} pts"
    return _number(change, unit, "+") + _suffix(change, unit)


def threshold(value: float, unit: str) -> str:
    """A threshold as content states it, in the metric's unit: "95 %", "180 days"."""
    return f"{value:g}{UNIT_SUFFIX.get(unit, '')}"


def thresholds(direction: str, green: float, amber: float, unit: str) -> str:
    """The RAG thresholds in words, in the metric's unit: "green ≥ 95 %, amber ≥ 80 %"."""
    sign = "≥" if direction == "higher_is_better" else "≤"
    return f"green {sign} {threshold(green, unit)}, amber {sign} {threshold(amber, unit)}"


def days(count: int) -> str:
    return f"{count:,} day" + ("" if count == 1 else "s")


def due(when: date | None, overdue_days: int | None) -> str:
    """A due date read against the report's as-of date: "overdue by 3 days (due 2026-09-27)" once
    it has passed, else "by 2026-10-15"; a dash without a date."""
    if when is None:
        return DASH
    if overdue_days:
        return f"overdue by {days(overdue_days)} (due {when.isoformat()})"
    return f"by {when.isoformat()}"


def money(value: float | None) -> str:
    """A cost in the organisation's currency: whole, with thousands separators."""
    return DASH if value is None else f"{value:,.0f}"


def gain(value: float | None) -> str:
    """Verified maturity an action adds: signed, 3 decimals."""
    return DASH if value is None else f"{value:+.3f}"


def per_100k(value: float | None) -> str:
    """Maturity bought per 100 000 of cost, 2 decimals."""
    return DASH if value is None else f"{value:.2f}"


def minutes(value: float | None) -> str:
    """Exercise minutes in a table whose header says "min": the number alone, as metric_value."""
    return DASH if value is None else _number(value, "minutes")


def status(value: str | None) -> str:
    if not value:
        return DASH
    return STATUS_LABELS.get(value, value.replace("_", " ").capitalize())


def rag(value: str) -> str:
    """A RAG status with a shape, so it reads without colour."""
    return f"{STATUS_SYMBOLS.get(value, '')} {status(value)}".strip()


FILTERS = {
    "score": score,
    "level": level,
    "share": share,
    "percent": percent,
    "delta": delta,
    "day": day,
    "due": due,
    "days": days,
    "metric_value": metric_value,
    "minutes": minutes,
    "money": money,
    "gain": gain,
    "per_100k": per_100k,
    "status": status,
    "rag": rag,
}
