"""Child process: run one CLI entry point over files, under an address-space limit.

    python -m tests.security.entrypoints LIMIT_MB ENTRY FILE...

Each file is run through `scorecard` (click's runner, in this process, exceptions not caught) and
reported as one JSON line: exit code, output, seconds, and how far the process's resident memory
rose above what it held before (the peak is reset before each file). A crash (an abort, a panic
or any uncaught exception) ends the process early, which the parent test reports. The database
and assessment come from SCORECARD_DB_URL and SECURITY_ASSESSMENT.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time

ENTRIES = {
    "evidence-check": ["evidence", "check", "asset_inventory", "{file}"],
    "evidence-import": ["evidence", "import", "{assessment}", "asset_inventory", "{file}"],
    "responses-import": ["responses", "import", "{assessment}", "{file}"],
    "score": ["score", "--questionnaire", "manufacturing-it-ot", "--responses", "{file}", "--scope", "IT+OT",
              "--as-of", "2026-03-31"],
    "workbook-import": ["questionnaire-workbook", "import", "{assessment}", "{file}", "--dry-run"],
}


def _status(field: str) -> int:
    """A memory figure of this process from /proc/self/status, in kB."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field))


def main(limit_mb: str, entry: str, *files: str) -> None:
    limit = int(limit_mb) * 1024**2
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from click.testing import CliRunner

    from cli import scorecard

    runner = CliRunner()
    for path in files:
        args = [a.format(file=path, assessment=os.environ.get("SECURITY_ASSESSMENT", "")) for a in ENTRIES[entry]]
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # reset the peak (VmHWM) to the current resident size
        before = _status("VmRSS")
        started = time.perf_counter()
        result = runner.invoke(scorecard, args, catch_exceptions=False)
        print(json.dumps({"file": os.path.basename(path), "exit_code": result.exit_code, "output": result.output,
                          "seconds": round(time.perf_counter() - started, 2), "size": os.path.getsize(path),
                          "grew_mb": round((_status("VmHWM") - before) / 1024, 1)}), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
