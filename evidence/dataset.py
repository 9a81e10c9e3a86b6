"""Read one evidence file: the entry point the CLI, the app and storage use.

    read_dataset(source, dataset, mapping=None, sheet=None, name=None) -> ValidatedDataset

- `source`: a path, or the file's bytes (an upload). `name` is the file name shown in messages and
  used to tell CSV from XLSX (default: the path's name; for bytes without a name the content decides).
- `dataset`: one of `evidence.schemas.DATASETS` (asset_inventory, access_paths, ...).
- `mapping`: a validated `Mapping`, a mapping file path, or None.
- `sheet`: the XLSX sheet to read (default: the first).

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
from evidence.mapping import EMPTY_MAPPING, Mapping, parse_mapping
from evidence.reader import check_header, read_raw_table
from evidence.schemas import get_schema
from evidence.validate import validate_table
from evidence.validated_dataset import ValidatedDataset
from tabular import safety


def read_dataset(
    source: Path | str | bytes,
    dataset: str,
    mapping: Mapping | Path | str | None = None,
    sheet: str | None = None,
    name: str | None = None,
) -> ValidatedDataset:
    schema = get_schema(dataset)
    source, label = (source, name or "upload") if isinstance(source, bytes) else (Path(source), name or Path(source).name)
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping, dataset) if mapping is not None else EMPTY_MAPPING
    raw = read_raw_table(source, schema, mapping, label, sheet)
    return validate_table(raw, schema, mapping, label)


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
