"""A small, hand-written assessment for the export tests: every number here is asserted somewhere.

Plant "Lyon <b>Pressing</b>" (a name with markup, to prove escaping), IT+OT, as of 2026-09-30,
four questions, eight responses (one unanswered, one NA), one evidence cap, two earlier quarters.
User text carries hostile payloads: HTML/URL fetches and spreadsheet formulas.
"""

from __future__ import annotations

from datetime import date, datetime

from catalog.models import MetricCatalog, Questionnaire
from evidence.metric_set import MetricResult, MetricSet
from exports.builder import build_context
from exports.context import (
    AuditEntry,
    ExceptionRecord,
    ExerciseRecord,
    Finding,
    HistoryPoint,
    ReportContext,
    ReportMeta,
    Score3,
    SiteSummary,
)
from scoring.model import (
    CapApplied,
    Gap,
    GoalScore,
    NodeScore,
    Overall,
    ResponseScore,
    ScenarioScore,
    Scope,
    Scorecard,
    Triple,
)

HTML_PAYLOAD = '<img src="file:///etc/passwd"> <img src="https://evil.example/x.png"> <script>alert(1)</script>'
FORMULA_PAYLOADS = (
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
)
SITE = "Lyon <b>Pressing</b>"
AS_OF = date(2026, 9, 30)

LEVELS = {i: f"Level {i} description" for i in range(6)}


def questionnaire() -> Questionnaire:
    def q(qid, section, text, csf, cpg=(), metrics=(), consequence=3, note="", applies=("IT", "OT")):
        return {
            "id": qid, "section": section, "text": text, "guidance": f"Guidance for {qid}",
            "applies_to": list(applies), "weight": 2, "consequence": consequence,
            "consequence_note": note, "csf": list(csf), "cpg": list(cpg), "metrics": list(metrics),
            "levels": {i: f"{qid} level {i}: {'practice ' * (i + 1)}".strip() for i in range(6)},
        }

    return Questionnaire.model_validate({
        "kind": "questionnaire", "id": "fixture-qn", "name": "Fixture questionnaire", "version": "1.2.0",
        "source": "tests", "licence": "Apache-2.0", "date": "2026-01-01",
        "frameworks": {"csf": "nist-csf-2.0", "cpg": "cisa-cpg-2.0"},
        "target_profile": {"default": {"IT": 3, "OT": 3}},
        "sections": [
            {"id": "governance", "title": "Governance, roles and oversight"},
            {"id": "identity", "title": "Identity and privileged access"},
            {"id": "data-protection", "title": "Data protection and backups"},
            {"id": "recovery", "title": "Recovery of controller logic"},
        ],
        "questions": [
            q("GOV-01", "governance", "Is OT cyber risk owned by a named executive?", ["GV.OC-01"]),
            q("IAM-01", "identity", "Are remote and privileged access paths governed?", ["PR.AA-01", "PR.AA-05"],
              ["2.0:3.F"], ["governed_access_pct"], 5, "An attacker walks into the line through a vendor VPN."),
            q("DAT-01", "data-protection", "Are backups of critical systems tested?", ["PR.DS-11"], ["2.0:4.A"],
              consequence=4, note="Production cannot restart after ransomware."),
            q("REC-01", "recovery", "Can controller logic be restored from golden images?", ["RC.RP-01"],
              consequence=5, note="Lines stay down for weeks while logic is rebuilt."),
        ],
    })


def metric_definitions():
    from pathlib import Path

    import yaml

    path = Path(__file__).resolve().parents[2] / "questionnaires" / "resilience-metrics.yaml"
    return {m.name: m for m in MetricCatalog.model_validate(yaml.safe_load(path.read_text())).metrics}


def _t(c, v, t):
    return Triple(claimed=c, verified=v, target=t)


def _node(nid, title, combined, it, ot, answered):
    return NodeScore(id=nid, title=title, combined=combined, by_environment={"IT": it, "OT": ot}, answered=answered)


