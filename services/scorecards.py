"""Scoring use cases: catalog + responses (+ evidence metrics) → Scorecard → the JSON of issue 4.

The engine (`scoring.score`) is pure; this module does the wiring it must not do: picking the
questionnaire and its frameworks out of the catalog, reading a responses file, computing metrics
from evidence files, and presenting a Scorecard as plain data (numbers rounded to 2 decimals here,
and only here).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from catalog.content_catalog import Catalog
from errors import Problem, ResponseError
from evidence.metric_set import MetricSet
from scoring import score
from scoring.model import NodeScore, Overall, Response, Scope, Scorecard, Triple
from services import evidence_files as evidence_service
from services.context import Context
from services.responses_file import read_responses

DECIMALS = 2


def parse_scope(text: str) -> Scope:
    """IT, OT or IT+OT (case and spaces ignored; "IT/OT" and "both" accepted for IT+OT)."""
    cleaned = text.strip().upper().replace(" ", "")
    cleaned = {"IT/OT": "IT+OT", "BOTH": "IT+OT", "OT+IT": "IT+OT"}.get(cleaned, cleaned)
    try:
        return Scope(cleaned)
    except ValueError:
        raise ResponseError(f"unknown scope '{text}'", [Problem("scope", f"'{text}' is not a scope", "use IT, OT or IT+OT")]) from None


def score_responses(
    catalog: Catalog,
    questionnaire_id: str,
    responses: Iterable[Response],
    metrics: MetricSet | None,
    *,
    scope: Scope,
    as_of: date,
) -> Scorecard:
    """Score responses against a catalog's questionnaire, its frameworks and metric definitions."""
    questionnaire = catalog.questionnaire(questionnaire_id)
    return score(
        questionnaire,
        catalog.framework(questionnaire.frameworks.csf),
        catalog.framework(questionnaire.frameworks.cpg),
        responses,
        metrics,
        scope=scope,
        as_of=as_of,
        definitions=catalog.metric_definitions(),
    )


def score_file(
    ctx: Context,
    questionnaire_id: str,
    responses_path: Path,
    *,
    scope: Scope,
    as_of: date,
    evidence: Mapping[str, Path] | None = None,
    evidence_dir: Path | None = None,
) -> Scorecard:
    """`scorecard score`: read the responses file, compute metrics from evidence files if any, score."""
    catalog = ctx.catalog
    questionnaire = catalog.questionnaire(questionnaire_id)
    responses = read_responses(responses_path, questionnaire, scope)
    metrics = compute_metrics(ctx, evidence or {}, evidence_dir, as_of)
    return score_responses(catalog, questionnaire_id, responses, metrics, scope=scope, as_of=as_of)


def compute_metrics(ctx: Context, evidence: Mapping[str, Path], evidence_dir: Path | None,
                    as_of: date) -> MetricSet | None:
    """Metrics from evidence files (dataset → file, and/or a folder of files named after datasets).

    None when no evidence is given: then nothing is capped and nothing counts as verified.
    """
    if not evidence and evidence_dir is None:
        return None
    return evidence_service.compute_metrics(ctx, dict(evidence), as_of=as_of, evidence_dir=evidence_dir)


# --- Presentation ----------------------------------------------------------------------------------


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, DECIMALS)


def _triple(t: Triple) -> dict[str, float | None]:
    return {"claimed": _round(t.claimed), "verified": _round(t.verified), "target": _round(t.target)}


def _overall(o: Overall) -> dict[str, Any]:
    return {
        **_triple(Triple(claimed=o.claimed, verified=o.verified, target=o.target)),
        "completion": _round(o.completion),
        "confidence": _round(o.confidence),
        "answered": o.answered,
        "not_applicable": o.not_applicable,
        "applicable": o.applicable,
    }


def _node(n: NodeScore) -> dict[str, Any]:
    return {
        "title": n.title,
        **_triple(n.combined),
        "answered": n.answered,
        "by_environment": {env: _triple(t) for env, t in n.by_environment.items()},
    }


def scorecard_to_dict(card: Scorecard) -> dict[str, Any]:
    """The Scorecard as the JSON of `scorecard score --json` (see docs/methodology.md, "Output")."""
    by_env = {}
    for env, overall in card.by_environment.items():
        by_env[env] = {
            **_overall(overall),
            "cpg_implemented_pct": _round(card.cpg_implemented_pct_by_environment.get(env)),
            "functions": {fid: _triple(n.by_environment[env]) for fid, n in card.functions.items()},
        }
    return {
        "questionnaire": {"id": card.questionnaire_id, "version": card.questionnaire_version},
        "scope": card.scope.value,
        "as_of": card.as_of.isoformat(),
        "overall": _overall(card.overall),
        "functions": {k: _node(v) for k, v in card.functions.items()},
        "categories": {k: _node(v) for k, v in card.categories.items()},
        "subcategories": {k: _node(v) for k, v in card.subcategories.items()},
        "cpg": {
            "goals": {gid: dict(g.status) for gid, g in card.cpg_goals.items()},
            "implemented_pct": _round(card.cpg_implemented_pct),
            "implemented_pct_by_environment": {e: _round(v) for e, v in card.cpg_implemented_pct_by_environment.items()},
            "scores": {
                gid: {"title": g.title, **_triple(g.combined), "by_environment": {e: _triple(t) for e, t in g.by_environment.items()}}
                for gid, g in card.cpg_goals.items()
            },
        },
        "by_environment": by_env,
        "gaps": [{**g.model_dump(mode="json"), "priority": _round(g.priority)} for g in card.gaps],
        "scenarios": {
            sid: {**s.model_dump(mode="json", exclude={"id"}), "readiness": _round(s.readiness),
                  "by_environment": {e: _round(v) for e, v in s.by_environment.items()}}
            for sid, s in card.scenarios.items()
        },
        "caps": [{**c.model_dump(mode="json"), "value": _round(c.value)} for c in card.caps],
        "responses": [r.model_dump(mode="json") for r in card.responses],
    }
