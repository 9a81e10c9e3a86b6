"""The assessment as OSCAL (NIST's Open Security Controls Assessment Language, JSON, OSCAL 1.2.3):
assessment results (exports.oscal.results) and the plan of action and milestones of its open
actions (exports.oscal.poam), for GRC platforms to ingest without retyping.

Both cite the NIST CSF 2.0 catalog by its OSCAL identifiers — control ids, the catalog's document
uuid, the imported file's SHA-256 (catalog.models.OscalSource) — and derive every UUID from the
assessment's stable uid, so exporting the same assessment again gives the same document
(docs/exports.md says what each field holds). Validated in the tests against NIST's JSON schemas.
"""

from __future__ import annotations

import json

from catalog.content_catalog import Catalog
from errors import Problem, ScorecardError
from exports.context import ReportContext
from exports.oscal.common import OSCAL_VERSION, escape_markup, sources
from exports.oscal.poam import poam
from exports.oscal.results import assessment_results

__all__ = ["OSCAL_VERSION", "render_assessment_results", "render_poam"]


def render_assessment_results(context: ReportContext, catalog: Catalog) -> bytes:
    """The OSCAL assessment-results document as UTF-8 JSON bytes; a ScorecardError when nothing
    is scored yet (OSCAL needs at least one reviewed control)."""
    if not any(r.combined.verified is not None for r in context.subcategories):
        raise ScorecardError(f"{context.meta.subject}: nothing scored yet to export as OSCAL",
                             [Problem("responses", "no answered question", "answer the questionnaire first")])
    return _json(assessment_results(context, sources(context, catalog)))


def render_poam(context: ReportContext, catalog: Catalog) -> bytes:
    """The OSCAL POA&M of the open actions as UTF-8 JSON bytes (exports.oscal.poam)."""
    return _json(poam(context, sources(context, catalog)))


def _json(document: dict) -> bytes:
    document = escape_markup(document)
    return (json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")