CAP = CapApplied(question_id="IAM-01", environment="OT", metric="governed_access_pct", value=72.5,
                 threshold="≥ 70 → up to 2", cap_level=2, claimed=4, verified=2,
                 reason="governed_access_pct is 72.5 (≥ 70 → up to 2): verified capped at 2")


def scorecard() -> Scorecard:
    overall = Overall(claimed=2.83, verified=2.41, target=3.5, completion=0.875, confidence=0.6,
                      answered=6, not_applicable=1, applicable=8)
    it = Overall(claimed=3.0, verified=3.0, target=3.5, completion=1.0, confidence=0.67,
                 answered=3, not_applicable=1, applicable=4)
    ot = Overall(claimed=2.67, verified=1.83, target=3.5, completion=0.75, confidence=0.5,
                 answered=3, not_applicable=0, applicable=4)
    functions = {
        "GV": _node("GV", "Govern", _t(3.0, 3.0, 3.0), _t(3, 3, 3), _t(3, 3, 3), 2),
        "PR": _node("PR", "Protect", _t(3.25, 2.25, 3.5), _t(3.5, 3.5, 3.5), _t(3.0, 1.0, 3.5), 3),
        "RC": _node("RC", "Recover", _t(2.0, 2.0, 4.0), _t(2, 2, 4), Triple(), 1),
    }
    categories = {
        "GV.OC": _node("GV.OC", "Organizational Context", _t(3, 3, 3), _t(3, 3, 3), _t(3, 3, 3), 2),
        "PR.AA": _node("PR.AA", "Identity Management, Authentication, and Access Control",
                       _t(3.5, 2.5, 4), _t(3, 3, 4), _t(4, 2, 4), 2),
        "PR.DS": _node("PR.DS", "Data Security", _t(2, 2, 3), Triple(), _t(2, 2, 3), 1),
        "RC.RP": _node("RC.RP", "Incident Recovery Plan Execution", _t(2, 2, 4), _t(2, 2, 4), Triple(), 1),
    }
    subcategories = {
        "GV.OC-01": _node("GV.OC-01", "Mission understood", _t(3, 3, 3), _t(3, 3, 3), _t(3, 3, 3), 2),
        "PR.AA-01": _node("PR.AA-01", "Identities managed", _t(3.5, 2.5, 4), _t(3, 3, 4), _t(4, 2, 4), 2),
        "PR.AA-05": _node("PR.AA-05", "Access permissions managed", _t(3.5, 2.5, 4), _t(3, 3, 4), _t(4, 2, 4), 2),
        "PR.DS-11": _node("PR.DS-11", "Backups tested", _t(2, 2, 3), Triple(), _t(2, 2, 3), 1),
        "RC.RP-01": _node("RC.RP-01", "Recovery plan executed", _t(2, 2, 4), _t(2, 2, 4), Triple(), 1),
    }
    goals = {
        "2.0:3.F": GoalScore(id="2.0:3.F", title="Secure remote access", combined=_t(3.5, 2.5, 4),
                             by_environment={"IT": _t(3, 3, 4), "OT": _t(4, 2, 4)},
                             status={"IT": "implemented", "OT": "in_progress"}),
        "2.0:4.A": GoalScore(id="2.0:4.A", title="Tested backups", combined=_t(2, 2, 3),
                             by_environment={"IT": Triple(), "OT": _t(2, 2, 3)},
                             status={"IT": "not_assessed", "OT": "in_progress"}),
    }
    responses = (
        ResponseScore(question_id="GOV-01", environment="IT", state="answered", claimed=3, verified=3, target=3,
                      verified_by_evidence=False, notes=HTML_PAYLOAD),
        ResponseScore(question_id="GOV-01", environment="OT", state="answered", claimed=3, verified=3, target=3,
                      verified_by_evidence=False, notes=FORMULA_PAYLOADS[0]),
        ResponseScore(question_id="IAM-01", environment="IT", state="answered", claimed=3, verified=3, target=4,
                      verified_by_evidence=True, notes="MFA on all VPNs"),
        ResponseScore(question_id="IAM-01", environment="OT", state="answered", claimed=4, verified=2, target=4,
                      verified_by_evidence=True, caps=(CAP,), notes=FORMULA_PAYLOADS[1]),
        ResponseScore(question_id="DAT-01", environment="IT", state="na", claimed=None, verified=None, target=3,
                      verified_by_evidence=False, na_reason="Backups are run by the group data centre"),
        ResponseScore(question_id="DAT-01", environment="OT", state="answered", claimed=2, verified=2, target=3,
                      verified_by_evidence=False),
        ResponseScore(question_id="REC-01", environment="IT", state="answered", claimed=2, verified=2, target=4,
                      verified_by_evidence=False, notes="Golden images exist for 2 of 9 PLCs " + HTML_PAYLOAD),
        ResponseScore(question_id="REC-01", environment="OT", state="unanswered", claimed=None, verified=None,
                      target=4, verified_by_evidence=False),
    )
    gaps = (
        Gap(question_id="IAM-01", environment="OT", section="identity", text="Are remote and privileged access paths governed?",
            target=4, verified=2, gap=2, weight=2, consequence=5, priority=20.0, csf=("PR.AA-01", "PR.AA-05"),
            cpg=("2.0:3.F",), cap_reasons=(CAP.reason,)),
        Gap(question_id="REC-01", environment="IT", section="recovery", text="Can controller logic be restored from golden images?",
            target=4, verified=2, gap=2, weight=2, consequence=5, priority=20.0, csf=("RC.RP-01",), cpg=()),
        Gap(question_id="DAT-01", environment="OT", section="data-protection", text="Are backups of critical systems tested?",
            target=3, verified=2, gap=1, weight=2, consequence=4, priority=8.0, csf=("PR.DS-11",), cpg=("2.0:4.A",)),
        Gap(question_id="IAM-01", environment="IT", section="identity", text="Are remote and privileged access paths governed?",
            target=4, verified=3, gap=1, weight=2, consequence=5, priority=10.0, csf=("PR.AA-01", "PR.AA-05"), cpg=("2.0:3.F",)),
    )
    scenarios = {
        "ransomware": ScenarioScore(id="ransomware", name="Ransomware on the plant network", readiness=2.33,
                                    by_environment={"IT": 2.5, "OT": 2.0},
                                    metrics={"restore_success_pct": "missing", "governed_access_pct": "red"},
                                    answered=3, questions=4),
        "remote-access": ScenarioScore(id="remote-access", name="Compromised remote access", readiness=2.5,
                                       by_environment={"IT": 3.0, "OT": 2.0},
                                       metrics={"governed_access_pct": "red"}, answered=2, questions=2),
    }
    return Scorecard(
        questionnaire_id="fixture-qn", questionnaire_version="1.2.0", scope=Scope.IT_OT, as_of=AS_OF,
        overall=overall, by_environment={"IT": it, "OT": ot}, functions=functions, categories=categories,
        subcategories=subcategories, cpg_goals=goals, cpg_implemented_pct=33.33,
        cpg_implemented_pct_by_environment={"IT": 100.0, "OT": 0.0}, gaps=gaps, scenarios=scenarios,
        caps=(CAP,), responses=responses,
    )


