"""`scorecard plan list|add|edit|show|import|target-due`: the actions that promise a level, and the
path to target they project (docs/methodology.md, "Path to target")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from commands.common import RECORD_ID, context, echo_json
from commands.storage import parse_date
from scoring.plan_model import Projection, promises_text
from services import answers, assessments, plan_edits, plan_import, plans
from services.access import local_admin

GAIN_FIELDS = ("gain", "site_gain", "gain_per_100k")


@click.group()
def plan() -> None:
    """Action plans: what each action promises, and the projected path to target."""


def _action_options(command):
    """The options of `plan add` and `plan edit` (each maps to an action field)."""
    options = [
        click.option("--title", help="What will be done."),
        click.option("--owner", help="Who is accountable."),
        click.option("--due", help="Due date, YYYY-MM-DD."),
        click.option("--status", help="open, in_progress, done or accepted."),
        click.option("--promise", "promises", multiple=True,
                     help="A level it brings an answer to: 'QUESTION [IT|OT] LEVEL', e.g. 'ACC-01 OT 4' "
                          "(repeat the option; no environment = every one in scope)."),
        click.option("--evidence-metric", help="The metric its evidence will measure, e.g. governed_access_pct."),
        click.option("--evidence-value", help="The value that metric will reach, in its unit (e.g. 95 for 95 %)."),
        click.option("--cost", help="Estimated cost, in the organisation's currency."),
        click.option("--effort", "effort_days", help="Estimated effort, in person-days."),
        click.option("--notes", help="Notes."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _fields(**given: Any) -> dict[str, Any]:
    """The options given, as action fields (services.action_fields reads their text)."""
    names = {"due": "due_date"}
    fields = {names.get(k, k): v for k, v in given.items() if v not in (None, ())}
    if "promises" in fields:
        fields["promises"] = "; ".join(fields["promises"])
    return fields


@plan.command("list")
@click.argument("assessment_id", type=RECORD_ID)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_(assessment_id, as_json) -> None:
    """List an assessment's actions with what they promise and cost."""
    found = assessments.load_assessment(context(), local_admin(), assessment_id).findings
    if as_json:
        echo_json([f.model_dump(mode="json") for f in found])
        return
    for f in found:
        cost = "" if f.cost is None else f" cost {f.cost:,.0f}"
        click.echo(f"{f.id:>5}  {f.status:<11} due {f.due_date or '—'}  {f.question_id} {f.environment or '*':<2}"
                   f"{cost}  {f.title}")
        if f.promises or f.evidence_metric:
            evidence = f"; evidence {f.evidence_metric} {f.evidence_value:g}" if f.evidence_metric else ""
            click.echo(f"       promises {promises_text(f.promises) or '—'}{evidence}")


@plan.command("add")
@click.argument("assessment_id", type=RECORD_ID)
@click.option("--question", "question_id", required=True, help="The question the action closes a gap on.")
@click.option("--env", "environment", type=click.Choice(["IT", "OT"]), help="Its environment (default: every one).")
@_action_options
def add(assessment_id, question_id, environment, title, **options) -> None:
    """Add an action; prints its id."""
    if not title:
        raise click.UsageError("give --title")
    fields = _fields(**options)
    owner, due, notes = fields.pop("owner", ""), fields.pop("due_date", None), fields.pop("notes", "")
    created = answers.add_finding(context(), local_admin(), assessment_id, question_id=question_id, environment=environment,
                                  title=title, owner=owner, due_date=due, notes=notes, plan=fields)
    click.echo(created.id)


@plan.command("edit")
@click.argument("assessment_id", type=RECORD_ID)
@click.argument("action_id", type=RECORD_ID)
@_action_options
def edit(assessment_id, action_id, **options) -> None:
    """Change the given fields of an action (the others stay as they are)."""
    fields = _fields(**options)
    if not fields:
        raise click.UsageError("give at least one field to change, e.g. --due 2027-06-30")
    actor = local_admin()
    current = next((f for f in assessments.load_assessment(context(), actor, assessment_id).findings if f.id == action_id), None)
    if current is None:
        raise click.UsageError(f"assessment {assessment_id} has no action {action_id} (see `scorecard plan list`)")
    changed = answers.update_finding(context(), actor, assessment_id, action_id, fields, expected_version=current.version)
    click.echo(f"action {action_id} is at version {changed.version}", err=True)


