"""Dates and date-times as tools write them, table-driven: what is accepted, in which time zone,
and what is refused with which message."""

from __future__ import annotations

import datetime as dt

import pytest

from evidence import dates as d

BERLIN = d.DateRules(time_zone="Europe/Berlin")
NEW_YORK = d.DateRules(time_zone="America/New_York")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-05", dt.date(2024, 3, 5)),
        (" 2024-3-5 ", dt.date(2024, 3, 5)),
        ("2024/03/05", dt.date(2024, 3, 5)),
        ("2024.03.05", dt.date(2024, 3, 5)),
        ("2024-03-05T10:30:00Z", dt.date(2024, 3, 5)),
        ("2024-03-05 10:30", dt.date(2024, 3, 5)),
        ("2024-03-05T10:30:15.123456", dt.date(2024, 3, 5)),
        ("2020-09-02T10:41:32.2882911Z", dt.date(2020, 9, 2)),  # seven fractional digits (.NET)
        ("45356", dt.date(2024, 3, 5)),  # Excel serial day number
        (45356.75, dt.date(2024, 3, 5)),  # a serial with a time of day
        (dt.datetime(2024, 3, 5, 8, 0), dt.date(2024, 3, 5)),
        (dt.date(2024, 3, 5), dt.date(2024, 3, 5)),
        ("5 Mar 2024", dt.date(2024, 3, 5)),
        ("March 5, 2024", dt.date(2024, 3, 5)),
        ("05-Mar-2024", dt.date(2024, 3, 5)),
        ("05-Mar-24", dt.date(2024, 3, 5)),
        ("Tue, 5 Mar 2024 10:41:32 GMT", dt.date(2024, 3, 5)),
        ("Sep 2, 2020 10:41 AM", dt.date(2020, 9, 2)),
        ("Wednesday, September 2, 2020 10:41:32 PM", dt.date(2020, 9, 2)),
        ("25/03/2026", dt.date(2026, 3, 25)),  # only one reading: day first
        ("03/25/2026 4:05 PM", dt.date(2026, 3, 25)),  # only one reading: month first
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_dates_accepted(raw, expected) -> None:
    parsed = d.parse_date(raw)
    assert parsed.error is None
    assert parsed.value == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("03/04/2024", "ambiguous"),
        ("3.4.2024", "ambiguous"),
        ("31/13/2026", "is not a valid date (neither 31 nor 13 can be the month)"),  # invalid, not ambiguous
        ("2024-02-30", "not a valid date"),
        ("2024-03-05 25:10", "not a valid time of day"),
        ("13/5/2024 13:10 PM", "an hour 13 with AM/PM"),
        ("1850-01-01", "outside 1900–2099"),
        ("3024-01-01", "outside 1900–2099"),
        ("next week", "is not a date or date-time"),
        ("12", "is not a date or date-time"),  # serials before 1900-03-01 are refused
        (True, "is not a date or date-time"),
        (dt.time(10, 0), "is not a date or date-time"),
    ],
)
def test_dates_refused(raw, message) -> None:
    parsed = d.parse_date(raw)
    assert parsed.value is None
    assert message in parsed.error


def test_refusals_show_the_accepted_forms() -> None:
    hint = d.parse_date("soon").hint
    assert "2026-03-05T14:30:00-04:00" in hint and "9/2/2020 10:41:32 AM" in hint and "Excel date" in hint
    assert "accepted forms" in d.parse_date("03/04/2024").hint


@pytest.mark.parametrize(("order", "expected"), [("day_first", dt.date(2024, 4, 3)), ("month_first", dt.date(2024, 3, 4))])
def test_date_order_resolves_ambiguous_dates(order, expected) -> None:
    assert d.parse_date("03/04/2024", order).value == expected


