"""Benchmark of evidence import, end to end: read + validate + STORE, then metrics from the stored rows.

Files (bench/evidence_files.py, cached with --dir): asset inventory CSVs of `--rows` rows (default
1,000,000 and 100,000) and an XLSX of `--xlsx-rows` (100,000). Measured, on SQLite and on
PostgreSQL (a throwaway server unless SCORECARD_TEST_PG_URL is set; `--no-postgres` skips it):

1. read: `read_dataset` + all metrics in memory against a bare read of the same file, alternately
   `--repeat` times in this process (ratio = median of paired ratios; the machine is shared):
   `pandas.read_csv` for CSV, raw python-calamine (`CalamineWorkbook...to_python()`) for XLSX;
   for each CSV also through a mapping using the rules of issue 15 (`+rules`, MAPPED below).
2. import in-process: `services.evidence_imports.import_evidence` (read, validate, encode, STORE,
   audit, commit) into a fresh assessment, fastest of `--repeat`; bytes per row stored.
3. import as users run it: the whole process `scorecard evidence import ID asset_inventory FILE`
   (interpreter start, imports, schema check, read, store), fastest wall time of `--repeat` and
   highest peak RSS (/usr/bin/time).
4. metrics recomputed from the stored rows (`metrics_in_session` with the kept metrics forgotten:
   read the parts, decode, as-of filter, all metrics), fastest of `--repeat`.

Goals (issue 16, for the million-row CSV): import < 20 s whole-process and < 1.5 GB peak RSS;
metrics from stored evidence < 2 s; read + metrics ≤ 2.5× the bare read (issue 3). PASS/FAIL each.

Run: .venv/bin/python bench/evidence.py [--rows 1000000,100000] [--xlsx-rows 100000] [--repeat 3]
     [--dir DIR] [--no-postgres] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.evidence_files import csv_file, xlsx_file  # noqa: E402

AS_OF = dt.date(2026, 11, 25)
GOAL_IMPORT_S, GOAL_PEAK_MB, GOAL_METRICS_S, GOAL_RATIO = 20.0, 1536, 2.0, 2.5


def bare_read(path: Path) -> None:
    """The baseline: the file read with no checks at all."""
    if path.suffix == ".csv":
        import pandas as pd

        pd.read_csv(path)
    else:
        from python_calamine import CalamineWorkbook

        CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


MAPPED = b"""
columns: {"Environment": ~}
fields:
  environment: {from: Zone, values: {L1: OT, L2: OT, L3: OT, DMZ: OT, Corporate: IT}}
  site: {default: Plant HQ}
  criticality: {from: Criticality, values: {"critical": critical, "*": ~}, default: low}
  support_status: {default: supported}
