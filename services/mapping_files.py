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

from collections import Counter
from dataclasses import dataclass
from typing import Any

import yaml

from catalog.yaml_safety import parse_yaml
from errors import EvidenceError, TableError
from evidence.convert import convert_column, factorize
from evidence.headers import HeaderError
from evidence.mapping import Mapping, parse_mapping
from evidence.reader import read_raw_table
from evidence.row_filter import apply_where
from evidence.schemas import get_schema
from evidence.values import as_text
from services.access import Actor
from services.context import Context
from services.evidence_presets import effective_mapping
from storage import assessments as store
from storage import evidence_imports as evidence_store
from tabular.reader import open_table
from tabular.table import HeaderRule

HEADER_ROWS = 30
MAX_VALUES = 50


@dataclass(frozen=True)
class StoredMapping:
    text: str
    file_name: str
    assessment_id: int
    as_of: str
    preset: str | None = None


def mapping_text(columns: dict[str, str | None], values: dict[str, dict[str, Any]]) -> str:
    """YAML of a mapping file (empty parts left out; '' when there is nothing to map); a column
    mapped to None is ignored (`~`)."""
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
    columns = {str(k): (None if v is None else str(v)) for k, v in (data.get("columns") or {}).items()}
    values = {str(f): {str(k): v for k, v in table.items()} for f, table in (data.get("values") or {}).items()
              if isinstance(table, dict)}
    return columns, values


def columns_can_be_mapped(error: EvidenceError) -> bool:
    """Whether the file was read but its header or columns could not be matched, so the page
    may offer to map its columns (never for a file refused as unreadable, binary or hostile)."""
    return isinstance(error, HeaderError)


def parse(text: str, dataset: str, preset: str | None = None) -> Mapping | None:
    """The validated mapping of `text` (None when empty), laid over `preset` when one is chosen;
    EvidenceError lists its problems."""
    own = parse_mapping(text, get_schema(dataset), f"{dataset} mapping") if text.strip() else None
    return effective_mapping(dataset, preset, own)


def file_headers(data: bytes, name: str) -> list[str]:
    """The header cells of the file's most header-like row among the first 30: the one with the
    most non-empty cells (best effort, for the mapping page)."""
    try:
        opened = open_table(data, name)
        header = opened.header(HeaderRule(), HEADER_ROWS)
    except TableError as exc:
        raise EvidenceError(exc.summary, exc.problems) from None
    return list(dict.fromkeys(t for c in header.cells if (t := as_text(c))))


def unrecognised_values(data: bytes, name: str, dataset: str, mapping: Mapping | None) -> dict[str, list[tuple[str, int]]]:
    """Field → [(value as written, rows)] of values that are not allowed, most frequent first
    (values of a field the mapping sets or derives are not offered)."""
    schema = get_schema(dataset)
    used = mapping or Mapping()
    if used.timeline is not None:
        return {}
    raw = apply_where(read_raw_table(data, schema, used, name), used.where)
    found: dict[str, list[tuple[str, int]]] = {}
    for spec in schema.fields:
        if spec.kind not in ("enum", "bool") or spec.name not in raw.columns or (
                spec.name in used.fields and used.fields[spec.name].has_set):
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
                if item.dataset == dataset and item.mapping and (item.mapping.get("text", "").strip() or item.mapping.get("preset")):
                    return StoredMapping(item.mapping.get("text", ""), item.mapping.get("file_name", ""), a.id,
                                         a.as_of.isoformat(), item.mapping.get("preset"))
    return None
