"""The mapping's rules: set, default, from, duration, filled, where, repeated_ids, timeline,
date_format, encoding — what each does to the rows, and how a wrong rule is refused (file, key
path and line)."""

from __future__ import annotations

import datetime as dt

import pytest

from errors import EvidenceError
from evidence.dataset import read_dataset
from evidence.mapping import merge_mappings, parse_mapping
from evidence.schemas import get_schema


def mapping(text: str, dataset: str = "asset_inventory"):
    return parse_mapping(text.encode(), get_schema(dataset), "map.yaml")


def read(text: str, dataset: str, rules: str, **kw):
    return read_dataset(text.encode(), dataset, mapping(rules, dataset), name="f.csv", **kw)


def problems_of(text: str, dataset: str = "asset_inventory") -> list[str]:
    with pytest.raises(EvidenceError) as err:
        mapping(text, dataset)
    return [str(p) for p in err.value.problems]


def test_set_and_default() -> None:
    result = read("Asset ID,Name,Crit,Plant\nA1,PLC,,North\nA2,HMI,low,\n", "asset_inventory",
                  "columns: {Crit: criticality}\nfields:\n  criticality: {default: high}\n  site: {set: Werk Süd}\n")
    assert result.frame["criticality"].tolist() == ["high", "low"]
    assert result.frame["site"].tolist() == ["Werk Süd", "Werk Süd"]  # set wins over the file's Plant column
    assert "Plant" in result.ignored_columns
    assert result.derived == {"criticality": "'high' where blank", "site": "set to 'Werk Süd' in every row"}


def test_a_constant_does_not_make_a_blank_row_count() -> None:
    result = read("Asset ID,Name\nA1,PLC\n,\nA2,HMI\n", "asset_inventory", "fields: {site: {set: North}}\n")
    assert result.total_rows == 2 and result.ok


def test_from_reads_a_column_also_used_elsewhere_with_its_own_codes() -> None:
    result = read("Asset ID,Name,Tier\nA1,PLC,1\nA2,HMI,3\n", "asset_inventory",
                  "fields:\n  criticality: {from: Tier, values: {'1': critical, '2': high, '3': medium}}\n"
                  "where: {Tier: ['1', '3']}\n")
    assert result.frame["criticality"].tolist() == ["critical", "medium"]


def test_from_alternatives_and_a_missing_optional_source_warns() -> None:
    result = read("Asset ID,Name,Owned by\nA1,PLC,Ana\n", "asset_inventory",
                  "fields:\n  owner: {from: [Owner, Owned by]}\n  location: {from: Room}\n")
    assert result.frame["owner"].tolist() == ["Ana"]
    assert any("fields.location.from: no column 'Room', so location is blank" in w.message for w in result.warnings)


def test_duration_from_start_and_end_with_errors_named() -> None:
    text = ("Test,Date,Start,End,Result\n"
            "T1,2026-03-01,2026-03-01 10:00,2026-03-01 10:45:30,ok\n"
            "T2,2026-03-02,2026-03-02 10:00,,ok\n"
            "T3,2026-03-03,2026-03-03 11:00,2026-03-03 10:00,ok\n"
            "T4,2026-03-04,soon,2026-03-04 10:00,ok\n")
    result = read(text, "restore_tests", "columns: {Test: test_id, Result: ~}\n"
                  "fields: {restore_minutes: {duration: {start: Start, end: End}}}\n")
    assert result.frame["restore_minutes"].tolist()[:2] == pytest.approx([45.5, float("nan")], nan_ok=True)
    shown = [str(p) for p in result.problems]
    assert shown[0].startswith("f.csv row 4, column 'End': ends (2026-03-03 10:00:00+00:00) before it starts")
    assert shown[1].startswith("f.csv row 5, column 'End': 'Start': 'soon' is not a date or date-time")


def test_duration_is_measured_between_instants_across_offsets() -> None:
    result = read("Test,Date,Start,End\nT1,2026-03-29,2026-03-29T01:30:00+01:00,2026-03-29T03:30:00+02:00\n",
                  "restore_tests", "columns: {Test: test_id}\nfields: {restore_minutes: {duration: {start: Start, end: End}}}\n")
    assert result.frame["restore_minutes"].tolist() == [60.0]


