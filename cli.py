"""`scorecard` command line: one click group, commands registered from `commands/`.

Results go to stdout (`--json` for machines), progress and warnings to stderr, and any
`ScorecardError` becomes its problems on stderr and exit status 1.
"""

from __future__ import annotations

import importlib
import pkgutil

import click

import commands
from commands.common import fail
from errors import Problem, ScorecardError


class ScorecardGroup(click.Group):
    """Turns ScorecardError into a clean message and exit 1, never a traceback."""

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


def _register_commands() -> None:
    """Each module in commands/ that defines `register(group)` adds its commands."""
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"commands.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(scorecard)


_register_commands()


def main() -> None:
    scorecard()


if __name__ == "__main__":
    main()
