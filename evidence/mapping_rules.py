"""The parts of a mapping file that go beyond renaming: field rules, row filters, timelines and
repeated ids. Each is parsed and validated here, every problem located by file, line and key path.

```yaml
fields:
  site: {set: Werk Nord}                      # every row holds this value (a column of the file is ignored)
  criticality: {default: high}                # blank cells (or no column) get this value
  environment: {from: "Netz", values: {Büro: IT, Anlage: OT}}   # read from this column, with its own codes
  item_id: {from: ["VM Name", "Name"]}        # the first of these headers that the file has
  restore_minutes: {duration: {start: "Start Time", end: "End Time"}}   # minutes from start to end
  time_limited: {filled: "Schedule", unless: [none]}   # yes where the cell holds a value (other than these)
where:                                        # keep only the rows whose cell is one of the values
  "Job Type": [Restore, Instant Recovery]
  "Status": {not: [Retired, Disposed]}        # ... or none of them
  "State": {in: [Active], optional: true}     # a file without the column is kept whole (with a warning)
  "Region": ~                                 # drops a preset's filter on this column
repeated_ids: latest                          # several rows for one id: keep the latest
```

The `timeline` key is parsed by `evidence.mapping_timeline`.

Values of `set` and `default` are read like a cell of the field (an enumeration's synonyms, yes/no
words, any accepted date form); `where` values and phase names are compared like enumeration
values (case, spaces and punctuation ignored).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from errors import Problem
from evidence import dates
from evidence.mapping_checks import Where, key_text, suggest, value_table
from evidence.schemas import DatasetSchema, FieldSpec
from evidence.values import Parsed, enum_lookup, lookup_key, parse_bool, parse_enum, parse_number

RULE_KEYS = ("set", "default", "from", "values", "duration", "filled", "unless")
REPEATED = ("error", "latest")


@dataclass(frozen=True)
class FieldRule:
    """How one field is filled besides (or instead of) a column of the file."""

    name: str
    set: Any = None
    has_set: bool = False
    default: Any = None
    has_default: bool = False
    sources: tuple[str, ...] = ()
    """`from`: the header(s) to read the field from, the first one the file has."""
    values: dict[str, Any] = field(default_factory=dict)
    duration: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    """(start headers, end headers), each the first of its alternatives the file has: minutes from
    start to end."""
    filled: tuple[str, ...] = ()
    """A yes/no field that is yes where this column (the first alternative the file has) holds a
    value, other than those in `unless`."""
    unless: frozenset[str] = frozenset()
    """lookup_keys of values that count as empty for `filled` (e.g. any, none)."""
    unless_shown: tuple[str, ...] = ()

    def headers(self) -> list[tuple[str, ...]]:
        """The columns the rule reads besides its field's own, each as its alternatives."""
        return [*(self.duration or ()), *([self.filled] if self.filled else [])]

    def describe(self) -> str:
        """What the rule does, for reports ("set to 'high'", "minutes from 'Start' to 'End'")."""
        if self.has_set:
            return f"set to {_shown(self.set)} in every row"
        parts = []
        if self.duration:
            parts.append(f"minutes from '{self.duration[0][0]}' to '{self.duration[1][0]}'")
        if self.filled:
            unless = f" other than {', '.join(self.unless_shown)}" if self.unless_shown else ""
            parts.append(f"yes where '{self.filled[0]}' holds a value{unless}")
        if self.has_default:
            parts.append(f"{_shown(self.default)} where blank")
        return ", ".join(parts)


@dataclass(frozen=True)
class RowFilter:
    """Keep the rows whose cell in `header` is (keep) or is not (not keep) one of `shown`."""

    header: str
    keys: frozenset[str]
    shown: tuple[str, ...]
    keep: bool | None = True
    """True: keep rows whose cell is one of the values; False: none of them; None: no filter (a
    mapping cancelling its preset's filter on this column)."""
    optional: bool = False
    """A file without the column is kept whole (with a warning) instead of refused."""

    def describe(self) -> str:
        values = ", ".join(f"'{v}'" for v in self.shown)
        return f"'{self.header}' {'is' if self.keep else 'is not'} one of {values}"


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"'{value}'"


def parse_value(raw: Any, spec: FieldSpec) -> Parsed:
    """A constant from the mapping read as a cell of `spec` (canonical value or error)."""
    if spec.kind == "enum":
        return parse_enum(raw, spec, enum_lookup(spec), None)
    if spec.kind == "bool":
        return parse_bool(raw, spec, None)
    if spec.kind == "date":
        return dates.parse_date(raw)
    if spec.kind == "number":
        return parse_number(raw)
    return Parsed(None if raw is None else str(raw).strip() or None)


def parse_fields(raw: Any, schema: DatasetSchema, where: Where, problems: list[Problem]) -> dict[str, FieldRule]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(where(("fields",)), "expected a mapping of field → rule", "e.g. fields: {site: {set: Werk Nord}}"))
        return {}
    out = {}
    for name, body in raw.items():
        path = ("fields", name)
        if name not in schema.field_names:
            problems.append(Problem(where(path), f"{name!r} is not a field of {schema.name}", suggest(str(name), schema.field_names)))
            continue
        rule = _field_rule(body, schema.field(name), path, where, problems)
        if rule is not None:
            out[name] = rule
    return out


