"""Read a CSV evidence file into a `RawTable`.

Accepted: comma, semicolon or tab delimiters; UTF-8 with or without BOM, UTF-16 with BOM, or
Windows-1252; title rows above the header; quoted cells with line breaks. The delimiter and the
header row are chosen together from the first 64 KB: the pair whose row names the most fields.

Rows are numbered as the user sees them when opening the file (each record is one row, title
and blank rows count). The fast path is Arrow's multithreaded CSV reader with every column read
as text; any row Arrow refuses (wrong number of cells) switches to Python's csv module so that
the row can be named exactly (missing trailing cells count as blank, extra non-blank cells are an error).
"""

from __future__ import annotations

import codecs
import csv
import io
import mmap

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pcsv

from errors import EvidenceError, Problem
from evidence.headers import find_header_row, match_columns, score_row
from evidence.mapping import Mapping
from evidence.safety import check_text
from evidence.schemas import DatasetSchema
from evidence.table import RawTable

Buffer = bytes | mmap.mmap

SAMPLE_BYTES = 65536
DELIMITERS = (",", ";", "\t")
MAX_PARSE_PROBLEMS = 1000


def read_csv_table(data: Buffer, schema: DatasetSchema, mapping: Mapping, label: str) -> RawTable:
    """`data` is the file's bytes or a read-only memory map of it (no copy of a large file)."""
    check_text(data[:SAMPLE_BYTES], label)
    data = _to_utf8_if_utf16(data, label)
    start = 3 if data[:3] == codecs.BOM_UTF8 else 0
    head = data[start : start + SAMPLE_BYTES]
    encoding = _guess_encoding(head, label)
    delimiter, sample_rows = _sniff(head, encoding, schema, mapping, label)
    header_index = find_header_row(sample_rows, schema, mapping, label)
    header = sample_rows[header_index]
    match = match_columns(header, schema, mapping, label)
    body = memoryview(data)[start:]
    quoted = data.find(b'"') != -1
    table = None
    try:
        table = _arrow_read(body, encoding, delimiter, header_index, len(header), match, quoted)
    except UnicodeDecodeError:
        raise _not_text(label) from None
    except pa.ArrowInvalid as exc:
        # Invalid UTF-8 past the sampled start: the file is Windows-1252 after all. Anything else
        # (a row with the wrong number of cells, a stray quote) is for the Python reader to name.
        if "utf8" in str(exc).lower() and encoding == "utf-8":
            encoding = "cp1252"
            try:
                table = _arrow_read(body, encoding, delimiter, header_index, len(header), match, quoted)
            except UnicodeDecodeError:
                raise _not_text(label) from None
            except pa.ArrowInvalid:
                table = None
    first_row = header_index + 2
    if table is not None:
        columns = {name: table.column(f"c{pos}") for name, pos in match.positions.items()}
        rows = np.arange(first_row, first_row + table.num_rows, dtype=np.int64)
        return RawTable(columns, rows, match, header_index + 1, encoding=encoding, delimiter=delimiter)
    return _python_read(bytes(body), encoding, delimiter, header_index, len(header), match, label)


def _arrow_read(body, encoding, delimiter, header_index, width, match, quoted=True):
    """All wanted columns as large_string (pandas' own text storage: no cast afterwards)."""
    names = [f"c{i}" for i in range(width)]
    wanted = [f"c{p}" for p in match.positions.values()]
    table = pcsv.read_csv(
        pa.BufferReader(pa.py_buffer(body)),
        read_options=pcsv.ReadOptions(skip_rows=header_index + 1, column_names=names, encoding=encoding),
        # Line breaks can only sit inside quoted cells; parsing is faster when there are no quotes.
        parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=quoted,
                                        ignore_empty_lines=False),
        convert_options=pcsv.ConvertOptions(include_columns=wanted, column_types=dict.fromkeys(wanted, pa.large_string()),
                                            strings_can_be_null=True, quoted_strings_can_be_null=True,
                                            null_values=[""]),
    )
    return table


def _python_read(data: bytes, encoding, delimiter, header_index, width, match, label) -> RawTable:
    try:
        text = data.decode("utf-8") if encoding == "utf-8" else data.decode("cp1252")
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            raise _not_text(label) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    cells: dict[int, list] = {p: [] for p in match.positions.values()}
    problems: list[Problem] = []
    bad: list[bool] = []
    count = 0
    try:
        for number, record in enumerate(reader, start=1):
            if number <= header_index + 1:
                continue
            extra = [c for c in record[width:] if c.strip()]
            bad.append(bool(extra))
            if extra:
                count += 1
                if len(problems) < MAX_PARSE_PROBLEMS:
                    problems.append(Problem(f"{label} row {number}", f"{len(record)} cells but the header has {width}",
                                            "a delimiter inside a value must be quoted"))
            for p, values in cells.items():
                values.append(record[p] if p < len(record) else None)
    except csv.Error as exc:
        raise EvidenceError(f"{label} cannot be read as CSV", [Problem(f"{label} row {reader.line_num}", str(exc))]) from None
    columns = {name: pd.Series(cells[p], dtype="str") for name, p in match.positions.items()}
    first = header_index + 2
    rows = np.arange(first, first + len(bad), dtype=np.int64)
    return RawTable(columns, rows, match, header_index + 1, encoding=encoding, delimiter=delimiter,
                    parse_bad=np.array(bad, dtype=bool), parse_problems=problems, parse_problem_count=count)


def _to_utf8_if_utf16(data: Buffer, label: str) -> Buffer:
    if data[:2] not in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return data
    try:
        return bytes(data).decode("utf-16").encode("utf-8")
    except UnicodeDecodeError:
        raise _not_text(label) from None


def _guess_encoding(sample: bytes, label: str) -> str:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        raise _not_text(label) from None


def _sniff(sample: bytes, encoding: str, schema, mapping, label) -> tuple[str, list[list[str]]]:
    """The delimiter whose first rows name the most fields, and those rows."""
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)
    if len(sample) == SAMPLE_BYTES and "\n" in text:
        text = text[: text.rindex("\n") + 1]  # drop a partial last line
    best: tuple[int, str, list[list[str]]] | None = None
    for delimiter in DELIMITERS:
        rows = _first_rows(text, delimiter)
        score = max((score_row(r, schema, mapping) for r in rows), default=0)
        if best is None or score > best[0]:
            best = (score, delimiter, rows)
    assert best is not None
    if not best[2]:
        raise EvidenceError(f"{label} is empty", [Problem(label, "the file has no rows", "export the sheet with its header row")])
    return best[1], best[2]


def _first_rows(text: str, delimiter: str, limit: int = 30) -> list[list[str]]:
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row)
            if len(rows) >= limit:
                break
    except csv.Error:
        pass
    return rows


def _not_text(label: str) -> EvidenceError:
    return EvidenceError(f"{label} cannot be decoded",
                         [Problem(label, "the text is neither UTF-8 nor Windows-1252", "save it as CSV UTF-8 from Excel")])
