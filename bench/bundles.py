"""Bundle benchmark: export and import of the demo's assessment with the most evidence rows, on
SQLite, against a baseline measured in the same run: importing the same evidence files through the
ordinary evidence import (read, validate, store), which a bundle import repeats for every file
because it never takes rows from the bundle.

Figures are medians of `ROUNDS` runs in milliseconds; each import goes into a fresh database.

    .venv/bin/python bench/bundles.py
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from demo.loader import load_demo  # noqa: E402
from services.access import local_admin  # noqa: E402
from services.assessments import create_assessment, list_assessments, load_assessment  # noqa: E402
from services.bundle_keys import generate_key_files  # noqa: E402
from services.bundles import export_bundle, import_bundle  # noqa: E402
from services.context import Context, get_catalog  # noqa: E402
from services.evidence_imports import import_evidence  # noqa: E402
from services.sites import add_site  # noqa: E402
from storage import evidence_imports as evidence_store  # noqa: E402
from storage.engine import Database  # noqa: E402
from storage.schema import upgrade  # noqa: E402

ROUNDS = 3
ADMIN = local_admin("bench")


def median_ms(action: Callable[[int], object]) -> float:
    times = []
    for n in range(ROUNDS):
        start = time.perf_counter()
        action(n)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        generate_key_files(root / "bench.key")
        os.environ["SCORECARD_BUNDLE_KEY"] = str(root / "bench.key")
        template = root / "empty.db"
        upgrade(Database(f"sqlite:///{template}"))
        source = Database(f"sqlite:///{root / 'source.db'}")
        upgrade(source)
        source = Context(source, get_catalog())
        print("loading the demo organisation into a temporary SQLite database…", file=sys.stderr)
        load_demo(source, ADMIN)
        details = [load_assessment(source, ADMIN, a.id) for a in list_assessments(source, ADMIN)]
        largest = max(details, key=lambda d: sum(e.row_count for e in d.evidence))
        a = largest.assessment
        rows = sum(e.row_count for e in largest.evidence)
        with source.read() as session:
            files = [(e, evidence_store.file_content(session, e.id)) for e in largest.evidence]

        def fresh(n: int, name: str) -> Context:
            path = root / f"{name}-{n}.db"
            shutil.copyfile(template, path)
            return Context(Database(f"sqlite:///{path}"), source.catalog)

        data = export_bundle(source, ADMIN, a.id)
        export = median_ms(lambda n: export_bundle(source, ADMIN, a.id))
        imported = median_ms(lambda n: import_bundle(fresh(n, "bundle"), ADMIN, data, "bench.zip"))

        def ordinary(n: int) -> None:
            ctx = fresh(n, "ordinary")
            add_site(ctx, ADMIN, a.site_name or "Enterprise", country="DE", criticality="high")
            target = create_assessment(ctx, ADMIN, site=a.site_name or "Enterprise", scope=a.scope, as_of=a.as_of)
            for item, content in files:
                mapping = None if item.mapping is None else item.mapping["text"].encode()
                import_evidence(ctx, ADMIN, target.id, item.dataset, content, name=item.file_name, mapping=mapping,
                                mapping_name=None if item.mapping is None else item.mapping["file_name"],
                                keep_valid=True)

        baseline = median_ms(ordinary)
    print(f"#{a.id} {a.label} [{a.status}]: {len(largest.responses)} responses, {len(files)} evidence files, "
          f"{rows} rows; bundle {len(data) / 1024:.0f} KB")
    print(f"  baseline: the same files through the evidence import  {baseline:8.0f} ms")
    print(f"  bundle export                                         {export:8.0f} ms = {export / baseline:5.2f}x baseline")
    print(f"  bundle import (verified, rows re-read from the files) {imported:8.0f} ms = "
          f"{imported / baseline:5.2f}x baseline")


if __name__ == "__main__":
    main()
