"""Normalised evidence frames ↔ JSON rows, the form they are stored in (storage.evidence_imports).

A frame's dtypes follow the dataset schema (evidence.schemas: text → str, enum → Categorical of the
allowed values, bool → bool, date → datetime64[s], number → float64); in JSON a missing value is
null, a date is "YYYY-MM-DD". `rows_to_frame(frame_to_rows(f))` gives back an equal frame, which
is what lets metrics be recomputed from the stored rows alone. A frame always carries every field
of its schema (the readers add absent ones as missing), so a row stores only its non-missing values.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from evidence.schemas import DatasetSchema


def frame_to_rows(schema: DatasetSchema, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """One dict per row, canonical columns only, JSON-able values."""
    columns = [name for name in schema.field_names if name in frame.columns]
    out = pd.DataFrame(index=frame.index)
    for name in columns:
        kind = schema.field(name).kind
        series = frame[name]
        if kind == "date":
            values = pd.to_datetime(series).dt.strftime("%Y-%m-%d")
        elif kind == "bool":
            values = series.astype(bool)
        elif kind == "number":
            values = pd.to_numeric(series).astype("float64")
        else:
            values = series.astype("object")
        out[name] = values.astype("object").where(values.notna(), None)
    # Missing values are left out of the JSON (a missing key reads back as missing).
    return [{k: v for k, v in row.items() if v is not None} for row in out.to_dict(orient="records")]


def rows_to_frame(schema: DatasetSchema, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The normalised frame of stored rows (dtypes as the evidence readers produce them)."""
    columns = list(schema.field_names)
    raw = pd.DataFrame.from_records(rows, columns=columns)
    data = {}
    for name in columns:
        spec = schema.field(name)
        values = raw[name]
        if spec.kind == "date":
            data[name] = pd.to_datetime(values, format="%Y-%m-%d").astype("datetime64[s]")
        elif spec.kind == "bool":
            data[name] = values.fillna(False).astype(bool)
        elif spec.kind == "number":
            data[name] = pd.to_numeric(values).astype("float64")
        elif spec.kind == "enum":
            data[name] = values.astype(pd.CategoricalDtype(list(spec.allowed)))
        else:
            data[name] = values.astype("str")
    # One construction from whole columns: inserting them one by one costs more than converting them.
    return pd.DataFrame(data, index=raw.index)
