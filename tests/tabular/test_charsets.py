"""Single-byte encodings: declared ones are used; otherwise Windows-1252 (Latin-1 text) and Mac
Roman are told apart by how their accented letters stand, and a file that reads either way — or
a UTF-8 file with one stray byte — is refused with its line and byte, never decoded into
mojibake."""

from __future__ import annotations

import pytest

from errors import TableError
from tabular.charsets import choose
from tabular.reader import read_table

GERMAN = "Asset ID;Name;Standort;Verantwortlicher\nA-1;Kühlung Presse;Werk München;Jürgen Groß\nA-2;Ölpumpe;Düsseldorf;Müller\n"
FRENCH = "ID,Nom,Site\nA-1,Contrôleur presse,Usine Sèvres\nA-2,Système de refroidissement,Évry\n"


def _cells(table):
    return [cells for _, cells in table.records()]


@pytest.mark.parametrize("text", [GERMAN, FRENCH])
@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "mac_roman"])
def test_a_file_wholly_in_one_single_byte_encoding_is_detected(text, encoding) -> None:
    table = read_table(text.encode(encoding), "export.csv")
    expected = "mac_roman" if encoding == "mac_roman" else "cp1252"  # Latin-1 text reads the same as Windows-1252
    assert table.encoding == expected
    assert _cells(table) == _cells(read_table(text.encode("utf-8"), "export.csv"))


@pytest.mark.parametrize("encoding", ["mac_roman", "latin-1", "cp1252"])
def test_a_declared_encoding_is_used(encoding) -> None:
    table = read_table("id,name\nA1,Kühler\n".encode(encoding), "t.csv", encoding=encoding)
    assert _cells(table) == [["A1", "Kühler"]]


def test_undecidable_text_is_refused_with_line_and_byte_and_both_readings() -> None:
    data = "id,temp\nA1,25 °C\nA2,1,5 µm\n".encode("mac_roman")
    with pytest.raises(TableError) as refused:
        read_table(data, "t.csv")
    problem = refused.value.problems[0]
    assert problem.location == "t.csv line 2, byte 14"
    assert "reads as Windows-1252 and as Mac Roman alike ('¡' (cp1252) or '°' (mac_roman))" in problem.message
    assert "encoding: cp1252, or mac_roman" in problem.hint


def test_a_utf8_file_with_one_stray_windows_byte_is_refused_not_re_decoded() -> None:
    data = "id,name\nA1,München\n".encode() + b"A2,K\xfchler\n"
    with pytest.raises(TableError) as refused:
        read_table(data, "t.csv")
    assert "the file mixes two encodings" in refused.value.problems[0].message


def test_the_choice_weighs_letters_in_words() -> None:
    lines = ["Werk München".encode("mac_roman")]
    verdict = choose(lines)
    assert verdict.encoding == "mac_roman" and verdict.scores["cp1252"] < 0  # 'MŸnchen' is not German
