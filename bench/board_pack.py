"""Benchmark of the board pack exports on the demo organisation: the board deck and the OSCAL documents.

Figures (median of several runs, seconds) and ratios against baselines measured in the same run:
- Deck, whole process: `scorecard report --enterprise --format pptx -o FILE` in a fresh process
  (imports, reading the database, building the report context, rendering). Baselines: the whole
  process of `scorecard --help` (the CLI's import floor) and of the same report as JSON.
- OSCAL export: rendering the enterprise assessment results and the POA&M from the report context
  (in process, context already built), against rendering the JSON report of the same context.
  The whole-process time of `--format oscal-ar` is printed too, for reference.
Goals (issue #18): the deck < 3 s for the demo enterprise as a whole process; OSCAL export < 1 s.

Uses SCORECARD_DB_URL when it holds the demo organisation; otherwise loads the demo into a
temporary SQLite database first (about half a minute, not timed).

Run: .venv/bin/python bench/board_pack.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from services.context import Context, get_catalog  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SCORECARD = str(ROOT / ".venv" / "bin" / "scorecard")
RUNS = 3
RENDER_RUNS = 5
DECK_GOAL_S = 3.0
OSCAL_GOAL_S = 1.0


def _database():
    """The demo organisation: SCORECARD_DB_URL when it holds it, else the benches' cached copy
    (bench.scale_data.demo_url, built on first use)."""
    from bench.scale_data import demo_url
    from demo.loader import demo_state
    from storage.engine import Database

    url = os.environ.get("SCORECARD_DB_URL")
    if url and demo_state(Context(Database(url), get_catalog())) == "loaded":
        return url, None
    return demo_url(), None


def _process(args: list[str], url: str, runs: int = RUNS) -> float:
    """Median wall time of a fresh `scorecard` process; a failing run stops the benchmark."""
    env = {**os.environ, "SCORECARD_DB_URL": url}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([SCORECARD, *args], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _median(fn, runs: int = RENDER_RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _verdict(value: float, goal: float) -> str:
    return "PASS" if value < goal else "FAIL"


def main() -> int:
    url, folder = _database()
    out = Path(tempfile.mkdtemp())
    try:
        help_s = _process(["--help"], url)
        json_s = _process(["report", "--enterprise", "--format", "json", "-o", str(out / "r.json")], url)
        deck_s = _process(["report", "--enterprise", "--format", "pptx", "-o", str(out / "r.pptx")], url)
        ar_process_s = _process(["report", "--enterprise", "--format", "oscal-ar", "-o", str(out / "ar.json")], url)

        from exports.deck import render_deck
        from exports.oscal import render_assessment_results, render_poam
        from exports.report_json import render_json
        from services import reports
        from services.access import local_admin
        from services.content import get_catalog
        from storage.engine import Database

        catalog, db = get_catalog(), Database(url)
        context = reports.enterprise_context(Context(db, catalog), local_admin())
        render_json_s = _median(lambda: render_json(context))
        render_deck_s = _median(lambda: render_deck(context))
        ar_s = _median(lambda: render_assessment_results(context, catalog))
        poam_s = _median(lambda: render_poam(context, catalog))
        db.dispose()
    finally:
        for f in out.iterdir():
            f.unlink()
        out.rmdir()
        if folder is not None:
            folder.cleanup()

    print("Board pack exports, demo enterprise (median seconds)")
    print(f"  baseline: `scorecard --help`, whole process       {help_s:6.2f} s")
    print(f"  baseline: JSON report, whole process               {json_s:6.2f} s")
    print(f"  deck (pptx), whole process                         {deck_s:6.2f} s   "
          f"{deck_s / help_s:4.2f}× --help, {deck_s / json_s:4.2f}× JSON   goal < {DECK_GOAL_S:.0f} s: "
          f"{_verdict(deck_s, DECK_GOAL_S)}")
    print(f"    of which rendering the deck from the context     {render_deck_s:6.2f} s")
    print(f"  baseline: JSON report rendered from the context    {render_json_s:6.3f} s")
    print(f"  OSCAL assessment results, from the context         {ar_s:6.3f} s   "
          f"{ar_s / render_json_s:5.2f}× JSON   goal < {OSCAL_GOAL_S:.0f} s: {_verdict(ar_s, OSCAL_GOAL_S)}")
    print(f"  OSCAL POA&M, from the context                      {poam_s:6.3f} s   "
          f"{poam_s / render_json_s:5.2f}× JSON   goal < {OSCAL_GOAL_S:.0f} s: {_verdict(poam_s, OSCAL_GOAL_S)}")
    print(f"  OSCAL assessment results, whole process (info)     {ar_process_s:6.2f} s   "
          f"{ar_process_s / json_s:4.2f}× JSON whole process")
    ok = deck_s < DECK_GOAL_S and ar_s < OSCAL_GOAL_S and poam_s < OSCAL_GOAL_S
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