def metrics() -> MetricSet:
    return MetricSet(as_of=AS_OF, metrics={
        "governed_access_pct": MetricResult(name="governed_access_pct", value=72.5, status="red",
                                            by_environment={"IT": 90.0, "OT": 55.0}),
        "critical_asset_documentation_pct": MetricResult(name="critical_asset_documentation_pct", value=88.0,
                                                         status="amber"),
        "open_high_risk_exceptions": MetricResult(name="open_high_risk_exceptions", value=7, status="amber"),
        "restore_success_pct": MetricResult(name="restore_success_pct", value=None, status="missing",
                                            missing_reason="no restore_tests evidence: import the restore tests file"),
    })


def history() -> tuple[HistoryPoint, ...]:
    return (
        HistoryPoint("2026 Q1", date(2026, 3, 31), Score3(2.5, 1.95, 3.5), {"GV": 2.5, "PR": 1.5, "RC": 1.5},
                     0.0, {"governed_access_pct": 50.0, "critical_asset_documentation_pct": 80.0}),
        HistoryPoint("2026 Q2", date(2026, 6, 30), Score3(2.6, 2.1, 3.5), {"GV": 2.5, "PR": 2.0, "RC": 2.0},
                     16.67, {"governed_access_pct": 61.0, "critical_asset_documentation_pct": 91.0,
                             "open_high_risk_exceptions": 9}),
    )


