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
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from xml.parsers import expat

import numpy as np

BLOCK_BYTES = 512 * 1024
"""Decompressed bytes scanned at a time: small enough for the numpy passes to stay in cache."""
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
_TAIL = 32  # bytes carried to the next block: longer than any reference attribute
_WHITESPACE, _R, _EQUALS, _QUOTE = 32, ord("r"), ord("="), ord('"')
_LT_C = ord("<") | ord("c") << 8  # "<c" read as a little-endian 16-bit word
_COLON_C = ord(":") | ord("c") << 8
_POWERS = 10 ** np.arange(7, -1, -1, dtype=np.int64)  # 10^7 … 10^0
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
    found = _fast(_inflate(archive, part))
    if found is not None:
        return found
    with archive.open(part) as stream:
        return _exact(stream, stop_after)


def _inflate(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The part's content in blocks of at most `BLOCK_BYTES`, inflated straight from the archive
    (zipfile's reader also computes a CRC of every byte, a third of the cost; the engine reads
    the part again anyway). Other compressions go through zipfile."""
    info = archive.getinfo(part)
    raw = archive.fp
    if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1 or raw is None:
        with archive.open(part) as stream:
            while block := stream.read(BLOCK_BYTES):
                yield block
        return
    raw.seek(info.header_offset)
    header = raw.read(30)
    if header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {part}")
    raw.seek(info.header_offset + 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little"))
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    remaining = info.compress_size
    while remaining or inflater.unconsumed_tail:
        if inflater.unconsumed_tail:
            source = inflater.unconsumed_tail
        else:
            source = raw.read(min(remaining, 1024 * 1024))
            remaining -= len(source)
            if not source:
                break
        if block := inflater.decompress(source, BLOCK_BYTES):
            yield block
    if block := inflater.flush():
        yield block


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


def _fast(blocks: Iterator[bytes]) -> UsedRange | None:
    box = _Box()
    carry = b""
    while True:
        block = next(blocks, b"")
        final = not block
        data = carry + block + (b"\0" * _TAIL if final else b"")
        # Tags must start before `end`; later ones are found again with the next block.
        end = len(data) - _TAIL
        if end > 0:
            part = _scan(data, end)
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
    # Bytes 2-17 of each tag, one row per byte position, so that every operation below runs across
    # all tags at once (a reduction along a row of a dozen bytes would cost a call per tag).
    tag = np.ascontiguousarray(np.lib.stride_tricks.sliding_window_view(a, 18)[starts, 2:].T)
    if not ((tag[0] == _WHITESPACE) & (tag[1] == _R) & (tag[2] == _EQUALS) & (tag[3] == _QUOTE)).all():
        return None  # '<c r="B7"' is not how this tag starts: the exact path decides
    ref = tag[4:]  # the reference (up to 3 letters, up to 7 digits) and its closing quote
    upper = (ref[:4] - np.uint8(65)) < 26
    two, three = upper[0] & upper[1], upper[0] & upper[1] & upper[2]
    if not upper[0].all() or (three & upper[3]).any():
        return None
    column = ref[0].astype(np.int64) - 64
    column = np.where(two, column * 26 + ref[1] - 64, column)
    column = np.where(three, column * 26 + ref[2] - 64, column)
    # The digits start after 1 to 3 letters: align them on a common start.
    digits = np.where(three, ref[3:11], np.where(two, ref[2:10], ref[1:9]))
    run = (digits - np.uint8(48)) < 10
    for k in range(1, 8):
        run[k] &= run[k - 1]
    length = run.sum(axis=0)
    closing = digits[np.minimum(length, 7), np.arange(len(length))]
    if not ((length >= 1) & (length <= 7) & (closing == _QUOTE)).all():
        return None
    value = _POWERS @ np.where(run, digits - np.uint8(48), 0).astype(np.int64)  # digits left-aligned on 8 places
    row = value // _POWERS[length - 1]
    if int(row.min()) < 1 or int(row.max()) > EXCEL_ROWS or int(column.max()) > EXCEL_COLUMNS:
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
