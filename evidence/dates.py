"""Dates and date-times as tools write them, read into a date (date fields) or a moment (durations
and timelines), in the site's time zone.

Accepted forms (docs/evidence.md, "Dates"):
- ISO: 2026-03-05, 2026/03/05, 2026.03.05; with a time 2026-03-05 14:30, 2026-03-05T14:30:15.250;
  with an offset 2026-03-05T14:30:15-04:00, +0100, Z, UTC or GMT.
- Day and month as numbers: 05/03/2026, 5.3.2026, 05-03-26, with an optional time (24-hour or
  with AM/PM: 9/2/2020 10:41:32 AM) and offset. The order comes from the mapping's `date_order`;
  without it, from the column (`column_order`): a column in which some value can only be read one
  way (25/03/2026) is read that way throughout. A value both ways impossible (31/13/2026) is
  invalid, not ambiguous.
- English month names: 5 Mar 2026, 05-Mar-2026, 05-Mar-26, March 5, 2026, Thu, 5 Mar 2026
  10:41:32 GMT, Sep 2, 2020 10:41 AM.
- Excel date cells and serial numbers (61 = 1900-03-01 up to 2099), a fraction being the time.
- The mapping's `date_format` (strptime directives, e.g. "%d.%m.%Y %H:%M"), tried first; or
  `unix`: seconds since 1970-01-01 UTC (runZero, Zeek), milliseconds when 13 digits long.

Two-digit years: 00–68 are 2000–2068, 69–99 are 1969–1999 (the POSIX and Python rule); they are
read only where the year comes last (5/3/26, 05-Mar-26), like four-digit ones. Years outside
1900–2099 are refused as likely typos.

Time zones: a value with an offset (or Z/UTC/GMT) is an instant: it is converted to the site's
time zone before its date is taken (2026-03-05T23:30-04:00 is 6 March at a site in UTC). A value
without one is the site's local time as written. Durations are measured between instants, so a
restore across a daylight-saving change lasts what it lasted.

These functions run once per distinct value of a column (evidence.convert), never per row.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from evidence.values import Parsed, as_text, show

UTC = dt.UTC
DAY_FIRST, MONTH_FIRST = "day_first", "month_first"
UNIX = "unix"
ACCEPTED = ("2026-03-05, 2026-03-05 14:30, 2026-03-05T14:30:00-04:00, 5 Mar 2026, March 5, 2026, "
            "an Excel date; 05/03/2026 or 9/2/2020 10:41:32 AM once the day/month order is known")
DATE_HINT = f"write a date or date-time such as {ACCEPTED}"
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_FIRST_DATE, _LAST_DATE = dt.date(1900, 1, 1), dt.date(2099, 12, 31)
_TIME = (r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d{1,9}))?)?"
         r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?")
_AFTER = rf"(?:(?:[T ]|,\s*|\s+)\s*{_TIME})?"
_ISO = re.compile(rf"(?P<y>\d{{4}})[-/.](?P<a>\d{{1,2}})[-/.](?P<b>\d{{1,2}}){_AFTER}")
_NUMERIC = re.compile(rf"(?P<a>\d{{1,2}})(?P<sep>[-/.])(?P<b>\d{{1,2}})(?P=sep)(?P<y>\d{{4}}|\d{{2}}){_AFTER}")
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_DAY_MONTH = re.compile(rf"{_WEEKDAY}(?P<d>\d{{1,2}})\.?[ \-/]*(?P<m>[A-Za-z]{{3,9}})\.?[ \-/,]*(?P<y>\d{{4}}|\d{{2}}){_AFTER}", re.I)
_MONTH_DAY = re.compile(rf"{_WEEKDAY}(?P<m>[A-Za-z]{{3,9}})\.?[ \-/]*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?[ \-/]*(?P<y>\d{{4}}){_AFTER}", re.I)
_SERIAL = re.compile(r"\d{1,6}(?:\.\d+)?")
_EPOCH = re.compile(r"\d{7,13}(?:\.\d+)?")
_MONTHS = {name: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}


@dataclass(frozen=True)
class DateRules:
    """How a column's dates are read: the mapping's `date_order` and `date_format`, and the site's
    time zone (None: UTC)."""

    order: str | None = None
    format: str | None = None
    time_zone: str | None = None

    @property
    def zone(self) -> dt.tzinfo:
        return zone_of(self.time_zone)

    def with_order(self, order: str | None) -> DateRules:
        return DateRules(order, self.format, self.time_zone) if order and not self.order else self


def zone_of(name: str | None) -> dt.tzinfo:
    """The IANA time zone `name` (None or 'UTC': UTC); ValueError names an unknown one."""
    if not name or name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"'{name}' is not a time zone (use an IANA name such as Europe/Berlin or America/Chicago)") from None


def parse_date(raw: Any, rules: DateRules | str | None = None) -> Parsed:
    """A date field's value: the calendar date at the site (a `datetime.date`)."""
    parsed = parse_moment(raw, rules)
    if parsed.error is not None or parsed.value is None:
        return parsed
    return Parsed(parsed.value.date())