def _field_rule(body: Any, spec: FieldSpec, path: tuple, where: Where, problems: list[Problem]) -> FieldRule | None:
    if not isinstance(body, dict) or not body:
        problems.append(Problem(where(path), "expected a rule with one of: " + ", ".join(RULE_KEYS),
                                "e.g. {set: value}, {default: value}, {from: Header}"))
        return None
    before = len(problems)
    for key in body:
        if key not in RULE_KEYS:
            problems.append(Problem(where((*path, key)), "unknown key", f"allowed keys: {', '.join(RULE_KEYS)}"))
    if "set" in body and len(body) > 1:
        problems.append(Problem(where((*path, "set")), "set cannot be combined with other keys",
                                "set gives every row the same value; use default to fill only blanks"))
    if "duration" in body and spec.kind != "number":
        problems.append(Problem(where((*path, "duration")), f"'{spec.name}' is not a number of minutes",
                                "duration derives minutes fields from start and end date-times"))
    derived = [k for k in ("from", "duration", "filled") if k in body]
    if len(derived) > 1:
        problems.append(Problem(where((*path, derived[1])), f"{derived[1]} cannot be combined with {derived[0]}", "use one of them"))
    if "filled" in body and spec.kind != "bool":
        problems.append(Problem(where((*path, "filled")), f"'{spec.name}' is not a yes/no field",
                                "filled derives yes/no fields from whether a column holds a value"))
    if "unless" in body and "filled" not in body:
        problems.append(Problem(where((*path, "unless")), "unless goes with filled", "e.g. {filled: Schedule, unless: [none]}"))
    constants = {}
    for key in ("set", "default"):
        if key in body:
            parsed = parse_value(body[key], spec)
            if parsed.error is not None or parsed.value is None:
                problems.append(Problem(where((*path, key)), parsed.error or "a blank value", parsed.hint or "give a value"))
            constants[key] = parsed.value
    sources = headers_of(body.get("from"), (*path, "from"), where, problems) if "from" in body else ()
    values = value_table(body["values"], spec, (*path, "values"), where, problems) if "values" in body else {}
    duration = _duration(body["duration"], (*path, "duration"), where, problems) if "duration" in body else None
    filled = headers_of(body["filled"], (*path, "filled"), where, problems) if "filled" in body else ()
    unless = _values_list(body.get("unless"), (*path, "unless"), where, problems) if "unless" in body else ()
    if len(problems) > before:
        return None
    return FieldRule(spec.name, set=constants.get("set"), has_set="set" in body, default=constants.get("default"),
                     has_default="default" in body, sources=sources, values=values or {}, duration=duration,
                     filled=filled, unless=frozenset(lookup_key(u) for u in unless), unless_shown=tuple(unless))


def _values_list(raw: Any, path: tuple, where: Where, problems: list[Problem]) -> tuple[str, ...]:
    items = raw if isinstance(raw, list) else [raw]
    return tuple(t for i, item in enumerate(items)
                 if (t := key_text(item, where((*path, i) if isinstance(raw, list) else path), problems)) is not None)


def headers_of(raw: Any, path: tuple, where: Where, problems: list[Problem]) -> tuple[str, ...]:
    items = raw if isinstance(raw, list) else [raw]
    out = []
    for i, item in enumerate(items):
        text = key_text(item, where((*path, i) if isinstance(raw, list) else path), problems)
        if text is not None and text.strip():
            out.append(text.strip())
    if not out:
        problems.append(Problem(where(path), "expected a header of the file, or a list of alternatives"))
    return tuple(out)


def _duration(raw: Any, path: tuple, where: Where, problems: list[Problem]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    if not isinstance(raw, dict) or set(raw) != {"start", "end"}:
        problems.append(Problem(where(path), "expected {start: Header, end: Header}",
                                'e.g. duration: {start: "Start Time", end: "End Time"} (a header, or a list of alternatives)'))
        return None
    start = headers_of(raw["start"], (*path, "start"), where, problems)
    end = headers_of(raw["end"], (*path, "end"), where, problems)
    return (start, end) if start and end else None


def parse_where(raw: Any, where: Where, problems: list[Problem]) -> tuple[RowFilter, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not raw:
        problems.append(Problem(where(("where",)), "expected a mapping of header → values to keep",
                                'e.g. where: {"Job Type": [Restore]} or {"Status": {not: [Retired]}}'))
        return ()
    out = []
    for header, body in raw.items():
        path = ("where", header)
        text = key_text(header, where(path), problems)
        if text is None:
            continue
        if body is None:
            out.append(RowFilter(text, frozenset(), (), keep=None))
            continue
        keep, optional = True, False
        if isinstance(body, dict):
            optional = body.get("optional", False) is True
            tests = [k for k in body if k in ("in", "not")]
            stray = [k for k in body if k not in ("in", "not", "optional")]
            if len(tests) != 1 or stray:
                problems.append(Problem(where(path), "expected a list of values, or {not: [values]} / {in: [values]}",
                                        "optional: true keeps a file without the column whole"))
                continue
            keep = tests[0] == "in"
            path, body = (*path, tests[0]), body[tests[0]]
        items = body if isinstance(body, list) else [body]
        shown = [t for i, item in enumerate(items)
                 if (t := key_text(item, where((*path, i) if isinstance(body, list) else path), problems)) is not None]
        if not shown:
            problems.append(Problem(where(path), "no value to compare with", "list the values to keep"))
            continue
        out.append(RowFilter(text, frozenset(lookup_key(v) for v in shown), tuple(shown), keep, optional))
    return tuple(out)


def parse_repeated(raw: Any, schema: DatasetSchema, where: Where, problems: list[Problem]) -> str | None:
    if raw is None:
        return None
    if raw not in REPEATED:
        problems.append(Problem(where(("repeated_ids",)), f"{raw!r} is not allowed",
                                "latest (keep the latest row of each id) or error (the default)"))
        return None
    if raw == "latest" and schema.unique_field is None:
        problems.append(Problem(where(("repeated_ids",)), f"{schema.name} has no unique id", "remove repeated_ids"))
        return None
    return None if raw == "error" else raw
