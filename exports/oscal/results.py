"""The assessment as OSCAL assessment results (JSON): one result holding

- observations: one per resilience metric (its value, status and rule, measured from the evidence
  rows: method EXAMINE) and one per evidence cap (the reason the verified level is below the
  claim);
- findings: one per scored CSF 2.0 subcategory, targeting the catalog's control by its OSCAL id,
  and one per assessed CPG 2.0 goal, each with the verified level (and claimed, target, per
  environment) as properties, linked to the observations of the questions mapped to it;
- reviewed-controls: the CSF subcategories that were scored;
- the scope, as-of date, verdict and headline figures as properties of the result.

A subcategory is `satisfied` when its combined verified maturity is at or above its combined
target; a CPG goal when it is implemented in every environment assessed (its status per
environment and site is in its properties). The document's `import-ap` points at the back-matter
resource describing the questionnaire, since no separate OSCAL assessment plan exists.
"""

from __future__ import annotations

from exports.context import GoalRow, ReportContext, Score3, ScoreRow
from exports.oscal.common import (
    Ids,
    Sources,
    back_matter,
    goal_target_id,
    metadata,
    prop,
    props,
    stamp,
    text,
)

SATISFIED_EPSILON = 1e-9
GOAL_IMPLEMENTATION = {"implemented": "implemented", "in_progress": "partial"}


def assessment_results(context: ReportContext, src: Sources) -> dict:
    """The OSCAL assessment-results document as a dict of JSON types."""
    ids = Ids(context)
    m, h = context.meta, context.headline
    metric_obs = {row.name: metric_observation(context, ids, row) for row in context.metrics}
    cap_obs = [cap_observation(context, ids, cap) for cap in context.caps]
    findings = findings_of(context, ids, src)
    controls = [{"control-id": r.id} for r in context.subcategories if r.combined.verified is not None]
    result = {
        "uuid": ids("result"),
        "title": text(f"Cyber resilience assessment of {m.subject} as of {m.as_of.isoformat()}"),
        "description": text(f"{m.scope} of {m.subject} ({m.organisation}) against NIST CSF 2.0 and CISA CPG 2.0, "
                            f"questionnaire {m.questionnaire}. {context.verdict.headline}"
                            + (": " + "; ".join(context.verdict.reasons) if context.verdict.reasons else "") + "."),
        "start": stamp(m.as_of),
        "end": stamp(m.as_of),
        "props": props(prop("scope", m.scope), prop("verdict", context.verdict.level),
                       prop("verified-maturity", h.overall.verified), prop("claimed-maturity", h.overall.claimed),
                       prop("target-maturity", h.overall.target), prop("completion", h.completion),
                       prop("confidence", h.confidence), prop("cpg-implemented-pct", h.cpg_implemented_pct)),
        "reviewed-controls": {
            "description": text(f"The {src.csf.name} subcategories with at least one answered question."),
            "control-selections": [{"include-controls": controls}],
        },
    }
    observations = [*metric_obs.values(), *cap_obs]
    if observations:
        result["observations"] = observations
    if findings:
        result["findings"] = findings
    if m.basis:
        result["remarks"] = text(m.basis)
    return {"assessment-results": {
        "uuid": ids("assessment-results"),
        "metadata": metadata(context, ids, f"Cyber resilience assessment results: {m.subject}, {m.as_of.isoformat()}"),
        "import-ap": {"href": "#" + ids("resource", "assessment-plan"),
                      "remarks": "The questionnaire in the back-matter is the plan: no separate OSCAL plan exists."},
        "results": [result],
        "back-matter": back_matter(context, ids, src),
    }}


def metric_observation(context: ReportContext, ids: Ids, row) -> dict:
    measured = row.value is not None
    return {
        "uuid": ids("observation", "metric", row.name),
        "title": text(row.label),
        "description": text(f"{row.label}: {row.display} — {row.status} ({row.rule})." if measured else
                            f"{row.label}: not measured — no evidence rows to compute it ({row.rule})."),
        "props": props(prop("metric", row.name), prop("value", row.value), prop("unit", row.unit),
                       prop("status", row.status), prop("combine", row.combine), prop("trend", row.trend),
                       *(prop(f"value-{env.lower()}", v) for env, v in row.by_environment.items())),
        "methods": ["EXAMINE"],
        "relevant-evidence": [{"description": "Evidence rows imported for the assessment, up to its as-of date "
                                              "(Resilience Scorecard docs/evidence.md)."}],
        "collected": stamp(context.meta.as_of),
    }


def cap_observation(context: ReportContext, ids: Ids, cap) -> dict:
    where = f", {cap.site}" if cap.site else ""
    return {
        "uuid": ids("observation", "cap", cap.site, cap.question_id, cap.environment, cap.metric),
        "title": text(f"Evidence cap on {cap.question_id} ({cap.environment}{where})"),
        "description": text(cap.reason),
        "props": props(prop("question", cap.question_id), prop("environment", cap.environment),
                       prop("site", cap.site), prop("metric", cap.metric), prop("metric-value", cap.value),
                       prop("rule-step", cap.threshold), prop("claimed-level", cap.claimed),
                       prop("verified-level", cap.verified), prop("cap-level", cap.cap_level)),
        "methods": ["EXAMINE"],
        "collected": stamp(context.meta.as_of),
    }


