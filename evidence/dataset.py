"""Read one evidence file: the entry point the CLI, the app and storage use.

    read_dataset(source, dataset, mapping=None, sheet=None, name=None, time_zone=None) -> ValidatedDataset

- `source`: a path, or the file's bytes (an upload). `name` is the file name shown in messages and
  used to tell CSV from XLSX (default: the path's name; for bytes without a name the content decides).
- `dataset`: one of `evidence.schemas.DATASETS` (asset_inventory, access_paths, ...).
- `mapping`: a validated `Mapping`, a mapping file path, or None.
- `sheet`: the XLSX sheet to read (default: the first).
- `time_zone`: the site's IANA time zone (default UTC): a date-time with an offset is converted to
  it before its date is taken.

The steps, in order: read the table (`evidence.reader`), keep the rows the mapping's `where`
selects (`evidence.row_filter`), refuse restore tests that are backup jobs
(`evidence.plausibility`), turn an event timeline into exercises (`evidence.timeline`), then
validate and derive (`evidence.validate`).

File-level problems (too large, not CSV/XLSX, hostile, no header, missing required column,
invalid mapping) raise EvidenceError; row-level problems are returned in the result, so the
caller decides whether to keep the valid rows (`ValidatedDataset.accepted`).

    load_mapping(path_or_bytes, dataset, name=None) -> Mapping

    check_file(source, dataset, mapping=None, name=None) -> None
        EvidenceError unless the file opens and its header matches (its rows are not read).
"""

from __future__ import annotations

from pathlib import Path

from errors import EvidenceError, Problem, TableError
from evidence import dates
from evidence.mapping import EMPTY_MAPPING, Mapping, parse_mapping
from evidence.plausibility import check_restore_rows
from evidence.reader import check_header, read_raw_table
from evidence.row_filter import apply_where
from evidence.schemas import get_schema
from evidence.timeline import exercises_from_timeline
from evidence.validate import validate_table
from evidence.validated_dataset import ValidatedDataset
from tabular import safety


def read_dataset(
    source: Path | str | bytes,
    dataset: str,
    mapping: Mapping | Path | str | None = None,
    sheet: str | None = None,
    name: str | None = None,
    time_zone: str | None = None,
) -> ValidatedDataset:
    schema = get_schema(dataset)
    check_time_zone(time_zone)
    source, label = (source, name or "upload") if isinstance(source, bytes) else (Path(source), name or Path(source).name)
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping, dataset) if mapping is not None else EMPTY_MAPPING
    raw = apply_where(read_raw_table(source, schema, mapping, label, sheet), mapping.where)
    if schema.name == "restore_tests":
        check_restore_rows(raw, label)
    if mapping.timeline is not None:
        rules = dates.DateRules(mapping.date_order, mapping.date_format, time_zone)
        raw = exercises_from_timeline(raw, mapping.timeline, rules, label)
    return validate_table(raw, schema, mapping, label, time_zone)


def check_time_zone(time_zone: str | None) -> None:
    """EvidenceError unless `time_zone` is None or an IANA time zone name."""
    try:
        dates.zone_of(time_zone)
    except ValueError as exc:
        raise EvidenceError("unknown time zone", [Problem("time zone", str(exc))]) from None


def check_file(source: bytes, dataset: str, mapping: Mapping | None = None, name: str | None = None) -> None:
    """EvidenceError unless `source` opens as a table of `dataset` (header found and matched)."""
    check_header(source, get_schema(dataset), mapping or EMPTY_MAPPING, name or "upload")


def load_mapping(source: Path | str | bytes, dataset: str, name: str | None = None) -> Mapping:
    """Read and validate a mapping file for `dataset`."""
    schema = get_schema(dataset)
    if isinstance(source, bytes):
        return parse_mapping(source, schema, name or "mapping")
    path = Path(source)
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise EvidenceError(f"cannot read mapping file {path}", [Problem(str(path), exc.strerror or str(exc))]) from None
    return parse_mapping(text, schema, name or path.name)


def check_size(size: int, label: str) -> None:
    """EvidenceError when a file of `size` bytes is over the upload limit (checked before reading)."""
    try:
        safety.check_size(size, label)
    except TableError as exc:
        raise EvidenceError(exc.summary, exc.problems) from None
