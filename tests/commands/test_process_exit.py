"""The `scorecard` process ends without tearing its interpreter down (cli.finish), yet exactly as
`sys.exit` would: every byte written reaches its reader, the exit handlers run, and the status
is the command's (0 done, 1 a ScorecardError, 2 a usage error)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCORECARD = Path(sys.executable).with_name("scorecard")


def test_all_output_reaches_a_pipe_and_the_status_is_the_commands() -> None:
    done = subprocess.run([SCORECARD, "catalog", "show", "nist-csf-2.0", "--json"], capture_output=True, text=True)
    assert done.returncode == 0
    assert len(json.loads(done.stdout)["nodes"]) == 134  # 32 KB, written in several blocks: all of it arrived
    refused = subprocess.run([SCORECARD, "catalog", "show", "no-such-framework"], capture_output=True, text=True)
    assert refused.returncode == 1 and "no-such-framework" in refused.stderr
    usage = subprocess.run([SCORECARD, "no-such-command"], capture_output=True, text=True)
    assert usage.returncode == 2 and "No such command" in usage.stderr


def test_exit_handlers_run_before_the_process_ends() -> None:
    code = ("import atexit, sys, cli; atexit.register(lambda: print('handler ran', file=sys.stderr)); "
            "sys.argv = ['scorecard', '--version']; cli.main()")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parents[2])
    assert done.returncode == 0 and "version" in done.stdout and "handler ran" in done.stderr
