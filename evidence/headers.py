"""Find the header row of a table and match its headers to a dataset's canonical fields.

Matching order for each header (compared with `schemas.header_key`, so case, spaces, ``-`` and
``_`` never matter): the mapping file's `columns`, then the field names and precise synonyms, then
the loose synonyms (generic words such as "Type" or "Impact"). A loose match is an *assumption*:
it is used, and reported so the user can undo it (map the header to ~). A mapping-file match wins
over an automatic one for the same field (the automatic column is then ignored, with a warning);
two automatic matches of the same strength for one field are an error the user resolves by
renaming or mapping one of them. A field the mapping sets, derives or reads `from` a named column
ignores the column that would otherwise have matched it.

The header row is the row, among the first `HEADER_SEARCH_ROWS` (the reader's, `tabular.limits`),
that names the most fields — precise names first, loose ones breaking ties — and it must name at
least two (one matching cell is as likely a value as a header), unless the table has one column. Two rows naming as many fields
are ambiguous and refused: the mapping's `header_row` says which one it is.
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

MIN_HEADER_NAMES = 2


class HeaderError(EvidenceError):
    """The file was read, but its header row or columns cannot be matched to the dataset (a
    mapping can fix it, unlike a file that cannot be read at all)."""
_LOOSE_WEIGHT = 64  # a row's score: precise names × 64 + loose ones (a dataset has fewer than 64 fields)


@dataclass
class ColumnMatch:
    """Which column position holds each field, and what was left out or assumed."""

    positions: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    assumed: dict[str, str] = field(default_factory=dict)
    """Field → header matched only by a loose synonym."""
    mapped_away: list[str] = field(default_factory=list)
    """Headers the mapping ignores on purpose (mapped to ~)."""


def _field_of(key: str, schema: DatasetSchema, mapping: Mapping) -> tuple[str | None, int]:
    """(field, rank): 3 for a mapping-file match, 2 for a name or precise synonym, 1 for a loose
    synonym; ('', 3) = ignored by the mapping; (None, 0) = unknown."""
    if key in mapping.columns:
        return mapping.columns[key], 3
    found = schema.header_index().get(key)
    if found is not None:
        return found, 1 if key in schema.loose_keys else 2
    return None, 0


def _names(cells: Sequence[Any], schema: DatasetSchema, mapping: Mapping) -> tuple[set[str], set[str]]:
    """(fields named precisely, fields named only loosely) by a row's cells; the headers the
    mapping's rules read count as precise names."""
    extra = {header_key(h) for names in mapping.extra_headers() for h in names}
    extra |= {header_key(s) for rule in mapping.fields.values() for s in rule.sources}
    precise, loose = set(), set()
    for cell in cells:
        text = as_text(cell)
        if not text:
            continue
        key = header_key(text)
        name, rank = _field_of(key, schema, mapping)
        if name:
            (precise if rank > 1 else loose).add(name)
        elif key in extra:
            precise.add(f"header:{key}")
    return precise, loose - precise


def score_row(cells: Sequence[Any], schema: DatasetSchema, mapping: Mapping) -> int:
    """How header-like a row is: the fields its cells name precisely, then loosely."""
    precise, loose = _names(cells, schema, mapping)
    return len(precise) * _LOOSE_WEIGHT + len(loose)


def _count(score: int) -> int:
    return score // _LOOSE_WEIGHT + score % _LOOSE_WEIGHT


def find_header_row(rows: Sequence[Sequence[Any]], schema: DatasetSchema, mapping: Mapping, label: str) -> int:
    """0-based index of the header row among `rows` (the first rows of the table)."""
    if mapping.header_row is not None:
        if mapping.header_row > len(rows):
            raise HeaderError("header row not found", [Problem(label, f"the mapping says the header is on row {mapping.header_row}, but the table has {len(rows)} row(s)")])
        return mapping.header_row - 1
    scores = [score_row(row, schema, mapping) for row in rows[:HEADER_SEARCH_ROWS]]
    best_score = max(scores, default=0)
    best = scores.index(best_score) if scores else 0
    expected = ", ".join(schema.field_names[:6])
    wide = max((sum(1 for c in row if as_text(c)) for row in rows[:HEADER_SEARCH_ROWS]), default=0)
    if _count(best_score) < min(MIN_HEADER_NAMES, wide) or not best_score:
        found = (f"row {best + 1} names only one field ({', '.join(_shown_names(rows[best], schema, mapping))}), which may "
                 f"as well be a value" if best_score else f"none of the first {HEADER_SEARCH_ROWS} rows names a field of {schema.name}")
        raise HeaderError(f"no header row found in {label}", [Problem(
            label, found, f"a header row names at least {MIN_HEADER_NAMES} fields, such as {expected}; map your headers "
                          f"in a mapping file (columns: {{\"Your header\": field}}) or set header_row")])
    ties = [i for i, s in enumerate(scores) if s == best_score and i != best]
    if ties:
        raise HeaderError(f"the header row of {label} is ambiguous", [Problem(
            label, f"rows {best + 1} and {ties[0] + 1} both name {_count(best_score)} fields "
                   f"({', '.join(_shown_names(rows[best], schema, mapping))})",
            "set header_row in a mapping file to say which row is the header")])
    return best


