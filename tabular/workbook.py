"""Read the sheets of an XLSX workbook, lazily and within the limits, with calamine.

    book = Workbook(data, label)          # container checks (tabular.safety), sheet list
    sheet = book.sheet(name or None)      # used range measured and checked, then loaded
    for number, cells in sheet.rows(): …  # 1-based row numbers as Excel shows them

Rules:
- The first sheet is read unless one is named; an unknown name is an error listing the sheets.
- Before the engine loads a sheet, its used range is measured from the sheet's XML
  (`tabular.sheetscan`) and refused beyond `limits.sheet_cell_limit(file size)` cells or beyond
  Excel's grid. The engine then allocates only that box; rows are produced one at a time and
  never padded to the left of the data (`Sheet.first_column` says where each row starts).
- Cells keep their Excel types (text, float, bool, date, datetime, time, timedelta); empty
  cells are ''. With `formulas=True`, a cell holding a formula reads as its text ('=SUM(A1:A3)',
  shared formulas translated to the cell) instead of its cached value.
- Any failure of the engine, including a Rust panic (pyo3's PanicException, a BaseException),
  becomes a TableError naming the file.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count, islice
from xml.etree import ElementTree
from xml.parsers import expat

from python_calamine import CalamineError, CalamineWorkbook

from errors import Problem, TableError
from tabular import limits, safety
from tabular.sheetscan import UsedRange, column_letters, measure

_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@contextmanager
def engine_guard(label: str, summary: str = "cannot be read"):
    """Turn whatever the XLSX engine raises into a TableError (a panic included)."""
    try:
        yield
    except TableError:
        raise
    except (CalamineError, ValueError, ArithmeticError, OSError, RuntimeError, KeyError, zipfile.BadZipFile,
            expat.ExpatError, ElementTree.ParseError) as exc:
        raise TableError(f"{label} {summary}", [Problem(label, f"not a readable XLSX workbook ({type(exc).__name__}: {exc})",
                                                        "save it again as .xlsx from Excel")]) from None
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":
            raise
        raise TableError(f"{label} {summary}", [Problem(label, f"the XLSX reader failed on this file ({exc})",
                                                        "save it again as .xlsx from Excel")]) from None


class Workbook:
    """An XLSX file whose container passed the safety checks."""

    def __init__(self, data: bytes, label: str) -> None:
        self.label = label
        self.size = len(data)
        safety.check_size(self.size, label)
        self._archive = safety.open_xlsx(data, label)
        with engine_guard(label, "is not an Excel workbook"):
            self._parts = _sheet_parts(self._archive)
            self._book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            self.sheet_names: list[str] = list(self._book.sheet_names)
        if not self.sheet_names:
            raise TableError(f"{label} has no sheets", [Problem(label, "the workbook has no sheets")])

    def sheet(self, name: str | None = None, *, formulas: bool = False) -> Sheet:
        """The named sheet (default: the first), measured and checked before it is loaded."""
        if name is not None and name not in self.sheet_names:
            raise TableError(f"sheet '{name}' not found",
                             [Problem(self.label, f"no sheet named '{name}'", f"sheets: {', '.join(self.sheet_names)}")])
        chosen = name if name is not None else self.sheet_names[0]
        where = f"{self.label} sheet '{chosen}'"
        part = self._parts.get(chosen)
        if part is None:
            raise TableError(f"{where} cannot be read", [Problem(where, "the workbook does not say where this sheet is stored",
                                                                 "save it again as .xlsx from Excel")])
        limit = limits.sheet_cell_limit(self.size)
        with engine_guard(self.label):
            used = measure(self._archive, part, stop_after=limit)
        _check_used_range(used, limit, where)
        with engine_guard(self.label):
            loaded = self._book.get_sheet_by_name(chosen)
            formula_cells = _formulas(self._archive, part) if formulas else {}
        return Sheet(chosen, where, loaded, used, formula_cells, self.label)


class Sheet:
    """One loaded sheet: its used range, where its data starts, and its rows."""

    def __init__(self, name, where, loaded, used: UsedRange, formula_cells, label: str) -> None:
        self.name, self.where, self.used = name, where, used
        start, end = loaded.start, loaded.end
        self.first_row = start[0] + 1 if start else 1
        """Row number of the first row holding a value (the rows above are empty)."""
        self.first_column = start[1] if start else 0
        """0-based column of the first cell of every row yielded."""
        self.width = end[1] - start[1] + 1 if start else 0
        """Cells in every row yielded."""
        self._loaded, self._formulas, self._label = loaded, formula_cells, label

    def cells(self) -> Iterator[list]:
        """The cells of each row from `first_row` on (iterate under `engine_guard`)."""
        # The engine yields the empty rows above the data too: skip them without a Python loop.
        below = islice(self._loaded.iter_rows(), self.first_row - 1, None)
        return self._with_formulas(below) if self._formulas else below

    def rows(self) -> Iterator[tuple[int, list]]:
        """(row number, cells from `first_column`) from `first_row` to the last used row."""
        with engine_guard(self._label):
            yield from zip(count(self.first_row), self.cells())

    def _with_formulas(self, rows: Iterator[list]) -> Iterator[list]:
        for index, cells in enumerate(rows, start=self.first_row - 1):
            for column, text in self._formulas.get(index, ()):
                if 0 <= column - self.first_column < len(cells):
                    cells[column - self.first_column] = text
            yield cells


def _check_used_range(used: UsedRange, limit: int, where: str) -> None:
    if used.beyond_excel():
        raise TableError(f"{where} is refused", [Problem(where, f"cells outside Excel's grid (used range {used.reference()})",
                                                         "save it again from Excel")])
    if used.area > limit:
        raise TableError(f"{where} is too large", [Problem(
            where, f"its used range {used.reference()} spans {used.area:,} cells ({used.cells:,} written); "
                   f"the limit for a file of this size is {limit:,}",
            "delete the stray cells far from the data (Ctrl+End in Excel shows the last one), or export the data as CSV")])


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the zip part holding it, from xl/workbook.xml and its relationships."""
    names = {n.lower(): n for n in archive.namelist()}
    book_part = names.get("xl/workbook.xml")
    rels_part = names.get("xl/_rels/workbook.xml.rels")
    if book_part is None or rels_part is None:
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in ElementTree.fromstring(archive.read(rels_part))}
    parts = {}
    for sheet in ElementTree.fromstring(archive.read(book_part)).iter():
        if sheet.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        target = targets.get(sheet.get(_REL), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        if path.lower() in names:
            parts[sheet.get("name", "")] = names[path.lower()]
    return parts


def _formulas(archive: zipfile.ZipFile, part: str) -> dict[int, list[tuple[int, str]]]:
    """Row → [(column, '=' + formula text)] of the formula cells, 0-based; shared formulas are
    translated from their anchor cell as Excel shows them."""
    from openpyxl.formula.translate import Translator

    found: dict[int, list[tuple[int, str]]] = {}
    shared: dict[str, tuple[str, str]] = {}
    state = {"ref": "", "f": None, "text": []}

    def start(name, attributes):
        local = name.rsplit(":", 1)[-1]
        if local == "c":
            state["ref"] = attributes.get("r", "")
        elif local == "f":
            state["f"], state["text"] = attributes, []

    def text(data):
        if state["f"] is not None:
            state["text"].append(data)

    def end(name):
        if name.rsplit(":", 1)[-1] != "f" or state["f"] is None:
            return
        attributes, formula, ref = state["f"], "".join(state["text"]), state["ref"]
        state["f"] = None
        if attributes.get("t") == "shared":
            if formula:
                shared[attributes.get("si", "")] = (formula, ref)
            elif attributes.get("si", "") in shared:
                anchor_text, anchor = shared[attributes["si"]]
                formula = Translator("=" + anchor_text, origin=anchor).translate_formula(ref)[1:]
        position = _position(ref)
        if position is not None:
            found.setdefault(position[0], []).append((position[1], "=" + formula))

    parser = expat.ParserCreate()
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    with archive.open(part) as stream:
        while block := stream.read(1024 * 1024):
            parser.Parse(block, False)
        parser.Parse(b"", True)
    return found


def _position(ref: str) -> tuple[int, int] | None:
    letters = ref.rstrip("0123456789")
    digits = ref[len(letters):]
    if not letters.isalpha() or not digits:
        return None
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return int(digits) - 1, column - 1


__all__ = ["Sheet", "Workbook", "column_letters", "engine_guard"]
