"""Read a Zeek log (ICSNPP's included) as a table: the TSV the ASCII writer produces, or JSON lines.

TSV logs start with directives: `#separator \\x09` (the separator, written as an escape), then
`#set_separator`, `#empty_field` (`(empty)`), `#unset_field` (`-`), `#path`, `#open`, `#fields`
(the column names) and `#types` (their Zeek types); `#close` ends a log, and concatenated logs
repeat the directives. Rules:

- The `#fields` line is the header; its line number is the header row. Every line is a row,
  numbered as in a text editor (directive lines count).
- A data line must have exactly as many cells as `#fields` names; otherwise it is refused with
  its row number (a shifted line would move every value one column over).
- Unset (`-`) and empty (`(empty)`) values are blank. `\\xHH` escapes are decoded.
- Typed values become what the evidence reader understands: `time` (seconds since 1970, UTC) →
  an ISO date-time with `Z`; `interval` (seconds) → "N s"; `bool` T/F → true/false; sets and
  vectors keep the set separator (,).
- A later log in the same file must have the same `#fields`; otherwise the file is refused.

JSON logs (`LogAscii::use_json`) hold one object per line with the same field names (`id.orig_h`);
columns are the keys in order of first appearance in the first 1,000 lines. `ts` (seconds since
1970) becomes an ISO date-time; `true`/`false` stay so; lists are joined with commas. A line that
is not a JSON object is refused with its row number.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection

import numpy as np
import pyarrow as pa

from errors import Problem, TableError
from tabular import limits
from tabular.table import Header, HeaderRule, Table, check_width

ZEEK_MAGIC = b"#separator "
_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})")
JSON_SCHEMA_LINES = 1000


def is_zeek(head: bytes) -> bool:
    """Whether a text file's first bytes are a Zeek TSV log's (after an optional UTF-8 BOM)."""
    return head.removeprefix(b"\xef\xbb\xbf").startswith(ZEEK_MAGIC)


def is_json_lines(head: bytes, label: str) -> bool:
    """Whether a `.log` file is one JSON object per line."""
    return label.lower().endswith(".log") and head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{")


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m[1], 16)), text) if "\\x" in text else text


class ZeekLog:
    """A Zeek TSV log, already decoded (it passed the reader's byte checks)."""

    sheet = None

    def __init__(self, text: str, label: str, encoding: str) -> None:
        self.label = self.where = label
        self.encoding = encoding
        self.lines = text.split("\n")
        self.separator, self.unset, self.empty = "\t", "-", "(empty)"
        self.fields: list[str] = []
        self.types: list[str] = []
        self.fields_line = -1
        self.path = ""
        self._directives()
        self.file_format = f"Zeek log {self.path}".strip()

    def _directives(self) -> None:
        for i, line in enumerate(self.lines[: limits.HEADER_SEARCH_ROWS]):
            if not line.startswith("#"):
                break
            name, _, value = line.rstrip("\r").partition(" " if line.startswith("#separator ") else self.separator)
            if name == "#separator":
                self.separator = _unescape(value.strip()) or "\t"
            elif name == "#unset_field":
                self.unset = value
            elif name == "#empty_field":
                self.empty = value
            elif name == "#path":
                self.path = value
            elif name == "#fields":
                self.fields, self.fields_line = value.split(self.separator), i
            elif name == "#types":
                self.types = value.split(self.separator)
        if self.fields_line < 0:
            raise TableError(f"{self.label} is a Zeek log without a #fields line", [Problem(
                self.label, "the log's directives name no columns", "export the log with its #fields line")])

    def header(self, rule: HeaderRule | None = None, search_rows: int = limits.HEADER_SEARCH_ROWS) -> Header:
        """The #fields line (the log says which line is its header)."""
        check_width(len(self.fields), self.label)
        return Header(self.fields_line, list(self.fields), self.separator)

    def read(self, header: Header, positions: Collection[int] | None = None,
             text_positions: Collection[int] | None = None) -> Table:
        width = len(self.fields)
        wanted = sorted(p for p in (positions if positions is not None else range(width)) if p < width)
        convert = {p: _converter(self.types[p] if p < len(self.types) else "string") for p in wanted}
        cells: dict[int, list] = {p: [] for p in wanted}
        rows: list[int] = []
        problems: list[Problem] = []
        problem_rows: list[int] = []
        count = 0
        for number, line in enumerate(self.lines[self.fields_line + 1 :], start=self.fields_line + 2):
            line = line.rstrip("\r")
            if not line:
                continue
            if line.startswith("#"):
                self._later_directive(line, number)
                continue
            values = line.split(self.separator)
            if len(values) != width:
                count += 1
                if len(problems) < limits.MAX_ROW_PROBLEMS:
                    problems.append(Problem(f"{self.label} row {number}", f"{len(values)} cells but #fields names {width}",
                                            "every line of a Zeek log has one value per field (- when unset)"))
                    problem_rows.append(number)
                continue
            rows.append(number)
            for p in wanted:
                value = values[p]
                cells[p].append(None if value in (self.unset, self.empty, "") else convert[p](_unescape(value)))
        columns = {p: pa.chunked_array([pa.array(c, type=pa.large_string())]) for p, c in cells.items()}
        return Table(self.label, header, np.array(rows, dtype=np.int64), columns, encoding=self.encoding,
                     problems=problems, problem_rows=problem_rows, problem_count=count)

    def _later_directive(self, line: str, number: int) -> None:
        if line.startswith("#fields"):
            fields = line.rstrip("\r").split(self.separator)[1:]
            if fields != self.fields:
                raise TableError(f"{self.label} joins Zeek logs with different fields", [Problem(
                    f"{self.label} row {number}", "this log's #fields differ from the first log's",
                    "read each kind of log on its own")])


def _converter(zeek_type: str):
    if zeek_type == "time":
        return _time
    if zeek_type == "interval":
        return lambda v: f"{v} s"
    if zeek_type == "bool":
        return lambda v: {"T": "true", "F": "false"}.get(v, v)
    return str


def _time(value: str) -> str:
    """Seconds since 1970 (UTC) → ISO date-time with Z (kept as written when not a number)."""
    try:
        moment = dt.datetime.fromtimestamp(float(value), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        return value
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


class JsonLog:
    """A log of one JSON object per line (Zeek's JSON writer)."""

    sheet = None

    def __init__(self, text: str, label: str, encoding: str) -> None:
        self.label = self.where = label
        self.encoding = encoding
        self.lines = text.split("\n")
        keys: dict[str, None] = {}
        for line in self.lines[:JSON_SCHEMA_LINES]:
            record = _record(line)
            if isinstance(record, dict):
                keys.update(dict.fromkeys(record))
        self.fields = list(keys)
        self.file_format = "JSON log"

    def header(self, rule: HeaderRule | None = None, search_rows: int = limits.HEADER_SEARCH_ROWS) -> Header:
        check_width(len(self.fields), self.label)
        if not self.fields:
            raise TableError(f"{self.label} holds no JSON object", [Problem(self.label, "no line is a JSON object")])
        return Header(-1, list(self.fields), None)

    def read(self, header: Header, positions: Collection[int] | None = None,
             text_positions: Collection[int] | None = None) -> Table:
        wanted = sorted(p for p in (positions if positions is not None else range(len(self.fields))) if p < len(self.fields))
        cells: dict[int, list] = {p: [] for p in wanted}
        rows, problems, problem_rows, count = [], [], [], 0
        for number, line in enumerate(self.lines, start=1):
            if not line.strip():
                continue
            record = _record(line)
            if not isinstance(record, dict):
                count += 1
                if len(problems) < limits.MAX_ROW_PROBLEMS:
                    problems.append(Problem(f"{self.label} row {number}", "not a JSON object", "each line holds one {...} record"))
                    problem_rows.append(number)
                continue
            rows.append(number)
            for p in wanted:
                cells[p].append(_json_cell(self.fields[p], record.get(self.fields[p])))
        columns = {p: pa.chunked_array([pa.array(c, type=pa.large_string())]) for p, c in cells.items()}
        return Table(self.label, header, np.array(rows, dtype=np.int64), columns, encoding=self.encoding,
                     problems=problems, problem_rows=problem_rows, problem_count=count)


def _record(line: str):
    try:
        return json.loads(line)
    except ValueError:
        return None


def _json_cell(key: str, value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(v) for v in value) or None
    if key == "ts" and isinstance(value, int | float):
        return _time(str(value))
    return str(value)
