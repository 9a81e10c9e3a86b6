"""`scorecard` command line: one click group and the explicit list of its commands (`commands/`).

Results go to stdout (`--json` for machines), progress and warnings to stderr, and any
`ScorecardError` becomes its problems on stderr and exit status 1.
"""

from __future__ import annotations

import atexit
import importlib
import os
import sys
from typing import NoReturn

import click

from commands.common import fail
from config import tune_garbage_collector
from errors import Problem, ScorecardError

COMMANDS: dict[str, str] = {
    # content
    "validate": "commands.content:validate",
    "catalog": "commands.content:catalog",
    "questionnaire": "commands.content:questionnaire",
    "coverage": "commands.content:coverage",
    # evidence files and scoring a responses file
    "evidence": "commands.evidence:evidence_group",
    "metrics": "commands.evidence:metrics",
    "score": "commands.scoring:score_command",
    # stored assessments, their reports and plans
    "assessment": "commands.assessment:assessment",
    "responses": "commands.assessment:responses",
    "report": "commands.reports:report",
    "plan": "commands.plan:plan",
    "questionnaire-workbook": "commands.reports:workbook",
    "trend": "commands.trend:trend",
    "bundle": "commands.bundle:bundle",
    "site": "commands.storage:site",
    "audit": "commands.storage:audit",
    "db": "commands.storage:db",
    "demo": "commands.demo:demo",
    "docs": "commands.docs:docs",
}
"""Every top-level command: its name → "module:attribute". A command's module is imported only when
that command runs (or help lists it), so `scorecard report` does not pay for the imports of every
other command; `scorecard --help` lists them alphabetically whatever this order."""


class ScorecardGroup(click.Group):
    """Loads each command from `COMMANDS` when first asked for it, and turns ScorecardError into a
    clean message and exit 1, never a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            module, _, attribute = COMMANDS[name].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            if command.name != name:
                raise RuntimeError(f"cli.COMMANDS names {COMMANDS[name]} '{name}', but it is '{command.name}'")
            self.add_command(command)
        return self.commands.get(name)

    def all_commands(self) -> dict[str, click.Command]:
        """Every top-level command, loaded (for generated documentation and tests)."""
        ctx = click.Context(self)
        return {name: self.get_command(ctx, name) for name in self.list_commands(ctx)}

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ScorecardError as error:
            fail(error)
        except OSError as error:  # a file the user named cannot be read or written
            where = error.filename or "file"
            fail(ScorecardError(f"cannot use {where}", [Problem(str(where), error.strerror or str(error),
                                                                "check the path and its permissions")]))


@click.group(cls=ScorecardGroup)
@click.version_option(package_name="resilience-scorecard")
def scorecard() -> None:
    """Resilience Scorecard: IT/OT cyber resilience of manufacturers, NIST CSF 2.0 and CISA CPG 2.0."""


def main() -> NoReturn:
    tune_garbage_collector()
    try:
        scorecard()  # click's standalone mode ends every run with SystemExit
    except SystemExit as stop:
        finish(stop.code)
    finish(0)


def finish(code: int | str | None) -> NoReturn:
    """End the process the way `sys.exit(code)` would, without tearing the interpreter down: the
    standard streams are flushed and the exit handlers run (the chart browser and the PDF layout
    worker stop, logging flushes), then the process ends. A large command holds millions of
    objects (the enterprise view of 200 sites), which interpreter shutdown would collect and free
    one by one: 1.5–2 s after the output is written, for nothing. Only for the `scorecard`
    process itself, never in a process that goes on (tests call `scorecard.main`, not this)."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away (`| head`), or a closed stream
            status = status or 120  # what the interpreter's own exit reports for a failed flush
    atexit._run_exitfuncs()  # noqa: SLF001 - the handlers interpreter shutdown would run
    os._exit(status)


if __name__ == "__main__":
    main()
