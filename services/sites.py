"""Site use cases: add (admin, audited) and list (anyone); the organisation's name (admin); how
many sites and assessments the database holds."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from errors import Problem, ScorecardError
from evidence.dates import zone_of
from services.access import Actor, require_admin
from services.context import Context
from storage import audit, record_counts
from storage import sites as site_store
from storage.records import CRITICALITIES, Site


def site_problems(name: str, country: str, criticality: str, where: str = "", time_zone: str = "UTC") -> list[Problem]:
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
    try:
        zone_of(time_zone)
    except ValueError as exc:
        problems.append(Problem(f"{prefix}time_zone", str(exc)))
    return problems


def add_site(ctx: Context, actor: Actor, name: str, *, country: str, criticality: str, time_zone: str = "UTC") -> Site:
    """Create a site. `criticality` is its importance for production: critical, high, medium, low.
    `time_zone` (IANA name, default UTC) is the site's: evidence date-times with an offset are
    converted to it before their date is taken."""
    require_admin(actor, "add sites")
    problems = site_problems(name, country, criticality, time_zone=time_zone.strip())
    if problems:
        raise ScorecardError("the site was not added", problems)
    with ctx.write() as session:
        return site_store.add_site(session, name.strip(), country.strip(), criticality.strip().lower(), ctx.now(),
                                   user=actor.user, time_zone=time_zone.strip())


def list_sites(ctx: Context, actor: Actor) -> list[Site]:
    with ctx.read() as session:
        return site_store.list_sites(session)


def find_site(ctx: Context, actor: Actor, name: str) -> Site:
    with ctx.read() as session:
        return site_store.find_site(session, name)


def ensure_organisation(ctx: Context, actor: Actor, name: str) -> None:
    """Create the organisation called `name` unless it exists (admin); sites added later join the
    first organisation, so call this on an empty database to name it."""
    require_admin(actor, "name the organisation")
    with ctx.write() as session:
        if site_store.organisation_named(session, name):
            return
        now = ctx.now()
        site_store.organisation_id(session, now, name)
        audit.record(session, actor.user, now, None, "organisation", name, "create", None, {"name": name})


@dataclass(frozen=True)
class SiteCounts:
    sites: int
    assessments: int
    named_sites: int
    """How many of the sites asked about exist."""
    named_assessments: int
    """How many assessments those sites hold."""


def site_counts(ctx: Context, names: Collection[str]) -> SiteCounts:
    """Sites and assessments in the database, and how many of them belong to the sites `names`."""
    with ctx.read() as session:
        _, _, sites, assessments = record_counts.data_version(session)
        named_sites, named_assessments = record_counts.named_site_counts(session, names)
    return SiteCounts(sites, assessments, named_sites, named_assessments)
