"""`scorecard report …` (board PDF, analyst workbook, JSON report) and `scorecard questionnaire-workbook export|import`."""

from __future__ import annotations

from pathlib import Path

import click

from commands.common import RECORD_ID, echo_json
from services import questionnaire_workbook, reports
from services.access import local_admin


def register(group: click.Group) -> None:
    group.add_command(report)
    group.add_command(workbook)


@click.command("report")
@click.argument("assessment_id", type=RECORD_ID, required=False)
@click.option("--site", help="Report on this site's latest assessment.")
@click.option("--enterprise", is_flag=True, help="Enterprise report: every site's latest assessment; maturity weighted by "
              "criticality, metrics pooled from all sites' evidence.")
@click.option("--format", "fmt", type=click.Choice(reports.FORMATS), required=True,
              help="pdf: the board report; xlsx: the analyst workbook; json: every figure of both as data "
                   "(format and schema: docs/exports.md, docs/schema/report.schema.json).")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True,
              help="Paper size of the PDF.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write.")
def report(assessment_id, site, enterprise, fmt, paper, output: Path) -> None:
    """Write the board PDF, the analyst workbook or the JSON report of an assessment, a site or the enterprise."""
    chosen = [assessment_id is not None, bool(site), enterprise]
    if sum(chosen) != 1:
        raise click.UsageError("give exactly one of ASSESSMENT_ID, --site NAME or --enterprise")
    data = reports.report(local_admin(), fmt, paper, assessment_id=assessment_id, site=site,
                          enterprise=enterprise)
    output.write_bytes(data)
    click.echo(f"wrote {output} ({len(data):,} bytes)", err=True)


@click.group("questionnaire-workbook")
def workbook() -> None:
    """Answer the questionnaire offline in Excel, then import the answers back."""


@workbook.command("export")
@click.argument("assessment_id", type=RECORD_ID)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The .xlsx file to write.")
def export_(assessment_id: int, output: Path) -> None:
    """Write the assessment's questionnaire workbook, prefilled with its current answers."""
    data = questionnaire_workbook.export_workbook(local_admin(), assessment_id)
    output.write_bytes(data)
    click.echo(f"wrote {output} ({len(data):,} bytes)", err=True)


@workbook.command("import")
@click.argument("assessment_id", type=RECORD_ID)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate and show what would change; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def import_(assessment_id: int, file: Path, dry_run: bool, as_json: bool) -> None:
    """Import a filled-in questionnaire workbook: every cell is validated, then the changed answers
    are applied as one audited change (or only listed with --dry-run)."""
    result = questionnaire_workbook.import_workbook(local_admin(), assessment_id, file.read_bytes(),
                                                    name=file.name, dry_run=dry_run)
    if as_json:
        echo_json({"dry_run": dry_run, "responses_changed": len(result.responses),
                   "changes": [{"question_id": c.question_id, "environment": c.environment, "field": c.field,
                                "old": c.old, "new": c.new, "where": c.location} for c in result.changes]})
        return
    for c in result.changes:
        click.echo(f"{c.question_id} ({c.environment}) {c.field}: {c.old!r} → {c.new!r}   [{c.location}]")
    verb = "would change" if dry_run else "changed"
    click.echo(f"{len(result.responses)} response(s) {verb}", err=True)
