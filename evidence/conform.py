"""Bring a frame back to a dataset's canonical columns and types (e.g. rows reloaded from storage).

    conform(frame, schema) -> DataFrame

Columns already of the canonical type pass through untouched (the normal case, at no cost).
Otherwise: missing columns become blank; text is stripped with blanks → missing; enumerations
become Categoricals of the allowed values (anything else → missing); booleans treat missing as
false; dates and numbers that cannot be read become missing. This is a repair for trusted,
already-validated rows, not validation: user files go through `evidence.dataset.read_dataset`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evidence.convert import TEXT_DTYPE
from evidence.schemas import DatasetSchema, FieldSpec


def conform(frame: pd.DataFrame, schema: DatasetSchema) -> pd.DataFrame:
    if all(name in frame.columns and _is_canonical(frame[name], spec) for name, spec in ((s.name, s) for s in schema.fields)):
        return frame
    data = {spec.name: _column(frame[spec.name] if spec.name in frame.columns else None, spec, len(frame), frame.index)
            for spec in schema.fields}
    return pd.DataFrame(data, index=frame.index)


def _is_canonical(series: pd.Series, spec: FieldSpec) -> bool:
    dtype = series.dtype
    if spec.kind == "enum":
        return isinstance(dtype, pd.CategoricalDtype) and list(dtype.categories) == list(spec.allowed)
    if spec.kind == "bool":
        return dtype == np.dtype(bool)
    if spec.kind == "date":
        return dtype == np.dtype("datetime64[s]")
    if spec.kind == "number":
        return dtype == np.dtype(float)
    return isinstance(dtype, pd.StringDtype)


def _column(series: pd.Series | None, spec: FieldSpec, n: int, index: pd.Index) -> pd.Series:
    if series is None:
        series = pd.Series([None] * n, index=index, dtype=object)
    if spec.kind == "enum":
        keys = {v.casefold(): v for v in spec.allowed}
        mapped = series.map(lambda x: keys.get(str(x).strip().casefold()) if pd.notna(x) else None)
        return pd.Series(pd.Categorical(mapped, categories=list(spec.allowed)), index=index)
    if spec.kind == "bool":
        return series.map(lambda x: bool(x) if pd.notna(x) and str(x).strip().lower() not in ("", "false", "0", "no") else False).astype(bool)
    if spec.kind == "date":
        return pd.to_datetime(series, errors="coerce").dt.normalize().astype("datetime64[s]")
    if spec.kind == "number":
        return pd.to_numeric(series, errors="coerce").astype(float)
    text = series.astype(object).map(lambda x: None if x is None or (isinstance(x, float) and np.isnan(x)) else str(x).strip() or None)
    return text.astype(TEXT_DTYPE)
