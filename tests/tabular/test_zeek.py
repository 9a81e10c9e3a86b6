"""Zeek logs (ICSNPP's included) are read as such: directives, unset and empty values, typed
times, shifted lines refused, JSON logs."""

from __future__ import annotations

import json

import pytest

from errors import TableError
from tabular.reader import open_table, read_table

HEAD = ("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tcip_identity\n"
        "#open\t2026-03-02-08-00-00\n#fields\tts\tuid\tvendor_name\tproduct_name\tserial_number\tis_orig\tduration\n"
        "#types\ttime\tstring\tstring\tstring\tstring\tbool\tinterval\n")


def _rows(table):
    return list(table.records())


def test_directives_types_and_blanks() -> None:
    log = HEAD + "1772438400.123456\tCabc\tRockwell Automation/Allen-Bradley\t1756-L83E/B\t0x60a1b2c3\tF\t1.5\n" \
                 "1772438500.000000\tCdef\t-\t(empty)\t0x00aa\tT\t-\n#close\t2026-03-02-09-00-00\n"
    table = read_table(log.encode(), "cip_identity.log")
    assert table.header.row == 7 and table.header.cells[:2] == ["ts", "uid"]
    assert _rows(table) == [
        (9, ["2026-03-02T08:00:00.123456Z", "Cabc", "Rockwell Automation/Allen-Bradley", "1756-L83E/B", "0x60a1b2c3", "false", "1.5 s"]),
        (10, ["2026-03-02T08:01:40.000000Z", "Cdef", None, None, "0x00aa", "true", None]),
    ]
    assert open_table(log.encode(), "cip_identity.log").file_format == "Zeek log cip_identity"


def test_a_line_with_too_few_or_too_many_cells_is_refused_with_its_row() -> None:
    log = HEAD + "1772438400.0\tCabc\tX\tY\t0x1\tF\t1\n1772438400.0\tCabc\tX\n1772438400.0\tCabc\tX\tY\t0x1\tF\t1\textra\n"
    table = read_table(log.encode(), "cip_identity.log")
    assert [r for r, _ in _rows(table)] == [9]
    assert [str(p) for p in table.problems] == [
        "cip_identity.log row 10: 3 cells but #fields names 7 (every line of a Zeek log has one value per field (- when unset))",
        "cip_identity.log row 11: 8 cells but #fields names 7 (every line of a Zeek log has one value per field (- when unset))"]


def test_escapes_are_decoded_and_concatenated_logs_with_the_same_fields_are_read() -> None:
    log = HEAD + "1772438400.0\tC1\tACME\\x09Corp\tP\t0x1\tF\t1\n#close\t2026-03-02-09-00-00\n" + HEAD + \
        "1772438401.0\tC2\tB\tQ\t0x2\tT\t2\n"
    table = read_table(log.encode(), "conn.log")
    assert [cells[2] for _, cells in _rows(table)] == ["ACME\tCorp", "B"]


def test_logs_with_different_fields_in_one_file_are_refused() -> None:
    other = HEAD.replace("\tduration\n", "\tbytes\n")
    with pytest.raises(TableError, match="different fields"):
        read_table((HEAD + "1.0\tC\tA\tB\tS\tF\t1\n" + other + "1.0\tC\tA\tB\tS\tF\t1\n").encode(), "x.log")


def test_json_logs() -> None:
    lines = [{"ts": 1772438400.5, "uid": "C1", "vendor_name": "Siemens", "is_orig": False, "names": ["a", "b"]},
             {"ts": 1772438401, "uid": "C2", "product_name": "S7-1500"}]
    data = ("\n".join(json.dumps(x) for x in lines) + "\nnot json\n").encode()
    table = read_table(data, "cip_identity.log")
    assert table.header.cells == ["ts", "uid", "vendor_name", "is_orig", "names", "product_name"]
    assert _rows(table) == [(1, ["2026-03-02T08:00:00.500000Z", "C1", "Siemens", "false", "a,b", None]),
                            (2, ["2026-03-02T08:00:01.000000Z", "C2", None, None, None, "S7-1500"])]
    assert str(table.problems[0]) == "cip_identity.log row 3: not a JSON object (each line holds one {...} record)"


def test_a_log_suffix_without_zeek_directives_is_read_as_delimited_text() -> None:
    table = read_table(b"asset_id,name\nA1,PLC\n", "export.log")
    assert _rows(table) == [(2, ["A1", "PLC"])]
