"""Parse one raw cell into a canonical value, or say exactly why it cannot be.

Cells arrive as text (CSV) or as typed values (XLSX: str, float, int, bool, date, datetime, time).
Each parser returns a `Parsed`: the value (None when blank) or an error message with a hint.
These functions run once per distinct value of a column (see `evidence.convert`), never per row,
so they may be plain Python.

Rules:
- Text: surrounding spaces removed; a value of only spaces is blank. Whole-number floats from
  Excel read as integers ("1001", not "1001.0").
- Enumerations: compared with `schemas.value_key` (case, spaces and punctuation ignored), after
  the mapping file's value map and the field's value synonyms.
- Booleans: yes/no, y/n, true/false, 1/0, x (yes) and blank (no), plus the field's synonyms.
- Dates and date-times: `evidence.dates`.
- Numbers (minutes): digits with an optional point and exponent, or a duration (`evidence.durations`:
  01:35:20, 95 s, 2 h); never negative.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass
from typing import Any

from evidence.schemas import FieldSpec, value_key

TRUE_KEYS = frozenset({"yes", "y", "true", "1", "x"})
FALSE_KEYS = frozenset({"no", "n", "false", "0"})
OTHERWISE = "\x00*"
"""Key of a value map's catch-all entry (`"*": other` in a mapping file): any value not listed."""
BOOL_HINT = "use yes/no, y/n, true/false, 1/0, or x for yes and blank for no"
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_WHOLE = re.compile(r"[+-]?\d+\.0*")


@dataclass(frozen=True)
class Parsed:
    value: Any = None
    error: str | None = None
    hint: str = ""


BLANK = Parsed()


def show(raw: Any, limit: int = 60) -> str:
    """A raw cell as the user typed it, shortened for messages."""
    text = as_text(raw) or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def as_text(raw: Any) -> str | None:
    """Cell → stripped text, None when blank."""
    if raw is None:
        return None
    if isinstance(raw, str):
        text = raw.strip()
    elif isinstance(raw, bool):
        text = "true" if raw else "false"
    elif isinstance(raw, float):
        if math.isnan(raw):
            return None
        text = str(int(raw)) if raw.is_integer() and abs(raw) < 1e15 else repr(raw)
    elif isinstance(raw, dt.datetime):
        text = raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    elif isinstance(raw, dt.date):
        text = raw.isoformat()
    else:
        text = str(raw).strip()
    return text or None


def lookup_key(text: str) -> str:
    """Key for value maps and enumerations; "1.0" and "1" are the same key."""
    if _WHOLE.fullmatch(text):
        text = text.split(".")[0]
    return value_key(text)


def parse_text(raw: Any, value_map: dict[str, Any] | None = None) -> Parsed:
    text = as_text(raw)
    if text is None:
        return BLANK
    if value_map:
        key = lookup_key(text)
        key = key if key in value_map else OTHERWISE
        if key in value_map:
            return Parsed(None if value_map[key] is None else str(value_map[key]))
    return Parsed(text)


def enum_lookup(spec: FieldSpec) -> dict[str, str]:
    """value_key of each allowed value and value synonym → canonical value."""
    table = {value_key(v): v for v in spec.allowed}
    for synonym, canonical in spec.value_synonyms.items():
        table.setdefault(value_key(synonym), str(canonical))
    return table


def parse_enum(raw: Any, spec: FieldSpec, table: dict[str, str], value_map: dict[str, Any] | None) -> Parsed:
    text = as_text(raw)
    if text is None:
        return BLANK
    key = lookup_key(text)
    if value_map and key in value_map:
        return Parsed(value_map[key])
    if key and key in table:
        return Parsed(table[key])
    if value_map and OTHERWISE in value_map:
        return Parsed(value_map[OTHERWISE])
    close = difflib.get_close_matches(text.casefold(), [v.casefold() for v in spec.allowed], n=1)
    hint = f"did you mean '{spec.allowed[[v.casefold() for v in spec.allowed].index(close[0])]}'?" if close else ""
    hint = hint or f"map it in a mapping file (values: {{{spec.name}: {{'{text}': ...}}}})"
    return Parsed(error=f"'{show(raw)}' is not one of {', '.join(spec.allowed)}", hint=hint)


