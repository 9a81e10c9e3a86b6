"""`scorecard assessment create|list|show|copy|submit|finalize|reopen|delete` and `scorecard responses import`."""

from __future__ import annotations

from pathlib import Path

import click

from commands.common import RECORD_ID, context, echo_json
from commands.storage import parse_date
from services import answers, assessments
from services.access import local_admin
from services.assessment_scoring import score_assessment
from services.scorecards import scorecard_to_dict


def _summary(a) -> dict:
    return {"id": a.id, "site": a.site_name, "scope": a.scope, "as_of": a.as_of.isoformat(), "status": a.status,
            "title": a.title, "assessor": a.assessor, "questionnaire": f"{a.questionnaire_id}@{a.questionnaire_version}",
            "copied_from": a.copied_from_id, "unverified": a.unverified}


@click.group()
def assessment() -> None:
    """Assessments of a site (or the enterprise): lifecycle draft → in_review → final."""


@assessment.command("create")
@click.option("--site", help="Site name; omit with --enterprise for an enterprise-wide assessment.")
@click.option("--enterprise", is_flag=True, help="An enterprise-wide assessment (no site).")
@click.option("--scope", required=True, help="IT, OT or IT+OT.")
@click.option("--as-of", "as_of", required=True, help="Date the assessment describes, YYYY-MM-DD.")
@click.option("--questionnaire", "questionnaire_id", help="Questionnaire id (default: the only one loaded).")
@click.option("--assessor", help="Lead assessor (default: you).")
@click.option("--title", help="Title (default: site, scope and date).")
def create(site, enterprise, scope, as_of, questionnaire_id, assessor, title) -> None:
    """Create a draft assessment; prints its id."""
    if bool(site) == enterprise:
        raise click.UsageError("give either --site NAME or --enterprise")
    created = assessments.create_assessment(context(), local_admin(), site=site, scope=scope, as_of=parse_date(as_of, "--as-of"),
                                            questionnaire_id=questionnaire_id, assessor=assessor, title=title)
    click.echo(created.id)


@assessment.command("list")
@click.option("--site", help="Only this site's assessments.")
@click.option("--status", type=click.Choice(["draft", "in_review", "final"]), help="Only this status.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_(site, status, as_json) -> None:
    """List assessments (id, site, scope, as-of date, status)."""
    found = assessments.list_assessments(context(), local_admin(), site=site, status=status)
    if as_json:
        echo_json([_summary(a) for a in found])
        return
    for a in found:
        status = f"{a.status}*" if a.unverified else a.status
        click.echo(f"{a.id:>4}  {(a.site_name or '(enterprise)'):<28} {a.scope:<6} {a.as_of}  {status:<9} {a.title}")
    if any(a.unverified for a in found):
        click.echo("* unverified bundle import: review it before use", err=True)


@assessment.command("show")
@click.argument("assessment_id", type=RECORD_ID)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output, including the scorecard.")
def show(assessment_id, as_json) -> None:
    """Show one assessment: details, answers, evidence and its score."""
    ctx, actor = context(), local_admin()
    detail = assessments.load_assessment(ctx, actor, assessment_id)
    card = scorecard_to_dict(score_assessment(ctx, actor, assessment_id))
    if as_json:
        echo_json({**_summary(detail.assessment), "responses": [r.model_dump(mode="json") for r in detail.responses],
                   "targets": [t.model_dump(mode="json") for t in detail.targets],
                   "findings": [f.model_dump(mode="json") for f in detail.findings],
                   "evidence": [e.model_dump(mode="json") for e in detail.evidence], "scorecard": card})
        return
    a = detail.assessment
    click.echo(f"#{a.id} {a.title} [{a.status}] scope {a.scope}, as of {a.as_of}, assessor {a.assessor}")
    if a.unverified:
        click.echo("UNVERIFIED: imported from a bundle whose signature could not be verified; review before use")
    o = card["overall"]
    click.echo(f"answered {o['answered']}, NA {o['not_applicable']} of {o['applicable']} applicable "
               f"(completion {o['completion'] * 100:.0f}%)")
    click.echo(f"claimed {o['claimed']}  verified {o['verified']}  target {o['target']}  "
               f"confidence {o['confidence'] * 100:.0f}%")
    for e in detail.evidence:
        click.echo(f"evidence {e.dataset}: {e.file_name}, {e.row_count} rows, {e.imported_at:%Y-%m-%d} by {e.imported_by}")
    click.echo(f"findings: {len(detail.findings)}, target overrides: {len(detail.targets)}")


@assessment.command("copy")
@click.argument("assessment_id", type=RECORD_ID)
@click.option("--as-of", "as_of", required=True, help="Date of the new assessment, YYYY-MM-DD.")
@click.option("--title", help="Title of the new assessment.")
def copy(assessment_id, as_of, title) -> None:
    """Start a new assessment from an earlier one (answers, notes, targets carried forward)."""
    created = assessments.copy_assessment(context(), local_admin(), assessment_id, as_of=parse_date(as_of, "--as-of"), title=title)
    click.echo(created.id)


@assessment.command("submit")
@click.argument("assessment_id", type=RECORD_ID)
def submit(assessment_id) -> None:
    """Move a draft to in_review."""
    assessments.submit_for_review(context(), local_admin(), assessment_id)
    click.echo(f"assessment {assessment_id} is in review", err=True)


@assessment.command("finalize")
@click.argument("assessment_id", type=RECORD_ID)
def finalize(assessment_id) -> None:
    """Score and finalise: the assessment becomes read-only and its snapshot joins the trends."""
    snapshot = assessments.finalize_assessment(context(), local_admin(), assessment_id)
    click.echo(f"assessment {assessment_id} is final: verified {snapshot.verified}, claimed {snapshot.claimed}", err=True)


@assessment.command("reopen")
@click.argument("assessment_id", type=RECORD_ID)
@click.option("--reason", required=True, help="Why it is reopened (goes into the audit log).")
def reopen(assessment_id, reason) -> None:
    """Reopen a final assessment (admin; audited); its snapshot leaves the trends until finalised again."""
    assessments.reopen_assessment(context(), local_admin(), assessment_id, reason=reason)
    click.echo(f"assessment {assessment_id} reopened as draft", err=True)


@assessment.command("delete")
@click.argument("assessment_id", type=RECORD_ID)
@click.option("--reason", required=True, help="Why it should not exist (goes into the audit log).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete(assessment_id, reason, yes) -> None:
    """Delete an assessment that should not exist, with everything stored about it (admin; audited)."""
    ctx, actor = context(), local_admin()
    a = assessments.get_assessment(ctx, actor, assessment_id)
    if not yes:
        click.confirm(f"Delete assessment #{a.id} {a.label} [{a.status}] and all its answers, evidence and score?",
                      abort=True, err=True)
    assessments.delete_assessment(ctx, actor, assessment_id, reason=reason)
    click.echo(f"assessment {assessment_id} ({a.label}) deleted", err=True)


@click.group()
def responses() -> None:
    """Questionnaire answers of a stored assessment."""


@responses.command("import")
@click.argument("assessment_id", type=RECORD_ID)
@click.argument("file", type=click.Path(path_type=Path))
def responses_import(assessment_id, file) -> None:
    """Import a CSV/XLSX responses file (columns question_id, environment, current, target, notes,
    na_reason); columns the file lacks keep their stored values."""
    changed = answers.import_responses(context(), local_admin(), assessment_id, file)
    click.echo(f"{changed} response(s) changed", err=True)
