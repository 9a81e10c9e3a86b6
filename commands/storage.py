"""`scorecard db upgrade|status`, `scorecard site add|list`, `scorecard audit`: the database,
its sites and its audit log. The CLI acts as the local admin (services.access.local_admin)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from commands.common import RECORD_ID, context, echo_json
from errors import Problem, ScorecardError
from services import audit_log, sites
from services.access import local_admin
from services.database import configured_database, schema_status, upgrade_database


def parse_date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ScorecardError(f"{option}: '{text}' is not a date", [Problem(option, f"'{text}' is not a date", "use YYYY-MM-DD")]) from None


@click.group()
def db() -> None:
    """Create, upgrade and inspect the database (SCORECARD_DB_URL, default data/scorecard.db)."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create the schema in an empty database, or upgrade it to this version's revision."""
    db = configured_database()
    before, after = upgrade_database(db)
    status = schema_status(db)
    if before == after:
        click.echo(f"{status['url']}: schema already at revision {after}", err=True)
    else:
        click.echo(f"{status['url']}: schema upgraded from {before or 'empty'} to {after}", err=True)


@db.command("status")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def db_status(as_json: bool) -> None:
    """Show the database URL (without password), its schema revision and the one the code needs."""
    status = schema_status(configured_database())
    if as_json:
        echo_json(status)
        return
    state = "current" if status["current"] == status["head"] else "needs `scorecard db upgrade`"
    click.echo(f"{status['url']}: revision {status['current'] or '(empty)'}, code needs {status['head']} ({state})")


@click.group()
def site() -> None:
    """Sites (plants, offices) of the organisation."""


@site.command("add")
@click.argument("name")
@click.option("--country", required=True, help="Country, e.g. DE or Mexico.")
@click.option("--criticality", required=True, help="Importance for production: critical, high, medium or low.")
@click.option("--time-zone", default="UTC", show_default=True,
              help="IANA time zone of the site, e.g. Europe/Berlin: evidence date-times with an offset are converted to it.")
def site_add(name: str, country: str, criticality: str, time_zone: str) -> None:
    """Add a site."""
    created = sites.add_site(context(), local_admin(), name, country=country, criticality=criticality,
                             time_zone=time_zone)
    click.echo(f"added site {created.id}: {created.name} ({created.country}, {created.criticality}, {created.time_zone})", err=True)


@site.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def site_list(as_json: bool) -> None:
    """List sites."""
    found = sites.list_sites(context(), local_admin())
    if as_json:
        echo_json([s.model_dump(mode="json") for s in found])
        return
    for s in found:
        click.echo(f"{s.id:>4}  {s.name:<30} {s.country:<12} {s.criticality:<9} {s.time_zone}")


@click.command()
@click.option("--assessment", "assessment_id", type=RECORD_ID, help="Only this assessment's entries.")
@click.option("--limit", type=int, help="Only the newest N entries.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of CSV.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file instead of stdout.")
def audit(assessment_id: int | None, limit: int | None, as_json: bool, output: Path | None) -> None:
    """Export the audit log (CSV by default): time, user, what changed, old and new value."""
    entries = audit_log.list_audit(context(), local_admin(), assessment_id=assessment_id, limit=limit)
    if as_json:
        if output:
            import json

            output.write_text(json.dumps(audit_log.audit_json(entries), indent=2, ensure_ascii=False), encoding="utf-8")
        else:
            echo_json(audit_log.audit_json(entries))
        return
    data = audit_log.audit_csv(entries)
    if output:
        output.write_bytes(data)
        click.echo(f"wrote {len(entries)} audit entries to {output}", err=True)
    else:
        click.echo(data.decode("utf-8"), nl=False)
