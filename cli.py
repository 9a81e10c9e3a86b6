"""`scorecard` command line: one click group and the explicit list of its commands (`commands/`).

Results go to stdout (`--json` for machines), progress and warnings to stderr, and any
`ScorecardError` becomes its problems on stderr and exit status 1.
"""

from __future__ import annotations

import click

from commands.assessment import assessment, responses
from commands.bundle import bundle
from commands.common import fail
from commands.content import catalog, coverage, questionnaire, validate
from commands.demo import demo
from commands.docs import docs
from commands.evidence import evidence_group, metrics
from commands.plan import plan
from commands.reports import report, workbook
from commands.scoring import score_command
from commands.storage import audit, db, site
from commands.trend import trend
from errors import Problem, ScorecardError

COMMANDS: tuple[click.Command, ...] = (
    validate, catalog, questionnaire, coverage,  # content
    evidence_group, metrics, score_command,  # evidence files and scoring a responses file
    assessment, responses, report, workbook, plan,  # stored assessments, their reports and plans
    trend, bundle, site, audit, db, demo, docs,
)
"""Every top-level command; `scorecard --help` lists them alphabetically whatever this order."""


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


for _command in COMMANDS:
    scorecard.add_command(_command)


def main() -> None:
    scorecard()


if __name__ == "__main__":
    main()