def parse_bool(raw: Any, spec: FieldSpec, value_map: dict[str, Any] | None) -> Parsed:
    """Blank is False (an unticked check box)."""
    if isinstance(raw, bool):
        return Parsed(raw)
    text = as_text(raw)
    if text is None:
        return Parsed(False)
    key = lookup_key(text)
    if value_map and key in value_map:
        return Parsed(bool(value_map[key]))  # a value mapped to ~ (blank) is no, like a blank cell
    if key in TRUE_KEYS:
        return Parsed(True)
    if key in FALSE_KEYS:
        return Parsed(False)
    for synonym, value in spec.value_synonyms.items():
        if key == value_key(synonym):
            return Parsed(bool(value))
    if value_map and OTHERWISE in value_map:
        return Parsed(bool(value_map[OTHERWISE]))
    return Parsed(error=f"'{show(raw)}' is not a yes/no value", hint=BOOL_HINT)


MINUTES_HINT = "write minutes (45, 12.5) or a duration (01:35:20, 95 s, 2 h, 1 h 30 min)"
_CLOCK = re.compile(r"(?:(\d+)\.)?(\d{1,3}):(\d{2}):(\d{2})(?:[.,](\d+))?")
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)")
_UNITS = {**dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1 / 60),
          **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 1.0),
          **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 60.0),
          **dict.fromkeys(("d", "day", "days"), 1440.0)}


def parse_number(raw: Any) -> Parsed:
    """Minutes: a plain number, or a duration (`parse_duration`)."""
    if isinstance(raw, bool):
        return Parsed(error=f"'{show(raw)}' is not a number", hint=MINUTES_HINT)
    if isinstance(raw, dt.timedelta):
        value = raw.total_seconds() / 60
    elif isinstance(raw, dt.time):  # an Excel cell formatted as a time of day holds a duration under a day
        value = raw.hour * 60 + raw.minute + (raw.second + raw.microsecond / 1e6) / 60
    elif isinstance(raw, int | float):
        value = float(raw)
    else:
        text = as_text(raw)
        if text is None:
            return BLANK
        if not _NUMBER.fullmatch(text):
            return parse_duration(raw, text)
        value = float(text)
    if math.isnan(value):
        return BLANK
    if not math.isfinite(value) or value < 0:
        return Parsed(error=f"'{show(raw)}' is not a number of minutes (zero or more)", hint=MINUTES_HINT)
    return Parsed(value)


def parse_duration(raw: Any, text: str) -> Parsed:
    """Minutes of a written duration: [d.]hh:mm:ss[.ff] (a .NET/PowerShell TimeSpan writes days
    as 'd.'), or numbers with units ('95 s', '2 h', '1 h 30 min', '1h30m'). 'hh:mm' alone is
    refused: it could be minutes:seconds."""
    if m := _CLOCK.fullmatch(text):
        seconds = int(m[1] or 0) * 86400 + int(m[2]) * 3600 + int(m[3]) * 60 + int(m[4]) + float(f"0.{m[5] or 0}")
        if int(m[3]) > 59 or int(m[4]) > 59:
            return Parsed(error=f"'{show(raw)}' is not a duration (minutes and seconds go up to 59)", hint=MINUTES_HINT)
        return Parsed(seconds / 60)
    lowered = text.casefold()
    parts = _PART.findall(lowered)
    if parts and _PART.sub("", lowered).strip(" ,") == "" and all(unit in _UNITS for _, unit in parts):
        return Parsed(sum(float(number) * _UNITS[unit] for number, unit in parts))
    if re.fullmatch(r"\d{1,3}:\d{2}", text):
        return Parsed(error=f"'{show(raw)}' is ambiguous: hours:minutes or minutes:seconds",
                      hint="write hh:mm:ss (01:30:00) or a unit (90 min)")
    if "," in text and re.fullmatch(r"\d+,\d+", text):
        return Parsed(error=f"'{show(raw)}' is not a number", hint="use a point for decimals, e.g. 12.5")
    if text.lstrip().startswith("-"):
        return Parsed(error=f"'{show(raw)}' is not a number of minutes (zero or more)", hint=MINUTES_HINT)
    return Parsed(error=f"'{show(raw)}' is not a number of minutes or a duration", hint=MINUTES_HINT)