def test_filled_makes_a_yes_no_field_from_a_column_holding_a_value() -> None:
    result = read("Path,Schedule\nP1,weekend\nP2,none\nP3,\n", "access_paths",
                  "columns: {Path: path_id}\nfields: {time_limited: {filled: Schedule, unless: [none]}}\n")
    assert result.frame["time_limited"].tolist() == [True, False, False]


def test_where_keeps_and_leaves_out_rows_and_counts_them() -> None:
    text = "Asset ID,Name,State\nA1,x,Active\nA2,y,Retired\nA3,z,active \nA4,w,\n"
    kept = read(text, "asset_inventory", "where: {State: [Active]}\n")
    assert kept.frame["asset_id"].tolist() == ["A1", "A3"] and kept.filtered_rows == 2
    dropped = read(text, "asset_inventory", "where: {State: {not: [Retired]}}\n")
    assert dropped.frame["asset_id"].tolist() == ["A1", "A3", "A4"]
    assert "1 row(s) left out by the mapping's where" in dropped.summary()
    with pytest.raises(EvidenceError, match="does not have"):
        read(text, "asset_inventory", "where: {Lifecycle: [Active]}\n")
    optional = read(text, "asset_inventory", "where: {Lifecycle: {in: [Active], optional: true}}\n")
    assert optional.kept_rows == 4 and "is not applied" in optional.warnings[0].message


def test_repeated_ids_error_by_default_or_merged_into_the_latest() -> None:
    text = "Asset ID,Name,Last verified\nA1,old,2026-01-01\nA2,b,2026-01-01\nA1,new,2026-03-01\nA1,older,2025-12-01\n"
    refused = read(text, "asset_inventory", "")
    assert refused.problem_count == 3 and "duplicate asset_id 'A1'" in refused.problems[0].message
    merged = read(text, "asset_inventory", "repeated_ids: latest\n")
    assert merged.ok and merged.frame["name"].tolist() == ["b", "new"] and merged.merged_rows == 2


def test_timeline_turns_events_into_one_row_per_exercise() -> None:
    text = ("Ex,Phase,At,Scenario\n"
            "E1,Start,2026-05-04 09:00,Ransomware\n"
            "E1,Inject,2026-05-04 09:03,\n"
            "E1,Detected,2026-05-04 09:20,\n"
            "E1,Detected,2026-05-04 09:40,\n"  # the earliest detect event counts
            "E1,Escalated,2026-05-04 09:50,\n"
            "E2,Detected,2026-05-05 14:30,Flood\n"  # no start phase: the earliest event starts it
            "E2,Recovered,2026-05-05 18:00,\n")
    rules = ("timeline: {exercise: Ex, phase: Phase, time: At, phases: {start: [Start], detect: [Detected], "
             "escalate: [Escalated], recover: [Recovered]}}\n")
    result = read(text, "exercises", rules)
    assert result.ok and result.events == 7 and result.total_rows == 2
    frame = result.frame
    assert frame.index.tolist() == [2, 7]
    assert frame["detect_minutes"].tolist() == [20.0, 0.0]
    assert frame["escalate_minutes"].tolist()[0] == 30.0  # from detection, as the field is defined
    assert frame["recover_minutes"].tolist()[1] == 210.0
    assert frame["scenario"].tolist() == ["Ransomware", "Flood"]
    assert frame["date"].tolist() == [dt.datetime(2026, 5, 4), dt.datetime(2026, 5, 5)]


def test_timeline_problems_name_the_event_rows() -> None:
    text = ("Ex,Phase,At,Scenario\n"
            "E1,Start,2026-05-04 09:00,A\n"
            "E1,Detected,2026-05-04 08:00,\n"
            "E2,Start,later,B\n"
            ",Detected,2026-05-05 10:00,\n"
            "E3,Start,2026-05-06 10:00,C\n"
            "E3,Detected,2026-05-06 10:10,D\n")
    result = read(text, "exercises", "timeline: {exercise: Ex, phase: Phase, time: At, phases: {start: [Start], detect: [Detected]}}\n")
    shown = [str(p) for p in result.problems]
    assert shown[0].startswith("f.csv row 3, column 'At': exercise 'E1': its detect event (2026-05-04 08:00) is before its start")
    assert shown[1].startswith("f.csv row 4, column 'At': 'later' is not a date or date-time")
    assert shown[2].startswith("f.csv row 5, column 'Ex': the event names no exercise")
    assert shown[3].startswith("f.csv row 7, column 'Scenario': exercise 'E3' has scenario 'C' (row 6) and 'D'")
    assert result.kept_rows == 0


