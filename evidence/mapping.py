"""Mapping files: how a plant's own headers and codes translate to a dataset's canonical fields.

```yaml
columns: {"Device Name": name, "Crit": criticality}      # header in the file → canonical field
                                                         # (a header mapped to ~ is ignored)
values:                                                  # per field: value in the file → canonical
  criticality: {"1": critical, "2": high}
  monitored: {"Y": true, "N": false}
header_row: 3            # optional: row number of the header (default: found automatically)
date_order: day_first    # optional: read 05/03/2024 as 5 March (month_first: as May 3)
```

`parse_mapping(text, schema, label) -> Mapping` validates the file itself and raises one
EvidenceError listing every problem (`map.yaml: values.criticality.'1': 'hi' is not one of ...`).
Headers and values in the map are compared like the file's own (case and punctuation ignored).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

import yaml

from catalog.yaml_safety import parse_yaml
from errors import ContentError, EvidenceError, Problem
from evidence.schemas import DatasetSchema, header_key, value_key
from evidence.values import FALSE_KEYS, TRUE_KEYS, enum_lookup, lookup_key

MAX_MAPPING_BYTES = 1024 * 1024
TOP_KEYS = ("columns", "values", "header_row", "date_order")
DATE_ORDERS = ("day_first", "month_first")


@dataclass(frozen=True)
class Mapping:
    """A validated mapping: header_key → field ("" = ignore), per field lookup_key(raw) → value."""

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    header_row: int | None = None
    date_order: str | None = None
    source: str = ""


EMPTY_MAPPING = Mapping()


def parse_mapping(text: str | bytes, schema: DatasetSchema, label: str = "mapping") -> Mapping:
    """Parse and validate a mapping file for `schema`; EvidenceError lists every problem."""
    parsed = _load(text, label)
    data = parsed.data if hasattr(parsed, "data") else parsed
    where = _Where(label, parsed)
    problems: list[Problem] = []
    if data is None:
        return Mapping(source=label)  # an empty mapping file maps nothing
    if not isinstance(data, dict):
        raise EvidenceError("invalid mapping file", [Problem(label, "expected a mapping with keys " + ", ".join(TOP_KEYS))])
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
    if problems:
        raise EvidenceError(f"{len(problems)} problem(s) in mapping file {label}", problems)
    return Mapping(columns=columns, values=values, header_row=header_row, date_order=date_order, source=label)


class _Where:
    """Problem locations such as `map.yaml line 4: values.criticality.'2'`."""

    def __init__(self, label: str, parsed) -> None:
        self.label, self.parsed = label, parsed

    def __call__(self, path: tuple) -> str:
        shown = ".".join(p if i == 0 or isinstance(p, str) and p.isidentifier() else f"'{p}'" for i, p in enumerate(map(str, path)))
        line = self.parsed.line_of(path) if hasattr(self.parsed, "line_of") else None
        return f"{self.label} line {line}: {shown}" if line else f"{self.label}: {shown}"


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


def _key_text(key: Any, location: str, problems: list[Problem]) -> str | None:
    """YAML keys as the user meant them: 1 → '1'; yes/no/on/off (read as booleans) are refused."""
    if isinstance(key, bool) or key is None:
        problems.append(Problem(location, f"{key!r} is read by YAML as {'a boolean' if key is not None else 'empty'}",
                                'put the value in quotes, e.g. "Yes": true'))
        return None
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    if isinstance(key, str | int | float):
        return str(key)
    problems.append(Problem(location, f"{key!r} is not a header or value", "use plain text"))
    return None


def _suggest(name: str, options: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(str(name), list(options), n=1)
    return f"did you mean '{close[0]}'?" if close else f"one of {', '.join(options)}"


def _columns(raw: Any, schema: DatasetSchema, where: _Where, problems: list[Problem]) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(where(("columns",)), "expected a mapping of file header → field"))
        return {}
    out: dict[str, str] = {}
    targets: dict[str, str] = {}
    for header, target in raw.items():
        location = where(("columns", header))
        text = _key_text(header, location, problems)
        if text is None:
            continue
        if target is None:  # `"Old column": ~` ignores that column
            out[header_key(text)] = ""
            continue
        if not isinstance(target, str) or target not in schema.field_names:
            problems.append(Problem(location, f"{target!r} is not a field of {schema.name}", _suggest(str(target), schema.field_names)))
            continue
        if target in targets:
            problems.append(Problem(location, f"'{target}' is already mapped from '{targets[target]}'", "map each field from one column"))
            continue
        targets[target] = text
        out[header_key(text)] = target
    return out


def _values(raw: Any, schema: DatasetSchema, where: _Where, problems: list[Problem]) -> dict[str, dict[str, Any]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(where(("values",)), "expected a mapping of field → {value in file: canonical value}"))
        return {}
    out: dict[str, dict[str, Any]] = {}
    for name, table in raw.items():
        location = where(("values", name))
        if name not in schema.field_names:
            problems.append(Problem(location, f"{name!r} is not a field of {schema.name}", _suggest(str(name), schema.field_names)))
            continue
        spec = schema.field(name)
        if spec.kind in ("date", "number"):
            problems.append(Problem(location, f"values of {spec.kind} field '{name}' cannot be mapped",
                                    "map text, enumeration or yes/no fields"))
            continue
        if not isinstance(table, dict):
            problems.append(Problem(location, "expected a mapping of value in file → canonical value"))
            continue
        out[name] = _value_table(table, spec, lambda key, n=name: where(("values", n, key)), problems)
    return out


def _value_table(table: dict, spec, location_of, problems: list[Problem]) -> dict[str, Any]:
    allowed = enum_lookup(spec) if spec.kind == "enum" else {}
    out: dict[str, Any] = {}
    for raw_key, target in table.items():
        where = location_of(raw_key)
        key = _key_text(raw_key, where, problems)
        if key is None:
            continue
        canonical = _canonical(target, spec, allowed)
        if canonical is None:
            if spec.kind == "enum":
                problems.append(Problem(where, f"{target!r} is not one of {', '.join(spec.allowed)}", _suggest(str(target), spec.allowed)))
            else:
                problems.append(Problem(where, f"{target!r} is not true or false", "map to true or false"))
            continue
        out[lookup_key(key)] = canonical
    return out


def _canonical(target: Any, spec, allowed: dict[str, str]) -> Any:
    if spec.kind == "bool":
        if isinstance(target, bool):
            return target
        key = value_key(str(target)) if isinstance(target, str | int) else None
        return True if key in TRUE_KEYS else False if key in FALSE_KEYS else None
    if isinstance(target, bool) or target is None:
        return None
    if spec.kind == "enum":
        return allowed.get(value_key(str(target)))
    return str(target)
