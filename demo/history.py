"""Registers that accumulate over time: exceptions, exercises and restore tests.

Each estate's history is simulated once over all quarters (plus a year before the first) with a
seeded generator, and a quarter's file is the history up to its as-of date, so the same exception
keeps its id and opening date from quarter to quarter and ages when nobody closes it.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from demo.registers import rng
from demo.story import QUARTERS, Estate, label, maturity

RISKS = (("critical", 0.1), ("high", 0.25), ("medium", 0.4), ("low", 0.25))
EXCEPTION_TITLES = (
    "Legacy HMI cannot run endpoint agent", "Vendor VPN without MFA pending contract change",
    "Windows XP engineering workstation on line {n}", "Flat network between cells {n} and {m}",
    "Shared controller account for packaging line", "Unpatched historian awaiting shutdown window",
    "Firewall rule any-any for MES integration", "Backup of PLC logic not automated",
)
SCENARIOS = ("Ransomware on MES", "Compromised vendor VPN", "Unauthorised PLC logic change",
             "Loss of SCADA visibility", "Domain admin compromise", "ERP outage")


def _quarter_start(k: int) -> date:
    return QUARTERS[k - 1] + timedelta(days=1) if k > 0 else QUARTERS[0] - timedelta(days=91)


def _level(estate: Estate, k: int) -> float:
    env = "OT" if estate.scope != "IT" else "IT"
    return maturity(estate, k, env)


def exceptions(estate: Estate, quarter: int) -> pd.DataFrame:
    r = rng(estate.key, "exceptions")
    records: list[dict] = []
    backlog = int(estate.assets * estate.exception_rate / 100 * 1.5)
    for _ in range(backlog):  # exceptions opened in the year before the first quarter
        records.append(_new_exception(r, estate, len(records), QUARTERS[0] - timedelta(days=int(r.integers(95, 420)))))
    for k in range(quarter + 1):
        start = _quarter_start(k)
        for rec in records:  # some open ones are closed during quarter k
            if rec["closed"] is None and rec["opened"] < start and r.random() < estate.exception_closing[k]:
                rec["closed"] = start + timedelta(days=int(r.integers(1, 90)))
        for _ in range(int(r.poisson(estate.assets * estate.exception_rate / 100))):
            records.append(_new_exception(r, estate, len(records), start + timedelta(days=int(r.integers(0, 90)))))
    as_of = QUARTERS[quarter]
    level = _level(estate, quarter)
    rows = []
    for rec in records:
        if rec["opened"] > as_of:
            continue
        closed = rec["closed"] is not None and rec["closed"] <= as_of
        governed = rec["u"] < np.clip(0.35 + 0.13 * level, 0, 0.98)
        reviewed = rec["u"] < np.clip(0.2 + 0.15 * level, 0, 0.95)
        review = as_of + timedelta(days=int(20 + rec["u"] * 70)) if reviewed else rec["opened"] + timedelta(days=180)
        rows.append({
            "exception_id": rec["id"], "title": rec["title"], "owner": rec["owner"] if governed or rec["u"] < 0.6 else "",
            "risk_rating": rec["risk"], "business_impact": "Production stop risk" if rec["risk"] in ("critical", "high") else "Limited",
            "opened": rec["opened"].isoformat(), "review_date": review.isoformat(), "status": "closed" if closed else "open",
            "justification": "Vendor support required for change" if governed else "",
            "monitoring_plan": "Weekly log review by OT SOC" if governed else "",
            "compensating_controls": "Isolated VLAN, allow-list" if rec["u"] < 0.7 else "",
        })
    columns = ["exception_id", "title", "owner", "risk_rating", "business_impact", "opened", "review_date", "status",
               "justification", "monitoring_plan", "compensating_controls"]
    return pd.DataFrame(rows, columns=columns)


def _new_exception(r: np.random.Generator, estate: Estate, n: int, opened: date) -> dict:
    risk = r.choice([k for k, _ in RISKS], p=[p for _, p in RISKS])
    title = EXCEPTION_TITLES[int(r.integers(0, len(EXCEPTION_TITLES)))].format(n=int(r.integers(1, 9)), m=int(r.integers(1, 9)))
    owner = ("OT engineering lead", "IT infrastructure manager", "Plant manager", "CISO office")[int(r.integers(0, 4))]
    return {"id": f"{estate.key[:3].upper()}-EX-{n + 1:04d}", "title": title, "risk": str(risk), "owner": owner,
            "opened": opened, "closed": None, "u": float(r.random())}


def exercises(estate: Estate, quarter: int) -> pd.DataFrame:
    r = rng(estate.key, "exercises")
    rows = []
    for k in range(-2, quarter + 1):  # two quarters of history before the first assessment
        level = _level(estate, max(k, 0))
        start = _quarter_start(max(k, 0)) - timedelta(days=91 * max(0, -k))
        for _ in range(max(0, int(round(level / 1.6)) + int(r.integers(-1, 2)))):
            kind = ("tabletop", "functional", "full_scale")[int(r.choice(3, p=(0.6, 0.3, 0.1)))]
            scale = 1.0 / (0.6 + level)

            def minutes(mean: float, scale: float = scale) -> float:
                return round(float(r.lognormal(np.log(mean * scale), 0.35)), 1)

            rows.append({
                "exercise_id": f"{estate.key[:3].upper()}-XR-{len(rows) + 1:03d}",
                "date": (start + timedelta(days=int(r.integers(0, 90)))).isoformat(),
                "scenario": SCENARIOS[int(r.integers(0, len(SCENARIOS)))], "exercise_type": kind,
                "detect_minutes": minutes(180), "escalate_minutes": minutes(90), "contain_minutes": minutes(600),
                "recover_minutes": None if kind == "tabletop" else minutes(2400),
            })
    columns = ["exercise_id", "date", "scenario", "exercise_type", "detect_minutes", "escalate_minutes", "contain_minutes", "recover_minutes"]
    return pd.DataFrame(rows, columns=columns)


def restore_tests(estate: Estate, quarter: int, critical_assets: list[tuple[str, str]]) -> pd.DataFrame:
    """Tests of critical items (asset id, environment) over the history up to `quarter`."""
    r = rng(estate.key, "restores")
    rows = []
    for k in range(-3, quarter + 1):
        level = _level(estate, max(k, 0))
        start = _quarter_start(max(k, 0)) - timedelta(days=91 * max(0, -k))
        share = float(np.clip(0.05 + 0.06 * level, 0.02, 0.4))  # of critical items tested this quarter
        for asset_id, env in critical_assets:
            if r.random() >= share:
                continue
            item_type = "controller_logic" if env == "OT" and r.random() < 0.5 else ("golden_image" if env == "OT" else "backup")
            rows.append({
                "test_id": f"{estate.key[:3].upper()}-RT-{len(rows) + 1:05d}",
                "date": (start + timedelta(days=int(r.integers(0, 90)))).isoformat(), "item_id": asset_id,
                "item_type": item_type, "critical": "yes",
                "success": "yes" if r.random() < np.clip(0.5 + 0.1 * level, 0, 0.99) else "no",
                "restore_minutes": round(float(r.lognormal(np.log(600 / (0.5 + level)), 0.4)), 0),
            })
    columns = ["test_id", "date", "item_id", "item_type", "critical", "success", "restore_minutes"]
    return pd.DataFrame(rows, columns=columns)


def site_label(estate: Estate) -> str:
    return label(estate)
