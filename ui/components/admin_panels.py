"""Panels of the Admin view: content status, thresholds, target overrides, audit log."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import streamlit as st

from scoring.model import Scope
from services.access import Actor
from services.answers import set_target
from services.assessment_records import AssessmentDetail
from services.audit_log import audit_csv, audit_json, list_audit
from services.content import coverage_data, validate_content
from services.questionnaire_progress import environments_of
from ui import state
from ui.components.errors import guard

AUDIT_LIMIT = 2000


@st.cache_data(show_spinner="Validating content…", ttl=300)
def _validation() -> tuple[list[str], list[str], dict[str, int]]:
    report = validate_content()
    return report.files, [str(p) for p in report.problems], dict(report.counts)


def content_panel(questionnaire_id: str | None) -> None:
    catalog = state.catalog()
    files, problems, counts = _validation()
    if problems:
        st.error(f"{len(problems)} problem(s) in the content files; the app uses what loaded.", icon=":material/error:")
        st.dataframe(pd.DataFrame({"Problem": problems}), hide_index=True, width="stretch")
    else:
        st.success(f"All {len(files)} content files are valid: " + ", ".join(f"{n} {k}" for k, n in counts.items()) + ".",
                   icon=":material/check_circle:")
    items = [*catalog.frameworks.values(), *catalog.crosswalks.values(), *catalog.metric_catalogs.values(),
             *catalog.questionnaires.values()]
    rows = [{"Kind": c.kind, "Id": c.id, "Name": c.name, "Version": c.version, "Date": c.date, "Source": c.source,
             "Licence": c.licence} for c in items]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if questionnaire_id:
        st.markdown(f"**Coverage of {questionnaire_id}**")
        cov = coverage_data(state.context(), questionnaire_id)
        lines = []
        for fw, data in cov.items():
            parts = [f"{k} {v['covered']}/{v['total']}" for k, v in data.items()
                     if isinstance(v, dict) and "total" in v and v["total"]]
            lines.append(f"- {fw}: " + ", ".join(parts) + (f" — not covered: {', '.join(data['uncovered'])}" if data["uncovered"] else ""))
        st.markdown("\n".join(lines))


def thresholds_panel(detail: AssessmentDetail | None) -> None:
    catalog = state.catalog()
    st.markdown("**Metric thresholds (RAG)** — kept in content YAML (`questionnaires/resilience-metrics.yaml`); "
                "change them there and validate.")
    rows = [{"Metric": d.label, "Name": d.name, "Dataset": d.dataset, "Better": "higher" if d.direction == "higher_is_better" else "lower",
             "Green": d.green, "Amber": d.amber, "Unit": d.unit, "Why": d.rationale} for d in catalog.metric_definitions().values()]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                 column_config={"Why": st.column_config.TextColumn(width="large")})
    if detail is None:
        return
    q = catalog.questionnaire(detail.assessment.questionnaire_id)
    profile = q.target_profile
    st.markdown(f"**Target profile** of {q.id}: default " + ", ".join(f"{e} {v}" for e, v in profile.default.items())
                + "; raised for " + ", ".join(f"{s} ({', '.join(f'{e} {v}' for e, v in t.items())})" for s, t in profile.by_section.items()))
    if profile.rationale:
        st.caption(profile.rationale)


def targets_panel(actor: Actor, detail: AssessmentDetail) -> None:
    a = detail.assessment
    st.markdown(f"**Agreed targets of assessment #{a.id}** — they replace the answered or profile target in the scores.")
    if detail.targets:
        st.dataframe(pd.DataFrame([{"Question": t.question_id, "Environment": t.environment, "Target": t.target,
                                    "Due": t.due_date, "Reason": t.reason, "Set by": t.set_by, "Carried": t.carried}
                                   for t in detail.targets]), hide_index=True, width="stretch")
    else:
        st.caption("No agreed target yet.")
    questionnaire = state.catalog().questionnaire(a.questionnaire_id)
    scope = Scope(a.scope)
    pairs = [f"{q.id}/{env}" for q in questionnaire.questions for env in environments_of(q, scope)]
    disabled = a.is_final or not actor.may_edit_site(a.site_name)
    with st.form(f"admin.target.{a.id}", border=True):
        cols = st.columns([2, 1, 1.3])
        pair = cols[0].selectbox("Question / environment", pairs, disabled=disabled)
        level = cols[1].selectbox("Target", [None, 0, 1, 2, 3, 4, 5], index=4, disabled=disabled,
                                  format_func=lambda v: "remove" if v is None else str(v))
        due = cols[2].date_input("Due", value=None, min_value=date(2000, 1, 1), disabled=disabled, format="YYYY-MM-DD")
        reason = st.text_input("Reason", disabled=disabled, placeholder="e.g. agreed with the plant manager, budget 2027")
        if st.form_submit_button("Save target", disabled=disabled):
            with guard():
                question_id, env = pair.split("/")
                set_target(state.context(), actor, a.id, question_id, env, level, due_date=due, reason=reason)
                st.rerun()


def audit_panel(actor: Actor, assessment_id: int | None) -> None:
    cols = st.columns([1.2, 1, 1])
    scope = cols[0].radio("Entries of", ["the selected assessment", "everything"], horizontal=True, key="admin.audit_scope",
                          index=0 if assessment_id is not None else 1, disabled=assessment_id is None)
    chosen = assessment_id if scope == "the selected assessment" else None
    entries = list_audit(state.context(), actor, assessment_id=chosen, limit=AUDIT_LIMIT)
    entities = sorted({e.entity for e in entries})
    picked = cols[1].multiselect("Kinds", entities, key="admin.audit_entities", placeholder="all kinds")
    shown = [e for e in entries if not picked or e.entity in picked]
    shown.reverse()  # newest first on screen
    cols[2].download_button("Export CSV", audit_csv(list(reversed(shown))), file_name="audit-log.csv", mime="text/csv",
                            icon=":material/download:")
    cols[2].download_button("Export JSON", json.dumps(audit_json(list(reversed(shown))), indent=1).encode(),
                            file_name="audit-log.json", mime="application/json", icon=":material/download:")
    st.caption(f"{len(shown)} entries (newest first; at most the latest {AUDIT_LIMIT}).")
    st.dataframe(pd.DataFrame([{"When (UTC)": e.at.strftime("%Y-%m-%d %H:%M:%S"), "User": e.user, "Assessment": e.assessment_id,
                                "Kind": e.entity, "What": e.entity_key, "Action": e.action,
                                "Old": _short(e.old_value), "New": _short(e.new_value)} for e in shown]),
                 hide_index=True, width="stretch", height=460)


def _short(value) -> str:
    if value is None:
        return ""
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= 120 else text[:119] + "…"
