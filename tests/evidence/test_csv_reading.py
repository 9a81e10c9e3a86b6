"""Reading real-world CSV files: encodings, delimiters, title rows, messy headers, row numbers."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from errors import EvidenceError
from evidence.dataset import read_dataset


def read(text: str | bytes, dataset: str = "asset_inventory", name: str = "f.csv", **kw):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_dataset(data, dataset, name=name, **kw)


def test_messy_file_with_bom_semicolons_title_rows_and_synonyms(evidence_data) -> None:
    result = read_dataset(evidence_data / "inventory_messy.csv", "asset_inventory")
    assert result.ok and result.total_rows == 4 and result.kept_rows == 4
    assert result.header_row == 4 and result.delimiter == ";" and result.encoding == "utf-8"
    assert result.columns["owner"] == "Asset Owner"
    assert result.columns["recovery_requirement"] == "RTO"
    assert result.columns["dependencies"] == "Depends on"
    frame = result.frame
    assert list(frame.index) == [5, 6, 7, 9]  # the all-blank row 8 is skipped, numbering kept
    assert frame.loc[7, "name"] == "Historian"  # surrounding spaces removed
    assert pd.isna(frame.loc[7, "owner"])  # a value of only spaces is blank
    assert list(frame["criticality"]) == ["critical", "critical", "high", "critical"]
    assert list(frame["environment"]) == ["OT", "OT", "IT", "IT"]
    assert list(frame["support_status"]) == ["unsupported", "supported", "extended", "supported"]
    assert list(frame["last_verified"].dt.date) == [dt.date(2026, 10, 1), dt.date(2025, 10, 1), dt.date(2026, 9, 15), dt.date(2026, 3, 15)]


def test_canonical_columns_and_types(evidence_data) -> None:
    frame = read_dataset(evidence_data / "inventory_messy.csv", "asset_inventory").frame
    assert list(frame.columns)[:4] == ["asset_id", "name", "site", "environment"]
    assert isinstance(frame["criticality"].dtype, pd.CategoricalDtype)
    assert list(frame["criticality"].cat.categories) == ["critical", "high", "medium", "low"]
    assert frame["last_verified"].dtype == np.dtype("datetime64[s]")
    assert isinstance(frame["owner"].dtype, pd.StringDtype)
    assert frame["zone"].isna().all()  # absent from the file: all blank
    assert frame.index.name == "row"
    paths = read_dataset(evidence_data / "access_paths.csv", "access_paths").frame
    assert paths["mfa"].dtype == np.dtype(bool)
    exercises = read_dataset(evidence_data / "exercises.csv", "exercises").frame
    assert exercises["detect_minutes"].dtype == np.dtype(float)
    assert np.isnan(exercises.loc[3, "escalate_minutes"])


def test_windows_1252(evidence_data) -> None:
    result = read_dataset(evidence_data / "inventory_cp1252.csv", "asset_inventory")
    assert result.encoding == "cp1252" and result.delimiter == "\t"
    assert list(result.frame["site"]) == ["Zürich", "Zürich"]
    assert result.frame.loc[2, "owner"] == "Müller – OT"


def test_utf8_error_late_in_a_large_file_falls_back_to_cp1252() -> None:
    head = "asset_id,name\n" + "".join(f"A{i},plain\n" for i in range(20000))
    data = head.encode() + "Z,Bäckerei\n".encode("cp1252")
    result = read(data)
    assert result.ok and result.frame["name"].iloc[-1] == "Bäckerei"


def test_utf16_with_bom() -> None:
    result = read("asset_id\tname\r\nA1\tÖlpumpe\r\n".encode("utf-16"))
    assert result.frame.loc[2, "name"] == "Ölpumpe"


def test_quoted_cells_with_delimiters_and_line_breaks() -> None:
    result = read('asset_id,name,dependencies\nA1,"Pump, north","line 1\nline 2"\nA2,x,y\n')
    assert result.frame.loc[2, "name"] == "Pump, north"
    assert result.frame.loc[2, "dependencies"] == "line 1\nline 2"
    assert list(result.frame.index) == [2, 3]  # a record with a line break is still one row


def test_blank_lines_keep_row_numbers() -> None:
    result = read("asset_id,criticality\nA1,critical\n\n\nA2,Hgh\n")
    assert result.problems[0].location == "f.csv row 5, column 'criticality'"


def test_ragged_rows_are_named_exactly() -> None:
    result = read("asset_id,name,site\nA1,x\nA2,y,z,extra\nA3,w,v,\nA4,u,t\n")
    assert result.kept_rows == 2 and result.total_rows == 4  # a trailing empty cell is harmless
    assert [p.location for p in result.problems] == ["f.csv row 2", "f.csv row 3"]
    assert "2 cells but the header has 3" in result.problems[0].message  # short: values may have shifted
    assert "4 cells but the header has 3" in result.problems[1].message
    assert list(result.frame.index) == [4, 5]


def test_header_matching_ignores_case_spaces_and_punctuation() -> None:
    result = read("ASSET_ID,device-name,Asset Owner,Recovery Time Objective,crit\nA1,n,o,4h,low\n")
    assert result.columns == {"asset_id": "ASSET_ID", "name": "device-name", "owner": "Asset Owner",
                              "recovery_requirement": "Recovery Time Objective", "criticality": "crit"}


def test_unknown_columns_are_ignored_and_listed() -> None:
    result = read("asset_id,name,Colour,Weight\nA1,PLC 1,red,3\n")
    assert result.ignored_columns == ("Colour", "Weight")
    assert "owner" in result.absent_fields


def test_missing_required_column() -> None:
    with pytest.raises(EvidenceError) as err:
        read("name,owner\nx,y\n")
    problem = err.value.problems[0]
    assert problem.message == "required column asset_id not found"
    assert "headers found: name, owner" in problem.hint


def test_two_columns_meaning_the_same_field() -> None:
    with pytest.raises(EvidenceError) as err:
        read("asset_id,owner,Asset Owner\nA1,x,y\n")
    assert err.value.problems[0].message == "both 'owner' and 'Asset Owner' mean owner"


def test_no_header_row() -> None:
    with pytest.raises(EvidenceError) as err:
        read("a,b,c\n1,2,3\n")
    assert "none of the first 30 rows names a field of asset_inventory" in err.value.problems[0].message


@pytest.mark.parametrize("text", ["", "\n\n", "\ufeff"])
def test_empty_file(text) -> None:
    with pytest.raises(EvidenceError):
        read(text)


def test_header_only_file_is_valid_and_empty() -> None:
    result = read("asset_id,name\n")
    assert result.ok and result.total_rows == 0 and len(result.frame) == 0


def test_not_utf8_nor_cp1252() -> None:
    with pytest.raises(EvidenceError) as err:
        read(b"asset_id,name\nA1,\x81\xad\xb0\n")
    assert "is not UTF-8, and neither Windows-1252 nor Mac Roman" in err.value.problems[0].message


def test_unsupported_suffix_and_sheet_for_csv() -> None:
    with pytest.raises(EvidenceError, match="unsupported file type"):
        read("asset_id\nA1\n", name="f.json")
    with pytest.raises(EvidenceError, match="legacy .xls"):
        read("asset_id\nA1\n", name="f.xls")
    with pytest.raises(EvidenceError, match="sheet was named"):
        read("asset_id\nA1\n", sheet="Data")


def test_missing_file(tmp_path) -> None:
    with pytest.raises(EvidenceError, match="cannot read"):
        read_dataset(tmp_path / "nope.csv", "asset_inventory")


def test_unknown_dataset() -> None:
    with pytest.raises(EvidenceError) as err:
        read("asset_id\nA1\n", dataset="assets")
    assert "known datasets: asset_inventory" in err.value.problems[0].message


def test_large_file_is_memory_mapped(tmp_path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("asset_id,criticality,name\n" + "".join(f"A{i:07d},low,pump on the north line\n" for i in range(300_000)))
    assert path.stat().st_size > 8 * 1024 * 1024  # over dataset.MAP_BYTES
    result = read_dataset(path, "asset_inventory")
    assert result.ok and result.total_rows == 300_000
    assert result.frame.index[-1] == 300_001


def test_identifiers_keep_leading_zeros() -> None:
    assert list(read("asset_id,name\n007,x\n0100,y\n").frame["asset_id"]) == ["007", "0100"]
    # letters in the sampled start, digits only in a later chunk of the parser
    rows = "".join(f"A{i},x\n" for i in range(5000)) + "".join(f"{i:06d},y\n" for i in range(300_000))
    frame = read("asset_id,name\n" + rows).frame
    assert frame["asset_id"].iloc[-1] == "299999".zfill(6) and frame["asset_id"].iloc[0] == "A0"


def test_na_like_words_are_values_not_blanks() -> None:
    frame = read("asset_id,site,owner\nA1,NA,None\n").frame
    assert frame.loc[2, "site"] == "NA" and frame.loc[2, "owner"] == "None"


@pytest.mark.parametrize(("cell", "expected"), [("plain", "plain"), ("\tlead", "lead"), ("trail ", "trail"),
                                                ("nbsp\u00a0", "nbsp"), ("\u00a0", None), ('" "', None), ("Zürich", "Zürich")])
def test_text_trimming(cell, expected) -> None:
    rows = "".join(f"A{i},ok\n" for i in range(50))
    frame = read(f"asset_id,name\n{rows}Z,{cell}\n").frame
    value = frame["name"].iloc[-1]
    assert (value if isinstance(value, str) else None) == expected
    assert (frame["name"].iloc[:-1] == "ok").all()


def test_every_row_with_an_extra_cell_is_an_error_not_a_shift() -> None:
    result = read("asset_id,name\nA1,x,extra\nA2,y,more\n")
    assert [p.location for p in result.problems] == ["f.csv row 2", "f.csv row 3"]
    assert read("asset_id,name\nA1,x,\nA2,y,\n").frame["name"].tolist() == ["x", "y"]  # trailing delimiters
