"""Issue 11.5 and 15.5: delimited files that used to read wrong and say "all valid".

Each file goes through the evidence reader and the responses-file reader (the one table reader
underneath both) and must be refused or flagged, naming the row and line (and the byte for an
encoding problem); nothing read wrong is kept.
"""

from __future__ import annotations

import pytest

from errors import EvidenceError, ResponseError
from evidence.dataset import read_dataset
from services.responses_file import read_table
from tests.security import hostile


def _evidence(data: bytes):
    return read_dataset(data, "asset_inventory", name="inventory.csv")


def _responses(tmp_path, data: bytes) -> ResponseError:
    path = tmp_path / "answers.csv"
    path.write_bytes(data.replace(b"asset_id,name,site", b"question_id,environment,current"))
    with pytest.raises(ResponseError) as caught:
        read_table(path)
    return caught.value


def test_an_unterminated_quote_is_named_not_swallowed(tmp_path) -> None:
    result = _evidence(hostile.unterminated_quote(rows=2000))
    assert not result.ok and result.kept_rows == 0
    assert [p.location for p in result.problems] == ["inventory.csv row 2"]
    assert "runs from line 2 to line 2002 and takes in 2000 line(s) that look like rows" in result.problems[0].message
    assert "row 2" in str(_responses(tmp_path, hostile.unterminated_quote(rows=50)))


def test_a_quote_closed_rows_later_is_named_too() -> None:
    rows = "".join(f"A{i},Pump {i},Plant North\n" for i in range(30))
    result = _evidence(('asset_id,name,site\nA-0,"Press 12,Plant North\n' + rows + 'B-1,Valve "DN50",Plant North\n').encode())
    assert [p.location for p in result.problems] == ["inventory.csv row 2"] and result.kept_rows == 0
    assert "line 2 to line 33" in result.problems[0].message


def test_a_quoted_cell_with_line_breaks_is_still_one_valid_row() -> None:
    result = _evidence(b'asset_id,name,site\nA1,"Press 3\nhall B, north side",Plant\nA2,Robot,Plant\n')
    assert result.ok and list(result.frame.index) == [2, 3]
    assert result.frame.loc[2, "name"] == "Press 3\nhall B, north side"


def test_utf8_with_one_windows_1252_byte_after_64_kb_is_refused_naming_line_and_byte(tmp_path) -> None:
    data = hostile.late_cp1252()
    with pytest.raises(EvidenceError) as caught:
        _evidence(data)
    problem = caught.value.problems[0]
    byte = data.index("ä".encode("cp1252"))
    assert problem.location == f"inventory.csv line 4002, byte {byte}"
    assert "not UTF-8, but line 2 is UTF-8 text" in problem.message
    assert "line 4002" in str(_responses(tmp_path, data))


def test_a_file_all_in_windows_1252_is_read_as_such() -> None:
    result = _evidence("asset_id,name,site\nA1,Bäckerei,Köln\n".encode("cp1252"))
    assert result.ok and result.encoding == "cp1252" and result.frame.loc[2, "site"] == "Köln"


def test_a_nul_byte_after_the_first_8_kb_is_refused_naming_line_and_byte(tmp_path) -> None:
    data = hostile.late_nul()
    nul = data.index(bytes(1))
    assert nul > 8192
    with pytest.raises(EvidenceError) as caught:
        _evidence(data)
    assert caught.value.problems[0].location == f"inventory.csv line 2002, byte {nul}"
    assert "NUL byte" in str(_responses(tmp_path, data))


def test_rows_with_fewer_cells_than_the_header_are_errors(tmp_path) -> None:
    first, second = ("".join(f"{p}{i},Pump {i},Plant North\n" for i in range(100)) for p in "AC")
    result = _evidence(("asset_id,name,site\n" + first + "B-1,Plant North\n" + second).encode())
    assert [p.location for p in result.problems] == ["inventory.csv row 102"]
    assert result.problems[0].message == "2 cells but the header has 3"
    assert result.kept_rows == 200 and result.total_rows == 201
    assert "answers.csv row 2: 2 cells but the header has 3" in str(_responses(tmp_path, b"asset_id,name,site\nGOV-01,IT\n"))


def test_a_short_row_in_a_quoted_file_is_an_error_too() -> None:
    result = _evidence(b'"asset_id","name","site"\n"A1","x","y"\n"A2","z"\n')
    assert [p.location for p in result.problems] == ["inventory.csv row 3"]


def test_trailing_delimiters_and_blank_lines_are_harmless() -> None:
    result = _evidence(b"asset_id,name,site\nA1,x,y,\n\nA2,z,w\n  \n")
    assert result.ok and list(result.frame.index) == [2, 4]
