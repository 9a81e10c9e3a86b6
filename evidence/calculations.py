"""The calculation behind each metric name (exact definitions in docs/evidence.md).

Conventions:
- "Critical" assets are inventory rows with criticality `critical`.
- Shares are 100 × numerator ÷ denominator; with an empty denominator the value is None (missing).
- Per environment (IT, OT) and per site: for every environment / site that appears in the
  dataset; rows with a blank environment or site count only in the overall value.
- Windows: "within the 365 days up to as_of" means 0 ≤ (as_of − date) ≤ 364 days; rows dated
  after as_of are ignored everywhere (they did not exist yet on that date).
- Exceptions: open means status `open` or blank (nobody closed it); high risk means risk_rating
  `critical` or `high`; age = as_of − opened in days.
- Restore tests: critical items only (the test row's `critical`); an item is its item_id (a row
  without one is its own item); its latest test date decides, and it succeeded only if every test
  on that date succeeded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

INV, ACC, ZONES, EXC = "asset_inventory", "access_paths", "zone_boundaries", "exceptions"
EXE, RST = "exercises", "restore_tests"
HIGH_RISK = ("critical", "high")
WINDOW_DAYS = 365


@dataclass
class Computed:
    value: float | None
    by_environment: dict[str, float | None] = field(default_factory=dict)
    by_site: dict[str, float | None] = field(default_factory=dict)
    parts: dict[str, float | None] = field(default_factory=dict)


@dataclass
class Context:
    frames: dict[str, pd.DataFrame]
    as_of: date
    _groups: dict[tuple[str, str], tuple[np.ndarray, list[str]]] = field(default_factory=dict)

    @property
    def as_of64(self) -> np.datetime64:
        return np.datetime64(self.as_of, "s")

    def age_days(self, column: pd.Series) -> np.ndarray:
        """as_of − date in whole days (NaN where the date is blank)."""
        delta = (self.as_of64 - column.to_numpy(dtype="datetime64[s]")).astype("timedelta64[D]")
        return np.where(np.isnat(delta), np.nan, delta.astype("float64"))

    def groups(self, dataset: str, column: str) -> tuple[np.ndarray, list[str]]:
        """(code per row, -1 when blank; sorted group names), computed once per column."""
        key = (dataset, column)
        if key not in self._groups:
            codes, uniques = pd.factorize(self.frames[dataset][column], sort=True, use_na_sentinel=True)
            self._groups[key] = (np.asarray(codes), [str(u) for u in uniques])
        return self._groups[key]


@dataclass(frozen=True)
class Calculation:
    needs: tuple[str, ...]
    compute: Callable[[Context], Computed]


def _present(series: pd.Series) -> np.ndarray:
    return series.notna().to_numpy()


def _is(series: pd.Series, *values: str) -> np.ndarray:
    """Rows whose value is one of `values` (on a Categorical, compares the small integer codes)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = list(series.cat.categories)
        wanted = [categories.index(v) for v in values if v in categories]
        codes = series.cat.codes.to_numpy()
        return codes == wanted[0] if len(wanted) == 1 else np.isin(codes, wanted)
    return series.isin(values).to_numpy()


def share(ctx: Context, dataset: str, numerator: np.ndarray, denominator: np.ndarray, groups: tuple[str, ...] = ()) -> Computed:
    """100 × count(numerator ∧ denominator) ÷ count(denominator), overall and per group column."""
    numerator = numerator & denominator
    total = int(denominator.sum())
    out = Computed(100.0 * numerator.sum() / total if total else None)
    for column in groups:
        num, den, names = _group_sums(ctx, dataset, column, numerator, denominator)
        _by(out, column).update({k: (100.0 * n / d if d else None) for k, n, d in zip(names, num, den, strict=True)})
    return out


def _group_sums(ctx: Context, dataset: str, column: str, *masks: np.ndarray) -> tuple:
    """Per group of `column`: the count of true rows of each mask (bincount: no hashing per call)."""
    codes, names = ctx.groups(dataset, column)
    sums = []
    for mask in masks:
        selected = codes[mask]
        sums.append(np.bincount(selected[selected >= 0], minlength=len(names)))
    return (*sums, names)


