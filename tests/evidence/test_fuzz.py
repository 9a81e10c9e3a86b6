"""Random bytes and random tables fed to the readers: the only exception allowed is EvidenceError,
and every result is internally consistent."""

from __future__ import annotations

import contextlib
import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from errors import EvidenceError
from evidence.dataset import read_dataset
from evidence.mapping import parse_mapping
from evidence.schemas import DATASETS
from tests.evidence.conftest import xlsx_bytes

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DATASET_NAMES = st.sampled_from(list(DATASETS))


def _check(data: bytes, dataset: str, name: str | None) -> None:
    try:
        result = read_dataset(data, dataset, name=name)
    except EvidenceError as error:
        assert error.problems or error.summary
        return
    assert 0 <= result.kept_rows <= result.total_rows
    assert len(result.frame) == result.kept_rows
    assert len(result.problems) <= result.problem_count
    assert result.ok == (result.problem_count == 0)
    assert list(result.frame.columns) == list(DATASETS[dataset].field_names)


@FUZZ
@given(data=st.binary(max_size=2048), dataset=DATASET_NAMES, name=st.sampled_from(["f.csv", "f.xlsx", None]))
def test_random_bytes(data, dataset, name) -> None:
    _check(data, dataset, name)


@FUZZ
@given(prefix=st.sampled_from([b"asset_id,criticality,last_verified\n", b"PK\x03\x04", b"\xef\xbb\xbfasset_id;name\n", b"\xff\xfe"]),
       data=st.binary(max_size=512))
def test_random_bytes_after_plausible_starts(prefix, data) -> None:
    _check(prefix + data, "asset_inventory", "f.csv")


def _cell_values(dataset: str):
    schema = DATASETS[dataset]
    valid = [v for f in schema.fields for v in f.allowed] + ["yes", "no", "x", "2026-01-05", "45356", "03/04/2026", "12", "-3"]
    headers = [*schema.field_names, "Asset Owner", "RTO", "Crit", "junk"]
    text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
    return st.one_of(st.sampled_from(valid), st.sampled_from(headers), text, st.just(""), st.just('"'), st.just("a,b;c\td\ne"))


@st.composite
def tables(draw):
    dataset = draw(DATASET_NAMES)
    cells = _cell_values(dataset)
    width = draw(st.integers(1, 6))
    header = draw(st.lists(st.sampled_from([*DATASETS[dataset].field_names, "other"]), min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(cells, min_size=0, max_size=width + 1), max_size=8))
    title = draw(st.lists(st.lists(cells, max_size=3), max_size=2))
    return dataset, [*title, header, *rows]


@FUZZ
@given(table=tables(), delimiter=st.sampled_from([",", ";", "\t"]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_random_csv_tables(table, delimiter, encoding) -> None:
    dataset, rows = table
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    _check(out.getvalue().encode(encoding, errors="replace"), dataset, "t.csv")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables())
def test_random_xlsx_tables(table) -> None:
    dataset, rows = table
    clean = [[c.replace("\x00", "") if isinstance(c, str) else c for c in row] for row in rows]
    try:
        data = xlsx_bytes(clean)
    except (ValueError, IllegalCharacterError):  # openpyxl refuses control characters: not our concern
        return
    _check(data, dataset, "t.xlsx")


@FUZZ
@given(text=st.text(max_size=300), dataset=DATASET_NAMES)
def test_random_mapping_text(text, dataset) -> None:
    with contextlib.suppress(EvidenceError):
        parse_mapping(text, DATASETS[dataset], "m.yaml")
