"""Checks shared by the parts of a mapping file: where a key is (file, line, key path), keys as
the user meant them, suggestions, and value maps validated against a field."""

from __future__ import annotations

import difflib
from typing import Any

from errors import Problem
from evidence.schemas import value_key
from evidence.values import FALSE_KEYS, OTHERWISE, TRUE_KEYS, enum_lookup, lookup_key


class Where:
    """Problem locations such as `map.yaml line 4: values.criticality.'2'`; `prefix` is the path
    of the mapping inside its file (a preset's `mapping`)."""

    def __init__(self, label: str, parsed=None, prefix: tuple = ()) -> None:
        self.label, self.parsed, self.prefix = label, parsed, prefix

    def __call__(self, path: tuple) -> str:
        full = self.prefix + tuple(path)
        if not full:
            return self.label
        shown = ".".join(p if i == 0 or isinstance(p, str) and p.isidentifier() else f"'{p}'" for i, p in enumerate(map(str, full)))
        line = self.parsed.line_of(full) if hasattr(self.parsed, "line_of") else None
        return f"{self.label} line {line}: {shown}" if line else f"{self.label}: {shown}"


def key_text(key: Any, location: str, problems: list[Problem]) -> str | None:
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


def suggest(name: str, options: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(str(name), list(options), n=1)
    return f"did you mean '{close[0]}'?" if close else f"one of {', '.join(options)}"


def value_table(table: Any, spec, path: tuple, where: Where, problems: list[Problem]) -> dict[str, Any] | None:
    """A field's value map (value in file → canonical), validated; None when it is not one."""
    if spec.kind in ("date", "number"):
        problems.append(Problem(where(path), f"values of {spec.kind} field '{spec.name}' cannot be mapped",
                                "map text, enumeration or yes/no fields"))
        return None
    if not isinstance(table, dict):
        problems.append(Problem(where(path), "expected a mapping of value in file → canonical value"))
        return None
    allowed = enum_lookup(spec) if spec.kind == "enum" else {}
    out: dict[str, Any] = {}
    for raw_key, target in table.items():
        location = where((*path, raw_key))
        key = key_text(raw_key, location, problems)
        if key is None:
            continue
        if key.strip() == "*":  # any other value
            key = OTHERWISE
        if target is None:  # `"unknown": ~` reads the value as blank
            out[lookup_key(key)] = None
            continue
        canonical = canonical_value(target, spec, allowed)
        if canonical is None:
            if spec.kind == "enum":
                problems.append(Problem(location, f"{target!r} is not one of {', '.join(spec.allowed)}", suggest(str(target), spec.allowed)))
            else:
                problems.append(Problem(location, f"{target!r} is not true or false", "map to true or false"))
            continue
        out[key if key == OTHERWISE else lookup_key(key)] = canonical
    return out


def canonical_value(target: Any, spec, allowed: dict[str, str]) -> Any:
    """The canonical value `target` names for a text, enumeration or yes/no field, else None."""
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
