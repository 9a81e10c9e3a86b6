"""The open actions as an OSCAL plan of action and milestones (POA&M, JSON).

One poam-item per action (ReportContext.findings) still open or in progress, with its owner,
due date (and days overdue at the as-of date), status and site as properties. Each item is linked
to
- the assessment-results findings it remedies: the CSF subcategories and CPG goals its question
  maps to, copied into this document under the same UUIDs as in the assessment results;
- one risk: the gap it closes (the consequence of the practice failing as the statement), status
  `open` (action open) or `remediating` (in progress), the due date as the deadline, and the
  action itself as a planned remediation.
`system-id` is the subject's deterministic UUID (the same site, or the enterprise, across
assessments), since the subject has no OSCAL system security plan to import.
"""

from __future__ import annotations

from errors import Problem, ScorecardError
from exports.builder import OPEN_ACTIONS
from exports.context import Finding, ReportContext
from exports.formatting import due
from exports.oscal.common import (
    Ids,
    Sources,
    back_matter,
    metadata,
    prop,
    props,
    stamp,
    subject_uuid,
    text,
)
from exports.oscal.results import finding_uuid, findings_of

RISK_STATUS = {"open": "open", "in_progress": "remediating"}


def poam(context: ReportContext, src: Sources) -> dict:
    """The OSCAL plan-of-action-and-milestones document as a dict of JSON types; a ScorecardError
    when no action is open (OSCAL requires at least one item)."""
    ids = Ids(context)
    m = context.meta
    actions = [f for f in context.findings if f.status in OPEN_ACTIONS]
    if not actions:
        raise ScorecardError(f"{m.subject} has no open action to put in a POA&M",
                             [Problem("findings", "none open or in progress",
                                      "add actions (findings) to the assessment's gaps first")])
    findings = {f["uuid"]: f for f in findings_of(context, ids, src)}
    items, risks, used = [], [], []
    for action in actions:
        linked = [u for u in _finding_uuids(ids, src, action) if u in findings]
        risk = _risk(context, ids, action)
        risks.append(risk)
        used.extend(linked)
        item = {
            "uuid": ids("poam-item", action.site, action.id),
            "title": text(action.title),
            "description": text(_describe(action)),
            "props": props(prop("action-id", action.id), prop("question", action.question_id),
                           prop("environment", action.environment), prop("site", action.site),
                           prop("owner", action.owner), prop("status", action.status),
                           prop("due", action.due.isoformat() if action.due else None),
                           prop("overdue-days", action.overdue_days)),
            "related-risks": [{"risk-uuid": risk["uuid"]}],
        }
        if linked:
            item["related-findings"] = [{"finding-uuid": u} for u in linked]
        if text(action.notes):
            item["remarks"] = text(action.notes)
        items.append(item)
    document = {
        "uuid": ids("poam"),
        "metadata": metadata(context, ids, f"Plan of action and milestones: {m.subject}, {m.as_of.isoformat()}"),
        "system-id": {"identifier-type": "https://ietf.org/rfc/rfc4122", "id": subject_uuid(context)},
        "risks": risks,
        "poam-items": items,
        "back-matter": back_matter(context, ids, src),
    }
    chosen = [findings[u] for u in dict.fromkeys(used)]
    if chosen:
        document["findings"] = [{k: v for k, v in f.items() if k != "related-observations"} for f in chosen]
    return {"plan-of-action-and-milestones": document}


def _finding_uuids(ids: Ids, src: Sources, action: Finding) -> list[str]:
    q = src.questions.get(action.question_id)
    return [finding_uuid(ids, node) for node in (q.csf + q.cpg)] if q else []


def _describe(action: Finding) -> str:
    where = f" at {action.site}" if action.site else ""
    env = f" ({action.environment})" if action.environment else " (IT and OT)"
    owner = action.owner or "no owner yet"
    return (f"Closes the gap on question {action.question_id}{env}{where}. Owner: {owner}; "
            f"{due(action.due, action.overdue_days) if action.due else 'no due date'}; "
            f"status {action.status.replace('_', ' ')}.")


def _risk(context: ReportContext, ids: Ids, action: Finding) -> dict:
    gap = next((g for g in context.roadmap if g.question_id == action.question_id and g.site == action.site
                and action.environment in ("", g.environment)), None)
    statement = gap.consequence if gap else f"The practice of question {action.question_id} stays below its target."
    risk = {
        "uuid": ids("risk", action.site, action.id),
        "title": text(f"Gap on {action.question_id}" + (f" ({gap.environment}): {gap.text}" if gap else "")),
        "description": text(f"Verified level {gap.verified} against a target of {gap.target}, priority "
                            f"{gap.priority:g}." if gap else "No open gap on this question at the as-of date."),
        "statement": text(statement),
        "status": RISK_STATUS[action.status],
        "remediations": [{"uuid": ids("remediation", action.site, action.id), "lifecycle": "planned",
                          "title": text(action.title),
                          "description": text(action.notes or action.title)}],
    }
    if action.due:
        risk["deadline"] = stamp(action.due)
    return risk
