"""Organisation and sites. One organisation per database in practice; the table exists so a
shared deployment can name it and bundles can carry it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from errors import ConflictError, NotFoundError, Problem
from storage import audit
from storage.records import Site
from storage.tables import OrganisationRow, SiteRow

DEFAULT_ORGANISATION = "My organisation"


def organisation_id(session: Session, now: datetime, name: str | None = None) -> int:
    """The id of the organisation (created on first use). With `name`, that one is used or created."""
    query = select(OrganisationRow.id).order_by(OrganisationRow.id).limit(1)
    if name is not None:
        query = select(OrganisationRow.id).where(OrganisationRow.name == name)
    found = session.scalar(query)
    if found is not None:
        return found
    row = OrganisationRow(name=name or DEFAULT_ORGANISATION, created_at=now)
    session.add(row)
    session.flush()
    return row.id


def organisation_named(session: Session, name: str) -> bool:
    """Whether an organisation called `name` exists."""
    return session.scalar(select(OrganisationRow.id).where(OrganisationRow.name == name)) is not None


def organisation_name(session: Session) -> str | None:
    return session.scalar(select(OrganisationRow.name).order_by(OrganisationRow.id).limit(1))


def add_site(session: Session, name: str, country: str, criticality: str, now: datetime, *, user: str,
             time_zone: str = "UTC") -> Site:
    """Create a site (audited, as an organisation-level entry); a duplicate name is a ConflictError."""
    org = organisation_id(session, now)
    row = SiteRow(organisation_id=org, name=name, country=country, criticality=criticality, created_at=now,
                  time_zone=time_zone)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise ConflictError(
            f"a site named '{name}' already exists", [Problem("name", "site names are unique", "choose another name")]
        ) from None
    audit.record(session, user, now, None, "site", name, "create", None,
                 {"name": name, "country": country, "criticality": criticality, "time_zone": time_zone})
    return to_site(row)


def list_sites(session: Session) -> list[Site]:
    return [to_site(r) for r in session.scalars(select(SiteRow).order_by(SiteRow.name))]


def find_site(session: Session, name: str) -> Site:
    """The site called `name` (exact), or a NotFoundError listing the known names."""
    row = session.scalar(select(SiteRow).where(SiteRow.name == name))
    if row is None:
        known = ", ".join(s.name for s in list_sites(session)) or "none yet"
        raise NotFoundError(f"no site named '{name}'", [Problem("site", f"known sites: {known}", "scorecard site add NAME")])
    return to_site(row)


def time_zone_of(session: Session, site_id: int | None) -> str:
    """The site's time zone ('UTC' for the enterprise, which has no site)."""
    if site_id is None:
        return "UTC"
    return session.scalar(select(SiteRow.time_zone).where(SiteRow.id == site_id)) or "UTC"


def to_site(row: SiteRow) -> Site:
    return Site.model_validate(row)
