"""The as-of rule: what evidence exists for an assessment dated D, and the 365-day window.

- A row dated after D does not exist for that assessment: `frames_as_of` drops it before anything
  reads the evidence. Dated rows are exceptions (by `opened`), exercises and restore tests (by
  `date`): `DatasetSchema.dated_by`. A dated row whose date is blank cannot be placed before D and
  is dropped too. Inventory, access paths and zone boundaries describe the estate as imported and
  are kept whole. Every consumer reads evidence through this rule — the metrics
  (`evidence.metrics.compute_metrics`), and the report tables, dashboard, workbook and trends
  through `services.stored_evidence.evidence_as_of` — so no age is ever negative.
- "In the last 12 months" is the window `0 ≤ D − date < WINDOW_DAYS` (365) days: an exercise held
  on D counts, one held 365 days before D does not. The exercise and restore metrics and the
  report's exercise table use `in_window`.
- Ages are whole days, `D − date` (`age_days`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd

from evidence.schemas import DATASETS

WINDOW_DAYS = 365


def age_days(dates: pd.Series, as_of: date | np.ndarray) -> np.ndarray:
    """as_of − date in whole days, as floats (NaN where the date is blank); `as_of` is one date, or
    one per row (a datetime64 array: rows of several assessments read together)."""
    delta = (np.asarray(as_of, dtype="datetime64[s]") - dates.to_numpy(dtype="datetime64[s]")).astype("timedelta64[D]")
    return np.where(np.isnat(delta), np.nan, delta.astype("float64"))


def in_window(ages: np.ndarray) -> np.ndarray:
    """Rows whose age (days, from `age_days`) falls in the 365 days up to the as-of date."""
    return (ages >= 0) & (ages < WINDOW_DAYS)


def frame_as_of(frame: pd.DataFrame, dataset: str, as_of: date) -> pd.DataFrame:
    """The rows of `dataset` that exist on `as_of` (the frame itself when none is dropped)."""
    keep = rows_as_of(frame, dataset, as_of)
    return frame if keep is None else frame[keep]


def rows_as_of(frame: pd.DataFrame, dataset: str, as_of: date | np.ndarray) -> np.ndarray | None:
    """Which rows of `dataset` exist on `as_of` (one date, or one per row) as a mask, or None
    when every row does."""
    column = DATASETS[dataset].dated_by
    if column is None or column not in frame.columns:
        return None
    keep = age_days(frame[column], as_of) >= 0  # NaN (blank date) compares False
    return None if keep.all() else keep


def frames_as_of(frames: Mapping[str, pd.DataFrame], as_of: date) -> dict[str, pd.DataFrame]:
    """`frame_as_of` applied to every dataset's frame."""
    return {name: frame_as_of(frame, name, as_of) for name, frame in frames.items()}
