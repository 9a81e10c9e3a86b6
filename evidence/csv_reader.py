"""Read a CSV evidence file into a `RawTable`.

Accepted: comma, semicolon or tab delimiters; UTF-8 with or without BOM, UTF-16 with BOM, or
Windows-1252; title rows above the header; quoted cells with line breaks. The delimiter and the
header row are chosen together from the first 64 KB: the pair whose row names the most fields.

Rows are numbered as the user sees them when opening the file (each record is one row, title
and blank rows count). The fast path is pandas' C parser straight from the file (the same work
as a bare `pandas.read_csv`); cells keep the type it infers, which the converters accept, except
that text fields whose sampled values look numeric are read as text (so "007" stays "007").
A row with more cells than the header makes the C parser give up; the file is then re-read with
Python's csv module so that the row can be named exactly (missing trailing cells count as blank,
extra non-blank cells are an error).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from errors import EvidenceError, Problem
from evidence.headers import ColumnMatch, find_header_row, match_columns, score_row
from evidence.mapping import Mapping
from evidence.safety import check_text
from evidence.schemas import DatasetSchema
from evidence.table import RawTable

SAMPLE_BYTES = 65536
DELIMITERS = (",", ";", "\t")
MAX_PARSE_PROBLEMS = 1000
_NUMERIC = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")


def read_csv_table(source: bytes | Path, schema: DatasetSchema, mapping: Mapping, label: str) -> RawTable:
    """`source` is the file's bytes, or its path (a large file is parsed from disk, never copied)."""
    head = _head(source)
    check_text(head, label)
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        source = _utf16_to_utf8(source, label)
        head = source[:SAMPLE_BYTES]
    sample = head[3:] if head[:3] == codecs.BOM_UTF8 else head
    encoding = _guess_encoding(sample, label)
    delimiter, sample_rows = _sniff(sample, encoding, schema, mapping, label, max(30, mapping.header_row or 0))
    header_index = find_header_row(sample_rows, schema, mapping, label)
    header = sample_rows[header_index]
    match = match_columns(header, schema, mapping, label)
    as_text = _numeric_looking_text(schema, match, sample_rows[header_index + 1 :])
    frame = None
    for attempt in (encoding, "cp1252") if encoding == "utf-8" else (encoding,):
        try:
            frame = _pandas_read(source, attempt, delimiter, header_index, len(header), match.positions.values(), as_text)
            encoding = attempt
            break
        except UnicodeDecodeError:
            continue  # invalid UTF-8 past the sampled start: try Windows-1252
        except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError, IndexError):
            break  # a row with too many cells, a stray quote: the Python reader names it
    else:
        raise _not_text(label)
    # A text column that pandas typed as numbers in some chunks only ("A1" here, "007" there) is
    # read again as text, so that no identifier loses its leading zeros.
    if frame is not None:
        frame = _retype_text(frame, source, encoding, delimiter, header_index, len(header), schema, match)
    if frame is None:
        data = source if isinstance(source, bytes) else source.read_bytes()
        return _python_read(data, encoding, delimiter, header_index, len(header), match, label)
    first_row = header_index + 2
    columns = {name: frame[f"c{pos}"] for name, pos in match.positions.items()}
    rows = np.arange(first_row, first_row + len(frame), dtype=np.int64)
    return RawTable(columns, rows, match, header_index + 1, encoding=encoding, delimiter=delimiter)


def _retype_text(frame, source, encoding, delimiter, header_index, width, schema, match) -> pd.DataFrame | None:
    """Text columns typed otherwise by pandas: all-empty ones become text; mixed ones are re-read
    as text (None when that re-read fails: the Python reader then takes over)."""
    again = []
    for name, pos in match.positions.items():
        column = frame[f"c{pos}"]
        if schema.field(name).kind != "text" or isinstance(column.dtype, pd.StringDtype):
            continue
        if column.isna().all():
            frame[f"c{pos}"] = column.astype("str")
        else:
            again.append(pos)
    if again:
        try:
            reread = _pandas_read(source, encoding, delimiter, header_index, width, again, again)
        except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError, IndexError, UnicodeDecodeError):
            return None
        for pos in again:
            frame[f"c{pos}"] = reread[f"c{pos}"]
    return frame


