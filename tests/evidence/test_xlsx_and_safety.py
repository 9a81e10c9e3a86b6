"""XLSX reading (calamine) and the refusal of hostile or mislabelled files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from errors import EvidenceError
from evidence.dataset import read_dataset
from tabular import limits
from tabular.limits import MAX_RATIO
from tests.evidence.conftest import xlsx_bytes


def test_title_rows_excel_dates_and_numeric_ids() -> None:
    data = xlsx_bytes([
        ["Asset register", None, None, None],
        [None, None, None, None],
        ["Asset ID", "Criticality", "Last verified", "Environment"],
        [1001, "Critical", dt.datetime(2026, 3, 5), "OT"],
        ["A-2", "low", 45356, "it"],
        [None, None, None, None],
        ["A-3", "Hgh", "2026-01-01", "OT"],
    ])
    result = read_dataset(data, "asset_inventory", name="inv.xlsx")
    assert result.header_row == 3 and result.sheet == "Sheet1"
    assert list(result.frame["asset_id"]) == ["1001", "A-2"]  # whole-number cells read as integers
    assert list(result.frame["last_verified"].dt.date) == [dt.date(2026, 3, 5), dt.date(2024, 3, 5)]
    assert [str(p) for p in result.problems] == [
        "inv.xlsx row 7, column 'Criticality': 'Hgh' is not one of critical, high, medium, low (did you mean 'high'?)"
    ]


def test_booleans_from_excel_cells() -> None:
    data = xlsx_bytes([["path_id", "mfa", "approved", "monitored"], ["P1", True, 1, "x"], ["P2", False, 0, None]])
    frame = read_dataset(data, "access_paths", name="p.xlsx").frame
    assert list(frame["mfa"]) == [True, False]
    assert list(frame["approved"]) == [True, False]
    assert list(frame["monitored"]) == [True, False]


def test_named_sheet_and_unknown_sheet() -> None:
    data = xlsx_bytes([["notes"]], title="Readme", extra_sheets={"Data": [["asset_id"], ["A1"]]})
    assert read_dataset(data, "asset_inventory", name="i.xlsx", sheet="Data").frame.index.tolist() == [2]
    with pytest.raises(EvidenceError) as err:
        read_dataset(data, "asset_inventory", name="i.xlsx", sheet="Nope")
    assert err.value.problems[0].hint == "sheets: Readme, Data"
    with pytest.raises(EvidenceError, match="no header row"):
        read_dataset(data, "asset_inventory", name="i.xlsx")  # the first sheet has no header


def test_sheet_starting_below_and_right_of_a1() -> None:
    data = xlsx_bytes([[], [], [None, None, "asset_id", "name"], [None, None, "A1", "x"]])
    result = read_dataset(data, "asset_inventory", name="i.xlsx")
    assert result.frame.index.tolist() == [4] and result.frame.loc[4, "name"] == "x"


def test_bytes_without_a_name_are_told_apart_by_content() -> None:
    assert read_dataset(xlsx_bytes([["asset_id"], ["A1"]]), "asset_inventory").ok
    assert read_dataset(b"asset_id\nA1\n", "asset_inventory").ok


def _zip(parts: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_zip_bomb_is_refused_before_decompressing() -> None:
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"<a>" + b" " * (20 * 1024 * 1024) + b"</a>"})
    assert len(bomb) * MAX_RATIO < 20 * 1024 * 1024
    with pytest.raises(EvidenceError) as err:
        read_dataset(bomb, "asset_inventory", name="bomb.xlsx")
    assert "possible zip bomb" in err.value.problems[0].message
    assert "expands" in err.value.problems[0].message


def test_total_uncompressed_size_is_capped(monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_UNCOMPRESSED_BYTES", 10_000)
    with pytest.raises(EvidenceError) as err:
        read_dataset(xlsx_bytes([["asset_id"], *[[f"A{i}"] for i in range(2000)]]), "asset_inventory", name="x.xlsx")
    assert "once decompressed" in err.value.problems[0].message


def test_too_many_parts(monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_ZIP_ENTRIES", 3)
    with pytest.raises(EvidenceError, match="parts in the workbook"):
        read_dataset(xlsx_bytes([["asset_id"], ["A1"]]), "asset_inventory", name="x.xlsx")


def test_entity_bomb_doctype_is_refused() -> None:
    laughs = (b'<?xml version="1.0"?>\n<!-- comment -->\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
              b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n<sst>&lol2;</sst>')
    good = xlsx_bytes([["asset_id"], ["A1"]])
    with zipfile.ZipFile(io.BytesIO(good)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/sharedStrings.xml"] = laughs
    with pytest.raises(EvidenceError) as err:
        read_dataset(_zip(parts), "asset_inventory", name="lol.xlsx")
    assert "DOCTYPE" in err.value.problems[0].message
    assert err.value.problems[0].location == "lol.xlsx: xl/sharedStrings.xml"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not a zip", "not a valid XLSX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "legacy .xls"),
        (_zip({"hello.txt": b"hi"}), "not a readable XLSX"),
    ],
)
def test_not_a_workbook(content, message) -> None:
    with pytest.raises(EvidenceError) as err:
        read_dataset(content, "asset_inventory", name="x.xlsx")
    assert message in str(err.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"asset_id,name\nA1,\x00\x01\x02binary\x00\n", "binary, not text"),
        (b"PK\x03\x04" + b"\x00" * 50, "zip archive"),
        (b"%PDF-1.7\n...", "PDF document"),
        (bytes(range(256)) * 40, "binary"),
    ],
)
def test_binary_content_named_csv(content, message) -> None:
    with pytest.raises(EvidenceError) as err:
        read_dataset(content, "asset_inventory", name="x.csv")
    assert message in str(err.value)


def test_binary_fixture(evidence_data) -> None:
    with pytest.raises(EvidenceError, match="binary"):
        read_dataset(evidence_data / "binary.csv", "asset_inventory")


def test_size_limit_is_configurable(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("SCORECARD_MAX_UPLOAD_MB", "0.001")  # about 1 KB
    path = tmp_path / "big.csv"
    path.write_text("asset_id\n" + "A1\n" * 1000)
    with pytest.raises(EvidenceError) as err:
        read_dataset(path, "asset_inventory")
    assert "over the 0 MB limit" in err.value.problems[0].message or "limit" in err.value.problems[0].message
    assert "SCORECARD_MAX_UPLOAD_MB" in err.value.problems[0].hint
    with pytest.raises(EvidenceError, match="too large"):
        read_dataset(b"asset_id\n" + b"A1\n" * 1000, "asset_inventory", name="up.csv")


def test_excel_text_cells_are_trimmed_and_blank_when_only_spaces() -> None:
    data = xlsx_bytes([["asset_id", "name", "owner"], ["A1", "  Press 1 ", "   "], ["A2", "Robot", None], [" A3", "x\u00a0", "ops"]])
    frame = read_dataset(data, "asset_inventory", name="i.xlsx").frame
    assert list(frame["asset_id"]) == ["A1", "A2", "A3"]
    assert list(frame["name"]) == ["Press 1", "Robot", "x"]
    assert frame["owner"].isna().tolist() == [True, True, False]
