"""Why a metric is missing, in words a user can act on: the field that would make it computable
and how to supply it (map a column, or set a default in the mapping).

    why_missing(name, frames, as_of) -> str

`frames` are the evidence frames as the metrics saw them (cut at the as-of date). Each metric
needs rows in its denominator (critical assets, privileged paths, open high-risk exceptions,
exercises or critical restore tests of the last 12 months) or values to take a median of; the
reason names the first need that is not met, and says whether the field is blank in every row (a
column to map or a default to set) or holds no qualifying value (a fact about the evidence).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from catalog.models import HIGH_RISK
from evidence.as_of import age_days, in_window
from evidence.schemas import DATASETS


@dataclass(frozen=True)
class Need:
    """Rows of `dataset` whose `field` is one of `values` (True for a yes/no field; () for any
    non-blank value); `what` names those rows in messages; `window`: only rows of the last 12
    months count."""

    dataset: str
    field: str
    values: tuple = ()
    what: str = ""
    default: str = ""
    window: bool = False


_CRITICAL_ASSET = Need("asset_inventory", "criticality", ("critical",), "asset rated critical", "critical")
_WINDOW = "in the 365 days up to the as-of date"


def _exercise(field: str) -> tuple[Need, ...]:
    return (Need("exercises", "date", (), f"exercise {_WINDOW}", window=True),
            Need("exercises", field, (), f"exercise {_WINDOW} with {field}", window=True))


NEEDS: dict[str, tuple[Need, ...]] = {
    "critical_asset_documentation_pct": (_CRITICAL_ASSET,),
    "critical_asset_owner_pct": (_CRITICAL_ASSET,),
    "critical_asset_dependencies_pct": (_CRITICAL_ASSET,),
    "critical_asset_recovery_requirement_pct": (_CRITICAL_ASSET,),
    "unsupported_critical_assets_pct": (_CRITICAL_ASSET,),
    "governed_access_pct": (Need("access_paths", "path_id", (), "access path"),),
    "privileged_governed_access_pct": (Need("access_paths", "privileged", (True,), "privileged access path", "yes"),),
    "critical_boundary_monitoring_pct": (Need("zone_boundaries", "critical", (True,), "critical boundary", "yes"),),
    "high_risk_exception_age_median_days": (Need("exceptions", "risk_rating", HIGH_RISK, "open high-risk exception", "high"),),
    "high_risk_exception_age_max_days": (Need("exceptions", "risk_rating", HIGH_RISK, "open high-risk exception", "high"),),
    "exercise_detect_minutes_median": _exercise("detect_minutes"),
    "exercise_escalate_minutes_median": _exercise("escalate_minutes"),
    "exercise_contain_minutes_median": _exercise("contain_minutes"),
    "exercise_recover_minutes_median": _exercise("recover_minutes"),
    "restore_success_pct": (Need("restore_tests", "date", (), f"restore test {_WINDOW}", window=True),
                            Need("restore_tests", "critical", (True,), f"restore test of a critical item {_WINDOW}", "yes", True)),
    "restore_coverage_pct": (_CRITICAL_ASSET,),
}


def why_missing(name: str, needs: tuple[str, ...], frames: Mapping[str, pd.DataFrame], as_of: date) -> str:
    """Why metric `name` (computed from the datasets `needs`) has no value."""
    for dataset in needs:
        if dataset not in frames:
            return f"no {dataset} evidence: import the {DATASETS[dataset].title.lower()} file"
    for need in NEEDS.get(name, ()):
        frame = frames[need.dataset]
        if need.window:
            frame = frame[in_window(age_days(frame["date"], as_of))]
        reason = _unmet(need, frame)
        if reason:
            return reason
    return f"nothing to compute it from in the evidence as of {as_of.isoformat()}"


def _unmet(need: Need, frame: pd.DataFrame) -> str | None:
    column = frame[need.field]
    kind = DATASETS[need.dataset].field(need.field).kind
    if not len(frame):
        return f"no {need.what}: {need.dataset} has no such row"
    filled = column.to_numpy(dtype=bool) if kind == "bool" else column.notna().to_numpy()
    hits = column.isin(need.values).to_numpy() if need.values and kind != "bool" else filled
    if hits.any():
        return None
    if not filled.any():
        blank = "is no in every row" if kind == "bool" else "is blank in every row"
        default = f"fields: {{{need.field}: {{default: {need.default}}}}}" if need.default else None
        how = f"map a column to it (columns: {{\"Your header\": {need.field}}})"
        how += f" or set a default ({default})" if default else ""
        return f"no {need.what}: {need.field} {blank} of {need.dataset}; {how}"
    shown = ", ".join(str(v) for v in need.values)
    return f"no {need.what}: no row of {need.dataset} has {need.field} {shown}"
