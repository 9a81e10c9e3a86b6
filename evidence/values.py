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
- Dates: ISO (2024-03-05, 2024/03/05, with or without a time), Excel serial numbers and dates with
  an English month name (5 Mar 2024, 05-Mar-2024, March 5, 2024). Day/month-first forms such as 03/05/2024 are
  ambiguous and refused unless the mapping sets `date_order`; one that is a date in neither order
  (31/13/2026) is invalid, and said so. Years outside 1900–2099 are refused
  as likely typos.
- Numbers: digits with an optional point and exponent; never negative (they count minutes).
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
BOOL_HINT = "use yes/no, y/n, true/false, 1/0, or x for yes and blank for no"
DATE_HINT = "write dates as YYYY-MM-DD (e.g. 2024-03-05) or use Excel date cells"
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_FIRST_DATE, _LAST_DATE = dt.date(1900, 1, 1), dt.date(2099, 12, 31)
_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?"
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME)
_AMBIGUOUS = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})" + _TIME)
_SERIAL = re.compile(r"\d{1,6}(?:\.\d+)?")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_WHOLE = re.compile(r"[+-]?\d+\.0*")
_MONTHS = {name: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\.?[ \-/]*([A-Za-z]{3,9})\.?[ \-/,]*(\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]{3,9})\.?[ \-/]*(\d{1,2})(?:st|nd|rd|th)?,?[ \-/]*(\d{4})")


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
        mapped = value_map.get(lookup_key(text))
        if mapped is not None:
            return Parsed(str(mapped))
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
        return Parsed(bool(value_map[key]))
    if key in TRUE_KEYS:
        return Parsed(True)
    if key in FALSE_KEYS:
        return Parsed(False)
    for synonym, value in spec.value_synonyms.items():
        if key == value_key(synonym):
            return Parsed(bool(value))
    return Parsed(error=f"'{show(raw)}' is not a yes/no value", hint=BOOL_HINT)


def parse_number(raw: Any) -> Parsed:
    if isinstance(raw, bool):
        return Parsed(error=f"'{show(raw)}' is not a number", hint="write the number of minutes, e.g. 45")
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = as_text(raw)
        if text is None:
            return BLANK
        if not _NUMBER.fullmatch(text):
            hint = "use a point for decimals, e.g. 12.5" if "," in text else "write the number of minutes, e.g. 45"
            return Parsed(error=f"'{show(raw)}' is not a number", hint=hint)
        value = float(text)
    if math.isnan(value):
        return BLANK
    if not math.isfinite(value) or value < 0:
        return Parsed(error=f"'{show(raw)}' is not a number of minutes (zero or more)", hint="e.g. 45")
    return Parsed(value)


def parse_date(raw: Any, date_order: str | None = None) -> Parsed:
    """`date_order` ('day_first' or 'month_first', from the mapping) resolves 03/05/2024."""
    if isinstance(raw, dt.datetime):
        return _checked(raw.date(), raw)
    if isinstance(raw, dt.date):
        return _checked(raw, raw)
    if isinstance(raw, bool | dt.time | dt.timedelta):
        return Parsed(error=f"'{show(raw)}' is not a date", hint=DATE_HINT)
    if isinstance(raw, int | float):
        return _serial(float(raw), raw)
    text = as_text(raw)
    if text is None:
        return BLANK
    if m := _YMD.fullmatch(text):
        return _from_parts(int(m[1]), int(m[2]), int(m[3]), raw)
    if m := _AMBIGUOUS.fullmatch(text):
        return _ambiguous(m, raw, date_order)
    if _SERIAL.fullmatch(text):
        return _serial(float(text), raw)
    if (m := _DAY_MONTH_YEAR.fullmatch(text)) and m[2].casefold() in _MONTHS:
        return _from_parts(int(m[3]), _MONTHS[m[2].casefold()], int(m[1]), raw)
    if (m := _MONTH_DAY_YEAR.fullmatch(text)) and m[1].casefold() in _MONTHS:
        return _from_parts(int(m[3]), _MONTHS[m[1].casefold()], int(m[2]), raw)
    return Parsed(error=f"'{show(raw)}' is not a date", hint=DATE_HINT)


def _ambiguous(m: re.Match, raw: Any, date_order: str | None) -> Parsed:
    first, second = int(m[1]), int(m[2])
    if not any(_valid(int(m[3]), month, day) for day, month in ((first, second), (second, first))):
        # 31/13/2026: neither day/month nor month/day is a date, so it is invalid, not ambiguous.
        return Parsed(error=f"'{show(raw)}' is not a valid date, neither day first nor month first",
                      hint=DATE_HINT)
    if date_order is None:
        return Parsed(
            error=f"'{show(raw)}' is ambiguous: day and month order cannot be told",
            hint=f"{DATE_HINT}, or set date_order: day_first (or month_first) in a mapping file",
        )
    if len(m[3]) != 4:
        return Parsed(error=f"'{show(raw)}' has a two-digit year", hint=DATE_HINT)
    day, month = (first, second) if date_order == "day_first" else (second, first)
    return _from_parts(int(m[3]), month, day, raw)


def _valid(year: int, month: int, day: int) -> bool:
    """Whether the parts make a calendar date (a two-digit year read as is: only month and day count)."""
    try:
        dt.date(max(year, 1), month, day)
    except ValueError:
        return False
    return True


def _from_parts(year: int, month: int, day: int, raw: Any) -> Parsed:
    try:
        return _checked(dt.date(year, month, day), raw)
    except ValueError:
        return Parsed(error=f"'{show(raw)}' is not a valid date", hint=DATE_HINT)


def _serial(number: float, raw: Any) -> Parsed:
    """Excel serial day number (1900 date system); 61 is 1900-03-01, after Excel's leap-year bug."""
    if not math.isfinite(number) or not 61 <= number < 73051:
        return Parsed(error=f"'{show(raw)}' is not a date", hint=DATE_HINT)
    return Parsed(_EXCEL_EPOCH + dt.timedelta(days=int(number)))


def _checked(day: dt.date, raw: Any) -> Parsed:
    if not _FIRST_DATE <= day <= _LAST_DATE:
        return Parsed(error=f"'{show(raw)}' is outside 1900–2099 (a typo?)", hint=DATE_HINT)
    return Parsed(day)
