"""Normalised evidence frames ↔ Parquet parts, the form they are stored in (storage.evidence_imports)
and carried in bundles (services.bundle_format).

A frame (evidence.schemas dtypes, index = row number in the file) becomes one or more *parts*, each
a complete Parquet file of at most `PART_ROWS` rows, compressed with zstd (about 11 bytes per row of
a typical asset inventory, against ~590 as JSON rows). Column types, one per schema kind:
text → string, enum → dictionary of strings, bool → bool, date → date32, number → float64, plus
`row` (int64, the row number). Parts are read back with exactly the dtypes the readers produce, so
`parts_to_frame(frame_to_parts(f))` equals `f`; that is what lets metrics be recomputed from the
stored parts alone.

Why parts rather than one file per import: a part is a bounded value (a few MB) whatever the size of
the import, so no database driver meets a giant parameter, and a bundle can be written and read one
part at a time. The schema is stored in each part, so a dataset schema may gain a field without a
storage migration: an older part reads back with the new field missing; a field no longer in the
schema is ignored.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from evidence.schemas import DatasetSchema

PART_ROWS = 250_000
"""Rows per part: ~3 MB of Parquet for an asset inventory, ~0.3 s to encode."""
ROW = "row"
_COMPRESSION = "zstd"


class Part(NamedTuple):
    """One Parquet file holding `rows` consecutive rows of an import."""

    rows: int
    data: bytes


def arrow_schema(schema: DatasetSchema) -> pa.Schema:
    """The Arrow schema of a dataset's parts (fields in schema order, then `row`)."""
    kinds = {"text": pa.large_string(), "enum": pa.dictionary(pa.int32(), pa.large_string()), "bool": pa.bool_(),
             "date": pa.date32(), "number": pa.float64()}
    return pa.schema([pa.field(f.name, kinds[f.kind]) for f in schema.fields] + [pa.field(ROW, pa.int64(), False)])


def frame_to_parts(schema: DatasetSchema, frame: pd.DataFrame, part_rows: int = PART_ROWS) -> Iterator[Part]:
    """The frame's rows as parts of at most `part_rows` rows, in frame order (an empty frame gives no part)."""
    table = frame_to_table(schema, frame)
    for start in range(0, table.num_rows, part_rows):
        piece = table.slice(start, part_rows)
        yield Part(piece.num_rows, table_bytes(piece))


def frame_to_table(schema: DatasetSchema, frame: pd.DataFrame) -> pa.Table:
    """The frame as an Arrow table of `arrow_schema(schema)` (absent fields become nulls)."""
    target = arrow_schema(schema)
    arrays = []
    for spec in schema.fields:
        kind = target.field(spec.name).type
        if spec.name not in frame.columns:
            arrays.append(pa.nulls(len(frame), kind))
            continue
        series = frame[spec.name]
        if spec.kind == "date":
            values = pd.to_datetime(series).to_numpy(dtype="datetime64[D]")
            arrays.append(pa.array(values, type=pa.date32(), mask=np.isnat(values)))
        elif spec.kind == "enum":
            codes = pd.Categorical(series, categories=list(spec.allowed))
            arrays.append(pa.DictionaryArray.from_arrays(
                pa.array(codes.codes, type=pa.int32(), mask=codes.codes < 0), pa.array(list(spec.allowed), pa.large_string())))
        elif spec.kind == "bool":
            arrays.append(pa.array(series.to_numpy(dtype=bool), type=pa.bool_()))
        elif spec.kind == "number":
            arrays.append(pa.array(pd.to_numeric(series).to_numpy(dtype="float64"), type=pa.float64(), from_pandas=True))
        else:
            arrays.append(pa.array(series, type=pa.large_string(), from_pandas=True))
    arrays.append(pa.array(np.asarray(frame.index, dtype="int64"), type=pa.int64()))
    return pa.Table.from_arrays(arrays, schema=target)


