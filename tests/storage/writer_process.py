"""A separate writer process for the concurrency and crash tests (run with `python -m`).

    python -m tests.storage.writer_process responses URL ASSESSMENT_ID PREFIX COUNT SHARED
        connects, prints "ready" and waits for a line on stdin (the start signal, so two writers
        begin together); then saves COUNT new responses PREFIX-i (one transaction each), then
        tries SHARED stale-able updates of SHARED-k at version 1; prints "saved=N conflicts=M".
    python -m tests.storage.writer_process evidence URL ASSESSMENT_ID ROWS [PAUSE_AFTER]
        imports one evidence dataset of ROWS rows in one transaction. With PAUSE_AFTER, once that
        many rows have been sent to the database (whole chunks of storage's CHUNK rows), prints
        "rows-sent" and waits for a line on stdin, the transaction still open.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from errors import ConflictError
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


def _rows(count: int, pause_after: int | None):
    for i in range(count):
        # storage inserts whole chunks: the first row of the next chunk is asked for only once
        # the previous chunks have been executed inside the (uncommitted) transaction.
        if i == pause_after:
            print("rows-sent", flush=True)
            sys.stdin.readline()
        yield {"asset_id": f"A{i:07d}", "name": f"host-{i}", "criticality": "critical" if i % 7 == 0 else "low",
               "environment": "OT" if i % 3 else "IT", "last_verified": "2026-01-15", "owner": None}


def import_evidence(url: str, assessment_id: int, count: int, pause_after: int | None) -> None:
    db = Database(url)
    with db.write() as session:
        evidence_store.store_import(session, assessment_id, dataset="asset_inventory", file_name="big.csv",
                                    sha256="0" * 64, content=b"x" * 1024, rows=_rows(count, pause_after), mapping=None,
                                    user="killer", now=datetime.now(UTC))
    print("committed", flush=True)


if __name__ == "__main__":
    mode, url, assessment = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if mode == "responses":
        write_responses(url, assessment, sys.argv[4], int(sys.argv[5]), int(sys.argv[6]))
    else:
        import_evidence(url, assessment, int(sys.argv[4]), int(sys.argv[5]) if len(sys.argv) > 5 else None)
