"""The version of what a report view shows: a key that changes whenever the view-model may have
changed, and only then. The app caches view-models by it (ui/components/dashboard_data.py) and so
does the database (services.stored_views).
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy.orm import Session

from services.context import Context
from storage import record_counts
from storage.sites import organisation_name

View = Literal["assessment", "site", "enterprise"]


def view_version(ctx: Context, view: View, *, assessment_id: int | None = None, site: str | None = None) -> tuple:
    """A cache key for what `view` shows: it changes whenever that may have changed, and only then.

    Made of the sites (names, criticalities), the organisation's name, every assessment's id,
    site, status and date (so a new, deleted, reopened or finalised one moves it: members and
    histories are chosen from these), and the latest audit row of each assessment the view is
    built from — the enterprise's members (each site's latest final, else latest), or the site's
    assessments, or the selected assessment. Every change to an assessment's responses, targets,
    findings or evidence writes such a row, so an autosave to a draft that is not shown (someone
    else's work in progress) leaves the key, and the cached view-model, as they were.
    Three small queries, whatever the organisation's size."""
    with ctx.read() as session:
        return version_in(session, view, assessment_id=assessment_id, site=site)


def version_in(session: Session, view: View, *, assessment_id: int | None = None, site: str | None = None) -> tuple:
    """`view_version` read in an open session."""
    sites = record_counts.site_keys(session)
    organisation = organisation_name(session)
    keys = record_counts.assessment_keys(session)
    if view == "enterprise":
        shown = members_of(keys)
    elif view == "site":
        site_id = next((i for i, name, _ in sites if name == site), None) if site else None
        shown = [k[0] for k in keys if k[1] == site_id]  # whichever of them the view picks
    else:
        shown = [assessment_id] if assessment_id is not None else []
    return view, organisation, sites, keys, record_counts.last_changes(session, shown)


def members_of(keys: tuple[record_counts.AssessmentKey, ...]) -> list[int]:
    """The ids the enterprise view rolls up (the rule of services.enterprise_members): per site, and for the
    enterprise-wide assessments, the latest final one, else the latest."""
    by_site: dict[int | None, list[record_counts.AssessmentKey]] = {}
    for key in keys:
        by_site.setdefault(key[1], []).append(key)
    chosen = []
    for found in by_site.values():
        finals = [k for k in found if k[2] == "final"] or found
        chosen.append(max(finals, key=lambda k: (k[3], k[0]))[0])
    return sorted(chosen)