def _by(out: Computed, column: str) -> dict:
    return out.by_environment if column == "environment" else out.by_site


def _stat(values: np.ndarray, how: Callable[[np.ndarray], float]) -> Computed:
    values = values[~np.isnan(values)]
    return Computed(float(how(values)) if len(values) else None)


# --- Asset inventory ------------------------------------------------------------------------------

ASSET_GROUPS = ("environment", "site")
DOC_FIELDS = ("owner", "dependencies", "recovery_requirement")


def _critical(ctx: Context) -> tuple[pd.DataFrame, np.ndarray]:
    inv = ctx.frames["asset_inventory"]
    return inv, _is(inv["criticality"], "critical")


def documentation(ctx: Context) -> Computed:
    inv, critical = _critical(ctx)
    documented = np.logical_and.reduce([_present(inv[f]) for f in DOC_FIELDS])
    out = share(ctx, INV, documented, critical, ASSET_GROUPS)
    out.parts = {f"{f}_pct": share(ctx, INV, _present(inv[f]), critical).value for f in DOC_FIELDS}
    return out


def documented_field(name: str) -> Callable[[Context], Computed]:
    def compute(ctx: Context) -> Computed:
        inv, critical = _critical(ctx)
        return share(ctx, INV, _present(inv[name]), critical, ASSET_GROUPS)

    return compute


def unsupported(ctx: Context) -> Computed:
    inv, critical = _critical(ctx)
    return share(ctx, INV, _is(inv["support_status"], "unsupported"), critical, ASSET_GROUPS)


# --- Access paths and boundaries ------------------------------------------------------------------

GOVERNANCE = ("approved", "mfa", "time_limited", "individually_attributed", "monitored")


def _governed(privileged_only: bool) -> Callable[[Context], Computed]:
    def compute(ctx: Context) -> Computed:
        paths = ctx.frames["access_paths"]
        governed = np.logical_and.reduce([paths[f].to_numpy(dtype=bool) for f in GOVERNANCE])
        scope = paths["privileged"].to_numpy(dtype=bool) if privileged_only else np.ones(len(paths), dtype=bool)
        return share(ctx, ACC, governed, scope, ("environment", "site"))

    return compute


def boundary_monitoring(ctx: Context) -> Computed:
    b = ctx.frames["zone_boundaries"]
    return share(ctx, ZONES, b["monitored"].to_numpy(dtype=bool), b["critical"].to_numpy(dtype=bool), ("site",))


# --- Exceptions -----------------------------------------------------------------------------------


def _open_exceptions(ctx: Context) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """(frame, open as of as_of, age in days)."""
    ex = ctx.frames["exceptions"]
    age = ctx.age_days(ex["opened"])
    status = ex["status"]
    is_open = (status.isna() | (status == "open")).to_numpy() & (age >= 0)
    return ex, is_open, age


def _high_risk_ages(ctx: Context) -> np.ndarray:
    ex, is_open, age = _open_exceptions(ctx)
    return age[is_open & _is(ex["risk_rating"], *HIGH_RISK)]


def open_high_risk(ctx: Context) -> Computed:
    return Computed(float(len(_high_risk_ages(ctx))))


def high_risk_over_90(ctx: Context) -> Computed:
    return Computed(float((_high_risk_ages(ctx) > 90).sum()))


def overdue_review(ctx: Context) -> Computed:
    ex, is_open, _ = _open_exceptions(ctx)
    overdue = ex["review_date"].to_numpy(dtype="datetime64[s]") < ctx.as_of64  # NaT compares False
    return Computed(float((is_open & overdue).sum()))


def missing_governance(ctx: Context) -> Computed:
    ex, is_open, _ = _open_exceptions(ctx)
    blank = ~np.logical_and.reduce([_present(ex[f]) for f in ("owner", "justification", "monitoring_plan")])
    return Computed(float((is_open & blank).sum()))