def findings_of(context: ReportContext, ids: Ids, src: Sources) -> list[dict]:
    """The findings of the CSF subcategories scored and the CPG goals assessed, in framework order."""
    related = _related(context, ids, src)
    out = [subcategory_finding(ids, row, related.get(row.id, ())) for row in context.subcategories
           if row.combined.verified is not None]
    out += [goal_finding(context, ids, goal, related.get(goal.id, ())) for goal in context.goals
            if _goal_states(context, goal)]
    return out


def finding_uuid(ids: Ids, node_id: str) -> str:
    """The UUID of the finding of a CSF subcategory or CPG goal (shared by the AR and the POA&M)."""
    return ids("finding", node_id)


def subcategory_finding(ids: Ids, row: ScoreRow, observations) -> dict:
    c = row.combined
    satisfied = c.target is not None and c.verified >= c.target - SATISFIED_EPSILON
    finding = {
        "uuid": finding_uuid(ids, row.id),
        "title": text(f"{row.id}: {row.title}"),
        "description": text(f"Verified maturity {c.verified:.2f} of 5 against a target of "
                            + (f"{c.target:.2f}" if c.target is not None else "none")
                            + (f" (claimed {c.claimed:.2f})" if c.claimed is not None else "")
                            + f", from {row.answered} answered question(s)."),
        "props": props(*_levels("", c), *_levels("it-", row.it), *_levels("ot-", row.ot),
                       prop("answered", row.answered)),
        "target": {"type": "objective-id", "target-id": row.id,
                   "status": {"state": "satisfied" if satisfied else "not-satisfied",
                              "reason": "pass" if satisfied else "fail"}},
    }
    if observations:
        finding["related-observations"] = [{"observation-uuid": u} for u in observations]
    return finding


def goal_finding(context: ReportContext, ids: Ids, goal: GoalRow, observations) -> dict:
    states = _goal_states(context, goal)
    satisfied = all(s == "implemented" for s in states.values())
    worst = next(s for s in ("not_implemented", "in_progress", "implemented") if s in states.values())
    target = {"type": "objective-id", "target-id": goal_target_id(goal.id),
              "status": {"state": "satisfied" if satisfied else "not-satisfied",
                         "reason": "pass" if satisfied else "fail"}}
    if worst in GOAL_IMPLEMENTATION:
        target["implementation-status"] = {"state": GOAL_IMPLEMENTATION[worst]}
    finding = {
        "uuid": finding_uuid(ids, goal.id),
        "title": text(f"CPG {goal.id}: {goal.title}"),
        "description": text("Status " + ", ".join(f"{env} {state.replace('_', ' ')}" for env, state in states.items())
                             + "."),
        "props": props(prop("framework", "cisa-cpg-2.0"), prop("goal", goal.id),
                       *(prop(f"status-{env.lower()}", state) for env, state in states.items()),
                       prop("verified-maturity-it", goal.verified_it), prop("verified-maturity-ot", goal.verified_ot),
                       *(prop("site-status", f"{site}: {state}") for site, state in goal.sites)),
        "target": target,
    }
    if observations:
        finding["related-observations"] = [{"observation-uuid": u} for u in observations]
    return finding


def _goal_states(context: ReportContext, goal: GoalRow) -> dict[str, str]:
    """The goal's status per environment in scope, leaving out environments not assessed."""
    states = {env: goal.status_it if env == "IT" else goal.status_ot for env in context.environments}
    return {env: s for env, s in states.items() if s and s != "not_assessed"}


def _levels(prefix: str, score: Score3 | None) -> list[dict | None]:
    if score is None:
        return []
    return [prop(f"{prefix}verified-maturity", score.verified), prop(f"{prefix}claimed-maturity", score.claimed),
            prop(f"{prefix}target-maturity", score.target)]


def _related(context: ReportContext, ids: Ids, src: Sources) -> dict[str, tuple[str, ...]]:
    """Per CSF subcategory and CPG goal id: the observations of its questions (their caps, then the
    metrics their evidence rules read), without repeats."""
    out: dict[str, list[str]] = {}
    measured = {row.name for row in context.metrics}
    for cap in context.caps:
        q = src.questions.get(cap.question_id)
        for node in (q.csf + q.cpg) if q else ():
            out.setdefault(node, []).append(ids("observation", "cap", cap.site, cap.question_id, cap.environment,
                                                cap.metric))
    for q in src.questions.values():
        for node in q.csf + q.cpg:
            out.setdefault(node, []).extend(ids("observation", "metric", name) for name in q.metrics if name in measured)
    return {node: tuple(dict.fromkeys(uuids)) for node, uuids in out.items()}
