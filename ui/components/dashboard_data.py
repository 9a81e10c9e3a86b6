"""Cached loading for the dashboard and trends views.

Assembling the enterprise view scores every site's latest assessment and reads their evidence
(seconds for hundreds of sites), so the result is cached. The dashboard keys it by
`services.view_versions.view_version`: the assessments the view is built from and their latest change,
so an autosave anywhere else (another assessor's draft) keeps the cached view-model and its
figures. Other views key by `services.dashboard.data_version` (last audit id, snapshot, site and
assessment counts), which moves with any change. Stale entries age out (max_entries). The values
are frozen view-models, so sharing them across sessions (cache_resource, no copy) is safe. Keys
include the database URL so tests with several databases in one process stay apart.
"""

from __future__ import annotations

import streamlit as st

import config
from exports.context import ReportContext, SiteRow
from services.access import Actor
from services.dashboard import dashboard_context, data_version
from services.trend_comparisons import Changes, Series, changes_since_previous, series, side_by_side
from services.view_versions import view_version
from ui import state
from ui.components.cache_keys import digest

Version = tuple


def version() -> Version:
    """The data version of this run (one cheap query)."""
    return data_version(state.context())


def dashboard_version(view: str, assessment_id: int | None, site: str | None) -> Version:
    """The version of what the dashboard's `view` shows (three small queries)."""
    return view_version(state.context(), view, assessment_id=assessment_id, site=site)


@st.cache_resource(show_spinner="Assembling the dashboard…", max_entries=12)
def _context(url: str, version: str, view: str, assessment_id: int | None, site: str | None,
             _actor: Actor) -> ReportContext:
    return dashboard_context(state.context(), _actor, view, assessment_id=assessment_id, site=site)


def load_context(actor: Actor, view: str, *, assessment_id: int | None, site: str | None,
                 data: Version) -> ReportContext:
    return _context(config.database_url(), digest(data), view, assessment_id, site, actor)


@st.cache_resource(show_spinner=False, max_entries=12)
def _series(url: str, version: Version, choice: str, _actor: Actor) -> Series:
    return series(state.context(), _actor, choice)


def load_series(actor: Actor, choice: str, data: Version) -> Series:
    return _series(config.database_url(), data, choice, actor)


@st.cache_resource(show_spinner=False, max_entries=4)
def _side_by_side(url: str, version: Version, _actor: Actor) -> tuple[SiteRow, ...]:
    return side_by_side(state.context(), _actor)


def load_side_by_side(actor: Actor, data: Version) -> tuple[SiteRow, ...]:
    return _side_by_side(config.database_url(), data, actor)


@st.cache_resource(show_spinner=False, max_entries=12)
def _changes(url: str, version: Version, assessment_id: int, _actor: Actor) -> Changes:
    return changes_since_previous(state.context(), _actor, assessment_id)


def load_changes(actor: Actor, assessment_id: int, data: Version) -> Changes:
    return _changes(config.database_url(), data, assessment_id, actor)