def parse_moment(raw: Any, rules: DateRules | str | None = None) -> Parsed:
    """A date-time as an aware datetime in the site's time zone (a date alone is its midnight)."""
    rules = DateRules(rules) if isinstance(rules, str) else rules or DateRules()
    zone = rules.zone
    if isinstance(raw, dt.datetime):
        return _checked(_localise(raw, zone), raw)
    if isinstance(raw, dt.date):
        return _checked(dt.datetime(raw.year, raw.month, raw.day, tzinfo=zone), raw)
    if isinstance(raw, bool | dt.time | dt.timedelta):
        return _not_a_date(raw)
    if isinstance(raw, int | float):
        if rules.format == UNIX:
            return _unix(str(raw), raw, zone)
        return _serial(float(raw), raw, zone)
    text = as_text(raw)
    if text is None:
        return Parsed()
    if rules.format == UNIX:
        if _SERIAL.fullmatch(text) or _EPOCH.fullmatch(text):
            return _unix(text, raw, zone)
    elif rules.format:
        try:
            return _checked(_localise(dt.datetime.strptime(text, rules.format), zone), raw)
        except ValueError:
            pass  # the other forms still apply (a blank time, an Excel serial...)
    if m := _ISO.fullmatch(text):
        return _build(int(m["y"]), int(m["a"]), int(m["b"]), m, raw, zone)
    if m := _NUMERIC.fullmatch(text):
        return _numeric(m, raw, rules.order, zone)
    if _SERIAL.fullmatch(text):
        return _serial(float(text), raw, zone)
    if (m := _DAY_MONTH.fullmatch(text)) and m["m"].casefold() in _MONTHS:
        return _build(_year(m["y"]), _MONTHS[m["m"].casefold()], int(m["d"]), m, raw, zone)
    if (m := _MONTH_DAY.fullmatch(text)) and m["m"].casefold() in _MONTHS:
        return _build(int(m["y"]), _MONTHS[m["m"].casefold()], int(m["d"]), m, raw, zone)
    return _not_a_date(raw, rules)


