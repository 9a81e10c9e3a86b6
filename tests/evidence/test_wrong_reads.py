"""Never "valid" when it is wrong: the header row is never a data row, a loose header match is an
assumption shown to the user, repeated ids are not counted twice, backup jobs are not restore
tests."""

from __future__ import annotations

import pytest

from errors import EvidenceError
from evidence.dataset import read_dataset
from evidence.headers import HeaderError


def read(text: str, dataset: str = "asset_inventory", **kw):
    return read_dataset(text.encode(), dataset, name="f.csv", **kw)


def test_the_header_is_the_row_naming_the_most_fields_and_the_report_says_which() -> None:
    result = read("Inventory of Plant North,,\nexported 2026-03-01,,\nAsset ID,Name,Criticality\nA1,PLC,high\n")
    assert result.header_row == 3 and result.notes()[0] == "header: row 3 (rows 1–2 above it skipped)"


def test_a_data_row_with_one_known_word_is_never_taken_for_the_header() -> None:
    # Neither row names two fields: the one matching cell ("Plant") may as well be a value.
    with pytest.raises(HeaderError) as refused:
        read("Tag Nummer,Standort\nPlant,Nord\n")
    assert "names only one field (site), which may as well be a value" in refused.value.problems[0].message


def test_two_rows_naming_as_many_fields_are_ambiguous() -> None:
    with pytest.raises(HeaderError) as refused:
        read("Asset ID,Name,Site\nA1,PLC,North\nAsset ID,Name,Site\nA2,HMI,South\n")
    assert refused.value.problems[0].message.startswith("rows 1 and 3 both name 3 fields")
    assert "header_row" in refused.value.problems[0].hint


def test_precise_names_beat_loose_ones_when_choosing_the_header() -> None:
    # Row 1 names two fields only loosely (Type, Area); row 2 names two precisely.
    result = read("Type,Area,x\nAsset ID,Device Name,Notes\nA1,PLC 1,ok\n")
    assert result.header_row == 2


@pytest.mark.parametrize(
    ("header", "field", "dataset"),
    [("Impact", "business_impact", "exceptions"), ("BackupType", "item_type", "restore_tests"),
     ("Type", "asset_type", "asset_inventory"), ("Domain", "environment", "asset_inventory")],
)
def test_a_loose_synonym_is_an_assumption_the_user_sees(header, field, dataset) -> None:
    heads = {"exceptions": "Exception ID,Opened", "restore_tests": "Test ID,Date", "asset_inventory": "Asset ID,Name"}[dataset]
    row = {"exceptions": "E1,2026-01-01", "restore_tests": "T1,2026-01-01", "asset_inventory": "A1,x"}[dataset]
    value = {"item_type": "config", "environment": "OT"}.get(field, "something")
    result = read(f"{heads},{header}\n{row},{value}\n", dataset)
    assert result.assumed == {field: header}
    assert any(n.startswith(f"assumed: column '{header}' is {field}") and f'"{header}": ~' in n for n in result.notes())
    assert result.report()["assumed"] == {field: header}


def test_undoing_an_assumption_is_mapping_the_header_to_nothing() -> None:
    from evidence.mapping import parse_mapping
    from evidence.schemas import get_schema

    undo = parse_mapping(b'columns: {"Domain": ~}\n', get_schema("asset_inventory"), "m.yaml")
    result = read_dataset(b"Asset ID,Name,Domain\nA1,x,PLANTNET\n", "asset_inventory", undo, name="f.csv")
    assert result.ok and result.assumed == {} and result.frame["environment"].isna().all()


def test_precise_synonyms_are_not_assumptions() -> None:
    assert read("Asset Tag,Device Name,Business Criticality\nA1,x,high\n").assumed == {}


def test_backup_jobs_are_refused_as_restore_tests() -> None:
    text = "Test ID,Date,Job Type,Result\nT1,2026-01-01,Backup,Success\nT2,2026-01-02,Backup Copy,Success\n"
    with pytest.raises(EvidenceError) as refused:
        read(text, "restore_tests")
    problem = refused.value.problems[0]
    assert problem.location == "f.csv row 2, column 'Job Type'"
    assert problem.message.startswith("'Backup': every row is a backup job, not restores")


def test_a_mixed_job_file_is_refused_until_a_where_keeps_the_restores() -> None:
    from evidence.mapping import parse_mapping
    from evidence.schemas import get_schema

    text = "Test ID,Date,Job Type,Result\nT1,2026-01-01,Restore,Success\nT2,2026-01-02,Incremental,Success\n"
    with pytest.raises(EvidenceError, match="records backup jobs"):
        read(text, "restore_tests")
    keep = parse_mapping(b'where: {"Job Type": [Restore]}\n', get_schema("restore_tests"), "m.yaml")
    assert read_dataset(text.encode(), "restore_tests", keep, name="f.csv").kept_rows == 1


def test_a_backup_type_column_matched_loosely_is_checked_too() -> None:
    with pytest.raises(EvidenceError, match="backup job, not restores"):
        read("Test ID,Date,BackupType,Result\nT1,2026-01-01,Full,Success\nT2,2026-01-08,Incremental,Success\n", "restore_tests")


def test_a_shifted_zeek_log_is_refused_not_read_shifted() -> None:
    log = ("#separator \\x09\n#fields\tts\tserial_number\tproduct_name\n#types\ttime\tstring\tstring\n"
           "1772438400.0\t0x1\tPLC A\n1772438400.0\t0x2\n")
    result = read_dataset(log.encode(), "asset_inventory", name="cip.log",
                          mapping=__import__("evidence.mapping", fromlist=["x"]).parse_mapping(
                              b"columns: {serial_number: asset_id, product_name: model}\n",
                              __import__("evidence.schemas", fromlist=["x"]).get_schema("asset_inventory"), "m.yaml"))
    assert result.kept_rows == 1 and str(result.problems[0]) == (
        "cip.log row 5: 2 cells but #fields names 3 (every line of a Zeek log has one value per field (- when unset))")
    assert "time" not in result.frame["asset_id"].tolist()  # the #types line is not an asset
