"""Report view-models kept in the database (storage.stored_views), so the next user, app process or
command that asks for the same view reads it — tens of milliseconds, half a second at 200 sites —
instead of building it again (seconds on the demo, most of a minute at 200 sites). The board PDF
and the analyst workbook of a view are kept the same way (`stored_output`): laid out once per state.

The key is a SHA-256 of everything a view-model is built from:
- the view's version (services.view_versions): the sites, the organisation's name, every
  assessment's id, site, status and date, and the last audit row of each assessment the view is
  built from; every change to responses, targets, findings (actions), evidence or status writes
  such a row, so an autosave to a draft the view does not show leaves the key as it was;
- what was asked (view, assessment, site, draft or not; for an output its format and paper);
- today's date (a report is dated, and ages and overdue days are counted to it);
- the content (the catalog's fingerprint) and the code that builds view-models (the source of the
  packages below services.reports), so neither an edited questionnaire nor an upgrade reads a view
  built by something else.
A view is stored only when the version read before building it is still the version after, so a
change made meanwhile is never stored under the older key. Neither reading nor storing can fail a
report: a payload that does not decode (damaged, or written by other code under a colliding key)
is built again, and a refused write (a read-only database) is logged and skipped.
"""

from __future__ import annotations

import hashlib
import json
import logging
import zlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from catalog.content_catalog import Catalog
from errors import ScorecardError
from exports.context import ReportContext
from exports.report_json import decode_context, encode_context
from services.context import Context
from services.view_versions import View, version_in, view_version
from storage import stored_views

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
BUILDERS = ("catalog", "evidence", "scoring", "exports", "services", "storage")
"""Packages whose code decides what a view-model, PDF or workbook holds."""
SOURCE_SUFFIXES = (".py", ".html", ".css", ".svg")
"""Their code and the report's templates, styles and images (exports/templates)."""


def stored_view(ctx: Context, view: View, build: Callable[[], ReportContext], *, assessment_id: int | None = None,
                site: str | None = None, asked: tuple = ()) -> ReportContext:
    """The view-model `build()` makes, read from the database when the same view of the same data
    was built before. `asked`: anything else the caller's choice depends on (e.g. include_draft)."""
    # The version and the stored view are read in one transaction: a view found is one state.
    with ctx.read() as session:
        version = version_in(session, view, assessment_id=assessment_id, site=site)
        key = _key(ctx, view, version, assessment_id, site, asked)
        found = _decoded(key, stored_views.get(session, key))
    if found is not None:
        return found
    context = build()
    if view_version(ctx, view, assessment_id=assessment_id, site=site) == version:
        _store(ctx, key, view, zlib.compress(encode_context(context), 1))
    return context


def stored_output(ctx: Context, view: View, output: tuple[str, ...], build: Callable[[], ReportContext],
                  render: Callable[[ReportContext], bytes], *, site: str | None = None, asked: tuple = (),
                  before_building: Callable[[], None] | None = None) -> bytes:
    """The bytes `render` makes of the view (`output`: the format and its options, e.g. ("pdf",
    "a4")), read from the database when the same output of the same view was rendered before: the
    board PDF of a view nothing has changed in is laid out once. `before_building` runs on a miss,
    before the view is read (the PDF starts its chart browser there)."""
    with ctx.read() as session:
        version = version_in(session, view, site=site)
        key = _key(ctx, view, version, None, site, (*asked, *output))
        found = stored_views.get(session, key)
    if found is not None:
        return found
    if before_building is not None:
        before_building()
    data = render(stored_view(ctx, view, build, site=site, asked=asked))
    if view_version(ctx, view, site=site) == version:
        _store(ctx, key, f"{view} {output[0]}", data)
    return data


def forget_stored_views(ctx: Context) -> int:
    """Delete every stored view (benchmarks measure the build with it); returns how many."""
    with ctx.write() as session:
        return stored_views.clear(session)


def _key(ctx: Context, view: str, version: tuple, assessment_id: int | None, site: str | None, asked: tuple) -> str:
    parts = [view, assessment_id, site, list(asked), ctx.now().date().isoformat(), catalog_fingerprint(ctx.catalog),
             code_fingerprint(), version]
    return hashlib.sha256(json.dumps(parts, default=str).encode("utf-8")).hexdigest()


def _decoded(key: str, payload: bytes | None) -> ReportContext | None:
    if payload is None:
        return None
    try:
        return decode_context(zlib.decompress(payload))
    except (zlib.error, ValidationError, ValueError):
        log.warning("stored view %s does not decode; building it again", key[:12], exc_info=True)
        return None


def _store(ctx: Context, key: str, view: str, payload: bytes) -> None:
    try:
        with ctx.write() as session:
            stored_views.put(session, key, view, payload, ctx.now())
    except (SQLAlchemyError, ScorecardError):
        # Two processes storing the same key at once, or a database opened read-only: the view
        # was built and is returned all the same; only the next reader builds it again.
        log.warning("stored view %s not kept", key[:12], exc_info=True)


_CATALOGS: dict[int, tuple[Catalog, str]] = {}


def catalog_fingerprint(catalog: Catalog) -> str:
    """SHA-256 of every content item of `catalog` (models as JSON, by id); computed once per catalog."""
    kept = _CATALOGS.get(id(catalog))
    if kept is not None and kept[0] is catalog:
        return kept[1]
    digest = hashlib.sha256()
    for group in (catalog.frameworks, catalog.crosswalks, catalog.metric_catalogs, catalog.questionnaires):
        for item_id in sorted(group):
            digest.update(item_id.encode("utf-8"))
            digest.update(group[item_id].model_dump_json().encode("utf-8"))
    _CATALOGS[id(catalog)] = (catalog, digest.hexdigest())  # the catalog is kept so its id() is never reused
    return _CATALOGS[id(catalog)][1]


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 of the source and templates of the packages that build views (BUILDERS), once per process."""
    digest = hashlib.sha256()
    for package in BUILDERS:
        for path in sorted(p for p in (ROOT / package).rglob("*") if p.suffix in SOURCE_SUFFIXES):
            digest.update(str(path.relative_to(ROOT)).encode("utf-8"))
            digest.update(path.read_bytes())
    return digest.hexdigest()
