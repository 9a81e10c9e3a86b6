"""The enterprise trend as the enterprise view reads it (every snapshot, read light, and the
rolled-up history), kept in process memory by the state of the snapshots it is made of: an
autosave to a draft leaves every snapshot as it was, so the view rebuilt after it reads and rolls
up none of them again (~0.5 s at 200 sites × 4 quarters).

The key is what the trend is built from: the database, every assessment's key (id, site, status,
as-of date: a snapshot exists for each final one, so finalising, reopening or deleting one moves
it), the latest audit row of each final assessment (a reopened and finalised-again assessment has a
new snapshot under the same keys, and both moves write audit rows), the sites (names and
criticalities: the trend's labels and weights) and the content (services.stored_views
.catalog_fingerprint). At most `TRENDS_KEPT` are kept.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from catalog.content_catalog import Catalog
from exports.context import HistoryPoint
from services import trend_series as trends
from services.kept import Kept
from services.stored_views import catalog_fingerprint
from storage import record_counts, snapshots

TRENDS_KEPT = 4
"""States kept: the current one and a few before it (a trend at 200 sites is a few MB)."""


def trend_parts(session: Session, catalog: Catalog) -> tuple[list, list[HistoryPoint]]:
    """(every snapshot read light, in as-of order; the enterprise trend as history points), read
    in `session` unless kept for the same state."""
    keys = record_counts.assessment_keys(session)
    finals = [k[0] for k in keys if k[2] == "final"]
    key = (session.get_bind().engine.url.render_as_string(hide_password=True), keys,
           record_counts.last_changes(session, finals), record_counts.site_keys(session), catalog_fingerprint(catalog))

    def build() -> tuple[tuple, tuple[HistoryPoint, ...]]:
        listed = snapshots.list_for_trend(session)
        return tuple(listed), tuple(p.history_point() for p in trends.rollup_in_session(session, catalog, listed))

    listed, history = _TRENDS.get(key, build)
    return list(listed), list(history)  # copies: a caller's list is its own


def forget_kept_trends() -> None:
    """Drop every kept trend (benchmarks measure the cold build with it)."""
    _TRENDS.clear()


_TRENDS: Kept[tuple[tuple, tuple[HistoryPoint, ...]]] = Kept(TRENDS_KEPT)