def _head(source: bytes | Path) -> bytes:
    if isinstance(source, bytes):
        return source[:SAMPLE_BYTES]
    with source.open("rb") as handle:
        return handle.read(SAMPLE_BYTES)


def _numeric_looking_text(schema: DatasetSchema, match: ColumnMatch, rows: list[list[str]]) -> list[int]:
    """Positions of text fields whose sampled cells all look like numbers: read those as text."""
    out = []
    for name, pos in match.positions.items():
        if schema.field(name).kind != "text":
            continue
        cells = [r[pos] for r in rows if pos < len(r) and r[pos].strip()]
        if cells and all(_NUMERIC.fullmatch(c) for c in cells):
            out.append(pos)
    return out


def _pandas_read(source, encoding, delimiter, header_index, width, positions, as_text) -> pd.DataFrame:
    """The columns at `positions`; empty cells are missing, nothing else is (a site named "NA" is
    a site); columns at `as_text` are read as text whatever they look like."""
    wanted = sorted(positions)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.DtypeWarning)  # mixed-type chunks: the converters cope
        # Rows with more cells than the header: pandas would drop the extra cells with this warning
        # (or, without index_col=False, shift the row into the index). Make it an error instead.
        warnings.simplefilter("error", pd.errors.ParserWarning)
        return pd.read_csv(
            io.BytesIO(source) if isinstance(source, bytes) else source,
            sep=delimiter, header=None, names=[f"c{i}" for i in range(width)],
            usecols=[f"c{i}" for i in wanted] if len(wanted) < width else None,
            skiprows=header_index + 1, skip_blank_lines=False, keep_default_na=False, na_values=[""],
            dtype={f"c{i}": str for i in as_text} or None, encoding="utf-8-sig" if encoding == "utf-8" else encoding,
            engine="c", index_col=False,
        )


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
    problem_rows: list[int] = []
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
                    problem_rows.append(number)
            for p, values in cells.items():
                values.append(record[p] if p < len(record) else None)
    except csv.Error as exc:
        raise EvidenceError(f"{label} cannot be read as CSV", [Problem(f"{label} row {reader.line_num}", str(exc))]) from None
    columns = {name: pd.Series(cells[p], dtype="str") for name, p in match.positions.items()}
    first = header_index + 2
    rows = np.arange(first, first + len(bad), dtype=np.int64)
    return RawTable(columns, rows, match, header_index + 1, encoding=encoding, delimiter=delimiter,
                    parse_bad=np.array(bad, dtype=bool), parse_problems=problems,
                    parse_problem_rows=problem_rows, parse_problem_count=count)


def _utf16_to_utf8(source: bytes | Path, label: str) -> bytes:
    data = source if isinstance(source, bytes) else source.read_bytes()
    try:
        return data.decode("utf-16").encode("utf-8")
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


def _sniff(sample: bytes, encoding: str, schema, mapping, label, limit: int) -> tuple[str, list[list[str]]]:
    """The delimiter whose first rows name the most fields, and those rows."""
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)
    if len(sample) == SAMPLE_BYTES and "\n" in text:
        text = text[: text.rindex("\n") + 1]  # drop a partial last line
    best: tuple[int, str, list[list[str]]] | None = None
    for delimiter in DELIMITERS:
        rows = _first_rows(text, delimiter, limit)
        score = max((score_row(r, schema, mapping) for r in rows), default=0)
        if best is None or score > best[0]:
            best = (score, delimiter, rows)
    assert best is not None
    if not best[2]:
        raise EvidenceError(f"{label} is empty", [Problem(label, "the file has no rows", "export the sheet with its header row")])
    return best[1], best[2]


def _first_rows(text: str, delimiter: str, limit: int) -> list[list[str]]:
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
