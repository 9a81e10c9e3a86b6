"""The mapping's `timeline` (exercises only): which columns of an event log hold the exercise, the
phase and the time, and which phase names mark which milestone (`evidence.timeline` applies it).

```yaml
timeline:
  exercise: "Exercise"
  phase: "Phase"
  time: "Timestamp"
  phases: {start: [Start], detect: [Detected], escalate: [Escalated], contain: [Contained], recover: [Recovered]}
```

Phase names are compared like enumeration values (case, spaces and punctuation ignored); a name
marks one milestone; at least one milestone besides start must be named.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from errors import Problem
from evidence.mapping_checks import Where, key_text, suggest
from evidence.mapping_rules import headers_of
from evidence.schemas import DatasetSchema
from evidence.values import lookup_key

MILESTONES = ("start", "detect", "escalate", "contain", "recover")
TIMELINE_KEYS = ("exercise", "phase", "time", "phases")


@dataclass(frozen=True)
class Timeline:
    """Columns of an event-level timeline and which phase names mark which milestone."""

    exercise: str
    phase: str
    time: str
    phases: dict[str, str]
    """lookup_key(phase name) → milestone (start, detect, escalate, contain, recover)."""


def parse_timeline(raw: Any, schema: DatasetSchema, where: Where, problems: list[Problem]) -> Timeline | None:
    if raw is None:
        return None
    if schema.name != "exercises":
        problems.append(Problem(where(("timeline",)), f"a timeline makes exercises, not {schema.name}",
                                "use timeline only in a mapping for the exercises dataset"))
        return None
    if not isinstance(raw, dict):
        problems.append(Problem(where(("timeline",)), "expected {exercise, phase, time, phases}"))
        return None
    before = len(problems)
    for key in raw:
        if key not in TIMELINE_KEYS:
            problems.append(Problem(where(("timeline", key)), "unknown key", f"allowed keys: {', '.join(TIMELINE_KEYS)}"))
    headers = {}
    for key in ("exercise", "phase", "time"):
        if key not in raw:
            problems.append(Problem(where(("timeline",)), f"'{key}' is missing", f"name the column holding each event's {key}"))
            continue
        found = headers_of(raw[key], ("timeline", key), where, problems)
        headers[key] = found[0] if found else ""
    phases = _phases(raw.get("phases"), where, problems)
    if len(problems) > before:
        return None
    return Timeline(headers["exercise"], headers["phase"], headers["time"], phases)


def _phases(raw: Any, where: Where, problems: list[Problem]) -> dict[str, str]:
    path = ("timeline", "phases")
    if not isinstance(raw, dict) or not raw:
        problems.append(Problem(where(path), "expected milestone → phase names",
                                "milestones: " + ", ".join(MILESTONES) + ", e.g. detect: [Detected, Alert raised]"))
        return {}
    out: dict[str, str] = {}
    for milestone, names in raw.items():
        if milestone not in MILESTONES:
            problems.append(Problem(where((*path, milestone)), f"{milestone!r} is not a milestone", suggest(str(milestone), MILESTONES)))
            continue
        items = names if isinstance(names, list) else [names]
        for i, item in enumerate(items):
            location = where((*path, milestone, i) if isinstance(names, list) else (*path, milestone))
            text = key_text(item, location, problems)
            if text is None:
                continue
            key = lookup_key(text)
            if key in out and out[key] != milestone:
                problems.append(Problem(location, f"'{text}' already marks {out[key]}", "a phase name marks one milestone"))
                continue
            out[key] = milestone
    if not set(out.values()) - {"start"}:
        problems.append(Problem(where(path), "no milestone to measure", "name the phases of detect, escalate, contain or recover"))
    return out
