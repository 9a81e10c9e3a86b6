"""Validate a `RawTable` against its dataset schema: typed columns plus every problem, row by row.

Rules:
- Rows whose every matched cell is empty are skipped (not counted, not reported); constants and
  defaults of the mapping's field rules (`evidence.derive`) do not make a row non-empty.
- Each cell must parse as its field's kind (`evidence.values`); required fields must not be blank;
  unique fields must not repeat (every occurrence of a repeated key is an error: we cannot tell
  which one is right).
- A row with any problem is invalid; the frame holds only the valid rows.
- With the mapping's `repeated_ids: latest`, the rows of a repeated id other than its latest (by
  the dataset's `recency` date, then the row order) are merged into it: left out and counted, not
  errors.
- Problems are built only for failing rows and at most `MAX_PROBLEMS` are listed, sorted by row;
  `problem_count` gives the full number, so a broken million-row file cannot flood memory.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from errors import Problem
from evidence import dates
from evidence.convert import TEXT_DTYPE, Converted, convert_column, duplicate_mask, to_pandas
from evidence.derive import apply_rules
from evidence.mapping import Mapping
from evidence.schemas import DatasetSchema, FieldSpec
from evidence.table import RawTable
from evidence.validated_dataset import ValidatedDataset

MAX_PROBLEMS = 1000
PARALLEL_ROWS = 50_000


def validate_table(raw: RawTable, schema: DatasetSchema, mapping: Mapping, label: str,
                   time_zone: str | None = None) -> ValidatedDataset:
    """`time_zone` is the site's (IANA name; None: UTC): date-times with an offset are converted to
    it before their date is taken."""
    n = len(raw)
    rules = dates.DateRules(mapping.date_order, mapping.date_format, time_zone)
    converted, duplicates = _convert_all(raw, schema, mapping, rules)
    empty_row = np.ones(n, dtype=bool)
    for conv in converted.values():
        empty_row &= conv.empty
    derived = apply_rules(raw, mapping.fields, {s.name: s for s in schema.fields}, converted, rules)
    merged = np.zeros(n, dtype=bool)
    if mapping.repeated_ids == "latest" and schema.unique_field in duplicates:
        merged = _older_rows(schema, converted, duplicates[schema.unique_field] & ~empty_row)
        duplicates[schema.unique_field] = np.zeros(n, dtype=bool)  # only each id's latest row is kept
    keep = ~empty_row & ~merged
    found: list[tuple[np.ndarray, int, list[Problem]]] = []  # (row numbers, field order, problems)
    invalid = np.zeros(n, dtype=bool)
    count = 0
    if raw.parse_problem_count:  # malformed rows: not in the table, counted and listed here
        count += raw.parse_problem_count
        found.append((np.array(raw.parse_problem_rows, dtype=np.int64), -1, list(raw.parse_problems)))
    for order, spec in enumerate(schema.fields):
        conv = converted.get(spec.name)
        if conv is None:
            continue
        header = conv.header or raw.match.headers.get(spec.name, spec.name)
        for mask, build in _checks(spec, conv, duplicates.get(spec.name), raw.rows, keep):
            positions = np.flatnonzero(mask)
            if not len(positions):
                continue
            invalid |= mask
            count += len(positions)
            shown = positions[:MAX_PROBLEMS]
            problems = [Problem(f"{label} row {raw.rows[p]}, column '{header}'", message, hint) for p, (message, hint) in zip(shown, build(shown), strict=True)]
            found.append((raw.rows[shown], order, problems))
    problems = _first_problems(found)
    good = keep & ~invalid
    frame = _frame(schema, converted, raw.rows, good, n)
    return ValidatedDataset(
        dataset=schema.name, source=label, frame=frame, problems=tuple(problems), problem_count=count,
        total_rows=int(keep.sum()) + raw.parse_problem_count, kept_rows=int(good.sum()), columns=dict(raw.match.headers),
        ignored_columns=tuple(raw.match.ignored), absent_fields=tuple(f for f in schema.field_names if f not in converted),
        warnings=tuple(raw.match.warnings), header_row=raw.header_row, sheet=raw.sheet,
        encoding=raw.encoding, delimiter=raw.delimiter, assumed=dict(raw.match.assumed), derived=derived,
        filtered_rows=raw.filtered_rows, merged_rows=int(merged.sum()), events=raw.events, file_format=raw.file_format,
        mapped_away=tuple(raw.match.mapped_away),
    )


def _convert_all(raw: RawTable, schema: DatasetSchema, mapping: Mapping,
                 rules: dates.DateRules) -> tuple[dict[str, Converted], dict[str, np.ndarray]]:
    """Convert every matched column (and find repeated keys) on a thread pool: the Arrow and numpy
    kernels doing the work release the GIL, so columns convert in parallel on several cores."""

    def work(spec: FieldSpec) -> tuple[Converted, np.ndarray | None]:
        conv = convert_column(raw.columns[spec.name], spec, mapping.values.get(spec.name), rules)
        return conv, duplicate_mask(conv.values) if spec.unique else None

    specs = [s for s in schema.fields if s.name in raw.columns]
    if len(raw) < PARALLEL_ROWS:
        results = [work(s) for s in specs]
    else:
        with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
            results = list(pool.map(work, specs))
    converted = {s.name: conv for s, (conv, _) in zip(specs, results, strict=True)}
    duplicates = {s.name: dup for s, (_, dup) in zip(specs, results, strict=True) if dup is not None}
    return converted, duplicates


def _older_rows(schema: DatasetSchema, converted: dict[str, Converted], repeated: np.ndarray) -> np.ndarray:
    """Rows of a repeated id (`repeated`: the rows whose id repeats) that are not its latest (by
    the dataset's recency date, then by position in the file); rows without a valid id are never
    merged. Only the repeated rows are sorted."""
    conv = converted[schema.unique_field]
    older = np.zeros(len(repeated), dtype=bool)
    candidates = np.flatnonzero(repeated & ~conv.bad & ~conv.empty)
    if not len(candidates):
        return older
    values = pd.Series(to_pandas(conv.values), copy=False).iloc[candidates]
    codes = pd.factorize(values)[0]
    recency = converted.get(schema.recency or "")
    when = (recency.values[candidates].astype("datetime64[s]").astype(np.int64)
            if recency is not None and schema.field(schema.recency).kind == "date"
            else np.zeros(len(candidates), dtype=np.int64))  # NaT is the smallest int64: a dated row wins
    order = np.lexsort((candidates, when, codes))
    sorted_codes = codes[order]
    last = np.ones(len(order), dtype=bool)
    last[:-1] = sorted_codes[1:] != sorted_codes[:-1]
    older[candidates[order[~last]]] = True
    return older


def _checks(spec: FieldSpec, conv: Converted, duplicates: np.ndarray | None, rows: np.ndarray, keep: np.ndarray):
    """(mask of failing rows, builder of (message, hint) for given positions) per rule."""
    yield conv.bad & keep, conv.errors_at
    if spec.required:
        yield conv.empty & keep, lambda pos: [(f"{spec.name} is required but blank", "")] * len(pos)
    if duplicates is not None:
        dup = duplicates & ~conv.empty & keep & ~conv.bad
        if dup.any():
            values = pd.Series(to_pandas(conv.values), copy=False)
            yield dup, lambda pos: _duplicate_messages(spec, values, rows, dup, pos)


def _duplicate_messages(spec: FieldSpec, values: pd.Series, rows: np.ndarray, dup: np.ndarray, positions: np.ndarray):
    """'duplicate asset_id 'A-1' (also on row 9, 12 and 3 more)' for the rows at `positions`.

    Only the first few rows of each repeated value are gathered, so a file whose million rows all
    share one key costs no more than one with a handful of repeats."""
    wanted = set(values.iloc[positions])
    subset = dup & values.isin(wanted).to_numpy()
    repeats = pd.DataFrame({"value": values[subset].to_numpy(), "row": rows[subset]})
    totals = repeats.groupby("value").size().to_dict()
    firsts = repeats.groupby("value").head(6).groupby("value")["row"].agg(list).to_dict()
    out = []
    for p in positions:
        key = values.iloc[p]
        others = [str(r) for r in firsts[key] if r != rows[p]][:5]
        more = totals[key] - 1 - len(others)
        shown = ", ".join(others) + (f" and {more} more" if more > 0 else "")
        out.append((f"duplicate {spec.name} '{key}' (also on row {shown})", f"each {spec.name} must appear once"))
    return out


def _first_problems(found: list[tuple[np.ndarray, int, list[Problem]]]) -> list[Problem]:
    if not found:
        return []
    rows = np.concatenate([r for r, _, _ in found])
    orders = np.concatenate([np.full(len(r), o) for r, o, _ in found])
    flat = [p for _, _, ps in found for p in ps]
    index = np.lexsort((orders, rows))[:MAX_PROBLEMS]
    return [flat[i] for i in index]


def _frame(schema: DatasetSchema, converted: dict[str, Converted], rows: np.ndarray, good: np.ndarray, n: int) -> pd.DataFrame:
    """Canonical frame of the good rows; fields absent from the file are all-blank columns."""
    data = {}
    for spec in schema.fields:
        conv = converted.get(spec.name)
        data[spec.name] = to_pandas(conv.values) if conv is not None else blank_column(spec, n)
    frame = pd.DataFrame(data, index=pd.Index(rows, name="row"), copy=False)
    return frame if good.all() else frame[good]


def blank_column(spec: FieldSpec, n: int):
    """An all-blank column of a field's canonical type (bools blank = False)."""
    if spec.kind == "enum":
        return pd.Categorical.from_codes(np.full(n, -1, dtype=np.int16), categories=list(spec.allowed))
    if spec.kind == "bool":
        return np.zeros(n, dtype=bool)
    if spec.kind == "date":
        return np.full(n, np.datetime64("NaT", "s"))
    if spec.kind == "number":
        return np.full(n, np.nan)
    return pd.array(np.full(n, None, dtype=object), dtype=TEXT_DTYPE)