def table_bytes(table: pa.Table) -> bytes:
    """One Parquet file holding the table."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression=_COMPRESSION)
    return sink.getvalue().to_pybytes()


THREADED_ROWS = 50_000
"""A part of at least this many rows is decoded on several threads; a smaller one on the calling
thread, where pyarrow's thread pool costs more than it saves (an enterprise report reads hundreds
of parts of tens of rows: 0.3 s of CPU and 0.4 s of wall time at 200 sites, against 0.5 s and 1 s)."""


def read_part(data: bytes, columns: Collection[str] | None = None) -> pa.Table:
    """The Arrow table of one part, with only the `columns` it has (None: all) and `row`
    (pyarrow raises ArrowInvalid/OSError on bytes that are not Parquet)."""
    file = pq.ParquetFile(pa.BufferReader(data))
    wanted = None if columns is None else [n for n in file.schema_arrow.names if n in columns or n == ROW]
    return file.read(columns=wanted, use_threads=file.metadata.num_rows >= THREADED_ROWS)


def parts_to_frame(schema: DatasetSchema, parts: Iterable[bytes]) -> pd.DataFrame:
    """The normalised frame of an import's parts, in order, with the fields of `schema` (a narrowed
    one, DatasetSchema.only, reads only its columns); the index (named ``row``) is each row's
    number in the imported file."""
    return grouped_parts_to_frame(schema, [parts])[0]


def grouped_parts_to_frame(schema: DatasetSchema, groups: Sequence[Iterable[bytes]]) -> tuple[pd.DataFrame, np.ndarray]:
    """One frame of the parts of several imports of the dataset (`groups`: each import's parts, in
    order), as `parts_to_frame` makes it, and each row's group (its position in `groups`). Making a
    frame costs pandas about a millisecond whatever its size, so the small tables of hundreds of
    sites are read as one frame, not one each."""
    tables, sizes = [], []
    for parts in groups:
        read = [read_part(data, schema.field_names) for data in parts]
        tables += read
        sizes.append(sum(t.num_rows for t in read))
    frame = table_to_frame(schema, pa.concat_tables(tables, promote_options="permissive") if tables else None)
    return frame, np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)


def table_to_frame(schema: DatasetSchema, table: pa.Table | None) -> pd.DataFrame:
    """The normalised frame of a parts table (None: no rows), with the readers' dtypes."""
    length = 0 if table is None else table.num_rows
    names = set() if table is None else set(table.column_names)
    data = {}
    for spec in schema.fields:
        column = table.column(spec.name) if spec.name in names else None
        if spec.kind == "date":
            values = column.to_numpy() if column is not None else np.full(length, np.datetime64("NaT"))
            data[spec.name] = pd.Series(np.asarray(values, dtype="datetime64[s]"))
        elif spec.kind == "bool":
            data[spec.name] = pd.Series(column.fill_null(False).to_numpy(zero_copy_only=False) if column is not None
                                        else np.zeros(length, dtype=bool), dtype=bool)
        elif spec.kind == "number":
            data[spec.name] = pd.Series(column.to_numpy(zero_copy_only=False) if column is not None
                                        else np.full(length, np.nan), dtype="float64")
        elif spec.kind == "enum":
            values = column.to_pandas() if column is not None else pd.Series([None] * length, dtype=object)
            data[spec.name] = pd.Series(values).astype(pd.CategoricalDtype(list(spec.allowed)))
        else:
            values = column.to_pandas() if column is not None else pd.Series([np.nan] * length, dtype=object)
            data[spec.name] = pd.Series(values).astype("str")
    rows = table.column(ROW).to_numpy() if table is not None else np.array([], dtype="int64")
    frame = pd.DataFrame(data)
    frame.index = pd.Index(rows, name=ROW)
    return frame


def part_problem(schema: DatasetSchema, data: bytes) -> tuple[int, str | None]:
    """(rows, None) for a part that reads as `schema` (each known field of its type, enumerations
    within their allowed values, a row number on every row), else (0, what is wrong). Only the
    row numbers and the enumerations are decoded; the other columns are checked by their type."""
    try:
        file = pq.ParquetFile(pa.BufferReader(data))
        types = {field.name: field.type for field in file.schema_arrow}
        if types.get(ROW) != pa.int64():
            return 0, "has no row number on every row"
        for spec in schema.fields:
            if spec.name in types and _kind(types[spec.name]) != spec.kind:
                return 0, (f"column {spec.name} is {types[spec.name]}, not the {spec.kind} of "
                           f"{arrow_schema(schema).field(spec.name).type}")
        enums = [f.name for f in schema.fields if f.kind == "enum" and f.name in types]
        table = file.read(columns=[ROW, *enums])
    except (pa.ArrowException, OSError) as exc:
        return 0, f"not a Parquet part ({str(exc)[:120]})"
    if table.column(ROW).null_count:
        return 0, "has no row number on every row"
    for name in enums:
        allowed = schema.field(name).allowed
        used = {value for chunk in table.column(name).chunks for value in chunk.dictionary.to_pylist()}
        if not used <= set(allowed):
            return 0, f"column {name} holds {sorted(used - set(allowed))[:3]}, not one of {allowed}"
    return table.num_rows, None


def _kind(arrow_type: pa.DataType) -> str | None:
    """The schema kind an Arrow type stores (Parquet may read strings back as string or large_string)."""
    if pa.types.is_dictionary(arrow_type):
        return "enum" if pa.types.is_string(arrow_type.value_type) or pa.types.is_large_string(arrow_type.value_type) \
            else None
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "text"
    return {pa.bool_(): "bool", pa.date32(): "date", pa.float64(): "number"}.get(arrow_type)
