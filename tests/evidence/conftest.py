"""Fixtures for the evidence tests: the data folder and small XLSX builders (XLSX is binary, so
workbooks are built here from readable rows rather than stored)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "evidence"


@pytest.fixture(scope="session")
def evidence_data() -> Path:
    return DATA


def xlsx_bytes(rows: list[list], title: str = "Sheet1", extra_sheets: dict[str, list[list]] | None = None) -> bytes:
    """A workbook whose first sheet holds `rows` from A1 (None leaves a cell empty)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for name, other in (extra_sheets or {}).items():
        extra = workbook.create_sheet(name)
        for row in other:
            extra.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
