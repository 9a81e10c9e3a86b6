"""Find the header row of a table and match its headers to a dataset's canonical fields.

Matching order for each header (compared with `schemas.header_key`, so case, spaces, ``-`` and
``_`` never matter): the mapping file's `columns`, then the field names, then their synonyms.
A mapping-file match wins over an automatic one for the same field (the automatic column is then
ignored, with a warning); two automatic matches for one field are an error the user resolves by
renaming or mapping one of them.

The header row is the row, among the first `HEADER_SEARCH_ROWS` (the reader's, `tabular.limits`),
whose cells match the most distinct fields (the earliest on a tie), so title rows above the header
are skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from errors import EvidenceError, Problem
from evidence.mapping import Mapping
from evidence.schemas import DatasetSchema, header_key
from evidence.values import as_text
from tabular.limits import HEADER_SEARCH_ROWS


@dataclass
class ColumnMatch:
    """Which column position holds each field, and what was left out."""

    positions: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _field_of(key: str, schema_index: dict[str, str], mapping: Mapping) -> tuple[str | None, int]:
    """(field, priority): 2 for a mapping-file match, 1 for a name or synonym; ('', 2) = ignored."""
    if key in mapping.columns:
        return mapping.columns[key], 2
    if key in schema_index:
        return schema_index[key], 1
    return None, 0


def score_row(cells: Sequence[Any], schema: DatasetSchema, mapping: Mapping) -> int:
    """How many distinct fields a row's cells name."""
    index = schema.header_index()
    found = set()
    for cell in cells:
        text = as_text(cell)
        if text:
            name, _ = _field_of(header_key(text), index, mapping)
            if name:
                found.add(name)
    return len(found)


def find_header_row(rows: Sequence[Sequence[Any]], schema: DatasetSchema, mapping: Mapping, label: str) -> int:
    """0-based index of the header row among `rows` (the first rows of the table)."""
    if mapping.header_row is not None:
        if mapping.header_row > len(rows):
            raise EvidenceError("header row not found", [Problem(label, f"the mapping says the header is on row {mapping.header_row}, but the table has {len(rows)} row(s)")])
        return mapping.header_row - 1
    best, best_score = 0, 0
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = score_row(row, schema, mapping)
        if score > best_score:
            best, best_score = i, score
    if best_score == 0:
        expected = ", ".join(schema.field_names[:6])
        raise EvidenceError(
            f"no header row found in {label}",
            [Problem(label, f"none of the first {HEADER_SEARCH_ROWS} rows names a field of {schema.name}",
                     f"expected headers such as {expected}; or map your headers in a mapping file (columns: {{\"Your header\": field}})")],
        )
    return best


def match_columns(header: Sequence[Any], schema: DatasetSchema, mapping: Mapping, label: str) -> ColumnMatch:
    """Match header cells to fields; EvidenceError on conflicts and missing required fields."""
    index = schema.header_index()
    match = ColumnMatch()
    priority: dict[str, int] = {}
    problems: list[Problem] = []
    for position, cell in enumerate(header):
        text = as_text(cell)
        if not text:
            continue
        name, rank = _field_of(header_key(text), index, mapping)
        if not name:
            if name is None:
                match.ignored.append(text)
            continue
        if name in match.positions:
            other = match.headers[name]
            if rank == priority[name]:
                problems.append(Problem(f"{label}, column '{text}'", f"both '{other}' and '{text}' mean {name}",
                                        "rename one, or map one elsewhere in a mapping file (\"Header\": ~ ignores it)"))
                continue
            if rank < priority[name]:
                match.warnings.append(Problem(f"{label}, column '{text}'", f"ignored: the mapping file reads {name} from '{other}'"))
                continue
            match.warnings.append(Problem(f"{label}, column '{other}'", f"ignored: the mapping file reads {name} from '{text}'"))
        match.positions[name], match.headers[name], priority[name] = position, text, rank
    for spec in schema.fields:
        if spec.required and spec.name not in match.positions:
            problems.append(Problem(label, f"required column {spec.name} not found",
                                    f"headers found: {', '.join(str(as_text(c)) for c in header if as_text(c)) or 'none'}; "
                                    f"rename one or map it (columns: {{\"Your header\": {spec.name}}})"))
    if problems:
        raise EvidenceError(f"the columns of {label} cannot be matched to {schema.name}", problems)
    return match
