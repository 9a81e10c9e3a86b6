"""Turn one raw column into its canonical type, vectorised.

Each column is factorised (one code per row, one entry per distinct value); the distinct values
are parsed once with `evidence.values`, and the results are spread back to the rows with a numpy
take. A million-row column with a few hundred distinct values therefore costs a hash pass and a
gather, not a million Python calls. Free-text columns read from CSV skip even that: they are
trimmed and blank-tested with Arrow string kernels.

`convert_column(series, spec, value_map, date_rules) -> Converted`; `Converted.errors_at(positions)`
builds (message, hint) pairs only for the rows that failed. A date column whose day/month order the
mapping does not give takes the order its own values show (`evidence.dates.column_order`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from evidence import dates
from evidence import values as v
from evidence.schemas import FieldSpec

TEXT_DTYPE = pd.StringDtype(storage="pyarrow", na_value=np.nan)


@dataclass
class Converted:
    """A canonical column plus which rows had an empty cell or an invalid value (numpy bools)."""

    values: Any
    empty: np.ndarray
    bad: np.ndarray
    codes: np.ndarray | None = None
    parsed: list[v.Parsed] | None = None
    header: str | None = None
    """The column problems name, when it is not the field's own (a derived field's source)."""
    explain: Callable[[np.ndarray], list[tuple[str, str]]] | None = None
    """Builds the (message, hint) of rows at given positions, for columns not parsed per value."""

    def errors_at(self, positions: np.ndarray) -> list[tuple[str, str]]:
        """(message, hint) of the invalid rows at `positions` (only meaningful where `bad`)."""
        if self.explain is not None:
            return self.explain(positions)
        assert self.codes is not None and self.parsed is not None
        return [(self.parsed[c].error or "", self.parsed[c].hint) for c in self.codes[positions]]


def convert_column(
    raw: pd.Series | pa.ChunkedArray,
    spec: FieldSpec,
    value_map: dict[str, Any] | None = None,
    date_rules: dates.DateRules | str | None = None,
) -> Converted:
    """Parse `raw` (CSV cells as pandas read them, or Excel cells as objects) as `spec.kind`."""
    if _is_arrow_text(raw):
        raw = raw.array.__arrow_array__()  # pandas' own Arrow storage: no copy
    elif spec.kind == "text" and not value_map and isinstance(raw, pd.Series) and raw.dtype == object:
        raw = _text_cells_as_arrow(raw)  # Excel text cells: Arrow too, unless some are numbers or dates
    if spec.kind == "text" and not value_map and isinstance(raw, pa.ChunkedArray):
        return _arrow_text(raw)
    codes, uniques = factorize(raw)
    parse = _parser(spec, value_map, date_rules, uniques)
    # Slot -1 (after the last distinct value) stands for missing cells: numpy's take maps code -1 to it.
    parsed = [parse(u) for u in uniques] + [parse(None)]
    bad = np.array([p.error is not None for p in parsed], dtype=bool)[codes]
    empty = np.array([v.as_text(u) is None for u in uniques] + [True], dtype=bool)[codes]
    values = _gather(spec, parsed, codes)
    return Converted(values=values, empty=empty, bad=bad, codes=codes, parsed=parsed)


def factorize(raw: pd.Series | pa.ChunkedArray) -> tuple[np.ndarray, list]:
    """(code per row, -1 for missing; distinct values) of a column."""
    if isinstance(raw, pa.ChunkedArray):
        encoded = pc.dictionary_encode(raw)
        if encoded.num_chunks == 0:
            return np.zeros(0, dtype=np.int64), []
        encoded = encoded.combine_chunks()
        codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
        return codes, encoded.dictionary.to_pylist()
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    return codes.astype(np.int64, copy=False), list(uniques)


def duplicate_mask(values: Any) -> np.ndarray:
    """Rows whose non-missing value appears more than once."""
    if isinstance(values, pa.ChunkedArray):
        if values.null_count == 0 and len(values) > 1:
            flat = values.combine_chunks()
            if pc.all(pc.less(flat[:-1], flat[1:])).as_py():
                return np.zeros(len(values), dtype=bool)  # strictly increasing (an export sorted by id)
        present = len(values) - values.null_count
        distinct = len(pc.unique(values)) - (1 if values.null_count else 0)
        if distinct == present:
            return np.zeros(len(values), dtype=bool)
        counts = pc.value_counts(values)
        repeated = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
        return pc.fill_null(pc.is_in(values, value_set=repeated), False).to_numpy(zero_copy_only=False)
    series = pd.Series(values, copy=False)
    return (series.duplicated(keep=False) & series.notna()).to_numpy()


def _parser(spec: FieldSpec, value_map, date_rules, uniques: list) -> Callable[[Any], v.Parsed]:
    if spec.kind == "enum":
        table = v.enum_lookup(spec)
        return lambda raw: v.parse_enum(raw, spec, table, value_map)
    if spec.kind == "bool":
        return lambda raw: v.parse_bool(raw, spec, value_map)
    if spec.kind == "date":
        rules = dates.DateRules(date_rules) if isinstance(date_rules, str) else date_rules or dates.DateRules()
        rules = rules.with_order(dates.column_order(uniques))
        return lambda raw: dates.parse_date(raw, rules)
    if spec.kind == "number":
        return v.parse_number
    return lambda raw: v.parse_text(raw, value_map)


def _gather(spec: FieldSpec, parsed: list[v.Parsed], codes: np.ndarray):
    ok = [p if p.error is None else v.BLANK for p in parsed]
    if spec.kind == "enum":
        position = {value: i for i, value in enumerate(spec.allowed)}
        lookup = np.array([position.get(p.value, -1) for p in ok], dtype=np.int16)
        return pd.Categorical.from_codes(lookup[codes], categories=list(spec.allowed))
    if spec.kind == "bool":
        return np.array([bool(p.value) for p in ok], dtype=bool)[codes]
    if spec.kind == "date":
        lookup = np.array([np.datetime64(p.value, "s") if p.value else np.datetime64("NaT", "s") for p in ok])
        return lookup.astype("datetime64[s]")[codes]
    if spec.kind == "number":
        return np.array([np.nan if p.value is None else p.value for p in ok], dtype=float)[codes]
    lookup = np.array([p.value for p in ok], dtype=object)
    return pd.array(lookup[codes], dtype=TEXT_DTYPE)


def _text_cells_as_arrow(raw: pd.Series) -> pd.Series | pa.ChunkedArray:
    try:
        return pa.chunked_array([pa.array(raw.to_numpy(), type=pa.large_string(), from_pandas=True)])
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        return raw


def _is_arrow_text(raw) -> bool:
    return isinstance(raw, pd.Series) and isinstance(raw.dtype, pd.StringDtype) and raw.dtype.storage == "pyarrow"


def _arrow_text(raw: pa.ChunkedArray) -> Converted:
    """Trim and blank-test text with Arrow kernels (no per-value Python); values stay in Arrow."""
    if not _may_need_trim(raw):  # the usual case: nothing to trim, and empty cells are already null
        return Converted(values=raw, empty=raw.is_null().to_numpy(zero_copy_only=False), bad=np.zeros(len(raw), dtype=bool))
    trimmed = pc.utf8_trim_whitespace(raw)
    spaces = pc.equal(trimmed, "")  # empty cells are already null (CSV null_values): these were spaces
    if pc.any(spaces).as_py():
        trimmed = pc.if_else(spaces, pa.scalar(None, trimmed.type), trimmed)
    empty = trimmed.is_null().to_numpy(zero_copy_only=False)
    return Converted(values=trimmed, empty=empty, bad=np.zeros(len(raw), dtype=bool))


def _may_need_trim(raw: pa.ChunkedArray) -> bool:
    """Whether any value starts or ends with a space or a non-ASCII byte (which may belong to a
    Unicode space such as NBSP), read straight from the Arrow offsets and data buffers."""
    for chunk in raw.chunks:
        if not pa.types.is_large_string(chunk.type) or len(chunk) == 0:
            if len(chunk):
                return True
            continue
        _, offsets_buffer, data_buffer = chunk.buffers()
        if data_buffer is None:
            if chunk.null_count < len(chunk):
                return True  # only empty strings
            continue
        offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[chunk.offset : chunk.offset + len(chunk) + 1]
        data = np.frombuffer(data_buffer, dtype=np.uint8)
        starts, ends = offsets[:-1], offsets[1:]
        if int(np.count_nonzero(ends > starts)) != len(chunk) - chunk.null_count:
            return True  # an empty string that is not null: blank it
        if data.size == 0:
            continue  # all null
        # Null and empty values have start == end: their "first byte" belongs to a neighbour (a
        # false alarm at worst, which only costs a trim). Bytes 0x21-0x7F are printable ASCII;
        # subtracting 0x21 in uint8 wraps everything else to 0x5F or more.
        first = data.take(starts, mode="clip") - np.uint8(0x21)
        last = data.take(ends - 1, mode="clip") - np.uint8(0x21)
        if (first >= 0x5F).any() or (last >= 0x5F).any():
            return True
    return False


def to_pandas(values: Any):
    """A converted column as a pandas array (Arrow text → ``str`` dtype)."""
    if isinstance(values, pa.ChunkedArray):
        return pd.array(values.to_pandas(), dtype=TEXT_DTYPE) if len(values) else pd.array([], dtype=TEXT_DTYPE)
    return values
