"""The machine-readable report: the ReportContext as a versioned JSON document (docs/exports.md).

    {"format": "resilience-scorecard-report", "version": "1.4.0", "units": {…}, "report": {…}}

`report` is the ReportContext field for field — every figure the board PDF, the workbook and the
dashboard show, from the same view-model, unrounded (`metrics[].display` is the text the other
outputs print). `units` says the unit of every kind of number. The JSON Schema of the document
(`report_schema`, committed as docs/schema/report.schema.json) is generated from the
ReportContext dataclasses, their field docstrings becoming descriptions, so the schema cannot drift
from the code. Versioning follows semver: a new field is a minor version; renaming, removing or
changing the meaning or unit of a field is a major one.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter

from exports.context import ReportContext

FORMAT = "resilience-scorecard-report"
VERSION = "1.4.0"
"""1.1.0 added `meta.assessment_uid`; 1.2.0 `metrics[].missing_reason`; 1.3.0 the plan (`plan`: the
path to target), target due dates (`headline.target_due`, `roadmap[].target_due`,
`responses[].target_due`) and the actions' promises, cost and effort (`findings[]`); 1.4.0 `answer`
(the one-sentence answer), `metric_labels`, `trend[].provisional` and `trend[].by_environment`,
`roadmap[].consequence_rating`; cap reasons in metric titles."""
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILE = "report.schema.json"
UNITS = {
    "maturity": "0–5 maturity level, a float (null: no score): every claimed, verified and target score, "
                "readiness, functions{}, categories{}, sites{} and by_environment{} values, delta_verified, "
                "and the plan's gain and site_gain (maturity an action adds)",
    "share": "0–1: headline.completion, headline.confidence and the sites' completion and confidence",
    "percent": "0–100: every *_pct field (CPG goals implemented)",
    "days": "whole days: age_days, overdue_days, review_overdue_days, days_late, slip_days{}",
    "money": "cost, total_cost: the organisation's own currency as entered, never converted; gain_per_100k "
             "is maturity added per 100 000 of it",
    "effort": "effort_days: person-days",
    "minutes": "minutes: the exercises' detect, escalate, contain and recover times",
    "metric": "metrics[]: value, previous, change, history, green, amber and by_site are in the metric's own "
              "unit (pct 0–100, count, days or minutes); display is the value as the other outputs print it",
    "dates": "ISO 8601 calendar dates (YYYY-MM-DD); audit[].at is an ISO 8601 date-time (UTC)",
}

_ADAPTER = TypeAdapter(ReportContext)


def encode_context(context: ReportContext) -> bytes:
    """The view-model as compact JSON, every value exact (floats round-trip): `decode_context`
    gives back an equal ReportContext (services.stored_views keeps view-models so)."""
    return _ADAPTER.dump_json(context)


def decode_context(data: bytes) -> ReportContext:
    """The ReportContext `encode_context` wrote; raises pydantic's ValidationError when `data` is
    not one (another format, damaged)."""
    return _ADAPTER.validate_json(data)


def report_document(context: ReportContext) -> dict[str, Any]:
    """The JSON report as a dict of JSON types (dates as ISO strings, numbers unrounded)."""
    return {"format": FORMAT, "version": VERSION, "units": UNITS, "report": _ADAPTER.dump_python(context, mode="json")}


def render_json(context: ReportContext) -> bytes:
    """The JSON report as UTF-8 bytes (2-space indent, keys in the view-model's order)."""
    text = json.dumps(report_document(context), indent=2, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8")


def report_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the document `render_json` writes."""
    context = _ADAPTER.json_schema(mode="serialization", ref_template="#/$defs/{model}")
    defs = context.pop("$defs", {})
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_FILE,
        "title": "Resilience Scorecard report",
        "description": "The board report as data: every figure of the PDF, the workbook and the dashboard "
                       "(docs/exports.md).",
        "type": "object",
        "required": ["format", "version", "units", "report"],
        "additionalProperties": False,
        "properties": {
            "format": {"const": FORMAT},
            "version": {"const": VERSION},
            "units": {"type": "object", "additionalProperties": {"type": "string"}},
            "report": {"$ref": "#/$defs/ReportContext"},
        },
        "$defs": {**defs, "ReportContext": context},
    }


def schema_text() -> str:
    """The schema serialised deterministically (sorted keys, 2-space indent, final newline)."""
    return json.dumps(report_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
