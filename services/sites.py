"""Site use cases: add (admin) and list (anyone)."""

from __future__ import annotations

from errors import Problem, ScorecardError
from services.access import Actor, require_admin
from services.database import database, utcnow
from storage import sites as site_store
from storage.engine import Database
from storage.records import CRITICALITIES, Site


def add_site(actor: Actor, name: str, *, country: str, criticality: str, db: Database | None = None) -> Site:
    """Create a site. `criticality` is its importance for production: critical, high, medium, low."""
    require_admin(actor, "add sites")
    name, country, level = name.strip(), country.strip(), criticality.strip().lower()
    problems = []
    if not name:
        problems.append(Problem("name", "a site needs a name"))
    if not country:
        problems.append(Problem("country", "a site needs a country", "e.g. DE, US, Mexico"))
    if level not in CRITICALITIES:
        problems.append(Problem("criticality", f"'{criticality}' is not a criticality", f"one of {', '.join(CRITICALITIES)}"))
    if problems:
        raise ScorecardError("the site was not added", problems)
    with database(db).write() as session:
        return site_store.add_site(session, name, country, level, utcnow())


def list_sites(actor: Actor, db: Database | None = None) -> list[Site]:
    with database(db).read() as session:
        return site_store.list_sites(session)


def find_site(actor: Actor, name: str, db: Database | None = None) -> Site:
    with database(db).read() as session:
        return site_store.find_site(session, name)
