"""Measure a worksheet's used range from its XML, before the XLSX engine builds anything.

The engine (calamine) allocates one slot per cell of the bounding box of a sheet's cells: a cell at
A1 and one at XFD1048576 make 17 billion slots (512 GB) and abort the process, whatever the
sheet's `<dimension>` says. So the box is measured here from the cells themselves, streaming
the decompressed XML in blocks (memory stays at a few blocks whatever the part's size):

- Fast path (every workbook Excel, LibreOffice, openpyxl or pandas writes): each `<c>` element
  carries an `r="B7"` reference as its first attribute; references are found and decoded with
  numpy, a few passes over each block. It vouches for its result only if it finds exactly one
  well-formed reference per `<c` tag and no tag under a namespace prefix (`<x:c`); otherwise
- the exact path parses the XML with expat and places cells as the engine does (a `<c>` without
  a reference follows its left neighbour, a `<row>` without one follows the row above; references
  are case-insensitive). It stops counting once the cells alone exceed `stop_after`.

Rows and columns are 0-based; a sheet without cells has `cells == 0` and an area of 0.
"""

from __future__ import annotations

import re
import zipfile
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from xml.parsers import expat

import numpy as np

BLOCK_BYTES = 8 * 1024 * 1024
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
_TAIL = 32  # bytes carried to the next block: longer than any reference attribute
_WHITESPACE, _R, _EQUALS, _QUOTE = 32, ord("r"), ord("="), ord('"')
_LT_C = ord("<") | ord("c") << 8  # "<c" read as a little-endian 16-bit word
_COLON_C = ord(":") | ord("c") << 8
_AFTER_C = np.array([b in b" \t\r\n>/" for b in range(256)])  # what may follow "<c" in a cell tag
_REF = re.compile(r"\$?([A-Za-z]{1,4})\$?(\d{1,8})")


@dataclass(frozen=True)
class UsedRange:
    cells: int
    first_row: int = 0
    last_row: int = -1
    first_column: int = 0
    last_column: int = -1

    @property
    def rows(self) -> int:
        return max(0, self.last_row - self.first_row + 1)

    @property
    def columns(self) -> int:
        return max(0, self.last_column - self.first_column + 1)

    @property
    def area(self) -> int:
        return self.rows * self.columns

    def reference(self) -> str:
        """The range in Excel notation, e.g. 'A1:XFD1048576'."""
        if not self.cells:
            return "empty"
        return f"{column_letters(self.first_column)}{self.first_row + 1}:{column_letters(self.last_column)}{self.last_row + 1}"

    def beyond_excel(self) -> bool:
        return self.cells > 0 and (self.last_row >= EXCEL_ROWS or self.last_column >= EXCEL_COLUMNS)


def column_letters(index: int) -> str:
    """0 → 'A', 16383 → 'XFD'."""
    letters = ""
    index += 1
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def measure(archive: zipfile.ZipFile, part: str, stop_after: int) -> UsedRange:
    """The used range of the worksheet stored at `part` in `archive`."""
    with archive.open(part) as stream:
        found = _fast(stream)
    if found is not None:
        return found
    with archive.open(part) as stream:
        return _exact(stream, stop_after)


class _Box:
    """Running bounds of cell positions."""

    def __init__(self) -> None:
        self.cells = 0
        self.rows = [np.iinfo(np.int64).max, -1]
        self.columns = [np.iinfo(np.int64).max, -1]

    def add(self, rows: np.ndarray, columns: np.ndarray) -> None:
        if len(rows):
            self.rows = [min(self.rows[0], int(rows.min())), max(self.rows[1], int(rows.max()))]
            self.columns = [min(self.columns[0], int(columns.min())), max(self.columns[1], int(columns.max()))]

    def merge(self, other: _Box) -> None:
        self.cells += other.cells
        if other.rows[1] >= 0:
            self.add(np.array(other.rows), np.array(other.columns))

    def result(self) -> UsedRange:
        if self.rows[1] < 0:
            return UsedRange(cells=self.cells)
        return UsedRange(self.cells, self.rows[0], self.rows[1], self.columns[0], self.columns[1])


def _fast(stream) -> UsedRange | None:
    """Decompression (this thread) overlaps the scan of the previous block (a worker thread):
    zlib and numpy both release the GIL. At most two blocks wait for the worker."""
    box = _Box()
    with ThreadPoolExecutor(max_workers=1) as worker:
        running: deque[Future] = deque()
        carry = b""
        while True:
            block = stream.read(BLOCK_BYTES)
            final = not block
            data = carry + block + (b"\0" * _TAIL if final else b"")
            # Tags must start before `end`; later ones are found again in the next block.
            end = len(data) - _TAIL
            if end > 0:
                running.append(worker.submit(_scan, data, end))
            while running and (final or len(running) > 1):
                part = running.popleft().result()
                if part is None:
                    return None
                box.merge(part)
            if final:
                return box.result()
            carry = data[max(end, 0):]


