"""Mapping files: how a plant's own headers, codes, dates and rows translate to a dataset.

```yaml
columns: {"Device Name": name, "Crit": criticality}   # header in the file → canonical field (~ ignores it)
values:                                               # per field: value in the file → canonical
  criticality: {"1": critical, "2": high}
  monitored: {"Y": true, "N": false}
header_row: 3              # row number of the header (default: found automatically)
date_order: day_first      # read 05/03/2024 as 5 March (month_first: as May 3)
date_format: "%d.%m.%Y %H:%M"   # strptime directives, tried before the usual forms
encoding: mac_roman        # the text file's encoding (default: detected)
repeated_ids: latest       # several rows for one id: keep the latest (evidence.mapping_rules)
fields:                    # constants, defaults and derived fields (evidence.mapping_rules)
  site: {set: Werk Nord}
  restore_minutes: {duration: {start: "Start Time", end: "End Time"}}
where: {"Job Type": [Restore]}   # keep only some rows
timeline: {...}            # exercises from an event-level timeline (evidence.timeline)
```

`parse_mapping(text, schema, label) -> Mapping` validates the file itself and raises one
EvidenceError listing every problem with its line (`map.yaml line 4: values.criticality.'1': 'hi'
is not one of ...`). `mapping_from_data` does the same for a mapping nested in another file (a
preset). Headers and values in the map are compared like the file's own (case and punctuation
ignored). `merge_mappings(preset, own)` lays a user's mapping over a preset.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from catalog.yaml_safety import parse_yaml
from errors import ContentError, EvidenceError, Problem
from evidence import mapping_rules as rules
from evidence.mapping_checks import Where, key_text, suggest, value_table
from evidence.mapping_timeline import Timeline, parse_timeline
from evidence.schemas import DatasetSchema, header_key

MAX_MAPPING_BYTES = 1024 * 1024
TOP_KEYS = ("columns", "values", "header_row", "date_order", "date_format", "encoding", "repeated_ids",
            "fields", "where", "timeline")
DATE_ORDERS = ("day_first", "month_first")


@dataclass(frozen=True)
class Mapping:
    """A validated mapping: header_key → field ("" = ignore), per field lookup_key(raw) → value,
    and the rules of `evidence.mapping_rules`."""

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    header_row: int | None = None
    date_order: str | None = None
    date_format: str | None = None
    encoding: str | None = None
    repeated_ids: str | None = None
    fields: dict[str, rules.FieldRule] = field(default_factory=dict)
    where: tuple[rules.RowFilter, ...] = ()
    timeline: Timeline | None = None
    source: str = ""

    def extra_headers(self) -> list[tuple[str, ...]]:
        """Columns the rules read besides the mapped fields (filters, derivations, timeline), each
        as its alternatives (the first one the file has is read; extras are keyed by the first)."""
        found = [(f.header,) for f in self.where if f.keep is not None]
        for rule in self.fields.values():
            found += rule.headers()
        if self.timeline is not None:
            found += [(self.timeline.exercise,), (self.timeline.phase,), (self.timeline.time,)]
        return list(dict.fromkeys(found))

    def optional_headers(self) -> set[tuple[str, ...]]:
        """Columns a rule may do without: its field has a default, or its filter is optional."""
        return ({h for rule in self.fields.values() if rule.has_default for h in rule.headers()}
                | {(f.header,) for f in self.where if f.optional})


EMPTY_MAPPING = Mapping()


def parse_mapping(text: str | bytes, schema: DatasetSchema, label: str = "mapping") -> Mapping:
    """Parse and validate a mapping file for `schema`; EvidenceError lists every problem."""
    parsed = _load(text, label)
    return mapping_from_data(parsed.data, schema, Where(label, parsed))


def mapping_from_data(data: Any, schema: DatasetSchema, where: Where) -> Mapping:
    """Validate already-parsed mapping data (`where` locates its keys for messages)."""
    problems: list[Problem] = []
    if data is None:
        return Mapping(source=where.label)  # an empty mapping file maps nothing
    if not isinstance(data, dict):
        raise EvidenceError("invalid mapping file", [Problem(where(()), "expected a mapping with keys " + ", ".join(TOP_KEYS))])
    for key in data:
        if key not in TOP_KEYS:
            problems.append(Problem(where((key,)), "unknown key", f"allowed keys: {', '.join(TOP_KEYS)}"))
    columns = _columns(data.get("columns"), schema, where, problems)
    values = _values(data.get("values"), schema, where, problems)
    header_row = data.get("header_row")
    if header_row is not None and (isinstance(header_row, bool) or not isinstance(header_row, int) or not 1 <= header_row <= 1000):
        problems.append(Problem(where(("header_row",)), f"{header_row!r} is not a row number", "a whole number from 1 to 1000"))
    date_order = data.get("date_order")
    if date_order is not None and date_order not in DATE_ORDERS:
        problems.append(Problem(where(("date_order",)), f"{date_order!r} is not allowed", "day_first or month_first"))
    field_rules = rules.parse_fields(data.get("fields"), schema, where, problems)
    for name, rule in field_rules.items():
        if rule.values:
            values[name] = {**values.get(name, {}), **rule.values}
    mapping = Mapping(
        columns=columns, values=values, header_row=header_row, date_order=date_order,
        date_format=_date_format(data.get("date_format"), where, problems),
        encoding=_encoding(data.get("encoding"), where, problems),
        repeated_ids=rules.parse_repeated(data.get("repeated_ids"), schema, where, problems),
        fields=field_rules, where=rules.parse_where(data.get("where"), where, problems),
        timeline=parse_timeline(data.get("timeline"), schema, where, problems), source=where.label,
    )
    if problems:
        raise EvidenceError(f"{len(problems)} problem(s) in mapping file {where.label}", problems)
    return mapping


def merge_mappings(base: Mapping, extra: Mapping) -> Mapping:
    """`extra` laid over `base` (a preset): its columns, values, field rules and settings win;
    its row filters are added to the base's, and replace the base's on the same column (a filter
    of `~` drops it)."""
    mapped_by_extra = {f for f in extra.columns.values() if f} | set(extra.fields)
    columns = {h: f for h, f in base.columns.items() if f not in mapped_by_extra}
    columns.update(extra.columns)
    values = {f: {**base.values.get(f, {}), **extra.values.get(f, {})} for f in {*base.values, *extra.values}}
    return replace(
        base, columns=columns, values=values, fields={**base.fields, **extra.fields},
        header_row=extra.header_row or base.header_row, date_order=extra.date_order or base.date_order,
        date_format=extra.date_format or base.date_format, encoding=extra.encoding or base.encoding,
        repeated_ids=extra.repeated_ids or base.repeated_ids,
        where=tuple(f for f in base.where if header_key(f.header) not in {header_key(e.header) for e in extra.where})
        + tuple(f for f in extra.where if f.keep is not None),
        timeline=extra.timeline or base.timeline, source=" + ".join(s for s in (base.source, extra.source) if s),
    )


def _load(text: str | bytes, label: str):
    if len(text) > MAX_MAPPING_BYTES:
        raise EvidenceError("mapping file too large", [Problem(label, f"over {MAX_MAPPING_BYTES} bytes")])
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise EvidenceError("mapping file is not UTF-8", [Problem(f"{label} byte {exc.start}", "not valid UTF-8 text")]) from None
    try:
        return parse_yaml(text)
    except ContentError as exc:
        raise EvidenceError("invalid mapping file", [Problem(f"{label} {p.location}".strip(), p.message, p.hint) for p in exc.problems]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{label} line {mark.line + 1}, column {mark.column + 1}" if mark else label
        message = getattr(exc, "problem", None) or str(exc)
        raise EvidenceError("invalid mapping file", [Problem(where, f"YAML error: {message}")]) from None


def _date_format(raw: Any, where: Where, problems: list[Problem]) -> str | None:
    if raw is None:
        return None
    if raw == "unix":
        return raw
    if not isinstance(raw, str) or "%" not in raw:
        problems.append(Problem(where(("date_format",)), f"{raw!r} is not a date format",
                                'use strptime directives, e.g. "%d.%m.%Y %H:%M" or "%m/%d/%Y %I:%M:%S %p", or unix (seconds since 1970)'))
        return None
    if not any(d in raw for d in ("%d", "%j")) or not any(d in raw for d in ("%Y", "%y")):
        problems.append(Problem(where(("date_format",)), f"'{raw}' has no day or no year", "include %d and %Y (or %y)"))
        return None
    return raw


def _encoding(raw: Any, where: Where, problems: list[Problem]) -> str | None:
    if raw is None:
        return None
    try:
        name = codecs.lookup(str(raw)).name
    except LookupError:
        problems.append(Problem(where(("encoding",)), f"{raw!r} is not an encoding",
                                "e.g. utf-8, cp1252 (Windows Western), latin-1, mac_roman, utf-16"))
        return None
    if name.startswith("utf-16") or name.startswith("utf-32"):
        return name  # the byte-order mark decides the byte order
    return name


def _columns(raw: Any, schema: DatasetSchema, where: Where, problems: list[Problem]) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(where(("columns",)), "expected a mapping of file header → field"))
        return {}
    out: dict[str, str] = {}
    targets: dict[str, str] = {}
    for header, target in raw.items():
        location = where(("columns", header))
        text = key_text(header, location, problems)
        if text is None:
            continue
        if target is None:  # `"Old column": ~` ignores that column
            out[header_key(text)] = ""
            continue
        if not isinstance(target, str) or target not in schema.field_names:
            problems.append(Problem(location, f"{target!r} is not a field of {schema.name}", suggest(str(target), schema.field_names)))
            continue
        if target in targets:
            problems.append(Problem(location, f"'{target}' is already mapped from '{targets[target]}'", "map each field from one column"))
            continue
        targets[target] = text
        out[header_key(text)] = target
    return out


def _values(raw: Any, schema: DatasetSchema, where: Where, problems: list[Problem]) -> dict[str, dict[str, Any]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(where(("values",)), "expected a mapping of field → {value in file: canonical value}"))
        return {}
    out: dict[str, dict[str, Any]] = {}
    for name, table in raw.items():
        location = where(("values", name))
        if name not in schema.field_names:
            problems.append(Problem(location, f"{name!r} is not a field of {schema.name}", suggest(str(name), schema.field_names)))
            continue
        table = value_table(table, schema.field(name), ("values", name), where, problems)
        if table is not None:
            out[name] = table
    return out