@plan.command("show")
@click.argument("assessment_id", type=RECORD_ID, required=False)
@click.option("--enterprise", is_flag=True, help="The enterprise's plan (every site's actions, rolled up).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output: the projection.")
def show(assessment_id, enterprise, as_json) -> None:
    """The projected path to target: quarterly verified scores, targets and the ranked actions."""
    if (assessment_id is None) != enterprise:
        raise click.UsageError("give either ASSESSMENT_ID or --enterprise")
    projection = plans.project(context(), local_admin(), assessment_id, enterprise=enterprise)
    if as_json:
        echo_json(projection_json(projection))
        return
    _print(projection)


def projection_json(projection: Projection) -> dict[str, Any]:
    """The projection as plain data: actions carry their roadmap values; maturity rounded to 2
    decimals and what an action adds to 3 (module rules of exports.formatting)."""
    data = projection.model_dump(mode="json", exclude={"values"})
    values = {v.id: v.model_dump(mode="json", exclude={"id"}) for v in projection.values}
    for action in data["actions"]:
        action.update(values.get(action["id"], {"rank": None, "gain": None, "site_gain": None, "gain_per_100k": None}))
    return _rounded(data)


def _rounded(value: Any, key: str = "") -> Any:
    if isinstance(value, float):
        return round(value, 3 if key in GAIN_FIELDS else 2)
    if isinstance(value, dict):
        return {k: _rounded(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v, key) for v in value]
    return value


def _print(p: Projection) -> None:
    click.echo(f"plan as of {p.today}" + "".join(f"; {site or 'overdue actions'} slip {d} days"
                                                  for site, d in p.slip_days.items()))
    for point in p.points:
        verified = "—" if point.verified is None else f"{point.verified:.2f}"
        click.echo(f"  {point.label:<8} {point.on}  verified {verified}  ({len(point.counted)} actions done)")
    for t in p.targets:
        what = "overall" if t.kind == "overall" else f"{t.question_id} {t.environment} level {t.target:g}"
        target = "—" if t.target is None else f"{t.target:.2f}"
        click.echo(f"target {(t.site + ' ') if t.site else ''}{what} {target} due {t.due}: "
                   f"{t.status.replace('_', ' ')}, reached {t.reached_on or 'never'}")
    states = {a.id: a for a in p.actions}
    for v in p.values:
        a = states[v.id]
        cost = "no cost" if v.cost is None else f"cost {v.cost:,.0f}"
        click.echo(f"  #{v.rank:<3} adds {v.gain:+.3f}  {cost:<14} {a.state:<9} {(a.site + ': ') if a.site else ''}"
                   f"{a.title}")


@plan.command("import")
@click.argument("assessment_id", type=RECORD_ID)
@click.argument("file", type=click.Path(path_type=Path))
def import_(assessment_id, file) -> None:
    """Apply the edited Plan sheet of an analyst workbook (rows without an ID add actions)."""
    done = plan_import.import_plan(context(), local_admin(), assessment_id, file)
    click.echo(f"{done.changed} action(s) changed, {done.added} added, {done.unchanged} unchanged", err=True)


@plan.command("target-due")
@click.argument("assessment_id", type=RECORD_ID)
@click.argument("due", required=False)
@click.option("--clear", is_flag=True, help="Use the questionnaire's target profile date again.")
def target_due(assessment_id, due, clear) -> None:
    """Set when the assessment's overall target is due (YYYY-MM-DD)."""
    if bool(due) == clear:
        raise click.UsageError("give a DUE date or --clear")
    changed = plan_edits.set_target_due(context(), local_admin(), assessment_id, None if clear else parse_date(due, "DUE"))
    click.echo(f"target of assessment {assessment_id} due {changed.target_due_date or 'as the target profile says'}",
               err=True)