def _shown_names(cells: Sequence[Any], schema: DatasetSchema, mapping: Mapping) -> list[str]:
    precise, loose = _names(cells, schema, mapping)
    return sorted(n.removeprefix("header:") for n in precise | loose)


def match_columns(header: Sequence[Any], schema: DatasetSchema, mapping: Mapping, label: str,
                  provided: frozenset[str] = frozenset()) -> ColumnMatch:
    """Match header cells to fields; EvidenceError on conflicts and missing required fields.
    `provided`: fields that come from elsewhere (a timeline) and need no column."""
    match = ColumnMatch()
    priority: dict[str, int] = {}
    problems: list[Problem] = []
    ruled = {name for name, rule in mapping.fields.items() if rule.has_set or rule.duration or rule.sources or rule.filled}
    for position, cell in enumerate(header):
        text = as_text(cell)
        if not text:
            continue
        name, rank = _field_of(header_key(text), schema, mapping)
        if not name:
            (match.ignored if name is None else match.mapped_away).append(text)
            continue
        if name in ruled or name in provided:
            match.ignored.append(text)
            if rank == 3:
                match.warnings.append(Problem(f"{label}, column '{text}'", f"ignored: the mapping's fields.{name} rule fills {name}"))
            continue
        if name in match.positions:
            other = match.headers[name]
            if rank == priority[name]:
                problems.append(Problem(f"{label}, column '{text}'", f"both '{other}' and '{text}' mean {name}",
                                        "rename one, or map one elsewhere in a mapping file (\"Header\": ~ ignores it)"))
                continue
            if rank < priority[name]:
                match.ignored.append(text)
                if priority[name] == 3:
                    match.warnings.append(Problem(f"{label}, column '{text}'", f"ignored: the mapping file reads {name} from '{other}'"))
                continue
            match.ignored.append(other)
            match.assumed.pop(name, None)
            if rank == 3:
                match.warnings.append(Problem(f"{label}, column '{other}'", f"ignored: the mapping file reads {name} from '{text}'"))
        match.positions[name], match.headers[name], priority[name] = position, text, rank
        if rank == 1:
            match.assumed[name] = text
    _sources(header, schema, mapping, match, label, problems)
    filled = ruled | set(provided) | {n for n, r in mapping.fields.items() if r.has_default}
    for spec in schema.fields:
        if spec.required and spec.name not in match.positions and spec.name not in filled:
            problems.append(Problem(label, f"required column {spec.name} not found",
                                    f"headers found: {', '.join(str(as_text(c)) for c in header if as_text(c)) or 'none'}; "
                                    f"rename one or map it (columns: {{\"Your header\": {spec.name}}})"))
    if problems:
        raise HeaderError(f"the columns of {label} cannot be matched to {schema.name}", problems)
    match.ignored = [h for h in dict.fromkeys(match.ignored) if h not in match.headers.values()]
    return match


def _sources(header: Sequence[Any], schema: DatasetSchema, mapping: Mapping, match: ColumnMatch, label: str,
             problems: list[Problem]) -> None:
    """Fields read `from` a named column: the first of its headers the file has. None of them is
    an error for a required field without a default, else a warning (the field stays blank)."""
    positions = {}
    for position, cell in enumerate(header):
        text = as_text(cell)
        if text:
            positions.setdefault(header_key(text), (position, text))
    for name, rule in mapping.fields.items():
        if not rule.sources:
            continue
        found = next((positions[header_key(s)] for s in rule.sources if header_key(s) in positions), None)
        if found is None:
            names = " or ".join(f"'{s}'" for s in rule.sources)
            if rule.has_default:
                continue
            if schema.field(name).required:
                problems.append(Problem(label, f"fields.{name}.from: no column {names}",
                                        f"headers found: {', '.join(t for _, t in positions.values()) or 'none'}"))
            else:
                match.warnings.append(Problem(label, f"fields.{name}.from: no column {names}, so {name} is blank"))
            continue
        match.positions[name], match.headers[name] = found


def column_positions(header: Sequence[Any], names: Sequence[tuple[str, ...]], label: str,
                     optional: set[tuple[str, ...]] = frozenset()) -> dict[str, int]:
    """Position of the first alternative the file has of each header in `names` (as the mapping's
    rules name them), keyed by the first alternative; HeaderError names those the file does not
    have, unless `optional`."""
    positions = {}
    for position, cell in enumerate(header):
        text = as_text(cell)
        if text:
            positions.setdefault(header_key(text), position)
    out, missing = {}, []
    for alternatives in names:
        found = next((positions[header_key(a)] for a in alternatives if header_key(a) in positions), None)
        if found is not None:
            out[alternatives[0]] = found
        elif alternatives not in optional:
            missing.append(" or ".join(f"'{a}'" for a in alternatives))
    if missing:
        found = ", ".join(str(as_text(c)) for c in header if as_text(c)) or "none"
        raise HeaderError(f"the mapping names columns {label} does not have", [
            Problem(label, f"no column {n} (named by the mapping's rules)", f"headers found: {found}") for n in missing])
    return out
