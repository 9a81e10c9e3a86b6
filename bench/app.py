"""App benchmark: server-side script run time of the views, measured with Streamlit's AppTest on
the demo organisation (SQLite in a temp folder).

Each scenario prints the median and p90 of a rerun in milliseconds and as a ratio to a baseline
measured in the same run: the rerun of a trivial one-line Streamlit script under the same AppTest
harness (what any rerun costs before our code does anything).

Scenarios (add one by writing a function `(ctx, repeat) -> list[float]` of rerun times in
seconds and listing it in SCENARIOS with its goal):
- questionnaire, one answer changed: the largest demo plant assessment (reopened as a draft, so
  it has every answer and thousands of evidence rows); each rerun changes GOV-01/IT, which
  autosaves and re-scores. Goal (issue 6): under 250 ms.
- dashboard, enterprise / site: reruns of the dashboard (shared-IT headline, every site compared;
  or the selected plant's latest assessment, IT+OT) once the view-model and figures are cached by
  data version. The first, cold run (assembly, scoring of drafts, figure building) is printed
  on stderr. Goal (issue 6): under 500 ms for the enterprise dashboard.

    .venv/bin/python bench/app.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402
from streamlit.util import calc_hash  # noqa: E402

from demo.loader import load_demo  # noqa: E402
from services.access import local_admin  # noqa: E402
from services.assessments import list_assessments, load_assessment, reopen_assessment  # noqa: E402
from services.context import Context as ServicesContext  # noqa: E402
from services.context import get_catalog  # noqa: E402
from services.database import upgrade_database  # noqa: E402
from storage.engine import Database  # noqa: E402

ADMIN = local_admin("bench")


@dataclass
class Context:
    db: Database
    draft_id: int
    """The largest plant assessment of the demo, reopened as a draft."""
    final_ids: list[int]


def prepare(folder: Path) -> Context:
    url = f"sqlite:///{folder / 'bench.db'}"
    os.environ["SCORECARD_DB_URL"] = url  # the app reads the configured database
    db = Database(url)
    upgrade_database(db)
    ctx = ServicesContext(db, get_catalog())
    started = time.perf_counter()
    load_demo(ctx, ADMIN)
    print(f"demo loaded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    plants = [a for a in list_assessments(ctx, ADMIN) if a.site_name is not None]
    largest = max(plants, key=lambda a: (sum(e.row_count for e in load_assessment(ctx, ADMIN, a.id).evidence), a.as_of))
    reopen_assessment(ctx, ADMIN, largest.id, reason="benchmark")
    return Context(db=db, draft_id=largest.id, final_ids=[a.id for a in plants if a.id != largest.id])


def open_app(page: str, assessment_id: int | None) -> AppTest:
    """The real app.py on `page` (a view's url path), warmed by one run."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if assessment_id is not None:
        at.query_params["assessment"] = str(assessment_id)
    at.run()
    at._page_hash = calc_hash(page)  # noqa: SLF001 - callable pages have no file for switch_page
    at.run()
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value}")
    return at


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def baseline(repeat: int) -> list[float]:
    """Rerun of a one-line script under the same harness."""
    def script() -> None:
        import streamlit as st

        st.write("baseline")

    at = AppTest.from_function(script)
    at.run()
    return [timed(at.run) for _ in range(repeat)]


def questionnaire_one_answer(ctx: Context, repeat: int) -> list[float]:
    at = open_app("questionnaire", ctx.draft_id)
    times = []
    for i in range(repeat):
        picker = next(w for w in at.main.segmented_control if w.label == "Current level")
        picker.set_value(2 + i % 2)
        times.append(timed(at.run))
        if at.exception or at.error:
            raise RuntimeError(f"questionnaire rerun failed: {[e.value for e in [*at.exception, *at.error]]}")
    return times


def _dashboard_reruns(view: str, ctx: Context, repeat: int) -> list[float]:
    """Reruns of the dashboard showing `view` after the first run filled the caches (what a CIO's
    click on a filter or tab costs); the first, cold run is printed separately."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at._page_hash = calc_hash("dashboard")  # noqa: SLF001 - see open_app
    cold = timed(at.run)
    if view != "enterprise":
        control = next(w for w in at.main.segmented_control if w.label == "Show")
        control.set_value(view)
        cold = timed(at.run)
    if at.exception or at.error:
        raise RuntimeError(f"dashboard ({view}) failed: {[e.value for e in [*at.exception, *at.error]]}")
    print(f"  dashboard ({view}) first run, caches cold: {cold * 1000:.0f} ms", file=sys.stderr)
    return [timed(at.run) for _ in range(repeat)]


def dashboard_enterprise(ctx: Context, repeat: int) -> list[float]:
    return _dashboard_reruns("enterprise", ctx, repeat)


def dashboard_site(ctx: Context, repeat: int) -> list[float]:
    return _dashboard_reruns("site", ctx, repeat)


SCENARIOS: list[tuple[str, Callable[[Context, int], list[float]], float]] = [
    ("questionnaire, one answer changed", questionnaire_one_answer, 250.0),
    ("dashboard, enterprise (rerun)", dashboard_enterprise, 500.0),
    ("dashboard, site IT+OT (rerun)", dashboard_site, 500.0),
]
"""(name, measure, goal in ms). The dashboard scenario is added here by the dashboard's author."""


def report(name: str, times: list[float], base: float, goal_ms: float | None) -> None:
    median = statistics.median(times) * 1000
    p90 = sorted(times)[int(0.9 * (len(times) - 1))] * 1000
    verdict = "" if goal_ms is None else (f"  goal < {goal_ms:.0f} ms: " + ("met" if median < goal_ms else "NOT met"))
    print(f"{name:<42} median {median:7.1f} ms  p90 {p90:7.1f} ms  = {median / base:5.1f}x baseline{verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ctx = prepare(Path(folder))
        base_times = baseline(args.repeat)
        base = statistics.median(base_times) * 1000
        print(f"{'baseline: one-line script rerun':<42} median {base:7.1f} ms")
        for name, measure, goal in SCENARIOS:
            report(name, measure(ctx, args.repeat), base, goal)
        ctx.db.dispose()


if __name__ == "__main__":
    main()
