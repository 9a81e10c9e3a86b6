"""The as-of rule (evidence.as_of): rows dated after the as-of date do not exist for the
assessment, in the metrics and in everything else that reads evidence."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from evidence.as_of import age_days, frame_as_of, frames_as_of, in_window
from evidence.dataset import read_dataset
from evidence.metrics import compute_metrics
from evidence.schemas import DATASETS
from services.content import get_catalog

AS_OF = dt.date(2026, 9, 30)


def _frame(dataset: str, csv: str) -> pd.DataFrame:
    return read_dataset(csv.encode(), dataset, name="t.csv").accepted()


def test_only_event_datasets_are_dated() -> None:
    assert {n: s.dated_by for n, s in DATASETS.items() if s.dated_by} == {
        "exceptions": "opened", "exercises": "date", "restore_tests": "date"}


def test_rows_dated_after_the_as_of_date_are_dropped_and_the_rest_kept_as_they_are() -> None:
    exceptions = _frame("exceptions", "exception_id,opened\nE1,2026-09-30\nE2,2026-10-01\nE3,2024-01-01\n")
    kept = frame_as_of(exceptions, "exceptions", AS_OF)
    assert kept["exception_id"].tolist() == ["E1", "E3"]
    assert kept.index.tolist() == [2, 4]  # row numbers of the file survive
    assert (age_days(kept["opened"], AS_OF) >= 0).all()
    undated = _frame("asset_inventory", "asset_id,last_verified\nA1,2027-01-01\n")
    assert frame_as_of(undated, "asset_inventory", AS_OF) is undated  # the estate as imported


def test_a_dated_row_without_its_date_cannot_be_placed_before_the_as_of_date() -> None:
    frame = pd.DataFrame({"exception_id": ["E1", "E2"],
                          "opened": pd.to_datetime(["2026-01-01", None]).astype("datetime64[s]")})
    assert frame_as_of(frame, "exceptions", AS_OF)["exception_id"].tolist() == ["E1"]


def test_the_window_is_the_365_days_up_to_the_as_of_date() -> None:
    ages = np.array([-1.0, 0.0, 364.0, 365.0, np.nan])
    assert in_window(ages).tolist() == [False, True, True, False, False]


def test_metrics_never_count_future_rows() -> None:
    """An exception opened and an exercise held after the as-of date change nothing."""
    definitions = get_catalog().metric_definitions()
    before = {"exceptions": _frame("exceptions", "exception_id,risk_rating,opened\nE1,high,2026-06-01\n"),
              "exercises": _frame("exercises", "exercise_id,date,detect_minutes\nX1,2026-06-01,30\n")}
    after = {"exceptions": _frame("exceptions", "exception_id,risk_rating,opened\nE1,high,2026-06-01\n"
                                                "E2,critical,2026-10-15\n"),
             "exercises": _frame("exercises", "exercise_id,date,detect_minutes\nX1,2026-06-01,30\n"
                                              "X2,2026-10-02,500\n")}
    assert compute_metrics(after, AS_OF, definitions) == compute_metrics(before, AS_OF, definitions)
    assert frames_as_of(after, AS_OF)["exceptions"]["exception_id"].tolist() == ["E1"]


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_every_dataset_can_be_cut(dataset) -> None:
    empty = pd.DataFrame({name: [] for name in DATASETS[dataset].field_names})
    assert len(frame_as_of(empty, dataset, AS_OF)) == 0
