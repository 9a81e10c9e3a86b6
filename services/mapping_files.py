"""Mapping a plant's own headers and codes in the app, and keeping the mapping for next quarter.

- `file_headers`: the header cells of an uploaded file, even when it cannot be matched to the
  dataset yet (the row among the first 30 with the most non-empty cells).
- `unrecognised_values`: per enumeration or yes/no field, the distinct values in the file that
  are not allowed (with how many rows carry each), so the page can offer to map them.
- `mapping_text` / `mapping_parts`: the mapping as the YAML a mapping file holds, and back.
- `previous_mapping`: the mapping stored with the latest import of the dataset for this
  assessment or an earlier assessment of the same site (how a mapping carries to next quarter).

No Streamlit here; the evidence package does the reading and validating.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from dataclasses import dataclass
from typing import Any

import yaml

from catalog.yaml_safety import parse_yaml
from errors import EvidenceError, Problem
from evidence.convert import convert_column, factorize
from evidence.csv_reader import read_csv_table
from evidence.dataset import XLSX_SUFFIXES
from evidence.mapping import Mapping, parse_mapping
from evidence.schemas import get_schema
from evidence.values import as_text
from evidence.xlsx_reader import read_xlsx_table
from services.access import Actor
from services.context import Context
from storage import assessments as store
from storage import evidence_imports as evidence_store

HEADER_ROWS = 30
MAX_VALUES = 50


@dataclass(frozen=True)
class StoredMapping:
    text: str
    file_name: str
    assessment_id: int
    as_of: str


def mapping_text(columns: dict[str, str], values: dict[str, dict[str, Any]]) -> str:
    """YAML of a mapping file (empty parts left out; '' when there is nothing to map)."""
    data: dict[str, Any] = {}
    if columns:
        data["columns"] = dict(sorted(columns.items()))
    cleaned = {f: dict(sorted(v.items())) for f, v in sorted(values.items()) if v}
    if cleaned:
        data["values"] = cleaned
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True) if data else ""


def mapping_parts(text: str) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """(columns, values) of a stored mapping text, as plain dicts (for the page's editors)."""
    data = parse_yaml(text).data if text.strip() else None
    if not isinstance(data, dict):
        return {}, {}
    columns = {str(k): str(v) for k, v in (data.get("columns") or {}).items() if v is not None}
    values = {str(f): {str(k): v for k, v in table.items()} for f, table in (data.get("values") or {}).items()
              if isinstance(table, dict)}
    return columns, values


def parse(text: str, dataset: str) -> Mapping | None:
    """The validated mapping of `text` (None when empty); EvidenceError lists its problems."""
    return parse_mapping(text, get_schema(dataset), f"{dataset} mapping") if text.strip() else None


def file_headers(data: bytes, name: str) -> list[str]:
    """The header cells of the file's most header-like row (best effort, for the mapping page)."""
    rows = _xlsx_rows(data, name) if _looks_xlsx(data, name) else _csv_rows(data)
    texts = [[t for c in row if (t := as_text(c))] for row in rows[:HEADER_ROWS]]
    best = max(texts, key=len, default=[])
    return list(dict.fromkeys(best))


def _looks_xlsx(data: bytes, name: str) -> bool:
    return name.lower().endswith(XLSX_SUFFIXES) or data.startswith(b"PK\x03\x04")


def _csv_rows(data: bytes) -> list[list[str]]:
    head = data[:65536]
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = head.decode("cp1252", errors="replace")
    lines = text.splitlines()[:HEADER_ROWS]
    delimiter = max((",", ";", "\t"), key=lambda d: sum(line.count(d) for line in lines))
    return list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))


def _xlsx_rows(data: bytes, name: str) -> list[list[Any]]:
    from python_calamine import CalamineError, CalamineWorkbook

    from evidence.safety import open_xlsx

    open_xlsx(data, name).close()
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return book.get_sheet_by_index(0).to_python(skip_empty_area=False)[:HEADER_ROWS]
    except (CalamineError, ValueError, OSError, RuntimeError) as exc:
        raise EvidenceError(f"{name} cannot be read", [Problem(name, f"not a readable XLSX workbook ({exc})")]) from None


def unrecognised_values(data: bytes, name: str, dataset: str, mapping: Mapping | None) -> dict[str, list[tuple[str, int]]]:
    """Field → [(value as written, rows)] of values that are not allowed, most frequent first."""
    schema = get_schema(dataset)
    used = mapping or Mapping()
    raw = read_xlsx_table(data, schema, used, name) if _looks_xlsx(data, name) else read_csv_table(data, schema, used, name)
    found: dict[str, list[tuple[str, int]]] = {}
    for spec in schema.fields:
        if spec.kind not in ("enum", "bool") or spec.name not in raw.columns:
            continue
        column = raw.columns[spec.name]
        converted = convert_column(column, spec, used.values.get(spec.name), used.date_order)
        codes, uniques = factorize(column)
        bad = {i for i, p in enumerate(converted.parsed[:-1]) if p.error is not None}
        if not bad:
            continue
        counts = Counter(int(c) for c in codes if c in bad)
        found[spec.name] = [(str(as_text(uniques[i])), n) for i, n in counts.most_common(MAX_VALUES)]
    return found


def previous_mapping(ctx: Context, actor: Actor, assessment_id: int, dataset: str) -> StoredMapping | None:
    """The mapping of the latest import of `dataset` with a mapping, for this assessment or an
    earlier one of the same site (enterprise-wide assessments look at enterprise-wide ones)."""
    with ctx.read() as session:
        current = store.get(session, assessment_id)
        candidates = [a for a in store.list_all(session, site_id=current.site_id, enterprise=current.site_id is None)
                      if a.as_of <= current.as_of]
        for a in sorted(candidates, key=lambda a: (a.id == current.id, a.as_of, a.id), reverse=True):
            for item in reversed(evidence_store.list_imports(session, a.id)):
                if item.dataset == dataset and item.mapping and item.mapping.get("text", "").strip():
                    return StoredMapping(item.mapping["text"], item.mapping.get("file_name", ""), a.id, a.as_of.isoformat())
    return None
