"""`scorecard report …` (board PDF, analyst workbook, JSON report, board deck, OSCAL assessment results and
POA&M) and `scorecard questionnaire-workbook export|import`."""

from __future__ import annotations

from pathlib import Path

import click

from commands.common import RECORD_ID, context, echo_json
from services import reports
from services.access import local_admin


@click.command("report")
@click.argument("assessment_id", type=RECORD_ID, required=False)
@click.option("--site", help="Report on this site's latest final assessment.")
@click.option("--include-draft", is_flag=True,
              help="With --site: report the site's latest assessment even when it is a draft (marked provisional).")
@click.option("--enterprise", is_flag=True, help="Enterprise report: every site's latest assessment; maturity weighted by "
              "criticality, metrics pooled from all sites' evidence.")
@click.option("--format", "fmt", type=click.Choice(reports.FORMATS), required=True,
              help="pdf: the board report; xlsx: the analyst workbook; json: every figure of both as data "
                   "(docs/schema/report.schema.json); pptx: the board deck, editable; oscal-ar: OSCAL assessment "
                   "results; oscal-poam: OSCAL plan of action and milestones of the open actions (docs/exports.md).")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True,
              help="Paper size of the PDF.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write.")
def report(assessment_id, site, include_draft, enterprise, fmt, paper, output: Path) -> None:
    """Write the board PDF, analyst workbook, JSON report, board deck or OSCAL documents of an assessment, a site or
    the enterprise."""
    chosen = [assessment_id is not None, bool(site), enterprise]
    if sum(chosen) != 1:
        raise click.UsageError("give exactly one of ASSESSMENT_ID, --site NAME or --enterprise")
    data = reports.report(context(), local_admin(), fmt, paper, assessment_id=assessment_id, site=site,
                          enterprise=enterprise, include_draft=include_draft)
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
    from services import questionnaire_workbook  # openpyxl (~0.2 s): not for `report`

    data = questionnaire_workbook.export_workbook(context(), local_admin(), assessment_id)
    output.write_bytes(data)
    click.echo(f"wrote {output} ({len(data):,} bytes)", err=True)


@workbook.command("import")
@click.argument("assessment_id", type=RECORD_ID)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate and show what would change; write nothing.")
@click.option("--apply-conflicts", is_flag=True,
              help="Also apply the workbook's values to answers changed in the app since the export "
                   "(overwrites those changes; without it they are listed and left as in the app).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def import_(assessment_id: int, file: Path, dry_run: bool, apply_conflicts: bool, as_json: bool) -> None:
    """Import a filled-in questionnaire workbook: every cell is validated, then the changed answers
    are applied as one audited change (or only listed with --dry-run). An answer changed both in
    the app since the export and in the workbook is a conflict, marked CONFLICT and not applied
    unless --apply-conflicts."""
    from services import questionnaire_workbook  # openpyxl (~0.2 s): not for `report`

    result = questionnaire_workbook.import_workbook(context(), local_admin(), assessment_id, file.read_bytes(),
                                                    name=file.name, dry_run=dry_run, apply_conflicts=apply_conflicts)
    written = result.responses_changed(with_conflicts=apply_conflicts)
    if as_json:
        echo_json({"dry_run": dry_run, "conflicts_applied": apply_conflicts, "responses_changed": written,
                   "conflicts": result.conflicting_responses(),
                   "changes": [{"question_id": c.question_id, "environment": c.environment, "field": c.field,
                                "old": c.old, "new": c.new, "where": c.location, "conflict": c.conflict or None}
                               for c in result.changes],
                   "changed_in_app_since_export": list(result.changed_in_app)})
        return
    for c in result.changes:
        mark = f"   CONFLICT: {c.conflict}" if c.conflict else ""
        click.echo(f"{c.question_id} ({c.environment}) {c.field}: {c.old!r} → {c.new!r}   [{c.location}]{mark}")
    verb = "would change" if dry_run else "changed"
    click.echo(f"{written} response(s) {verb}", err=True)
    if result.conflicts and not apply_conflicts:
        click.echo(f"{result.conflicting_responses()} conflicting response(s) left as in the app "
                   "(changed there since the export); --apply-conflicts applies the workbook's values", err=True)
    if result.changed_in_app:
        click.echo(f"{len(result.changed_in_app)} response(s) changed in the app since the export and not in the "
                   f"workbook keep the app's values: {', '.join(result.changed_in_app)}", err=True)
