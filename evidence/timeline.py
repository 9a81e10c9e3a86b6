"""Exercises from an event-level timeline: one row per event → one row per exercise.

A timeline has a row per event with the exercise it belongs to, the phase it marks and when it
happened (the mapping's `timeline`: exercise, phase and time columns, and which phase names mark
which milestone). Per exercise:

- start: the earliest event of a `start` phase, or, when the mapping names none, the exercise's
  earliest event of any phase;
- each milestone (detect, escalate, contain, recover): its earliest event;
- date: the start's date at the site; row: the row of the exercise's first event;
- detect_minutes = detect − start; escalate_minutes = escalate − detect (the field's definition:
  from detection to escalation); contain_minutes = contain − start; recover_minutes = recover −
  start. A milestone without an event leaves its minutes blank.
- other mapped columns (scenario, exercise_type): the exercise's non-blank value; two different
  values in one exercise are an error.

Events of other phases are read (their times must be valid) but measure nothing. An event with a
blank exercise, an unreadable time, a milestone before the start or conflicting values makes its
exercise invalid; each problem names the event's row. Times are read with the dataset's date rules
(offsets converted to the site's time zone; day/month order from the mapping or the column).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from errors import Problem
from evidence import dates
from evidence.convert import factorize
from evidence.mapping_timeline import Timeline
from evidence.table import RawTable
from evidence.values import as_text, lookup_key, show
from tabular.limits import MAX_ROW_PROBLEMS

TIMELINE_FIELDS = frozenset({"exercise_id", "date", "detect_minutes", "escalate_minutes", "contain_minutes",
                             "recover_minutes"})
MEASURES = {"detect_minutes": ("start", "detect"), "escalate_minutes": ("detect", "escalate"),
            "contain_minutes": ("start", "contain"), "recover_minutes": ("start", "recover")}


def exercises_from_timeline(raw: RawTable, timeline: Timeline, rules: dates.DateRules, label: str) -> RawTable:
    """One row per exercise of the event table `raw` (see the module docstring)."""
    events = _events(raw, timeline, rules)
    problems: list[tuple[int, Problem]] = []
    where = {k: raw.extra_headers.get(k, k) for k in (timeline.exercise, timeline.phase, timeline.time)}
    for i in np.flatnonzero(events["exercise"].isna().to_numpy()):
        problems.append((int(raw.rows[i]), Problem(f"{label} row {raw.rows[i]}, column '{where[timeline.exercise]}'",
                                                   "the event names no exercise", "every event needs its exercise id")))
    for i in np.flatnonzero(events["error"].notna().to_numpy()):
        problems.append((int(raw.rows[i]), Problem(f"{label} row {raw.rows[i]}, column '{where[timeline.time]}'",
                                                   events["error"].iat[i], events["hint"].iat[i])))
    bad = set(events.loc[events["error"].notna(), "exercise"].dropna())
    grouped = events[events["exercise"].notna()].groupby("exercise", sort=False)
    out_rows: list[int] = []
    out: list[dict] = []
    others = {name: column for name, column in raw.columns.items() if name not in TIMELINE_FIELDS}
    values = {name: [as_text(v) for v in _cells(column)] for name, column in others.items()}
    for exercise, group in grouped:
        first = int(group.index[0])
        row: dict = {"exercise_id": exercise}
        found = _milestones(group)
        start = found.get("start")
        row["date"] = start[0] if start else None
        for name, (since, until) in MEASURES.items():
            a, b = found.get(since), found.get(until)
            if a is None or b is None:
                row[name] = None
                continue
            minutes = dates.minutes_between(a[0], b[0])
            if minutes < 0:
                problems.append((int(raw.rows[b[1]]), Problem(
                    f"{label} row {raw.rows[b[1]]}, column '{where[timeline.time]}'",
                    f"exercise '{exercise}': its {until} event ({show(b[2])}) is before its {since} event "
                    f"({show(a[2])}, row {raw.rows[a[1]]})", "check the times and the phase names")))
                bad.add(exercise)
            row[name] = minutes
        for name, texts in values.items():
            row[name] = _one_value(exercise, name, texts, group.index, raw, label, problems, bad)
        out_rows.append(int(raw.rows[first]))
        out.append(row)
    keep = [r for r in out if r["exercise_id"] not in bad]
    numbers = np.array([n for n, r in zip(out_rows, out, strict=True) if r["exercise_id"] not in bad], dtype=np.int64)
    problems.sort(key=lambda p: p[0])
    columns = {name: pd.Series([r[name] for r in keep], dtype=object) for name in [*TIMELINE_FIELDS, *others]}
    return replace(raw, columns=columns, rows=numbers, extras={}, events=len(raw),
                   parse_problems=raw.parse_problems + [p for _, p in problems[:MAX_ROW_PROBLEMS]],
                   parse_problem_rows=raw.parse_problem_rows + [n for n, _ in problems[:MAX_ROW_PROBLEMS]],
                   parse_problem_count=raw.parse_problem_count + len(problems))


def _events(raw: RawTable, timeline: Timeline, rules: dates.DateRules) -> pd.DataFrame:
    """Per event: exercise id (None when blank), milestone (None: measures nothing), moment,
    the time as written, and the time's error."""
    ids, id_values = factorize(raw.extras[timeline.exercise])
    id_texts = np.array([as_text(v) for v in id_values] + [None], dtype=object)
    phases, phase_values = factorize(raw.extras[timeline.phase])
    milestone = np.array([timeline.phases.get(lookup_key(as_text(v) or "")) for v in phase_values] + [None], dtype=object)
    times, time_values = factorize(raw.extras[timeline.time])
    rules = rules.with_order(dates.column_order(time_values))
    parsed = [dates.parse_moment(v, rules) for v in time_values] + [dates.parse_moment(None, rules)]
    blank = [p.value is None and p.error is None for p in parsed]
    error = np.array([p.error if not b else "the event has no time" for p, b in zip(parsed, blank, strict=True)], dtype=object)
    hint = np.array([p.hint if not b else "every event needs the time it happened" for p, b in zip(parsed, blank, strict=True)], dtype=object)
    moment = np.array([p.value for p in parsed], dtype=object)
    shown = np.array([*time_values, None], dtype=object)
    return pd.DataFrame({"exercise": id_texts[ids], "milestone": milestone[phases], "moment": moment[times],
                         "written": shown[times], "error": error[times], "hint": hint[times]})


