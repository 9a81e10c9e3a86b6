"""Site use cases: add (admin, audited) and list (anyone)."""

from __future__ import annotations

from errors import Problem, ScorecardError
from services.access import Actor, require_admin
from services.db import database, utcnow
from storage import sites as site_store
from storage.db import Database
from storage.records import CRITICALITIES, Site


def site_problems(name: str, country: str, criticality: str, where: str = "") -> list[Problem]:
    """What is wrong with a site's fields (the rules of `add_site`, also applied to bundles)."""
    prefix = f"{where}." if where else ""
    problems = []
    if not name.strip():
        problems.append(Problem(f"{prefix}name", "a site needs a name"))
    if not country.strip():
        problems.append(Problem(f"{prefix}country", "a site needs a country", "e.g. DE, US, Mexico"))
    if criticality.strip().lower() not in CRITICALITIES:
        problems.append(Problem(f"{prefix}criticality", f"'{criticality}' is not a criticality",
                                f"one of {', '.join(CRITICALITIES)}"))
    return problems


def add_site(actor: Actor, name: str, *, country: str, criticality: str, db: Database | None = None) -> Site:
    """Create a site. `criticality` is its importance for production: critical, high, medium, low."""
    require_admin(actor, "add sites")
    problems = site_problems(name, country, criticality)
    if problems:
        raise ScorecardError("the site was not added", problems)
    with database(db).write() as session:
        return site_store.add_site(session, name.strip(), country.strip(), criticality.strip().lower(), utcnow(),
                                   user=actor.user)


def list_sites(actor: Actor, db: Database | None = None) -> list[Site]:
    with database(db).read() as session:
        return site_store.list_sites(session)


def find_site(actor: Actor, name: str, db: Database | None = None) -> Site:
    with database(db).read() as session:
        return site_store.find_site(session, name)
