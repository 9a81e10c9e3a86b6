"""The enterprise report states what each member's own report states before its figures can be
trusted: an admin's finalising override (with its reason), named by the member it concerns."""

from __future__ import annotations

from services.assessments import finalize_assessment
from services.reports import enterprise_context
from tests.ui.dashboard_seed import *  # noqa: F403 - the seeded database fixtures
from tests.ui.dashboard_seed import ADMIN


def test_a_member_finalised_by_override_is_stated_in_the_enterprise_report(seeded) -> None:
    ctx, ids = seeded
    assert not any("Plant North" in c for c in enterprise_context(ctx, ADMIN).meta.cautions)
    finalize_assessment(ctx, ADMIN, ids.north_q3, override_reason="line 2 retooling: OT answers taken as of Q2")
    cautions = enterprise_context(ctx, ADMIN).meta.cautions
    north = [c for c in cautions if c.startswith("Plant North: ")]
    assert north and "line 2 retooling: OT answers taken as of Q2" in north[0], cautions