where: {"Asset Type": {not: [Printer]}}
date_format: "%Y-%m-%d"
repeated_ids: latest
"""
"""A mapping using the rules of issue 15 (a row filter, a field read `from` a column with its own
value map and a catch-all, two defaults, a date format, `repeated_ids: latest`): the `+rules` line."""


def read_and_metrics(path: Path, mapped: bool = False) -> None:
    from evidence.dataset import read_dataset
    from evidence.mapping import parse_mapping
    from evidence.metrics import compute_metrics
    from evidence.schemas import get_schema
    from services.context import get_catalog

    mapping = parse_mapping(MAPPED, get_schema("asset_inventory"), "bench.yaml") if mapped else None
    result = read_dataset(path, "asset_inventory", mapping)
    compute_metrics({"asset_inventory": result.accepted()}, AS_OF, get_catalog().metric_definitions())


def read_ratio(path: Path, repeat: int, mapped: bool = False) -> dict:
    def ours_job(p: Path) -> None:
        read_and_metrics(p, mapped)

    ours_job(path)  # warm imports and the catalog cache
    base, ours = [], []
    for _ in range(repeat):
        for times, job in ((base, bare_read), (ours, ours_job)):
            start = time.perf_counter()
            job(path)
            times.append(time.perf_counter() - start)
    return {"bare_read_s": round(min(base), 2), "read_metrics_s": round(min(ours), 2),
            "ratio": round(statistics.median(o / b for o, b in zip(ours, base, strict=True)), 2)}


def context(db):
    from services.context import Context, get_catalog

    return Context(db, get_catalog())


def new_assessment(db) -> int:
    """A new draft of the bench plant, each a day before the last (a site has one assessment per
    date and scope), so every import lands in an empty assessment."""
    from services.access import local_admin
    from services.assessments import create_assessment, list_assessments
    from services.sites import add_site, list_sites

    admin, ctx = local_admin("bench"), context(db)
    if not any(s.name == "Bench plant" for s in list_sites(ctx, admin)):
        add_site(ctx, admin, "Bench plant", country="DE", criticality="high")
    earlier = len(list_assessments(ctx, admin))
    return create_assessment(ctx, admin, site="Bench plant", scope="IT+OT",
                             as_of=AS_OF - dt.timedelta(days=earlier)).id


def import_in_process(db, path: Path, repeat: int) -> dict:
    from services.access import local_admin
    from services.assessments import load_assessment
    from services.evidence_imports import import_evidence
    from services.stored_evidence import forget_cached_metrics, metrics_in_session
    from storage import evidence_imports as evidence_store

    admin, ctx, times, metric_times = local_admin("bench"), context(db), [], []
    for _ in range(repeat):
        assessment_id = new_assessment(db)
        start = time.perf_counter()
        stored = import_evidence(ctx, admin, assessment_id, "asset_inventory", path)
        times.append(time.perf_counter() - start)
    assessment = load_assessment(ctx, admin, assessment_id).assessment
    for _ in range(repeat):
        forget_cached_metrics()
        with ctx.read() as session:
            start = time.perf_counter()
            metrics = metrics_in_session(session, assessment, ctx.catalog)
            metric_times.append(time.perf_counter() - start)
    assert metrics is not None and metrics.metrics["critical_asset_documentation_pct"].value is not None
    with db.read() as session:
        parts = sum(len(p) for p in evidence_store.load_parts(session, stored.id))
    rows = stored.row_count
    return {"rows": rows, "import_s": round(min(times), 2), "metrics_from_stored_s": round(min(metric_times), 2),
            "parts_bytes_per_row": round(parts / rows, 1), "file_bytes_per_row": round(path.stat().st_size / rows, 1)}


def import_whole_process(url: str, db, path: Path, repeat: int) -> dict:
    """`scorecard evidence import` as its own process, `repeat` times: fastest wall seconds and
    highest peak RSS (MB)."""
    env = {**os.environ, "SCORECARD_DB_URL": url}
    walls, peaks = [], []
    for _ in range(repeat):
        command = ["/usr/bin/time", "-f", "%e %M", str(ROOT / ".venv" / "bin" / "scorecard"), "evidence", "import",
                   str(new_assessment(db)), "asset_inventory", str(path)]
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=True, cwd=ROOT)
        wall, peak_kb = done.stderr.strip().splitlines()[-1].split()
        walls.append(float(wall))
        peaks.append(int(peak_kb) / 1024)
    return {"whole_process_s": round(min(walls), 2), "peak_mb": round(max(peaks))}


def sqlite_growth(db_path: Path, db, path: Path) -> float:
    """Bytes the SQLite file grows by per row for one more import (file, parts, import row, audit)."""
    from services.access import local_admin
    from services.evidence_imports import import_evidence

    assessment_id = new_assessment(db)
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    before = db_path.stat().st_size
    stored = import_evidence(context(db), local_admin("bench"), assessment_id, "asset_inventory", path)
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return round((db_path.stat().st_size - before) / stored.row_count, 1)


@contextlib.contextmanager
def databases(folder: Path, postgres: bool):
    """(name, url, Database) of an upgraded SQLite file and, when asked, a PostgreSQL database."""
    from storage.engine import Database
    from storage.schema import upgrade

    url = f"sqlite:///{folder / 'bench.db'}"
    (folder / "bench.db").unlink(missing_ok=True)
    found = [("sqlite", url, Database(url))]
    upgrade(found[0][2])
    with contextlib.ExitStack() as stack:
        if postgres:
            from storage.throwaway import fresh_database, postgres_server

            pg_url = stack.enter_context(fresh_database(stack.enter_context(postgres_server())))
            pg = Database(pg_url)
            upgrade(pg)
            found.append(("postgresql", pg_url, pg))
        try:
            yield found
        finally:
            for _, _, db in found:
                db.dispose()


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default="1000000,100000", help="CSV sizes, comma-separated.")
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, help="Keep the generated files in this folder and reuse them.")
    parser.add_argument("--no-postgres", action="store_true", help="Measure SQLite only.")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.dir or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        files = [csv_file(folder, int(n)) for n in args.rows.split(",")] + [xlsx_file(folder, args.xlsx_rows)]
        results = []
        with databases(Path(scratch), not args.no_postgres) as dbs:
            for path in files:
                read = read_ratio(path, args.repeat)
                for name, url, db in dbs:
                    print(f"{path.name} on {name}…", file=sys.stderr)
                    row = {"file": path.name, "size_mb": round(path.stat().st_size / 1024**2, 1), "database": name,
                           **read, **import_in_process(db, path, args.repeat), **import_whole_process(url, db, path, args.repeat)}
                    if name == "sqlite":
                        row["sqlite_bytes_per_row"] = sqlite_growth(Path(scratch) / "bench.db", db, path)
                    results.append(row)
        rules = [{"file": f"{path.name} +rules", **read_ratio(path, args.repeat, mapped=True)}
                 for path in files if path.suffix == ".csv"]
    if args.json:
        print(json.dumps({"imports": results, "read_with_rules": rules}, indent=2))
        return
    print(f"{'file':<24}{'db':<11}{'bare read':>10}{'read+metrics':>13}{'ratio':>7}{'import':>8}{'whole proc':>11}"
          f"{'peak MB':>9}{'metrics stored':>15}{'B/row parts':>12}{'B/row file':>11}")
    for r in results:
        print(f"{r['file']:<24}{r['database']:<11}{r['bare_read_s']:>9}s{r['read_metrics_s']:>12}s{r['ratio']:>6}x"
              f"{r['import_s']:>7}s{r['whole_process_s']:>10}s{r['peak_mb']:>9}{r['metrics_from_stored_s']:>14}s"
              f"{r['parts_bytes_per_row']:>12}{r['file_bytes_per_row']:>11}"
              + (f"  (SQLite file +{r['sqlite_bytes_per_row']} B/row)" if "sqlite_bytes_per_row" in r else ""))
    for r in rules:
        print(f"{r['file']:<35}{r['bare_read_s']:>9}s{r['read_metrics_s']:>12}s{r['ratio']:>6}x  (read + metrics only)")
    print("times: fastest of the runs; ratio: median of paired runs against the bare read of the same file")
    for r in (r for r in results if r["rows"] >= 1_000_000 and r["file"].endswith(".csv")):
        where = f"{r['rows']:,} rows on {r['database']}"
        print(f"{verdict(r['whole_process_s'] < GOAL_IMPORT_S)}  import {where}: {r['whole_process_s']} s whole-process "
              f"(in-process {r['import_s']} s), goal < {GOAL_IMPORT_S:.0f} s; before: 297 s")
        print(f"{verdict(r['peak_mb'] < GOAL_PEAK_MB)}  peak RSS {where}: {r['peak_mb']} MB, goal < {GOAL_PEAK_MB} MB; "
              "before: 2.67 GB")
        print(f"{verdict(r['metrics_from_stored_s'] < GOAL_METRICS_S)}  metrics from stored evidence, {where}: "
              f"{r['metrics_from_stored_s']} s, goal < {GOAL_METRICS_S:.0f} s")
        print(f"{verdict(r['ratio'] <= GOAL_RATIO)}  read + metrics {r['ratio']}x the bare read, goal ≤ {GOAL_RATIO}x")


if __name__ == "__main__":
    main()