def minutes_between(start: dt.datetime, end: dt.datetime) -> float:
    """Minutes from `start` to `end`, measured between instants (Python subtracts aware datetimes
    of one zone by their wall clocks, which is an hour off across a daylight-saving change)."""
    return (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 60


def column_order(values: Iterable[Any]) -> str | None:
    """The day/month order a column's values show: day_first when some value has a first number
    over 12 (25/03/2026) and none a second one over 12, month_first the other way round, None
    when no value tells (or values tell both ways)."""
    day = month = False
    for value in values:
        if not isinstance(value, str) or (m := _NUMERIC.fullmatch(value.strip())) is None:
            continue
        a, b = int(m["a"]), int(m["b"])
        day |= 12 < a <= 31 and 1 <= b <= 12
        month |= 12 < b <= 31 and 1 <= a <= 12
        if day and month:
            return None
    return DAY_FIRST if day else MONTH_FIRST if month else None


def _numeric(m: re.Match, raw: Any, order: str | None, zone: dt.tzinfo) -> Parsed:
    a, b = int(m["a"]), int(m["b"])
    if not (1 <= a <= 31 and 1 <= b <= 31) or (a > 12 and b > 12):
        return Parsed(error=f"'{show(raw)}' is not a valid date (neither {a} nor {b} can be the month)", hint=DATE_HINT)
    if order is None:
        if a > 12:
            order = DAY_FIRST
        elif b > 12:
            order = MONTH_FIRST
        else:
            return Parsed(error=f"'{show(raw)}' is ambiguous: day and month order cannot be told",
                          hint=f"set date_order: day_first (or month_first) in a mapping file; accepted forms: {ACCEPTED}")
    day, month = (a, b) if order == DAY_FIRST else (b, a)
    return _build(_year(m["y"]), month, day, m, raw, zone)


def _year(text: str) -> int:
    """Two-digit years: 00–68 → 2000–2068, 69–99 → 1969–1999."""
    year = int(text)
    if len(text) == 2:
        return year + (2000 if year <= 68 else 1900)
    return year


def _build(year: int, month: int, day: int, m: re.Match, raw: Any, zone: dt.tzinfo) -> Parsed:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return Parsed(error=f"'{show(raw)}' is not a valid date", hint=DATE_HINT)
    if m["h"] is None:
        return _checked(dt.datetime(date.year, date.month, date.day, tzinfo=zone), raw)
    hour, minute, second = int(m["h"]), int(m["mi"]), int(m["s"] or 0)
    if m["ampm"]:
        if not 1 <= hour <= 12:
            return Parsed(error=f"'{show(raw)}' has an hour {hour} with AM/PM", hint=DATE_HINT)
        hour = hour % 12 + (12 if m["ampm"][0] in "Pp" else 0)
    micro = int((m["f"] or "0")[:6].ljust(6, "0"))
    try:
        moment = dt.datetime(year, month, day, hour, minute, second, micro)
    except ValueError:
        return Parsed(error=f"'{show(raw)}' is not a valid time of day", hint=DATE_HINT)
    return _checked(_localise(moment.replace(tzinfo=_offset(m["tz"])) if m["tz"] else moment, zone), raw)


def _offset(text: str) -> dt.tzinfo:
    if text in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def _localise(moment: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """An aware value converted to the site's zone; a naive one is the site's local time."""
    return moment.astimezone(zone) if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def _unix(text: str, raw: Any, zone: dt.tzinfo) -> Parsed:
    """Seconds (or, 13 digits and more, milliseconds) since 1970-01-01 UTC."""
    number = float(text)
    if len(text.split(".")[0]) >= 13:
        number /= 1000
    try:
        return _checked(dt.datetime.fromtimestamp(number, tz=UTC).astimezone(zone), raw)
    except (OverflowError, OSError, ValueError):
        return _not_a_date(raw)


def _serial(number: float, raw: Any, zone: dt.tzinfo) -> Parsed:
    """Excel serial day number (1900 date system); 61 is 1900-03-01, after Excel's leap-year bug."""
    if not math.isfinite(number) or not 61 <= number < 73051:
        return _not_a_date(raw)
    moment = _EXCEL_EPOCH + dt.timedelta(milliseconds=round(number * 86_400_000))  # Excel keeps milliseconds
    return Parsed(moment.replace(tzinfo=zone))


def _checked(moment: dt.datetime, raw: Any) -> Parsed:
    if not _FIRST_DATE <= moment.date() <= _LAST_DATE:
        return Parsed(error=f"'{show(raw)}' is outside 1900–2099 (a typo?)", hint=DATE_HINT)
    return Parsed(moment)


def _not_a_date(raw: Any, rules: DateRules | None = None) -> Parsed:
    hint = DATE_HINT
    if rules is not None and rules.format:
        hint = f"the mapping's date_format is '{rules.format}'; {DATE_HINT}"
    return Parsed(error=f"'{show(raw)}' is not a date or date-time", hint=hint)
