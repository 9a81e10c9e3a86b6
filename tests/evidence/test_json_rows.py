"""Normalised evidence frames survive the trip through JSON rows unchanged."""

from __future__ import annotations

import pandas.testing as pdt
import pytest

from evidence.dataset import read_dataset
from evidence.json_rows import frame_to_rows, rows_to_frame
from evidence.schemas import DATASETS, get_schema

FILES = {
    "asset_inventory": "Asset ID;Name;Environment;Criticality;Owner;Last Verified;Support\n"
                       "A1;plc-1;OT;critical;ops;2026-01-05;supported\nA2;srv;IT;low;;;unsupported\n",
    "exercises": "exercise_id,date,exercise_type,detect_minutes,recover_minutes\nX1,2026-02-01,tabletop,12.5,\nX2,2025-11-30,functional,,240\n",
    "access_paths": "path_id,environment,path_type,privileged,approved,mfa\nP1,OT,vendor_vpn,yes,y,\nP2,IT,jump_host,no,1,x\n",
}


@pytest.mark.parametrize("dataset", sorted(FILES))
def test_round_trip(dataset, tmp_path) -> None:
    path = tmp_path / f"{dataset}.csv"
    path.write_text(FILES[dataset], encoding="utf-8")
    frame = read_dataset(path, dataset).frame
    rows = frame_to_rows(get_schema(dataset), frame)
    assert all(None not in row.values() for row in rows)
    back = rows_to_frame(get_schema(dataset), rows)
    back.index = frame.index
    pdt.assert_frame_equal(back, frame)


def test_every_dataset_has_a_schema_the_converter_knows() -> None:
    for schema in DATASETS.values():
        empty = rows_to_frame(schema, [])
        assert list(empty.columns) == list(schema.field_names)
