"""Cell parsers, table-driven: what is accepted, what is refused and with which message."""

from __future__ import annotations

import datetime as dt

import pytest

from evidence import values as v
from evidence.schemas import ACCESS_PATHS, ASSET_INVENTORY, EXERCISES, RESTORE_TESTS

CRIT = ASSET_INVENTORY.field("criticality")
ENV = ASSET_INVENTORY.field("environment")
MFA = ACCESS_PATHS.field("mfa")
SUCCESS = RESTORE_TESTS.field("success")
KIND = EXERCISES.field("exercise_type")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("yes", True), ("Y", True), ("TRUE", True), ("1", True), (1.0, True), ("x", True), ("X ", True), (True, True),
     ("no", False), ("n", False), ("false", False), ("0", False), (0, False), ("", False), (None, False), ("  ", False)],
)
def test_booleans(raw, expected) -> None:
    assert v.parse_bool(raw, MFA, None) == v.Parsed(expected)


@pytest.mark.parametrize("raw", ["maybe", "2", "-", "oui"])
def test_booleans_refused(raw) -> None:
    parsed = v.parse_bool(raw, MFA, None)
    assert parsed.error == f"'{raw}' is not a yes/no value"
    assert "yes/no" in parsed.hint


def test_boolean_value_synonyms_and_map() -> None:
    assert v.parse_bool("Passed", SUCCESS, None).value is True
    assert v.parse_bool("FAIL", SUCCESS, None).value is False
    assert v.parse_bool("pass", MFA, None).error  # only the success field knows pass/fail
    assert v.parse_bool("ja", MFA, {"ja": True}).value is True


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("critical", "critical"), (" HIGH ", "high"), ("Medium", "medium"), ("low", "low")],
)
def test_enum_ignores_case_and_spaces(raw, expected) -> None:
    assert v.parse_enum(raw, CRIT, v.enum_lookup(CRIT), None).value == expected


def test_enum_separators_and_synonyms() -> None:
    assert v.parse_enum("Full Scale", KIND, v.enum_lookup(KIND), None).value == "full_scale"
    assert v.parse_enum("full-scale", KIND, v.enum_lookup(KIND), None).value == "full_scale"
    assert v.parse_enum("Operational Technology", ENV, v.enum_lookup(ENV), None).value == "OT"
    assert v.parse_enum("ot", ENV, v.enum_lookup(ENV), None).value == "OT"


def test_enum_error_says_what_is_allowed_and_guesses() -> None:
    parsed = v.parse_enum("Hgh", CRIT, v.enum_lookup(CRIT), None)
    assert parsed.error == "'Hgh' is not one of critical, high, medium, low"
    assert parsed.hint == "did you mean 'high'?"
    far = v.parse_enum("zzz", CRIT, v.enum_lookup(CRIT), None)
    assert "mapping file" in far.hint


def test_enum_value_map_accepts_numbers_from_excel() -> None:
    value_map = {"1": "critical"}
    assert v.parse_enum(1.0, CRIT, v.enum_lookup(CRIT), value_map).value == "critical"
    assert v.parse_enum("1", CRIT, v.enum_lookup(CRIT), value_map).value == "critical"


@pytest.mark.parametrize(("raw", "expected"), [("45", 45.0), (" 12.5 ", 12.5), (3, 3.0), (7.25, 7.25), ("1e2", 100.0), ("", None), (None, None)])
def test_numbers(raw, expected) -> None:
    parsed = v.parse_number(raw)
    assert parsed.error is None and parsed.value == expected


@pytest.mark.parametrize(("raw", "hint"), [("12,5", "point"), ("ten", "minutes"), ("-5", "minutes"), ("inf", "minutes"), (True, "minutes"), ("12:30", "hh:mm:ss")])
def test_numbers_refused(raw, hint) -> None:
    parsed = v.parse_number(raw)
    assert parsed.error and hint in parsed.hint


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("  PLC 1 ", "PLC 1"), (1001.0, "1001"), (12.5, "12.5"), (dt.datetime(2024, 1, 2), "2024-01-02"), ("\u00a0", None), ("", None)],
)
def test_text(raw, expected) -> None:
    assert v.parse_text(raw).value == expected


@pytest.mark.parametrize(
    ("raw", "minutes"),
    [("01:35:20", 95 + 1 / 3), ("00:05:23.1234567", 5 + 23.1234567 / 60), ("1.02:03:04", 1440 + 123 + 4 / 60),
     ("95 s", 95 / 60), ("2 h", 120.0), ("1 h 30 min", 90.0), ("1h30m", 90.0), ("90 Minutes", 90.0), ("0.5 hours", 30.0),
     (dt.timedelta(hours=1, minutes=2), 62.0), (dt.time(0, 45, 30), 45.5)],
)
def test_durations_are_minutes(raw, minutes) -> None:
    """Tools write durations as clocks (Veeam, PowerShell TimeSpan) or with units."""
    parsed = v.parse_number(raw)
    assert parsed.error is None and parsed.value == pytest.approx(minutes)


@pytest.mark.parametrize("raw", ["2 kg", "01:75:00", "5 parsecs"])
def test_durations_refused(raw) -> None:
    assert v.parse_number(raw).error