def test_a_timeline_without_its_transform_is_refused_as_repeated_exercises() -> None:
    text = "Exercise,Date,Phase\nE1,2026-05-04,Start\nE1,2026-05-04,Detected\n"
    result = read_dataset(text.encode(), "exercises", name="f.csv")
    assert result.problem_count == 2 and "duplicate exercise_id 'E1'" in result.problems[0].message


def test_explicit_date_format_and_encoding() -> None:
    data = "Asset ID;Name;Geprüft\nA1;Kühler;05.03.2026 14:00\n".encode("mac_roman")
    result = read_dataset(data, "asset_inventory", mapping('encoding: mac_roman\ndate_format: "%d.%m.%Y %H:%M"\n'
                                                          'columns: {Geprüft: last_verified}\n'), name="f.csv")
    assert result.frame["name"].tolist() == ["Kühler"] and result.frame["last_verified"].iloc[0].date() == dt.date(2026, 3, 5)


def test_values_can_map_to_blank_and_catch_everything_else() -> None:
    result = read("Asset ID,Name,Crit\nA1,x,Unknown\nA2,y,Tier 0\nA3,z,whatever\n", "asset_inventory",
                  "columns: {Crit: criticality}\nvalues: {criticality: {Unknown: ~, Tier 0: critical, '*': low}}\n")
    assert result.frame["criticality"].tolist()[1:] == ["critical", "low"] and result.frame["criticality"].isna().iloc[0]


def test_merging_lays_a_user_mapping_over_a_preset() -> None:
    base = mapping("columns: {Tag: asset_id}\nfields: {site: {set: A}}\nwhere: {State: [Active], Zone: [OT]}\n")
    own = mapping("columns: {Device: asset_id}\nfields: {site: {set: B}}\nwhere: {State: ~}\n")
    merged = merge_mappings(base, own)
    assert merged.columns == {"device": "asset_id"}
    assert merged.fields["site"].set == "B"
    assert [f.header for f in merged.where] == ["Zone"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fields:\n  criticality: {set: hgh}\n", "map.yaml line 2: fields.criticality.set: 'hgh' is not one of critical, high, medium, low"),
        ("fields:\n  critcality: {set: high}\n", "map.yaml line 2: fields.critcality: 'critcality' is not a field of asset_inventory (did you mean 'criticality'?)"),
        ("fields:\n  site: {set: A, default: B}\n", "map.yaml line 2: fields.site.set: set cannot be combined with other keys"),
        ("fields:\n  site: {duration: {start: a, end: b}}\n", "map.yaml line 2: fields.site.duration: 'site' is not a number of minutes"),
        ("fields:\n  last_verified: {default: soon}\n", "map.yaml line 2: fields.last_verified.default: 'soon' is not a date or date-time"),
        ("where: {State: {maybe: [x]}}\n", "map.yaml line 1: where.State: expected a list of values, or {not: [values]}"),
        ("date_format: dd.mm.yyyy\n", "map.yaml line 1: date_format: 'dd.mm.yyyy' is not a date format"),
        ("encoding: klingon\n", "map.yaml line 1: encoding: 'klingon' is not an encoding"),
        ("repeated_ids: newest\n", "map.yaml line 1: repeated_ids: 'newest' is not allowed"),
        ("timeline: {exercise: Ex, phase: P, time: T, phases: {start: [S]}}\n", "map.yaml line 1: timeline: a timeline makes exercises, not asset_inventory"),
    ],
)
def test_wrong_rules_are_refused_with_file_key_path_and_line(text, expected) -> None:
    assert any(p.startswith(expected) for p in problems_of(text)), problems_of(text)


def test_timeline_rule_errors() -> None:
    found = problems_of("timeline:\n  exercise: Ex\n  phases: {start: [S], detect: [S], finish: [F]}\n", "exercises")
    assert any("timeline: 'phase' is missing" in p for p in found)
    assert any("line 3: timeline.phases.detect.'0': 'S' already marks start" in p for p in found)
    assert any("timeline.phases.finish: 'finish' is not a milestone" in p for p in found)
