"""Row validation: every enumeration error, blanks, duplicates, keep-valid, the problem cap."""

from __future__ import annotations

import pytest

from errors import EvidenceError
from evidence import dates, validate
from evidence.dataset import read_dataset
from evidence.schemas import DATASETS


def read(text: str, dataset: str = "asset_inventory", **kw):
    return read_dataset(text.encode(), dataset, name="f.csv", **kw)


def test_error_fixture_lists_every_problem_by_row(evidence_data) -> None:
    result = read_dataset(evidence_data / "inventory_errors.csv", "asset_inventory")
    assert [str(p) for p in result.problems] == [
        "inventory_errors.csv row 2, column 'asset_id': duplicate asset_id 'A-1' (also on row 6) (each asset_id must appear once)",
        "inventory_errors.csv row 3, column 'criticality': 'Hgh' is not one of critical, high, medium, low (did you mean 'high'?)",
        "inventory_errors.csv row 4, column 'environment': 'Cloud' is not one of IT, OT (map it in a mapping file (values: {environment: {'Cloud': ...}}))",
        "inventory_errors.csv row 5, column 'support_status': 'maybe' is not one of supported, extended, unsupported (map it in a mapping file (values: {support_status: {'maybe': ...}}))",
        "inventory_errors.csv row 6, column 'asset_id': duplicate asset_id 'A-1' (also on row 2) (each asset_id must appear once)",
        "inventory_errors.csv row 7, column 'asset_id': asset_id is required but blank",
        "inventory_errors.csv row 8, column 'last_verified': '03/04/2026' is ambiguous: day and month order cannot be told "
        "(set date_order: day_first (or month_first) in a mapping file; accepted forms: " + dates.ACCEPTED + ")",
        "inventory_errors.csv row 9, column 'last_verified': 'soon' is not a date or date-time (" + dates.DATE_HINT + ")",
        "inventory_errors.csv row 10, column 'last_verified': '2026-02-30' is not a valid date (" + dates.DATE_HINT + ")",
    ]
    assert result.problem_count == 9 and result.total_rows == 9 and result.kept_rows == 0


@pytest.mark.parametrize(
    ("dataset", "field"),
    [(d.name, f.name) for d in DATASETS.values() for f in d.fields if f.kind == "enum"],
)
def test_every_enumeration_refuses_an_unknown_value(dataset, field) -> None:
    schema = DATASETS[dataset]
    required = {f.name: ("2026-01-01" if f.kind == "date" else "K1") for f in schema.fields if f.required}
    header = ",".join([*required, field])
    result = read(f"{header}\n{','.join(required.values())},nonsense\n", dataset)
    spec = schema.field(field)
    assert [p.message for p in result.problems] == [f"'nonsense' is not one of {', '.join(spec.allowed)}"]
    assert result.problems[0].location == f"f.csv row 2, column '{field}'"


@pytest.mark.parametrize(("dataset", "header", "row"), [
    ("exceptions", "exception_id,opened", "E1,"),
    ("exercises", "exercise_id,date", "X1,   "),
    ("restore_tests", "test_id,date", ",2026-01-01"),
])
def test_required_fields(dataset, header, row) -> None:
    result = read(f"{header}\n{row}\n", dataset)
    assert "is required but blank" in result.problems[0].message


def test_duplicates_only_for_unique_keys() -> None:
    assert read("test_id,date\nT1,2026-01-01\nT1,2026-02-01\n", "restore_tests").ok  # not unique by definition
    repeated = read("exercise_id,date\nX1,2026-01-01\nX1,2026-02-01\n", "exercises")  # an exercise counts once
    assert repeated.problem_count == 2 and repeated.problems[0].message == "duplicate exercise_id 'X1' (also on row 3)"
    result = read("path_id\nP1\nP2\n P1 \nP1\n", "access_paths")
    assert [p.location for p in result.problems] == ["f.csv row 2, column 'path_id'", "f.csv row 4, column 'path_id'", "f.csv row 5, column 'path_id'"]
    assert result.problems[0].message == "duplicate path_id 'P1' (also on row 4, 5)"


def test_keep_valid_returns_only_valid_rows() -> None:
    result = read("asset_id,criticality\nA1,critical\nA2,Hgh\nA3,low\n")
    with pytest.raises(EvidenceError) as err:
        result.accepted()
    assert "nothing imported" in err.value.summary
    assert err.value.problems == result.problems
    kept = result.accepted(keep_valid=True)
    assert list(kept.index) == [2, 4] and list(kept["asset_id"]) == ["A1", "A3"]
    assert result.summary() == "f.csv: 1 problem(s) in 1 of 3 row(s) of asset_inventory; 2 row(s) are valid"


def test_problem_list_is_capped_but_counted(monkeypatch) -> None:
    monkeypatch.setattr(validate, "MAX_PROBLEMS", 5)
    rows = "".join(f"A{i},bad{i % 3},nope\n" for i in range(50))
    result = read("asset_id,criticality,support_status\n" + rows)
    assert result.problem_count == 100 and len(result.problems) == 5
    assert [p.location.split(",")[0] for p in result.problems] == ["f.csv row 2", "f.csv row 2", "f.csv row 3", "f.csv row 3", "f.csv row 4"]
    assert result.listed_problems()[-1].message == "… and 95 more problem(s) not listed"


def test_many_bad_rows_stay_fast_and_bounded() -> None:
    rows = "".join(f"A{i % 1000},Hgh,day {i}\n" for i in range(60_000))
    result = read("asset_id,criticality,last_verified\n" + rows)
    assert len(result.problems) == validate.MAX_PROBLEMS
    assert result.problem_count == 60_000 * 2 + 60_000  # criticality, date and duplicates
    assert result.kept_rows == 0


@pytest.mark.parametrize("ids", [["A1", "A2", "A3", "A2"], ["A1", "A2", "A2", "A3"], ["B", "A", "C", "A"]])
def test_duplicates_found_in_sorted_and_unsorted_files(ids) -> None:
    result = read("asset_id\n" + "\n".join(ids) + "\n")
    assert result.problem_count == 2 and all("duplicate asset_id 'A" in p.message for p in result.problems)


def test_one_key_repeated_on_every_row_stays_fast() -> None:
    result = read("asset_id\n" + "A1\n" * 200_000)
    assert result.problem_count == 200_000 and len(result.problems) == validate.MAX_PROBLEMS
    assert result.problems[0].message == "duplicate asset_id 'A1' (also on row 3, 4, 5, 6, 7 and 199994 more)"
    assert result.problems[1].message == "duplicate asset_id 'A1' (also on row 2, 4, 5, 6, 7 and 199994 more)"