# --- Exercises and restore tests -------------------------------------------------------------------


def _in_window(ctx: Context, frame: pd.DataFrame) -> np.ndarray:
    age = ctx.age_days(frame["date"])
    return (age >= 0) & (age < WINDOW_DAYS)


def exercise_median(column: str) -> Callable[[Context], Computed]:
    def compute(ctx: Context) -> Computed:
        ex = ctx.frames["exercises"]
        return _stat(ex[column].to_numpy(dtype=float)[_in_window(ctx, ex)], np.median)

    return compute


def exercise_count(ctx: Context) -> Computed:
    return Computed(float(_in_window(ctx, ctx.frames["exercises"]).sum()))


def _latest_restores(ctx: Context) -> pd.DataFrame:
    """One row per critical item tested in the window: item, latest date, succeeded."""
    rt = ctx.frames["restore_tests"]
    rows = rt[_in_window(ctx, rt) & rt["critical"].to_numpy(dtype=bool)]
    item = rows["item_id"].astype(object).where(rows["item_id"].notna(), "test:" + rows["test_id"].astype(str))
    tests = pd.DataFrame({"item": item.to_numpy(), "date": rows["date"].to_numpy(), "success": rows["success"].to_numpy(dtype=bool)})
    latest = tests.groupby("item")["date"].transform("max")
    return tests[tests["date"] == latest].groupby("item", as_index=False).agg(success=("success", "all"))


def restore_success(ctx: Context) -> Computed:
    items = _latest_restores(ctx)
    success = items["success"].to_numpy(dtype=bool)
    return Computed(100.0 * success.sum() / len(items) if len(items) else None)


def restore_coverage(ctx: Context) -> Computed:
    inv, critical = _critical(ctx)
    tested = inv["asset_id"].isin(set(_latest_restores(ctx)["item"])).to_numpy()
    return share(ctx, INV, tested, critical, ASSET_GROUPS)


CALCULATIONS: dict[str, Calculation] = {
    "critical_asset_documentation_pct": Calculation((INV,), documentation),
    "critical_asset_owner_pct": Calculation((INV,), documented_field("owner")),
    "critical_asset_dependencies_pct": Calculation((INV,), documented_field("dependencies")),
    "critical_asset_recovery_requirement_pct": Calculation((INV,), documented_field("recovery_requirement")),
    "unsupported_critical_assets_pct": Calculation((INV,), unsupported),
    "governed_access_pct": Calculation((ACC,), _governed(False)),
    "privileged_governed_access_pct": Calculation((ACC,), _governed(True)),
    "critical_boundary_monitoring_pct": Calculation((ZONES,), boundary_monitoring),
    "open_high_risk_exceptions": Calculation((EXC,), open_high_risk),
    "high_risk_exception_age_median_days": Calculation((EXC,), lambda ctx: _stat(_high_risk_ages(ctx), np.median)),
    "high_risk_exception_age_max_days": Calculation((EXC,), lambda ctx: _stat(_high_risk_ages(ctx), np.max)),
    "high_risk_exceptions_over_90_days": Calculation((EXC,), high_risk_over_90),
    "exceptions_overdue_review": Calculation((EXC,), overdue_review),
    "exceptions_missing_governance": Calculation((EXC,), missing_governance),
    "exercise_detect_minutes_median": Calculation((EXE,), exercise_median("detect_minutes")),
    "exercise_escalate_minutes_median": Calculation((EXE,), exercise_median("escalate_minutes")),
    "exercise_contain_minutes_median": Calculation((EXE,), exercise_median("contain_minutes")),
    "exercise_recover_minutes_median": Calculation((EXE,), exercise_median("recover_minutes")),
    "exercises_last_12_months": Calculation((EXE,), exercise_count),
    "restore_success_pct": Calculation((RST,), restore_success),
    "restore_coverage_pct": Calculation((RST, INV), restore_coverage),
}
