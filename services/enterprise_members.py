"""Which assessments the enterprise figures combine: the enterprise-wide assessment of shared IT
services and one assessment per site — each one's latest finalised assessment, or its latest
assessment when none is final yet — as of the latest member's date, leaving out a member older
than `trends.MAX_AGE_DAYS` before it (as the enterprise trend does). The enterprise report
(services.enterprise_report) and the enterprise plan (services.plans) use the same members.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from errors import NotFoundError, Problem
from scoring.enterprise import ENTERPRISE_WEIGHT, weight_of
from services import trend_series as trends
from services.report_records import ENTERPRISE_NAME
from storage import assessments as store
from storage.records import Assessment
from storage.sites import list_sites

SHARED_IT = "shared IT"
"""The criticality shown for the enterprise-wide member."""


@dataclass(frozen=True)
class EnterpriseMember:
    label: str
    criticality: str
    weight: int
    assessment: Assessment
    newer: Assessment | None
    """A later assessment of the same site that is not final yet (so not rolled up)."""


def choose_members(session: Session) -> tuple[list[EnterpriseMember], list[EnterpriseMember], date]:
    """The assessments the enterprise figures combine (module docstring), those left out as too
    old, and the roll-up's as-of date."""
    enterprise = store.list_all(session, enterprise=True)
    if not enterprise:
        raise NotFoundError("there is no enterprise-wide assessment to report on",
                            [Problem("--enterprise", "none found",
                                     "create one with `scorecard assessment create --enterprise`, or report a --site")])
    candidates = [_member(ENTERPRISE_NAME, SHARED_IT, ENTERPRISE_WEIGHT, enterprise)]
    for site in list_sites(session):
        found = store.list_all(session, site_id=site.id)
        if found:
            candidates.append(_member(site.name, site.criticality, weight_of(site.criticality), found))
    as_of = max(m.assessment.as_of for m in candidates)
    members = [m for m in candidates if (as_of - m.assessment.as_of).days <= trends.MAX_AGE_DAYS]
    return members, [m for m in candidates if m not in members], as_of


def _member(label: str, criticality: str, weight: int, found: list[Assessment]) -> EnterpriseMember:
    finals = [a for a in found if a.status == "final"]
    chosen = finals[-1] if finals else found[-1]
    newer = found[-1] if found[-1].id != chosen.id else None  # only non-final ones come after the latest final
    return EnterpriseMember(label, criticality, weight, chosen, newer)