@pytest.mark.parametrize(
    ("raw", "order", "expected"),
    [
        ("9/2/2020 10:41:32 AM", "month_first", dt.datetime(2020, 9, 2, 10, 41, 32)),  # PowerShell / Veeam en-US
        ("9/2/2020 12:05:00 AM", "month_first", dt.datetime(2020, 9, 2, 0, 5)),
        ("9/2/2020 12:05:00 PM", "month_first", dt.datetime(2020, 9, 2, 12, 5)),
        ("4/5/16", "month_first", dt.datetime(2016, 4, 5)),  # two-digit year
        ("4/5/16", "day_first", dt.datetime(2016, 5, 4)),
        ("31.12.69 23:59", "day_first", dt.datetime(1969, 12, 31, 23, 59)),  # 69–99 → 19xx
        ("01.01.68", "day_first", dt.datetime(2068, 1, 1)),  # 00–68 → 20xx
        ("02.09.2020 10:41", "day_first", dt.datetime(2020, 9, 2, 10, 41)),
    ],
)
def test_numeric_dates_with_times_and_two_digit_years(raw, order, expected) -> None:
    parsed = d.parse_moment(raw, order)
    assert parsed.error is None
    assert parsed.value == expected.replace(tzinfo=dt.UTC)


def test_an_offset_is_converted_to_the_site_time_zone_before_the_date_is_taken() -> None:
    late = "2026-03-05T23:30:00-04:00"  # 03:30 UTC on 6 March
    assert d.parse_date(late).value == dt.date(2026, 3, 6)  # site in UTC
    assert d.parse_date(late, NEW_YORK).value == dt.date(2026, 3, 5)  # a New York site: still 5 March (EST, −05:00)
    assert d.parse_date("2026-03-05T23:30:00Z", BERLIN).value == dt.date(2026, 3, 6)
    assert d.parse_date("2026-03-05 23:30", BERLIN).value == dt.date(2026, 3, 5)  # no offset: the site's own time
    moment = d.parse_moment("2026-07-01T08:00:00+0200", NEW_YORK).value
    assert moment.utcoffset() == dt.timedelta(hours=-4) and moment.hour == 2


def test_durations_across_a_daylight_saving_change_are_real_minutes() -> None:
    before = d.parse_moment("2026-03-29 01:30", BERLIN).value  # CET
    after = d.parse_moment("2026-03-29 03:30", BERLIN).value  # CEST: the clocks went forward at 02:00
    assert d.minutes_between(before, after) == 60


def test_explicit_date_format_is_tried_first() -> None:
    rules = d.DateRules(format="%d.%m.%Y %H:%M")
    assert d.parse_date("05.03.2026 14:00", rules).value == dt.date(2026, 3, 5)
    assert d.parse_date("2026-03-05", rules).value == dt.date(2026, 3, 5)  # the usual forms still apply
    refused = d.parse_date("5/3", rules)
    assert "date_format is '%d.%m.%Y %H:%M'" in refused.hint
    with_offset = d.DateRules(format="%Y%m%d %H%M%S %z", time_zone="Europe/Berlin")
    assert d.parse_date("20260305 233000 +0000", with_offset).value == dt.date(2026, 3, 6)


@pytest.mark.parametrize(
    ("values", "order"),
    [
        (["03/04/2026", "25/03/2026"], "day_first"),
        (["03/04/2026", "03/25/2026 10:41:32 AM"], "month_first"),
        (["03/04/2026", "04/05/2026"], None),  # nothing tells
        (["25/03/2026", "03/25/2026"], None),  # values contradict: no order is guessed
        (["2026-03-04", None, 45356.0], None),
    ],
)
def test_column_order_comes_from_values_that_only_read_one_way(values, order) -> None:
    assert d.column_order(values) == order


def test_excel_serial_keeps_the_time_of_day() -> None:
    assert d.parse_moment(45356.75).value == dt.datetime(2024, 3, 5, 18, 0, tzinfo=dt.UTC)


def test_unknown_time_zone_is_named() -> None:
    with pytest.raises(ValueError, match="'Mars/Olympus' is not a time zone"):
        d.zone_of("Mars/Olympus")
