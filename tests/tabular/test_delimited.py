"""Delimited files through the one reader: the fast and exact paths agree, encodings, limits."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from errors import TableError
from tabular import delimited, limits
from tabular.reader import open_table, read_table
from tabular.records import read_records
from tabular.table import HeaderRule


def _cells(table) -> list[tuple[int, list]]:
    """Records with every cell as text ('' for empty), whatever path or type produced it."""
    def text(cell):
        if cell is None or (isinstance(cell, float) and np.isnan(cell)):
            return ""
        return str(cell)
    return [(n, [text(c) for c in cells]) for n, cells in table.records()]


def _both_paths(data: bytes):
    opened = open_table(data, "t.csv")
    header = opened.header(HeaderRule())
    fast = opened._fast(header, list(range(len(header.cells))), set(range(len(header.cells))))
    exact = read_records(opened.source, opened.label, opened.scan, header, list(range(len(header.cells))))
    return fast, exact


ROWS = st.lists(st.lists(st.sampled_from(["", "a", "007", "1.5", "x y", "Zürich", '"q"', "a,b", "l1\nl2"]),
                         min_size=3, max_size=3), max_size=8)


@settings(max_examples=80, deadline=None)
@given(ROWS, st.booleans())
def test_the_fast_path_either_agrees_with_the_exact_one_or_steps_aside(rows, blank_line) -> None:
    records = [",".join(f'"{c.replace(chr(34), chr(34) * 2)}"' if any(x in c for x in ',"\n') else c for c in row)
               for row in rows]
    if blank_line:
        records.insert(min(1, len(records)), "")
    fast, exact = _both_paths(("id,name,site\n" + "\n".join(records) + "\n").encode())
    if fast is not None:
        assert _cells(fast) == _cells(exact) and fast.problem_count == 0
    filled = [n for n, record in enumerate(records, start=2) if record.replace(",", "").replace('"', "").strip()]
    assert [n for n, _ in _cells(exact)] == filled


def test_rows_are_numbered_as_the_file_shows_them() -> None:
    table = read_table(b"Inventory export\n\nid;name\nA1;x\n\nA2;y\n", "t.csv", HeaderRule(score=lambda c: int("id" in c)))
    assert table.delimiter == ";" and table.header.row == 3 and list(table.rows) == [4, 6]


def test_text_stays_text_by_default() -> None:
    table = read_table(b"id,n\n007,1.50\n0100,2\n", "t.csv")
    assert _cells(table) == [(2, ["007", "1.50"]), (3, ["0100", "2"])]


def test_short_long_and_swallowing_rows_are_listed_with_their_rows() -> None:
    data = b'id,name,site\nA1,x\nA2,y,z,extra\nA3,"open,z\nA4,w,v\nA5,u,t\n'
    table = read_table(data, "t.csv", HeaderRule(score=lambda cells: int("id" in cells)))
    assert table.problem_rows == [2, 3, 4] and list(table.rows) == []
    assert [p.message.split(" (")[0] for p in table.problems[:2]] == ["2 cells but the header has 3", "4 cells but the header has 3"]
    assert "line 4 to line 6" in table.problems[2].message


def test_problems_are_listed_up_to_the_limit_and_counted_all(monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_ROW_PROBLEMS", 5)
    table = read_table(b"id,name\n" + b"x\n" * 50, "t.csv")
    assert len(table.problems) == 5 and table.problem_count == 50


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_byte_order_marks(encoding) -> None:
    table = read_table("id\tname\r\nA1\tÖlpumpe\r\n".encode(encoding), "t.csv")
    assert _cells(table) == [(2, ["A1", "Ölpumpe"])] and table.encoding == "utf-8"


def test_a_declared_encoding_is_used_and_its_errors_are_named() -> None:
    mac = "id,name\nA1,Kühler\n".encode("mac_roman")
    assert _cells(read_table(mac, "t.csv", encoding="mac_roman"))[0][1][1] == "Kühler"
    with pytest.raises(TableError) as caught:
        read_table(b"id,name\nA1,x\nA2,\xff\n", "t.csv", encoding="utf-8")
    assert caught.value.problems[0].location == "t.csv line 3, byte 16"


def test_a_byte_no_encoding_reads_as_text_is_named() -> None:
    with pytest.raises(TableError) as caught:
        read_table(b"id,name\nA1,\x81\xad\xb0\n", "t.csv")  # Windows-1252 leaves 0x81 undefined; Mac Roman: "Å≠∞"
    assert caught.value.problems[0].location == "t.csv line 2, byte 11"
    assert "neither Windows-1252 nor Mac Roman reads the file as text" in caught.value.problems[0].message
    assert "encoding: cp1252, or mac_roman" in caught.value.problems[0].hint


def test_too_many_columns(monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_COLUMNS", 3)
    with pytest.raises(TableError, match="too many columns"):
        read_table(b"a,b,c,d\n1,2,3,4\n", "t.csv")


def test_many_short_lines_take_the_exact_path(monkeypatch) -> None:
    calls = []
    monkeypatch.setattr(delimited.DelimitedFile, "_pandas", lambda *a: calls.append(a))
    table = read_table(b"id,name\n" + b"\n" * 3_000_000 + b"A1,x\n", "t.csv")
    assert calls == [] and list(table.rows) == [3_000_002]
    assert isinstance(table.columns[0], pa.ChunkedArray)


def test_large_files_are_parsed_from_disk(tmp_path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"id,name\n" + b"".join(b"A%07d,pump\n" % i for i in range(700_000)))
    opened = open_table(path)
    assert opened.source == path  # not read into memory
    table = opened.read(opened.header(HeaderRule()))
    assert len(table) == 700_000 and table.rows[-1] == 700_001


def test_a_character_cut_by_the_sample_end_is_not_an_error() -> None:
    prefix = b"id,name\n" + b"A,x\n" * 1000
    prefix += b"B," + b"y" * (limits.SAMPLE_BYTES - 3 - len(prefix) - 3) + b"\n"
    data = prefix + "C,é\n".encode()
    assert data[limits.SAMPLE_BYTES - 1] == 0xC3  # the sample ends inside 'é'
    table = read_table(data, "t.csv")
    assert table.encoding == "utf-8" and _cells(table)[-1][1] == ["C", "é"]


@pytest.mark.parametrize("data", [b"id,name,site\nA1,x,y\nA2,,z\nA3,w,\n", b"id,name,site\nA1,x,y\n\n,,\nA2,z,w\n"])
def test_plain_files_take_the_fast_path(data) -> None:
    fast, exact = _both_paths(data)
    assert fast is not None and _cells(fast) == _cells(exact)
