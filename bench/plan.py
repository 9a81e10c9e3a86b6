"""Benchmark of the path to target on the demo organisation (issue 17).

Figures (medians, milliseconds) with baselines measured in the same run:
- baseline: one plain `scoring.score()` of a demo plant's assessment (the unit a projection is
  made of), and a trivial Streamlit script rerun in AppTest (the floor of any view's rerun);
- enterprise projection: a fresh Projector over the demo enterprise's members and all their
  actions projects every quarter (no scorecard remembered from an earlier run). Goal < 200 ms.
  Reading the plan from the database (responses, metrics, findings) is reported beside it;
- roadmap values: what each action adds on its own, for the enterprise (informative);
- what-if rerun: the Plan view of the enterprise in AppTest, rerun after one more action is left
  out of the plan (a new selection each time, so the projection is really recomputed: the view's
  Projector remembers what earlier reruns scored, as it does for a user). Goal < 300 ms.
Each goal prints PASS or FAIL.

Uses SCORECARD_DB_URL when it holds the demo organisation; otherwise loads the demo into a
temporary SQLite database first (about half a minute, not timed).

Run: .venv/bin/python bench/plan.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from services.context import Context, get_catalog  # noqa: E402

PROJECTION_GOAL_MS = 200.0
RERUN_GOAL_MS = 300.0
TRIVIAL_APP = "import streamlit as st\nst.markdown('### ready')\nst.number_input('x', key='x')\n"


def _database():
    """The demo organisation: SCORECARD_DB_URL when it holds it, else the benches' cached copy
    (bench.scale_data.demo_url, built on first use)."""
    from bench.scale_data import demo_url
    from demo.loader import demo_state
    from storage.engine import Database

    url = os.environ.get("SCORECARD_DB_URL")
    if not (url and demo_state(Context(Database(url), get_catalog())) == "loaded"):
        url = demo_url()
    return Database(url), url, None


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _verdict(value: float, goal: float) -> str:
    return f"(goal < {goal:.0f} ms: {'PASS' if value < goal else 'FAIL'})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    db, url, _keep = _database()

    from scoring import score
    from scoring.projection import Projector
    from services import plans
    from services.access import local_admin

    actor, catalog = local_admin("bench"), get_catalog()
    loaded = plans.projector(Context(db, catalog), actor, enterprise=True)
    subjects, actions = list(loaded.subjects.values()), loaded.actions
    plant = next(s for s in subjects if s.site == "Northfield Assembly")

    def one_score():
        score(plant.questionnaire, plant.csf, plant.cpg, plant.responses, plant.metrics, scope=plant.scope,
              as_of=plant.as_of, definitions=plant.definitions)

    baseline = _median_ms(one_score, args.runs * 3)
    project = _median_ms(lambda: Projector(subjects, actions, today=loaded.today, enterprise=True).project(), args.runs)
    load = _median_ms(lambda: plans.projector(Context(db, catalog), actor, enterprise=True), args.runs)
    values = _median_ms(lambda: Projector(subjects, actions, today=loaded.today, enterprise=True).values(),
                        max(3, args.runs // 2))
    valued = [a.id for a in loaded.project().actions if a.state in ("scheduled", "slipped", "no_due_date")]
    rerun, trivial, left_out = _whatif_rerun(url, valued, args.runs)

    counted = sum(1 for a in loaded.project().actions if a.state in ("scheduled", "slipped"))
    print(f"path to target · demo enterprise: {len(subjects)} assessments, {len(actions)} actions "
          f"({counted} counted), {len(loaded.project().points)} points")
    print(f"  baseline: one score() of a plant:                 {baseline:8.1f} ms")
    print(f"  baseline: trivial Streamlit rerun (AppTest):      {trivial:8.1f} ms")
    print(f"  enterprise projection (fresh):                    {project:8.1f} ms = {project / baseline:5.1f} × score()  "
          f"{_verdict(project, PROJECTION_GOAL_MS)}")
    print(f"  reading the enterprise plan from the database:    {load:8.1f} ms")
    print(f"  roadmap values (each action alone):               {values:8.1f} ms = {values / baseline:5.1f} × score()")
    print(f"  what-if rerun of the Plan view ({left_out} left out):   {rerun:8.1f} ms = {rerun / trivial:5.1f} × trivial  "
          f"{_verdict(rerun, RERUN_GOAL_MS)}")
    return 0


def _whatif_rerun(url: str, valued: list[str], runs: int) -> tuple[float, float, int]:
    """Median ms of the Plan view's rerun after leaving one more action out, and of a trivial
    script's rerun; returns (rerun, trivial, actions left out at the end)."""
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    from services.access import Actor
    from ui.auth import ACTOR_OVERRIDE

    os.environ["SCORECARD_DB_URL"] = url
    os.environ.pop("SCORECARD_CONTENT_DIR", None)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state[ACTOR_OVERRIDE] = Actor(user="bench", role="admin", all_sites=True)
    at.run()
    at._page_hash = calc_hash("plan")  # noqa: SLF001 - callable pages are found by their url_path's hash
    at.run()
    at.main.segmented_control[0].set_value("enterprise")
    at.run()
    chosen, times = [], []
    for option in valued[1:runs + 1]:
        chosen.append(option)
        at.multiselect(key="plan.out.enterprise").set_value(list(chosen))
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        if at.exception:
            raise RuntimeError([e.value for e in at.exception])
    trivial = AppTest.from_string(TRIVIAL_APP, default_timeout=30)
    trivial.run()
    trivial_times = []
    for i in range(runs):
        trivial.number_input(key="x").set_value(i + 1)
        start = time.perf_counter()
        trivial.run()
        trivial_times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, statistics.median(trivial_times) * 1000, len(chosen)


if __name__ == "__main__":
    sys.exit(main())
