"""How numbers and states read in reports: the only rounding in the product (2 decimals for scores).

Missing values read as an em dash, never as 0. Used as Jinja filters by the PDF and for labels
in the workbooks.
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


def metric_value(value: float | None, unit: str) -> str:
    if value is None:
        return DASH
    if unit == "pct":
        return f"{value:.1f} %"
    suffix = {"days": " days", "minutes": " min"}.get(unit, "")
    return f"{value:.0f}{suffix}" if float(value).is_integer() else f"{value:.1f}{suffix}"


def minutes(value: float | None) -> str:
    return DASH if value is None else f"{value:.0f}"


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
    "metric_value": metric_value,
    "minutes": minutes,
    "status": status,
    "rag": rag,
}