def findings() -> tuple[Finding, ...]:
    return (
        Finding("F-1", "Put all vendor VPNs behind the jump host", "IAM-01", "OT", "M. Durand", date(2026, 12, 15),
                "in_progress", FORMULA_PAYLOADS[2]),
        Finding("F-2", FORMULA_PAYLOADS[4], "REC-01", "", "", None, "open", HTML_PAYLOAD),
    )


def exceptions() -> tuple[ExceptionRecord, ...]:
    return (
        ExceptionRecord("EX-1", "Windows XP HMI on press line 2", "critical", date(2025, 8, 1), owner="J. Martin",
                        review_date=date(2026, 8, 1), site=SITE),
        ExceptionRecord("EX-2", "Shared engineering account", "high", date(2026, 5, 1), owner="", site=SITE),
        ExceptionRecord("EX-3", FORMULA_PAYLOADS[3], "medium", date(2026, 9, 1), owner="A. Petit", site=SITE),
        ExceptionRecord("EX-4", "Closed one", "high", date(2025, 1, 1), status="closed", site=SITE),
    )


def exercises() -> tuple[ExerciseRecord, ...]:
    return (
        ExerciseRecord("XR-1", date(2026, 2, 10), "ransomware", "tabletop", 95, 30, 240, 1440, SITE),
        ExerciseRecord("XR-2", date(2026, 6, 20), "remote-access", "functional", 45, 20, 120, None, SITE),
    )


def sites() -> tuple[SiteSummary, ...]:
    return (
        SiteSummary(SITE, "high", AS_OF, "final", Score3(2.83, 2.41, 3.5), 0.875, 0.6, 33.33,
                    {"GV": 3.0, "PR": 2.25, "RC": 2.0}, 2.1),
        SiteSummary("Porto Assembly", "medium", AS_OF, "draft", Score3(3.1, 2.9, 3.5), 1.0, 0.8, 50.0,
                    {"GV": 3.2, "PR": 2.8, "RC": 2.7}, 3.05),
    )


def audit() -> tuple[AuditEntry, ...]:
    return (
        AuditEntry(datetime(2026, 9, 20, 10, 5), "alice", "response IAM-01/OT", "current", "3", "4"),
        AuditEntry(datetime(2026, 9, 21, 9, 0), "bob", "response GOV-01/OT", "notes", "", FORMULA_PAYLOADS[0]),
    )


def meta(kind="site", status="draft") -> ReportMeta:
    return ReportMeta(
        title="Cyber resilience report", organisation="Acme Components", subject=SITE, kind=kind,
        scope="IT+OT", as_of=AS_OF, status=status, assessor="Claire <i>Dupont</i>",
        questionnaire="fixture-qn 1.2.0", generated_on=date(2026, 10, 2), assessment_id="42",
    )


def context(kind="site", status="draft") -> ReportContext:
    return build_context(
        scorecard(), questionnaire(), metric_definitions(), meta(kind, status), metrics=metrics(),
        history=history(), findings=findings(), exceptions=exceptions(), exercises=exercises(),
        sites=sites() if kind == "enterprise" else (), audit=audit(),
    )
