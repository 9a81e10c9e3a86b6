"""Read a delimited text file (CSV, TSV, semicolons) into a `Table`, and refuse a wrong read.

Accepted: comma, semicolon or tab delimiters; encodings as `tabular.encoding` decides; title
rows above the header; quoted cells with line breaks. The delimiter and the header row are
chosen together from the first 64 KB: the pair whose row scores highest under the HeaderRule.
Rows are numbered as the user sees them when opening the file (each record is one row; title
and blank rows count).

A row is refused, with its number, when it has fewer cells than the header names or extra
non-blank cells, or when a quoted cell runs over lines that look like rows of their own (a
quote left open swallows the rows below it). Cells past the header's last name may be blank.

Two paths give the same table:
- fast (here): pandas' C parser over the whole file, then checks that prove no row was misread
  (no record spans lines unless the file has quotes and the counts agree; no row is short, shown
  by the last header column or by counting delimiters). Taken only when the file's line count
  bounds its memory (lines × columns read ≤ a quarter of the file's size, plus a margin).
- exact (`tabular.records`): Python's csv module, record by record, keeping only the rows that
  hold data and naming each malformed one. Taken when the fast path cannot vouch for its read.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
from collections.abc import Collection, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from errors import Problem, TableError
from tabular import limits, safety
from tabular.encoding import UTF16_BOMS, blocks, codec, scan_text, utf16_to_utf8
from tabular.records import read_records
from tabular.table import Header, HeaderRule, Table, check_width

DELIMITERS = (",", ";", "\t")
FAST_FREE_CELLS = 2_000_000
"""The fast path parses every line into a row (pandas and validation peak near 100 bytes a cell
read): it is taken only when the lines times the columns read stay within a quarter of the file's
size in bytes plus these cells, so that many short or blank lines cannot multiply the file's size
in memory. Real exports average well over 4 bytes a cell (the benchmark's: 7.5)."""
_NUMERIC = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")
_PARSER_FAILURES = (pd.errors.ParserError, pd.errors.ParserWarning, ValueError, IndexError, UnicodeDecodeError)


class DelimitedFile:
    """A text file that passed the byte-level checks (binary content, NULs, one encoding)."""

    sheet = None

    def __init__(self, source: bytes | Path, label: str, encoding: str | None = None) -> None:
        self.label = self.where = label
        head = _head(source)
        safety.check_text(head, label)
        if head[:2] in UTF16_BOMS:
            source = utf16_to_utf8(source, label)
        self.source = source
        self.size = len(source) if isinstance(source, bytes) else source.stat().st_size
        self.scan = scan_text(source, label, encoding)
        self.encoding = self.scan.encoding

    def header(self, rule: HeaderRule, search_rows: int = limits.HEADER_SEARCH_ROWS) -> Header:
        """The delimiter and header row, chosen together from the first `SAMPLE_BYTES`."""
        sample = _head(self.source)[self.scan.bom :]
        text = codecs.getincrementaldecoder(self.encoding)(errors="replace").decode(sample, final=False)
        if len(sample) + self.scan.bom >= limits.SAMPLE_BYTES and "\n" in text:
            text = text[: text.rindex("\n") + 1]  # drop a partial last line
        best: tuple[int, str, list[list[str]]] | None = None
        for delimiter in DELIMITERS:
            rows = _first_rows(text, delimiter, search_rows)
            score = max((rule.score(r) for r in rows[: search_rows]), default=0)
            if best is None or score > best[0]:
                best = (score, delimiter, rows)
        assert best is not None
        _, delimiter, rows = best
        if not any(rows):
            raise TableError(f"{self.label} is empty", [Problem(self.label, "the file is empty", "export the sheet with its header row")])
        index = rule.index(rows, self.label)
        return Header(index, list(rows[index]), delimiter)

    def read(self, header: Header, positions: Collection[int] | None = None,
             text_positions: Collection[int] | None = None) -> Table:
        """The body below `header`: the cells at `positions` (default: every header column), as
        text at `text_positions` (default: everywhere; elsewhere a column of numbers may be read
        as numbers, which is faster)."""
        width = len(header.cells)
        check_width(width, self.label)
        wanted = sorted(positions) if positions is not None else list(range(width))
        texts = set(range(width)) if text_positions is None else set(text_positions)
        table = self._fast(header, wanted, texts) if width else None
        if table is not None:
            return table
        return read_records(self.source, self.label, self.scan, header, wanted)

    # --- fast path --------------------------------------------------------------------------

    def _fast(self, header: Header, wanted: list[int], text_positions: set[int]) -> Table | None:
        width = len(header.cells)
        read = sorted({p for p in wanted if p < width} | {width - 1})
        if (self.scan.newlines + 1) * len(read) > self.size // 4 + FAST_FREE_CELLS:
            return None  # many lines of few bytes (blank lines?): the exact path keeps only rows with data
        sample_rows = _first_rows(_sample_text(self), header.delimiter, 200)[header.index + 1 :]
        as_text = [p for p in read if p in text_positions and _looks_numeric(sample_rows, p)]
        try:
            frame = self._keep_text(self._pandas(header, width, read, as_text), header, width, read, text_positions)
        except _PARSER_FAILURES:
            return None  # a row with too many cells, a quote left open: the exact path names it
        if self.scan.quotes and len(frame) != self._data_lines(header):
            return None  # a record spans lines: the exact path checks what its quotes took in
        # A row lacking cells has its last column empty: look closer only at those rows.
        open_end = np.flatnonzero(frame[f"c{width - 1}"].isna().to_numpy())
        blank = open_end[frame.iloc[open_end].isna().all(axis=1).to_numpy()] if len(open_end) else open_end
        if len(blank) < len(open_end) and (self.scan.quotes or len(blank) or
                                           self._data_delimiters(header) != len(frame) * (width - 1)):
            return None  # some row may lack cells: the exact path names it
        numbers = header.row + 1 + np.arange(len(frame), dtype=np.int64)
        if len(blank):
            keep = np.ones(len(frame), dtype=bool)
            keep[blank] = False
            frame, numbers = frame.iloc[np.flatnonzero(keep)], numbers[keep]
        frame = frame.reset_index(drop=True)
        columns = {p: frame[f"c{p}"] if p < width else pd.Series(np.full(len(frame), np.nan), dtype=object) for p in wanted}
        return Table(self.label, header, numbers, columns, encoding=self.encoding)

    def _pandas(self, header: Header, width: int, read: list[int], as_text: list[int]) -> pd.DataFrame:
        """The columns at `read`; empty cells are missing, nothing else is (a site named "NA" is
        a site); columns at `as_text` are read as text whatever they look like."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)  # mixed-type chunks: the consumer copes
            # A row with more cells than the header: pandas would drop the extra cells with this
            # warning (or shift the row into the index). Make it an error: the exact path names it.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(
                io.BytesIO(self.source) if isinstance(self.source, bytes) else self.source,
                sep=header.delimiter, header=None, names=[f"c{i}" for i in range(width)],
                usecols=[f"c{i}" for i in read] if len(read) < width else None,
                skiprows=header.index + 1, skip_blank_lines=False, keep_default_na=False, na_values=[""],
                dtype={f"c{i}": str for i in as_text} or None, encoding=codec(self.encoding, self.scan.bom),
                engine="c", index_col=False,
            )

    def _keep_text(self, frame, header, width, read, text_positions) -> pd.DataFrame | None:
        """Text columns pandas typed as numbers in some chunks ("A1" here, "007" there) are read
        again as text, so that no identifier loses its leading zeros; all-empty ones become text."""
        again = []
        for p in read:
            column = frame[f"c{p}"]
            if p not in text_positions or isinstance(column.dtype, pd.StringDtype):
                continue
            if column.isna().all():
                frame[f"c{p}"] = pd.Series(np.full(len(column), np.nan), dtype="str", index=column.index)
            else:
                again.append(p)
        if again:
            reread = self._pandas(header, width, again, again)
            for p in again:
                frame[f"c{p}"] = reread[f"c{p}"]
        return frame

    def _data_start(self, header: Header) -> int:
        """Byte offset of the line after the header (records are lines above it: no quotes)."""
        head = _head(self.source)
        offset = self.scan.bom
        for _ in range(header.index + 1):
            found = head.find(b"\n", offset)
            if found < 0:
                return len(head)
            offset = found + 1
        return offset

    def _data_lines(self, header: Header) -> int:
        last = _last_byte(self.source)
        return self.scan.newlines - (header.index + 1) + (1 if last not in (b"\n", b"") else 0)

    def _data_delimiters(self, header: Header) -> int:
        start = self._data_start(header)
        mark = header.delimiter.encode()
        seen = count = 0
        for block in blocks(self.source):
            count += block.count(mark, max(0, start - seen))
            seen += len(block)
        return count

    # --- exact path -------------------------------------------------------------------------

def _head(source: bytes | Path) -> bytes:
    if isinstance(source, bytes):
        return source[: limits.SAMPLE_BYTES]
    with source.open("rb") as handle:
        return handle.read(limits.SAMPLE_BYTES)


def _last_byte(source: bytes | Path) -> bytes:
    if isinstance(source, bytes):
        return source[-1:]
    with source.open("rb") as handle:
        handle.seek(max(0, source.stat().st_size - 1))
        return handle.read(1)


def _sample_text(file: DelimitedFile) -> str:
    sample = _head(file.source)[file.scan.bom :]
    text = codecs.getincrementaldecoder(file.encoding)(errors="replace").decode(sample, final=False)
    return text[: text.rindex("\n") + 1] if "\n" in text else text


def _first_rows(text: str, delimiter: str, limit: int) -> list[list[str]]:
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row)
            if len(rows) >= limit:
                break
    except csv.Error:
        pass
    return rows


def _looks_numeric(rows: Iterable[list[str]], position: int) -> bool:
    """Whether the sampled cells at `position` all look like numbers (pandas would type them)."""
    cells = [r[position] for r in rows if position < len(r) and r[position].strip()]
    return bool(cells) and all(_NUMERIC.fullmatch(c) for c in cells)
