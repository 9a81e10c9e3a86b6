"""The scale benchmark's organisations, built once and cached (bench/scale.py).

An organisation is `demo.scaled.load_scaled(sites, quarters, scale)` loaded into SQLite through the
services. Building 200 sites takes minutes, so the database file is kept under the cache folder
(`$SCORECARD_BENCH_CACHE`, default `~/.cache/scorecard-bench`) under a name made of the generator
parameters, the schema's head revision and a hash of the generator's source (demo/*.py): changing
any of them builds a new file. A build goes to a temporary file renamed when complete, so an
interrupted build is never reused.

For PostgreSQL (`--database postgresql://…`) the cached SQLite organisation is copied table by table
into the (empty) target database, then its id sequences are moved past the copied ids: minutes of
service calls become seconds of bulk inserts, and both databases hold the same rows.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

from sqlalchemy import func, insert, select, text

ROOT = Path(__file__).resolve().parent.parent


def cache_folder() -> Path:
    folder = Path(os.environ.get("SCORECARD_BENCH_CACHE", Path.home() / ".cache" / "scorecard-bench"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def generator_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "demo").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def organisation_url(sites: int, quarters: int, scale: float) -> str:
    """The SQLite URL of the cached organisation, built first when missing."""
    from demo.scaled import load_scaled
    from services.access import local_admin
    from services.context import Context, get_catalog
    from storage.engine import Database
    from storage.schema import head_revision, upgrade

    name = f"org-{sites}s-{quarters}q-x{scale:g}-{head_revision()}-{generator_hash()}.db"
    path = cache_folder() / name
    if not path.exists():
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        db = Database(f"sqlite:///{partial}")
        upgrade(db)
        started = time.perf_counter()
        print(f"building {sites} sites × {quarters} quarters (register scale {scale:g}) into {path} …",
              file=sys.stderr)
        summary = load_scaled(Context(db, get_catalog()), local_admin("bench"), sites, quarters, scale=scale)
        db.dispose()
        partial.rename(path)
        print(f"built {summary.assessments} assessments, {summary.evidence_rows:,} evidence rows in "
              f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    return f"sqlite:///{path}"


def demo_url() -> str:
    """The SQLite URL of the cached demo organisation (demo.loader.load_demo), built first when missing."""
    from demo.loader import load_demo
    from services.access import local_admin
    from services.context import Context, get_catalog
    from storage.engine import Database
    from storage.schema import head_revision, upgrade

    path = cache_folder() / f"org-demo-{head_revision()}-{generator_hash()}.db"
    if not path.exists():
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        db = Database(f"sqlite:///{partial}")
        upgrade(db)
        load_demo(Context(db, get_catalog()), local_admin("bench"))
        db.dispose()
        partial.rename(path)
    return f"sqlite:///{path}"


def copy_database(source_url: str, target_url: str) -> None:
    """Copy every table of `source_url` into the empty, upgraded `target_url` (see the module doc)."""
    from storage.engine import Database
    from storage.schema import upgrade
    from storage.tables import Base

    source, target = Database(source_url), Database(target_url)
    upgrade(target)
    with target.engine.begin() as out:
        present = out.execute(text("SELECT count(*) FROM assessments")).scalar()
    if present:
        raise SystemExit(f"{target_url} already holds assessments: give an empty database")
    with source.engine.connect() as src, target.engine.begin() as out:
        for table in Base.metadata.sorted_tables:
            rows = src.execute(select(table)).mappings()
            batch = []
            for row in rows:
                batch.append(dict(row))
                if len(batch) == 2000:
                    out.execute(insert(table), batch)
                    batch = []
            if batch:
                out.execute(insert(table), batch)
            if target.engine.dialect.name == "postgresql" and "id" in table.c:
                top = out.execute(select(func.max(table.c.id))).scalar() or 0
                out.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), {top + 1}, false)"))
    source.dispose()
    target.dispose()
