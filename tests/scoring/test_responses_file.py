"""The responses file reader (services/responses_file.py): real CSV and XLSX files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from errors import ResponseError
from scoring.model import Scope
from services.responses_file import read_responses
from tests.scoring.conftest import DATA

HEADER = "question_id,environment,current,target,notes"


def _write(tmp_path: Path, text: str, name: str = "responses.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _read(path: Path, questionnaire, scope: Scope = Scope.IT_OT):
    return read_responses(path, questionnaire, scope)


def _problems(path: Path, questionnaire, scope: Scope = Scope.IT_OT) -> list[str]:
    with pytest.raises(ResponseError) as err:
        _read(path, questionnaire, scope)
    return err.value.lines()


def _message(path: Path, questionnaire) -> str:
    with pytest.raises(ResponseError) as err:
        _read(path, questionnaire)
    return str(err.value)


def test_the_worked_example_file(questionnaire):
    responses = _read(DATA / "worked-example.csv", questionnaire)
    got = [(r.question_id, r.environment, r.current, r.na, r.target) for r in responses]
    assert got == [
        ("GOV-01", "IT", 4, False, None),
        ("GOV-01", "OT", 3, False, None),
        ("GOV-02", "IT", 3, False, None),
        ("GOV-02", "OT", None, True, None),
        ("ACC-01", "IT", 4, False, 5),
        ("ACC-01", "OT", 2, False, None),
        ("ACC-02", "OT", None, False, None),
    ]
    assert responses[3].na_reason.startswith("Risk objectives are set centrally")
    assert responses[0].notes == "Register reviewed quarterly"


def test_every_problem_is_reported_with_its_row_and_column(questionnaire):
    lines = _problems(DATA / "bad-responses.csv", questionnaire, Scope.IT_OT)
    assert lines == [
        "bad-responses.csv row 3, column 'question_id': unknown question 'NOPE-01' in questionnaire 'mini'",
        "bad-responses.csv row 4, column 'current': '7' is not a maturity level (use 0–5, N/A or blank)",
        "bad-responses.csv row 5, column 'environment': question 'ACC-02' does not apply to IT (applies to OT)",
        "bad-responses.csv row 6, column 'environment': 'Plant' is not an environment (use IT or OT)",
        "bad-responses.csv row 7: duplicate of row 2 (GOV-01, IT) (keep one row per question and environment)",
        "bad-responses.csv row 8, column 'target': 'high' is not a maturity level (use 0–5 or blank)",
        "bad-responses.csv row 9, column 'na_reason': N/A needs a reason (say why the practice does not apply here)",
        "bad-responses.csv row 10, column 'question_id': blank (name a question of the questionnaire)",
    ]


def test_environment_outside_the_scope(tmp_path, questionnaire):
    path = _write(tmp_path, f"{HEADER}\nGOV-01,IT,3,,\nGOV-01,OT,3,,\n")
    assert _problems(path, questionnaire, Scope.IT) == [
        "responses.csv row 3, column 'environment': environment 'OT' is not in the assessment's scope IT"
    ]


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("question_id;environment;current;target;notes\nGOV-01;it;3;4;ok\n", "utf-8", ("GOV-01", "IT", 3, 4, "ok")),
        (f"\ufeff{HEADER}\nGOV-01,IT,3.0,,\n", "utf-8", ("GOV-01", "IT", 3, None, "")),
        ("question_id\tenvironment\tcurrent\nGOV-01\tOT\t0\n", "utf-8", ("GOV-01", "OT", 0, None, "")),
        (f"{HEADER}\nGOV-01,IT,2,,Gerät geprüft – ok\n", "cp1252", ("GOV-01", "IT", 2, None, "Gerät geprüft – ok")),
        ("Question ID,Environment,Current,Target,Notes,Question text\nGOV-01, IT , 5 ,5,,How complete…\n", "utf-8", ("GOV-01", "IT", 5, 5, "")),
        (f"Plant A self-assessment,,,,\n\n{HEADER}\nGOV-01,IT,1,,\n", "utf-8", ("GOV-01", "IT", 1, None, "")),
    ],
    ids=["semicolon", "bom", "tab-and-optional-columns-absent", "cp1252", "loose-headers-extra-column", "title-row"],
)
def test_csv_variants(tmp_path, questionnaire, text, encoding, expected):
    [r] = _read(_write(tmp_path, text, encoding=encoding), questionnaire)
    assert (r.question_id, r.environment, r.current, r.target, r.notes) == expected


@pytest.mark.parametrize("word", ["NA", "n/a", "N/A", "Not applicable", " not  APPLICABLE "])
def test_na_spellings_and_reasons(tmp_path, questionnaire, word):
    path = _write(tmp_path, f"{HEADER},na_reason\nGOV-02,OT,{word},,a note,no plant risk board\n")
    [first] = _read(path, questionnaire)
    assert (first.na, first.current, first.na_reason, first.notes) == (True, None, "no plant risk board", "a note")


@pytest.mark.parametrize("header", [f"{HEADER},na_reason", HEADER])
def test_notes_are_not_an_na_reason(tmp_path, questionnaire, header):
    extra = "," if header.endswith("na_reason") else ""
    path = _write(tmp_path, f"{header}\nGOV-02,IT,NA,,reason in notes{extra}\n")
    assert _problems(path, questionnaire) == [
        "responses.csv row 2, column 'na_reason': N/A needs a reason (say why the practice does not apply here)"
    ]


def test_na_reason_without_na_is_an_error(tmp_path, questionnaire):
    path = _write(tmp_path, f"{HEADER},na_reason\nGOV-02,OT,2,,,why\n")
    assert _problems(path, questionnaire) == [
        "responses.csv row 2, column 'na_reason': a reason is given but the answer is level 2, not N/A "
        "(set current to N/A or clear the reason)"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("question_id,current\nGOV-01,3\n", "missing column(s) environment"),
        ("", "the file is empty"),
        ("\n\n", "the file is empty"),
        ("question_id,environment,current,current\n", "column 'current' appears twice"),
    ],
)
def test_unusable_headers(tmp_path, questionnaire, text, message):
    assert message in _message(_write(tmp_path, text), questionnaire)


def test_xlsx_with_numbers_blank_rows_and_row_numbers_as_excel_shows_them(tmp_path, questionnaire):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Question ID", "Environment", "Current", "Target", "Notes", "NA reason"])
    sheet.append(["GOV-01", "IT", 4, 5.0, "good", None])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["GOV-01", "OT", 9, None, None, None])  # Excel row 4
    sheet.append(["ACC-01", "OT", "NA", None, None, "OEM manages it"])
    path = tmp_path / "responses.xlsx"
    book.save(path)
    assert _problems(path, questionnaire) == [
        "responses.xlsx row 4, column 'current': '9' is not a maturity level (use 0–5, N/A or blank)"
    ]
    sheet.delete_rows(4)
    book.save(path)
    first, second = _read(path, questionnaire)
    assert (first.current, first.target, first.notes) == (4, 5, "good")
    assert (second.na, second.na_reason) == (True, "OEM manages it")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("responses.csv", b"\x00\x01\x02binary", "responses.csv is not a CSV file"),
        ("responses.csv", b"PK\x03\x04workbook", "the content is a zip archive"),
        ("responses.xlsx", b"this is not a zip", "responses.xlsx is not an Excel workbook"),
        ("responses.pdf", b"%PDF-1.4", "unsupported file type '.pdf'"),
    ],
)
def test_files_that_are_not_tables_are_refused(tmp_path, questionnaire, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    assert message in _message(path, questionnaire)


def test_missing_and_oversized_files(tmp_path, questionnaire, monkeypatch):
    with pytest.raises(ResponseError, match="no such file"):
        _read(tmp_path / "absent.csv", questionnaire)
    monkeypatch.setenv("SCORECARD_MAX_UPLOAD_MB", "0.0001")  # about 100 bytes
    path = _write(tmp_path, HEADER + "\n" + "GOV-01,IT,3,,padding padding padding\n" * 5)
    with pytest.raises(ResponseError, match="responses.csv is too large"):
        _read(path, questionnaire)


def test_an_xlsx_declaring_a_doctype_is_refused(tmp_path, questionnaire):
    book = openpyxl.Workbook()
    book.active.append(["question_id", "environment", "current"])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    hostile = tmp_path / "responses.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(hostile, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = data.split(b"?>", 1)[-1]  # drop the XML declaration when there is one
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + body
            dst.writestr(item, data)
    assert "possible entity bomb" in _message(hostile, questionnaire)