def _milestones(group: pd.DataFrame) -> dict[str, tuple]:
    """milestone → (moment, event position, time as written) of its earliest event; the start is
    the earliest event of any phase when no start event exists."""
    found: dict[str, tuple] = {}
    for position, milestone, moment, written in zip(group.index, group["milestone"], group["moment"], group["written"], strict=True):
        key = milestone or "_any"
        if moment is None:
            continue
        for name in (key, "_earliest"):
            if name not in found or moment < found[name][0]:
                found[name] = (moment, int(position), written)
    if "start" not in found and "_earliest" in found:
        found["start"] = found["_earliest"]
    return found


def _one_value(exercise: str, name: str, texts: list, positions, raw: RawTable, label: str,
               problems: list, bad: set) -> str | None:
    value, row = None, None
    for position in positions:
        text = texts[position]
        if text is None:
            continue
        if value is None:
            value, row = text, raw.rows[position]
        elif text != value:
            header = raw.match.headers.get(name, name)
            problems.append((int(raw.rows[position]), Problem(
                f"{label} row {raw.rows[position]}, column '{header}'",
                f"exercise '{exercise}' has {name} '{show(value)}' (row {row}) and '{show(text)}'",
                "give each exercise one value")))
            bad.add(exercise)
            break
    return value


def _cells(column) -> list:
    if hasattr(column, "to_pylist"):
        return column.to_pylist()
    return [None if isinstance(v, float) and v != v else v for v in column.tolist()]
