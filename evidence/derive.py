"""Fields filled by the mapping's `fields` rules rather than read as they are from one column.

- `set`: every row holds the constant (the column that would have matched is ignored).
- `default`: blank cells, or every row when the file has no such column, hold the constant.
- `duration`: minutes from the start column's date-time to the end column's, per row; a blank
  start or end leaves the minutes blank (or the default), an unreadable one or an end before the
  start is an error naming that column.
- `filled`: a yes/no field that is yes where a column holds a value other than the `unless` ones
  (a firewall rule with a schedule is time-limited); without the column, the default (or no).

Constants are already canonical (validated with the mapping). Each result is a `Converted`, like a
column read from the file, so validation treats them alike.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evidence import dates
from evidence.convert import TEXT_DTYPE, Converted, factorize, to_pandas
from evidence.mapping_rules import FieldRule
from evidence.schemas import FieldSpec
from evidence.table import RawTable
from evidence.values import as_text, lookup_key, show


def constant(spec: FieldSpec, value, n: int) -> Converted:
    """A column of `n` rows all holding the canonical `value`."""
    empty, bad = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    if spec.kind == "enum":
        code = spec.allowed.index(value)
        return Converted(pd.Categorical.from_codes(np.full(n, code, dtype=np.int16), categories=list(spec.allowed)), empty, bad)
    if spec.kind == "bool":
        return Converted(np.full(n, bool(value)), empty, bad)
    if spec.kind == "date":
        return Converted(np.full(n, np.datetime64(value, "s")), empty, bad)
    if spec.kind == "number":
        return Converted(np.full(n, float(value)), empty, bad)
    return Converted(pd.array(np.full(n, value, dtype=object), dtype=TEXT_DTYPE), empty, bad)


def with_default(spec: FieldSpec, conv: Converted, value) -> Converted:
    """`conv` with its blank (and valid) cells holding `value`."""
    blank = conv.empty & ~conv.bad
    if not blank.any():
        return conv
    filled = constant(spec, value, len(blank)).values
    series = pd.Series(to_pandas(conv.values), copy=False)
    other = pd.Series(filled, copy=False)
    values = other.where(blank, series) if spec.kind != "enum" else pd.Categorical(other.where(blank, series), categories=list(spec.allowed))
    if spec.kind == "text":
        values = pd.array(values, dtype=TEXT_DTYPE)
    elif spec.kind in ("bool", "number", "date"):
        values = values.to_numpy()
    return Converted(values, conv.empty & ~blank, conv.bad, conv.codes, conv.parsed, conv.header, conv.explain)


def duration(raw: RawTable, rule: FieldRule, rules: dates.DateRules) -> Converted:
    """Minutes from the rule's start column to its end column, row by row."""
    assert rule.duration is not None
    start_name, end_name = rule.duration[0][0], rule.duration[1][0]
    start, start_error = _moments(raw.extras[start_name], rules)
    end, end_error = _moments(raw.extras[end_name], rules)
    n = len(raw)
    minutes = np.full(n, np.nan)
    both = np.array([a is not None and b is not None for a, b in zip(start, end, strict=True)], dtype=bool)
    for i in np.flatnonzero(both):
        minutes[i] = dates.minutes_between(start[i], end[i])
    backwards = both & (minutes < 0)
    bad = (start_error != None) | (end_error != None) | backwards  # noqa: E711 (elementwise on object arrays)
    empty = ~both & ~bad
    headers = {name: raw.extra_headers.get(name, name) for name in (start_name, end_name)}

    def explain(positions: np.ndarray) -> list[tuple[str, str]]:
        out = []
        for p in positions:
            if start_error[p] is not None:
                out.append((f"'{headers[start_name]}': {start_error[p]}", dates.DATE_HINT))
            elif end_error[p] is not None:
                out.append((f"'{headers[end_name]}': {end_error[p]}", dates.DATE_HINT))
            else:
                out.append((f"ends ({show(end[p].isoformat(' '))}) before it starts ({show(start[p].isoformat(' '))})",
                            f"{rule.name} is the minutes from '{headers[start_name]}' to '{headers[end_name]}'"))
        return out

    values = np.where(bad, np.nan, minutes)
    return Converted(values, empty, bad, header=headers[end_name], explain=explain)


def _moments(column, rules: dates.DateRules) -> tuple[np.ndarray, np.ndarray]:
    """(aware datetime or None, error or None) per row of a date-time column."""
    codes, uniques = factorize(column)
    rules = rules.with_order(dates.column_order(uniques))
    parsed = [dates.parse_moment(u, rules) for u in uniques] + [dates.parse_moment(None, rules)]
    moments = np.array([p.value if p.error is None else None for p in parsed], dtype=object)
    errors = np.array([p.error for p in parsed], dtype=object)
    return moments[codes], errors[codes]


def filled(raw: RawTable, rule: FieldRule) -> Converted | None:
    """Yes where the rule's column holds a value other than its `unless` values; None when the
    file has no such column."""
    column = raw.extras.get(rule.filled[0])
    if column is None:
        return None
    codes, uniques = factorize(column)
    yes = np.array([bool(t) and lookup_key(t) not in rule.unless for t in (as_text(u) for u in uniques)] + [False], dtype=bool)
    n = len(raw)
    return Converted(yes[codes], np.zeros(n, dtype=bool), np.zeros(n, dtype=bool),
                     header=raw.extra_headers.get(rule.filled[0], rule.filled[0]))


def apply_rules(raw: RawTable, field_rules: dict[str, FieldRule], specs: dict[str, FieldSpec],
                converted: dict[str, Converted], rules: dates.DateRules) -> dict[str, str]:
    """Fill `converted` by the field rules (in place); returns field → what the rule did."""
    done = {}
    for name, rule in field_rules.items():
        spec = specs[name]
        if rule.has_set:
            converted[name] = constant(spec, rule.set, len(raw))
        elif rule.duration and rule.duration[0][0] in raw.extras and rule.duration[1][0] in raw.extras:
            converted[name] = duration(raw, rule, rules)
        elif rule.filled and (found := filled(raw, rule)) is not None:
            converted[name] = found
        if rule.has_default:
            converted[name] = (with_default(spec, converted[name], rule.default) if name in converted
                               else constant(spec, rule.default, len(raw)))
        if rule.has_set or rule.duration or rule.filled or rule.has_default:
            done[name] = rule.describe()
    return done
