"""Bundle benchmark: export and import of an assessment holding `--rows` evidence rows (default a
million-row asset inventory, bench/evidence_files.py), on SQLite and on PostgreSQL (a throwaway
server unless SCORECARD_TEST_PG_URL is set; `--no-postgres` skips it).

Every figure is a whole process as users run it (`scorecard ...`, wall time and peak RSS through
/usr/bin/time), fastest of `--repeat`:
- baseline: `scorecard evidence import` of the same file into a fresh assessment (read, validate,
  store), measured in the same run;
- `scorecard bundle export ID -o FILE` of the assessment holding it;
- `scorecard bundle import FILE` into an empty database (verified: rows from the signed parts).
Goals (issue 16): memory independent of the number of rows, < 500 MB peak for a million rows, for
export and import. Before format 3 (one assessment of 1.1 M rows): export 66 s / 2.9 GB, import
88 s / 5.5 GB.

    .venv/bin/python bench/bundles.py [--rows 1000000] [--repeat 1] [--dir DIR] [--no-postgres]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.evidence_files import csv_file  # noqa: E402

GOAL_PEAK_MB = 500
BEFORE = {"export": "66 s / 2.9 GB", "import": "88 s / 5.5 GB"}


def run(env: dict, *args: str) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in MB, stdout) of one `scorecard` process."""
    done = subprocess.run(["/usr/bin/time", "-f", "%e %M", str(ROOT / ".venv" / "bin" / "scorecard"), *args],
                          capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise SystemExit(f"scorecard {' '.join(args)} failed:\n{done.stderr}")
    wall, peak_kb = done.stderr.strip().splitlines()[-1].split()
    return float(wall), round(int(peak_kb) / 1024), done.stdout.strip()


def fastest(runs: list[tuple[float, int, str]]) -> tuple[float, int]:
    return min(r[0] for r in runs), max(r[1] for r in runs)


@contextlib.contextmanager
def database_urls(folder: Path, postgres: bool):
    """A function giving a new, empty, upgraded database URL per call, per backend."""
    from storage.engine import Database
    from storage.schema import upgrade

    def upgraded(url: str) -> str:
        db = Database(url)
        upgrade(db)
        db.dispose()
        return url

    counter = iter(range(1_000_000))
    backends = {"sqlite": lambda: upgraded(f"sqlite:///{folder / f'bench-{next(counter)}.db'}")}
    with contextlib.ExitStack() as stack:
        if postgres:
            from storage.throwaway import create_database, drop_database, postgres_server

            server = stack.enter_context(postgres_server())
            made: list[str] = []
            stack.callback(lambda: [drop_database(server, url) for url in made])
            backends["postgresql"] = lambda: made.append(upgraded(create_database(server, "scorecard_bench"))) or made[-1]
        yield backends


def assessment_in(env: dict) -> str:
    run(env, "site", "add", "Bench plant", "--country", "DE", "--criticality", "high")
    return run(env, "assessment", "create", "--site", "Bench plant", "--scope", "IT+OT", "--as-of", "2026-11-25")[2]


def measure(new_url, path: Path, folder: Path, repeat: int, env: dict) -> dict:
    baseline, exports, imports = [], [], []
    source = {**env, "SCORECARD_DB_URL": new_url()}
    for n in range(repeat):
        assessment = assessment_in(source) if n == 0 else run(source, "assessment", "create", "--site", "Bench plant",
                                                             "--scope", "IT+OT", "--as-of", "2026-11-25")[2]
        baseline.append(run(source, "evidence", "import", assessment, "asset_inventory", str(path)))
    bundle = folder / "bench-bundle.zip"
    for _ in range(repeat):
        exports.append(run(source, "bundle", "export", assessment, "-o", str(bundle)))
    for _ in range(repeat):
        imports.append(run({**env, "SCORECARD_DB_URL": new_url()}, "bundle", "import", str(bundle)))
    return {"baseline": fastest(baseline), "export": fastest(exports), "import": fastest(imports),
            "bundle_mb": round(bundle.stat().st_size / 1024**2, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--dir", type=Path, help="Keep the generated inventory in this folder and reuse it.")
    parser.add_argument("--no-postgres", action="store_true", help="Measure SQLite only.")
    args = parser.parse_args()
    from services.bundle_keys import generate_key_files

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        path = csv_file(args.dir or folder, args.rows)
        generate_key_files(folder / "bench.key")
        env = {**os.environ, "SCORECARD_BUNDLE_KEY": str(folder / "bench.key")}
        results = {}
        with database_urls(folder, not args.no_postgres) as backends:
            for name, new_url in backends.items():
                print(f"{args.rows:,} rows on {name}…", file=sys.stderr)
                results[name] = measure(new_url, path, folder, args.repeat, env)
    print(f"one assessment holding {args.rows:,} asset rows ({path.stat().st_size / 1024**2:.0f} MB CSV); "
          "whole processes, fastest wall time, highest peak RSS")
    for name, r in results.items():
        base_s, base_mb = r["baseline"]
        print(f"{name}: bundle {r['bundle_mb']} MB")
        print(f"  baseline: scorecard evidence import of the file  {base_s:7.2f} s  {base_mb:6} MB")
        for step in ("export", "import"):
            wall, peak = r[step]
            print(f"  scorecard bundle {step:<6}                       {wall:7.2f} s  {peak:6} MB  "
                  f"= {wall / base_s:4.2f}x baseline time  (before: {BEFORE[step]})")
        for step in ("export", "import"):
            peak = r[step][1]
            print(f"{'PASS' if peak < GOAL_PEAK_MB else 'FAIL'}  bundle {step} peak RSS on {name}: {peak} MB, "
                  f"goal < {GOAL_PEAK_MB} MB")


if __name__ == "__main__":
    main()