def _pairs(data: bytes, end: int, word: int) -> np.ndarray:
    """Offsets (< end, unordered) of a two-byte sequence in `data`, compared at both alignments."""
    found = []
    for offset in (0, 1):
        count = (len(data) - offset) // 2
        words = np.frombuffer(data, dtype="<u2", count=count, offset=offset)
        found.append(np.flatnonzero(words == word).astype(np.int64) * 2 + offset)
    starts = np.concatenate(found)
    return starts[starts < end]


def _scan(data: bytes, end: int) -> _Box | None:
    """The cell tags starting before `end` and the bounds of their positions, or None when one
    has no plain Excel reference as its first attribute, or one out of Excel's grid, or a tag is
    under a namespace prefix (the exact path decides then).

    References are decoded one character position at a time across all tags (a vector operation
    each): reductions along rows of a dozen bytes would cost a call per row."""
    box = _Box()
    a = np.frombuffer(data, dtype=np.uint8)
    prefixed = _pairs(data, end, _COLON_C)
    if _AFTER_C[a[prefixed + 2]].any():
        return None  # "<x:c ": cells under a namespace prefix, which the tag count below misses
    starts = _pairs(data, end, _LT_C)
    starts = starts[_AFTER_C[a[starts + 2]]]  # "<c " or "<c>": not "<col", "<cfRule"...
    box.cells = len(starts)
    if not len(starts):
        return box
    # '<c r="B7"': bytes 2-5 are ' r="', the reference starts at byte 6 and ends at a quote.
    if not ((a[starts + 2] == _WHITESPACE) & (a[starts + 3] == _R) & (a[starts + 4] == _EQUALS) & (a[starts + 5] == _QUOTE)).all():
        return None  # a reference that is not the first attribute, or none: the exact path decides
    first = starts + 6
    upper = [(a[first + k] - np.uint8(65)) < 26 for k in range(4)]
    letters = upper[0].astype(np.int64) + (upper[0] & upper[1]) + (upper[0] & upper[1] & upper[2])
    good = (letters >= 1) & ~(upper[0] & upper[1] & upper[2] & upper[3])
    column = a[first].astype(np.int64) - 64
    for k in (1, 2):
        column = np.where(letters > k, column * 26 + a[first + k] - 64, column)
    first += letters
    run = np.ones(len(first), dtype=bool)
    length = np.zeros(len(first), dtype=np.int64)
    row = np.zeros(len(first), dtype=np.int64)
    closed = np.zeros(len(first), dtype=bool)
    for k in range(8):
        digit = a[first + k]
        closed |= run & (digit == _QUOTE) & (length == k)
        run &= (digit - np.uint8(48)) < 10
        length += run
        row = np.where(run, row * 10 + digit - 48, row)
    good &= closed & (length >= 1) & (length <= 7) & (row >= 1) & (row <= EXCEL_ROWS) & (column <= EXCEL_COLUMNS)
    if not good.all():
        return None
    box.add(row - 1, column - 1)
    return box


def _exact(stream, stop_after: int) -> UsedRange:
    box = _Box()
    position = {"row": -1, "column": -1}
    rows: list[int] = []
    columns: list[int] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rsplit(":", 1)[-1]
        if local == "row":
            number = attributes.get("r", "")
            position["row"] = int(number) - 1 if number.isdigit() and int(number) > 0 else position["row"] + 1
            position["column"] = -1
        elif local == "c":
            found = _REF.fullmatch(attributes.get("r", "").strip())
            if found:
                position["row"], position["column"] = int(found[2]) - 1, _column_index(found[1].upper())
            else:
                position["column"] += 1
            box.cells += 1
            rows.append(max(position["row"], 0))
            columns.append(position["column"])
            if len(rows) >= 65536:
                flush()

    def flush() -> None:
        box.add(np.array(rows, dtype=np.int64), np.array(columns, dtype=np.int64))
        rows.clear()
        columns.clear()

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    while box.cells <= stop_after:
        block = stream.read(1024 * 1024)
        parser.Parse(block, not block)
        if not block:
            break
    flush()
    return box.result()


def _column_index(letters: str) -> int:
    value = 0
    for letter in letters:
        value = value * 26 + ord(letter) - 64
    return value - 1
