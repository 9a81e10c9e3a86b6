"""Storage benchmark: the app's autosave of one response, and loading + scoring the demo's largest
assessment, on SQLite and on PostgreSQL (a throwaway server is started when SCORECARD_TEST_PG_URL
is not set). Each figure is printed in milliseconds and as a ratio to a baseline measured in the
same run on the same database:

- autosave vs a bare ``SELECT 1`` round trip (connection from the pool, one statement);
- load+score vs a bare read of the same rows (the assessment's responses and its evidence rows,
  fetched with no decoding).

Goals (issue 5): autosave under 10 ms, load+score under 200 ms.

    .venv/bin/python bench/storage.py [--sqlite-only]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select, text  # noqa: E402

from demo.loader import load_demo  # noqa: E402
from services import answers  # noqa: E402
from services.access import local_admin  # noqa: E402
from services.assessment_scoring import score_assessment  # noqa: E402
from services.assessments import (  # noqa: E402
    finalize_assessment,
    list_assessments,
    load_assessment,
    reopen_assessment,
)
from services.context import Context, get_catalog  # noqa: E402
from services.stored_evidence import forget_cached_metrics  # noqa: E402
from storage import evidence_imports as evidence_store  # noqa: E402
from storage.engine import Database  # noqa: E402
from storage.schema import upgrade  # noqa: E402
from storage.tables import EvidencePartRow, ResponseRow  # noqa: E402
from storage.throwaway import fresh_database, postgres_server  # noqa: E402

ROUNDS = 200
LOAD_ROUNDS = 30


def median_ms(action: Callable[[], object], rounds: int) -> tuple[float, float]:
    """(median, 95th percentile) in milliseconds."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def bench(name: str, url: str) -> None:
    actor = local_admin("bench")
    db = Database(url)
    upgrade(db)
    ctx = Context(db, get_catalog())
    start = time.perf_counter()
    load_demo(ctx, actor)
    demo_seconds = time.perf_counter() - start
    print(f"\n{name}: demo load {demo_seconds:.1f} s")

    def select_one() -> None:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1")).scalar()

    base_select, _ = median_ms(select_one, ROUNDS)
    print(f"  baseline SELECT 1 round trip          {base_select:8.2f} ms")
    details = [load_assessment(ctx, actor, a.id) for a in list_assessments(ctx, actor)]
    by_rows = max(details, key=lambda d: sum(e.row_count for e in d.evidence))
    by_responses = max(details, key=lambda d: len(d.responses))
    for why, detail in (("most evidence rows", by_rows), ("most responses", by_responses)):
        measure(ctx, actor, detail, why, base_select)
    db.dispose()


def measure(ctx: Context, actor, detail, why: str, base_select: float) -> None:
    db = ctx.db
    target = detail.assessment
    rows = sum(e.row_count for e in detail.evidence)
    # Reopen it so autosave and a fresh (unsnapshotted) score have the draft path to measure.
    reopen_assessment(ctx, actor, target.id, reason="benchmark")
    import_ids = [i.id for i in evidence_store_current(db, target.id)]

    def bare_read() -> None:
        with db.engine.connect() as connection:
            connection.execute(select(ResponseRow.__table__).where(ResponseRow.assessment_id == target.id)).all()
            connection.execute(select(EvidencePartRow.data).where(EvidencePartRow.import_id.in_(import_ids))).all()

    response = detail.responses[0]
    state = {"version": response.version, "level": response.current or 0}

    def autosave() -> None:
        state["level"] = (state["level"] + 1) % 6
        saved = answers.save_response(ctx, actor, target.id, response.question_id, response.environment,
                                      {"current": state["level"]}, expected_version=state["version"])
        state["version"] = saved.version

    def load_and_score() -> None:
        load_assessment(ctx, actor, target.id)
        score_assessment(ctx, actor, target.id)

    base_read, _ = median_ms(bare_read, LOAD_ROUNDS)
    save, save_p95 = median_ms(autosave, ROUNDS)
    forget_cached_metrics()
    start = time.perf_counter()
    load_and_score()
    cold = (time.perf_counter() - start) * 1000
    warm, warm_p95 = median_ms(load_and_score, LOAD_ROUNDS)
    finalize_assessment(ctx, actor, target.id, override_reason="benchmark: final read path of a draft")
    final, _ = median_ms(load_and_score, LOAD_ROUNDS)
    print(f"  #{target.id} {target.label} ({why}): {len(detail.responses)} responses, {rows} evidence rows")
    print(f"    baseline bare read of its rows        {base_read:8.2f} ms")
    print(f"    autosave one response (median/p95)    {save:8.2f} / {save_p95:.2f} ms = {save / base_select:6.1f}x SELECT 1  (goal < 10 ms: {_verdict(save, 10)})")
    print(f"    load+score, draft, cold metrics       {cold:8.2f} ms = {cold / base_read:6.1f}x bare read")
    print(f"    load+score, draft (median/p95)        {warm:8.2f} / {warm_p95:.2f} ms = {warm / base_read:6.1f}x bare read  (goal < 200 ms: {_verdict(warm, 200)})")
    print(f"    load+score, final (snapshot)          {final:8.2f} ms = {final / base_read:6.1f}x bare read")


def _verdict(value_ms: float, goal_ms: float) -> str:
    return "PASS" if value_ms < goal_ms else "FAIL"


def evidence_store_current(db: Database, assessment_id: int):
    with db.read() as session:
        return list(evidence_store.current_imports(session, assessment_id).values())


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        bench("SQLite", f"sqlite:///{Path(folder) / 'bench.db'}")
    if "--sqlite-only" in sys.argv:
        return
    with postgres_server() as server, fresh_database(server) as url:
        bench("PostgreSQL", url)


if __name__ == "__main__":
    main()
