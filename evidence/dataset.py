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
"""

from __future__ import annotations

from pathlib import Path

from errors import EvidenceError, Problem
from evidence.csv_reader import read_csv_table
from evidence.mapping import EMPTY_MAPPING, Mapping, parse_mapping
from evidence.safety import check_size
from evidence.schemas import get_schema
from evidence.validate import validate_table
from evidence.validated_dataset import ValidatedDataset
from evidence.xlsx_reader import read_xlsx_table

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
LARGE_BYTES = 8 * 1024 * 1024


def read_dataset(
    source: Path | str | bytes,
    dataset: str,
    mapping: Mapping | Path | str | None = None,
    sheet: str | None = None,
    name: str | None = None,
) -> ValidatedDataset:
    schema = get_schema(dataset)
    data, label = _read_source(source, name)
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping, dataset) if mapping is not None else EMPTY_MAPPING
    if _is_xlsx(data, label):
        raw = read_xlsx_table(data, schema, mapping, label, sheet)
    else:
        if sheet is not None:
            raise EvidenceError("a sheet was named for a CSV file", [Problem(label, f"CSV files have no sheets (asked for '{sheet}')")])
        raw = read_csv_table(data, schema, mapping, label)
    return validate_table(raw, schema, mapping, label)


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


def _read_source(source: Path | str | bytes, name: str | None) -> tuple[bytes | Path, str]:
    """The file's bytes, or for a large CSV on disk its path (parsed from disk, never copied)."""
    if isinstance(source, bytes):
        label = name or "upload"
        check_size(len(source), label)
        return source, label
    path = Path(source)
    label = name or path.name
    try:
        size = path.stat().st_size
        check_size(size, label)
        if size >= LARGE_BYTES and Path(label).suffix.lower() in CSV_SUFFIXES:
            return path, label
        return path.read_bytes(), label
    except OSError as exc:
        raise EvidenceError(f"cannot read {label}", [Problem(str(path), exc.strerror or str(exc))]) from None


def _is_xlsx(data: bytes, label: str) -> bool:
    suffix = Path(label).suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return True
    if suffix in CSV_SUFFIXES:
        return False
    if suffix == ".xls":
        raise EvidenceError(f"{label}: legacy .xls is not supported", [Problem(label, "save it as .xlsx or CSV")])
    if suffix:
        raise EvidenceError(f"{label}: unsupported file type", [Problem(label, f"'{suffix}' files cannot be read", "use .csv or .xlsx")])
    return data[:4] == b"PK\x03\x04"
