"""Cached loading for the Plan view: the plan's Projector (which keeps every scorecard it has
scored, so a what-if rerun scores only the sites whose set of done actions changed) and the
report view-model it is drawn beside (verified history, the full plan with its roadmap).

Keyed like the dashboard's caches (ui.components.dashboard_data): database URL, data version and
subject, so any change to actions, answers or evidence produces a new entry.
"""

from __future__ import annotations

import streamlit as st

import config
from exports.context import ReportContext
from services import plans
from services.access import Actor
from ui import state
from ui.components.dashboard_data import Version, load_context


@st.cache_resource(show_spinner="Projecting the plan…", max_entries=8)
def _projector(url: str, version: Version, assessment_id: int | None, _actor: Actor):
    return plans.projector(state.context(), _actor, assessment_id, enterprise=assessment_id is None)


def load_projector(actor: Actor, assessment_id: int | None, data: Version):
    """The plan of `assessment_id` (None: the enterprise's), ready for what-if reruns."""
    return _projector(config.database_url(), data, assessment_id, actor)


def load_plan_context(actor: Actor, assessment_id: int | None, data: Version) -> ReportContext:
    """The report view-model of the plan's subject (the dashboard's cached one)."""
    view = "enterprise" if assessment_id is None else "assessment"
    return load_context(actor, view, assessment_id=assessment_id, site=None, data=data)
