"""Normalised evidence frames survive the trip through Parquet parts unchanged, whatever the part size."""

from __future__ import annotations

import pandas as pd
import pandas.testing as pdt
import pyarrow as pa
import pytest

from evidence.columnar import (
    arrow_schema,
    frame_to_parts,
    grouped_parts_to_frame,
    parts_to_frame,
    table_bytes,
)
from evidence.dataset import read_dataset
from evidence.schemas import DATASETS, get_schema
from tests.evidence.test_json_rows import FILES


@pytest.mark.parametrize("part_rows", [1, 1000])
@pytest.mark.parametrize("dataset", sorted(FILES))
def test_round_trip(dataset, part_rows, tmp_path) -> None:
    path = tmp_path / f"{dataset}.csv"
    path.write_text(FILES[dataset], encoding="utf-8")
    frame = read_dataset(path, dataset).frame
    parts = list(frame_to_parts(get_schema(dataset), frame, part_rows))
    assert [p.rows for p in parts] == ([1] * len(frame) if part_rows == 1 else [len(frame)])
    back = parts_to_frame(get_schema(dataset), [p.data for p in parts])
    pdt.assert_frame_equal(back, frame)


def test_every_dataset_reads_back_empty_with_its_columns_and_dtypes() -> None:
    for schema in DATASETS.values():
        empty = parts_to_frame(schema, [])
        assert list(empty.columns) == list(schema.field_names) and len(empty) == 0
        assert empty.index.name == "row"


def test_a_field_added_to_the_schema_after_storing_reads_back_missing() -> None:
    schema = get_schema("exercises")
    frame = parts_to_frame(schema, [])
    older = pa.Table.from_pydict({"exercise_id": ["X1"], "row": [2]},
                                 schema=pa.schema([arrow_schema(schema).field("exercise_id"), pa.field("row", pa.int64())]))
    back = parts_to_frame(schema, [table_bytes(older)])
    assert back.loc[2, "exercise_id"] == "X1" and back.index.tolist() == [2]
    assert back.dtypes.to_dict() == frame.dtypes.to_dict()
    assert all(pd.isna(back.loc[2, name]) or name == "exercise_id" or back[name].dtype == bool
               for name in schema.field_names)


def test_a_narrowed_schema_reads_only_its_fields_and_the_date_the_as_of_rule_reads(tmp_path) -> None:
    path = tmp_path / "exercises.csv"
    path.write_text(FILES["exercises"], encoding="utf-8")
    schema = get_schema("exercises")
    frame = read_dataset(path, "exercises").frame
    parts = [p.data for p in frame_to_parts(schema, frame, 1)]
    narrow = schema.only(["recover_minutes"])
    assert narrow.field_names == ("date", "recover_minutes")
    pdt.assert_frame_equal(parts_to_frame(narrow, parts), frame[["date", "recover_minutes"]])
    with pytest.raises(KeyError, match="no field colour"):
        schema.only(["colour"])


def test_parts_of_several_imports_read_as_one_frame_say_whose_each_row_is(tmp_path) -> None:
    path = tmp_path / "exercises.csv"
    path.write_text(FILES["exercises"], encoding="utf-8")
    schema = get_schema("exercises")
    frame = read_dataset(path, "exercises").frame
    first, second = ([p.data for p in frame_to_parts(schema, part, 1)] for part in (frame, frame.iloc[:1]))
    together, owners = grouped_parts_to_frame(schema, [first, [], second])
    assert owners.tolist() == [0] * len(frame) + [2]
    pdt.assert_frame_equal(together[owners == 0], frame)
    pdt.assert_frame_equal(together[owners == 2], frame.iloc[:1])
