"""Why an answer was capped, in the words of the metric catalog: the metric's title and its value
in its unit, never the internal id (`governed_access_pct`).

Scoring writes a cap's reason as `metric_id = value (where; rule): claimed C, evidence supports at
most L` (scoring.caps); snapshots keep that text. `readable_cap` rewrites it for people:
"Privileged access through governed paths is 19.05 % (IT; below 60 → up to 1): claimed 3, the
evidence supports at most level 1". A reason of any other shape, or of a metric the catalog does
not define, stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from catalog.models import MetricDefinition
from exports.formatting import metric_value

REASON = re.compile(r"^(?P<metric>[a-z][a-z0-9_]*) = (?P<value>-?[0-9.e+-]+) \((?P<rule>.*)\): "
                    r"claimed (?P<claimed>\d), evidence supports at most (?P<level>\d)$")


def readable_cap(reason: str, definitions: Mapping[str, MetricDefinition]) -> str:
    """The cap reason with the metric's title and unit (see the module docstring)."""
    found = REASON.match(reason)
    if found is None or found["metric"] not in definitions:
        return reason
    d = definitions[found["metric"]]
    try:
        value = metric_value(float(found["value"]), d.unit)
    except ValueError:
        return reason
    return (f"{d.label} is {value} ({found['rule']}): claimed {found['claimed']}, "
            f"the evidence supports at most level {found['level']}")
