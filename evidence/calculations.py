"""The calculation behind each metric name (exact definitions in docs/evidence.md).

Conventions:
- Frames arrive cut at the as-of date (evidence.as_of): rows dated after it do not exist here.
- "Critical" assets are inventory rows with criticality `critical`.
- Each calculation yields tallies (evidence.tally) of the kind its metric declares as `combine`
  (`Calculation.combine`; evidence.metrics refuses a definition that declares another):
  shares are ratios (100 × numerator ÷ denominator; an empty denominator is None, missing),
  counts are sums, the oldest exception a max, ages and exercise times medians.
- Per environment (IT, OT) and per site: for every environment / site that appears in the
  dataset; rows with a blank environment or site count only in the overall value.
- Windows: "within the 365 days up to as_of" means 0 ≤ (as_of − date) ≤ 364 days (evidence.as_of).
- Unsupported: support_status `unsupported`, or blank with an end_of_support before as_of.
- Exceptions: open means status `open` or blank (nobody closed it); high risk means risk_rating
  `critical` or `high` (catalog.models.HIGH_RISK); age = as_of − opened in days.
- Restore tests: critical items only (the test row's `critical`); an item is its item_id (a row
  without one is its own item); its latest test date decides, and it succeeded only if every test
  on that date succeeded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from catalog.models import HIGH_RISK, Combine
from evidence.aggregate import (
    Computed,
    Context,
    Scope,
    count,
    is_one_of,
    largest,
    median,
    present,
    share,
)
from evidence.as_of import in_window
from evidence.tally import Tally

INV, ACC, ZONES, EXC = "asset_inventory", "access_paths", "zone_boundaries", "exceptions"
EXE, RST = "exercises", "restore_tests"


@dataclass(frozen=True)
class Calculation:
    needs: tuple[str, ...]
    combine: Combine
    compute: Callable[[Context], Computed]


# --- Asset inventory ------------------------------------------------------------------------------

ASSET_GROUPS = ("environment", "site")
DOC_FIELDS = ("owner", "dependencies", "recovery_requirement")


def _critical_assets(ctx: Context) -> tuple[pd.DataFrame, Scope]:
    inv = ctx.frames[INV]
    mask = ctx.cached("critical assets", lambda: is_one_of(inv["criticality"], "critical"))
    return inv, ctx.scope(INV, "critical", mask)


def _present(ctx: Context, dataset: str, column: str) -> np.ndarray:
    return ctx.cached(f"{dataset}.{column}.present", lambda: present(ctx.frames[dataset][column]))


def documentation(ctx: Context) -> Computed:
    _, critical = _critical_assets(ctx)
    documented = np.logical_and.reduce([_present(ctx, INV, f) for f in DOC_FIELDS])
    out = share(critical, documented, ASSET_GROUPS)
    out.parts = {f"{f}_pct": share(critical, _present(ctx, INV, f)).value for f in DOC_FIELDS}
    return out


def documented_field(name: str) -> Callable[[Context], Computed]:
    def compute(ctx: Context) -> Computed:
        _, critical = _critical_assets(ctx)
        return share(critical, _present(ctx, INV, name), ASSET_GROUPS)

    return compute


def unsupported(ctx: Context) -> Computed:
    """support_status unsupported, or blank with an end_of_support date before as_of (the status
    written in the file wins: "extended" may be paid support past the vendor's date)."""
    inv, critical = _critical_assets(ctx)
    ended = inv["end_of_support"].to_numpy(dtype="datetime64[s]") < ctx.as_of64  # NaT compares False
    lapsed = inv["support_status"].isna().to_numpy() & ended
    return share(critical, is_one_of(inv["support_status"], "unsupported") | lapsed, ASSET_GROUPS)


# --- Access paths and boundaries ------------------------------------------------------------------

GOVERNANCE = ("approved", "mfa", "time_limited", "individually_attributed", "monitored")


def _governed(privileged_only: bool) -> Callable[[Context], Computed]:
    def compute(ctx: Context) -> Computed:
        paths = ctx.frames[ACC]
        governed = np.logical_and.reduce([paths[f].to_numpy(dtype=bool) for f in GOVERNANCE])
        if privileged_only:
            scope = ctx.scope(ACC, "privileged", paths["privileged"].to_numpy(dtype=bool))
        else:
            scope = ctx.scope(ACC, "all", np.ones(len(paths), dtype=bool))
        return share(scope, governed, ("environment", "site"))

    return compute


def boundary_monitoring(ctx: Context) -> Computed:
    b = ctx.frames[ZONES]
    critical = ctx.scope(ZONES, "critical", b["critical"].to_numpy(dtype=bool))
    return share(critical, b["monitored"].to_numpy(dtype=bool), ("site",))


# --- Exceptions -----------------------------------------------------------------------------------


def _open_exceptions(ctx: Context) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """(frame, open as of as_of, age in days)."""
    ex = ctx.frames[EXC]
    status = ex["status"]
    return ex, (status.isna() | (status == "open")).to_numpy(), ctx.age_days(ex["opened"])


def _high_risk_ages(ctx: Context) -> np.ndarray:
    ex, is_open, age = _open_exceptions(ctx)
    return age[is_open & is_one_of(ex["risk_rating"], *HIGH_RISK)]


def open_high_risk(ctx: Context) -> Computed:
    return count(len(_high_risk_ages(ctx)))


def high_risk_over_90(ctx: Context) -> Computed:
    return count((_high_risk_ages(ctx) > 90).sum())


def overdue_review(ctx: Context) -> Computed:
    ex, is_open, _ = _open_exceptions(ctx)
    overdue = ex["review_date"].to_numpy(dtype="datetime64[s]") < ctx.as_of64  # NaT compares False
    return count((is_open & overdue).sum())


def missing_governance(ctx: Context) -> Computed:
    ex, is_open, _ = _open_exceptions(ctx)
    blank = ~np.logical_and.reduce([present(ex[f]) for f in ("owner", "justification", "monitoring_plan")])
    return count((is_open & blank).sum())


# --- Exercises and restore tests -------------------------------------------------------------------


def _in_window(ctx: Context, frame: pd.DataFrame) -> np.ndarray:
    return in_window(ctx.age_days(frame["date"]))


def exercise_median(column: str) -> Callable[[Context], Computed]:
    def compute(ctx: Context) -> Computed:
        ex = ctx.frames["exercises"]
        return median(ex[column].to_numpy(dtype=float)[_in_window(ctx, ex)])

    return compute


def exercise_count(ctx: Context) -> Computed:
    return count(_in_window(ctx, ctx.frames["exercises"]).sum())


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
    return Computed(Tally.ratio(int(items["success"].to_numpy(dtype=bool).sum()), len(items)))


def restore_coverage(ctx: Context) -> Computed:
    inv, critical = _critical_assets(ctx)
    tested = inv["asset_id"].isin(set(_latest_restores(ctx)["item"])).to_numpy()
    return share(critical, tested, ASSET_GROUPS)


CALCULATIONS: dict[str, Calculation] = {
    "critical_asset_documentation_pct": Calculation((INV,), "ratio", documentation),
    "critical_asset_owner_pct": Calculation((INV,), "ratio", documented_field("owner")),
    "critical_asset_dependencies_pct": Calculation((INV,), "ratio", documented_field("dependencies")),
    "critical_asset_recovery_requirement_pct": Calculation((INV,), "ratio", documented_field("recovery_requirement")),
    "unsupported_critical_assets_pct": Calculation((INV,), "ratio", unsupported),
    "governed_access_pct": Calculation((ACC,), "ratio", _governed(False)),
    "privileged_governed_access_pct": Calculation((ACC,), "ratio", _governed(True)),
    "critical_boundary_monitoring_pct": Calculation((ZONES,), "ratio", boundary_monitoring),
    "open_high_risk_exceptions": Calculation((EXC,), "sum", open_high_risk),
    "high_risk_exception_age_median_days": Calculation((EXC,), "median", lambda ctx: median(_high_risk_ages(ctx))),
    "high_risk_exception_age_max_days": Calculation((EXC,), "max", lambda ctx: largest(_high_risk_ages(ctx))),
    "high_risk_exceptions_over_90_days": Calculation((EXC,), "sum", high_risk_over_90),
    "exceptions_overdue_review": Calculation((EXC,), "sum", overdue_review),
    "exceptions_missing_governance": Calculation((EXC,), "sum", missing_governance),
    "exercise_detect_minutes_median": Calculation((EXE,), "median", exercise_median("detect_minutes")),
    "exercise_escalate_minutes_median": Calculation((EXE,), "median", exercise_median("escalate_minutes")),
    "exercise_contain_minutes_median": Calculation((EXE,), "median", exercise_median("contain_minutes")),
    "exercise_recover_minutes_median": Calculation((EXE,), "median", exercise_median("recover_minutes")),
    "exercises_last_12_months": Calculation((EXE,), "sum", exercise_count),
    "restore_success_pct": Calculation((RST,), "ratio", restore_success),
    "restore_coverage_pct": Calculation((RST, INV), "ratio", restore_coverage),
}
