"""Analyst workbook: every sheet read back with openpyxl; formats, charts and injection safety."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import load_workbook

from exports.cells import write
from exports.xlsx import render_workbook
from tests.exports import fixtures

SHEETS = ["Summary", "Functions", "Categories", "Subcategories", "CPG goals", "Responses", "Metrics",
          "Gaps & roadmap", "Findings (POA&M)", "Plan", "Path to target", "Exceptions", "Exercises", "Trend", "Audit",
          "Sites"]


@pytest.fixture(scope="module")
def data() -> bytes:
    return render_workbook(fixtures.context("enterprise"))


@pytest.fixture(scope="module")
def wb(data):
    return load_workbook(io.BytesIO(data))


def _rows(ws):
    return list(ws.iter_rows(values_only=True))


def test_every_sheet_has_header_filter_and_frozen_panes(wb):
    assert wb.sheetnames == SHEETS
    for name in SHEETS[1:]:
        ws = wb[name]
        assert ws.freeze_panes == "A2", name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), name
        assert all(isinstance(v, str) for v in _rows(ws)[0]), name
    assert "Sites" not in load_workbook(io.BytesIO(render_workbook(fixtures.context("site")))).sheetnames


def test_summary_numbers(wb):
    facts = {r[0]: r[1] for r in _rows(wb["Summary"]) if r[0]}
    assert facts["Verified maturity"] == 2.41 and facts["Target maturity"] == 3.5
    assert facts["Change since 2026 Q2"] == pytest.approx(0.31)
    assert facts["Completion"] == 0.875 and facts["Confidence"] == 0.6
    assert facts["Status"] == "Draft" and facts["Subject"] == fixtures.SITE
    assert "Re-accept or retire 2 high-risk exception(s) open over 90 days" in facts
    ws = wb["Summary"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == 2.41)
    assert cell.number_format == "0.00"


def test_scores_sheets(wb):
    rows = _rows(wb["Functions"])
    assert rows[0] == ("ID", "Title", "IT claimed", "IT verified", "IT target", "OT claimed", "OT verified",
                       "OT target", "Combined claimed", "Combined verified", "Combined target", "Answered")
    assert rows[2] == ("PR", "Protect", 3.5, 3.5, 3.5, 3.0, 1.0, 3.5, 3.25, 2.25, 3.5, 3)
    assert rows[3][5:8] == (None, None, None)  # RC has no OT score: blank, not 0
    assert len(_rows(wb["Subcategories"])) == 6
    assert wb["Functions"].conditional_formatting


def test_goals_metrics_and_status_formatting(wb):
    goals = _rows(wb["CPG goals"])
    assert goals[1] == ("2.0:3.F", "Secure remote access", "Implemented", 3.0, "In progress", 2.0)
    metrics = {r[0]: r for r in _rows(wb["Metrics"])[1:]}
    assert metrics["governed_access_pct"][3:7] == (72.5, "Red", 61.0, "better")
    rules = [r.formula[0] for cf in wb["Metrics"].conditional_formatting for r in cf.rules]
    assert 'E2="Red"' in rules and 'E2="Green"' in rules


def test_roadmap_findings_exceptions_exercises_trend_audit(wb):
    gaps = _rows(wb["Gaps & roadmap"])  # enterprise workbook: the Site column comes first
    assert gaps[0][0] == "Site"
    assert gaps[1][1:11] == (1, "IAM-01", "Are remote and privileged access paths governed?",
                             "Identity and privileged access", "OT", 2, 4, None, 2, 20.0)  # no target due date
    assert gaps[1][12] == "M. Durand"
    assert [r[1] for r in _rows(wb["Findings (POA&M)"])[1:]] == ["F-1", "F-2"]
    assert [(r[0], r[6]) for r in _rows(wb["Exceptions"])[1:]] == [("EX-1", 425), ("EX-2", 152), ("EX-3", 29)]
    assert [r[0] for r in _rows(wb["Exercises"])[1:]] == ["XR-1", "XR-2"]
    assert [r[0] for r in _rows(wb["Trend"])[1:]] == ["2026 Q1", "2026 Q2", "2026 Q3"]
    assert len(_rows(wb["Audit"])) == 3
    assert [r[0] for r in _rows(wb["Sites"])[1:]] == [fixtures.SITE, "Porto Assembly"]


def test_native_excel_charts(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 2
        xml = " ".join(archive.read(n).decode() for n in charts)
    assert "barChart" in xml and "lineChart" in xml


def test_formula_payloads_are_inert_text(data, wb):
    texts = {c.value: c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for payload in fixtures.FORMULA_PAYLOADS[:5]:
        assert payload in texts, payload
        assert texts[payload].data_type == "s"
    assert texts[fixtures.FORMULA_PAYLOADS[0]].quotePrefix
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(r"<f[ >]", archive.read(name).decode()), name


@pytest.mark.parametrize("payload", fixtures.FORMULA_PAYLOADS + ("=1+1", "-", "=", "plain", "a=b"))
def test_write_never_makes_a_formula(payload):
    from openpyxl import Workbook

    book = Workbook()
    cell = write(book.active, 1, 1, payload)
    assert cell.data_type == "s"
    buffer = io.BytesIO()
    book.save(buffer)
    back = load_workbook(buffer).active["A1"]
    # The standard-library XML reader normalises a carriage return to a line feed, lxml keeps it;
    # the cell stays text either way.
    assert back.value in (payload, payload.replace("\r", "\n")) and back.data_type == "s"


def test_illegal_control_characters_are_dropped():
    from openpyxl import Workbook

    cell = write(Workbook().active, 1, 1, "bad\x00\x07text")
    assert cell.value == "badtext"


def test_site_column_only_in_enterprise_workbooks():
    single = load_workbook(io.BytesIO(render_workbook(fixtures.context("assessment"))))
    for sheet in ("Responses", "Gaps & roadmap", "Findings (POA&M)"):
        assert single[sheet]["A1"].value != "Site"
    enterprise = load_workbook(io.BytesIO(render_workbook(fixtures.context("enterprise"))))
    for sheet in ("Responses", "Gaps & roadmap", "Findings (POA&M)"):
        assert enterprise[sheet]["A1"].value == "Site"
