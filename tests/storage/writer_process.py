"""A separate writer process for the concurrency and crash tests (run with `python -m`).

    python -m tests.storage.writer_process responses URL ASSESSMENT_ID PREFIX COUNT SHARED
        connects, prints "ready" and waits for a line on stdin (the start signal, so two writers
        begin together); then saves COUNT new responses PREFIX-i (one transaction each), then
        tries SHARED stale-able updates of SHARED-k at version 1; prints "saved=N conflicts=M".
    python -m tests.storage.writer_process evidence URL ASSESSMENT_ID ROWS [PAUSE_AFTER]
        imports one evidence dataset of ROWS rows in one transaction, as Parquet parts of PART_ROWS
        rows. With PAUSE_AFTER, once that many rows have been sent to the database (whole parts),
        prints "rows-sent" and waits for a line on stdin, the transaction still open.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from catalog.models import CRITICALITIES
from errors import ConflictError
from evidence.columnar import frame_to_parts
from evidence.schemas import get_schema
from storage import evidence_imports as evidence_store
from storage import responses
from storage.engine import Database


def write_responses(url: str, assessment_id: int, prefix: str, count: int, shared: int) -> None:
    db = Database(url)
    with db.engine.connect():  # connect before saying ready, so both start at the first write
        pass
    print("ready", flush=True)
    sys.stdin.readline()
    saved = conflicts = 0
    for i in range(count):
        with db.write() as session:
            responses.save(session, assessment_id, f"{prefix}-{i:04d}", "IT", {"current": i % 6, "notes": prefix},
                           expected_version=0, user=prefix, now=datetime.now(UTC))
        saved += 1
    for k in range(shared):
        try:
            with db.write() as session:
                responses.save(session, assessment_id, f"SHARED-{k:03d}", "OT", {"current": 5, "notes": prefix},
                               expected_version=1, user=prefix, now=datetime.now(UTC))
            saved += 1
        except ConflictError:
            conflicts += 1
    print(f"saved={saved} conflicts={conflicts}", flush=True)


PART_ROWS = 20_000


def _parts(count: int, pause_after: int | None):
    numbers = np.arange(count)
    frame = pd.DataFrame({
        "asset_id": pd.Series([f"A{i:07d}" for i in numbers], dtype="str"),
        "name": pd.Series([f"host-{i}" for i in numbers], dtype="str"),
        "criticality": pd.Categorical(np.where(numbers % 7 == 0, "critical", "low"), categories=list(CRITICALITIES)),
        "environment": pd.Categorical(np.where(numbers % 3 != 0, "OT", "IT"), categories=["IT", "OT"]),
        "last_verified": pd.Series(np.full(count, np.datetime64("2026-01-15", "s"))),
    }, index=pd.Index(numbers + 2, name="row"))
    sent = 0
    for part in frame_to_parts(get_schema("asset_inventory"), frame, PART_ROWS):
        # storage inserts each part as it comes: the next part is asked for only once the
        # previous ones have been executed inside the (uncommitted) transaction.
        if pause_after is not None and sent >= pause_after:
            print("rows-sent", flush=True)
            sys.stdin.readline()
            pause_after = None
        yield part
        sent += part.rows


def import_evidence(url: str, assessment_id: int, count: int, pause_after: int | None) -> None:
    db = Database(url)
    with db.write() as session:
        evidence_store.store_import(session, assessment_id, dataset="asset_inventory", file_name="big.csv",
                                    sha256="0" * 64, content=b"x" * 1024, parts=_parts(count, pause_after), mapping=None,
                                    user="killer", now=datetime.now(UTC))
    print("committed", flush=True)


if __name__ == "__main__":
    mode, url, assessment = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if mode == "responses":
        write_responses(url, assessment, sys.argv[4], int(sys.argv[5]), int(sys.argv[6]))
    else:
        import_evidence(url, assessment, int(sys.argv[4]), int(sys.argv[5]) if len(sys.argv) > 5 else None)
