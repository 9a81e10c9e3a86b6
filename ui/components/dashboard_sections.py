"""The dashboard's detail sections, each drawn from the ReportContext with the shared figures.

Tables show numbers with 2 decimals (the product's presentation rule) and missing values as
blanks, never as 0.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from exports.context import ReportContext
from exports.formatting import percent, share
from services.dashboard import gap_table
from ui.components.dashboard_figures import draw

Figures = Mapping[str, go.Figure]

GAP_ROWS = 15
GOAL_STATUS = {"implemented": "● Implemented", "in_progress": "◐ In progress",
               "not_implemented": "○ Not implemented", "not_assessed": "– Not assessed"}


def on_demand(label: str, key: str):
    """A collapsed expander whose content is drawn only once it is opened (`.open`; opening it
    reruns the dashboard's fragment): a browser lays out a collapsed expander's tables too."""
    return st.expander(label, key=key, on_change="rerun")


def _num(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def csf(context: ReportContext, figs: Figures, key: str) -> None:
    left, right = st.columns(2, gap="medium")
    with left:
        draw(figs["functions"], f"{key}-functions")
    with right:
        st.dataframe(pd.DataFrame(_score_rows(context.functions, context.environments)), hide_index=True,
                     width="stretch")
    draw(figs["categories"], f"{key}-categories")
    with on_demand("Category scores as a table", f"{key}-categories-table") as box:
        if box.open:
            st.dataframe(pd.DataFrame(_score_rows(context.categories, context.environments)), hide_index=True,
                         width="stretch")


def _score_rows(rows, envs) -> list[dict[str, object]]:
    out = []
    for r in rows:
        row = {"ID": r.id, "Name": r.title.title() if r.title.isupper() else r.title,
               "Verified": _num(r.combined.verified), "Claimed": _num(r.combined.claimed),
               "Target": _num(r.combined.target)}
        if len(envs) > 1:
            for env in envs:
                score = r.it if env == "IT" else r.ot
                row[f"{env} verified"] = _num(score.verified if score else None)
        out.append(row)
    return out


def cpg(context: ReportContext, figs: Figures, key: str) -> None:
    h = context.headline
    cols = st.columns(1 + len(context.environments))
    cols[0].metric("Goals implemented", percent(h.cpg_implemented_pct), help="Over assessed (goal, environment) pairs.")
    for col, env in zip(cols[1:], context.environments, strict=True):
        col.metric(f"{env} goals implemented", percent(h.cpg_by_environment.get(env)))
    if context.meta.kind == "enterprise":
        st.caption("Across sites the share is the criticality-weighted mean of each site's share. \"All sites\" "
                   "columns show the worst status among the sites that assessed the goal in that environment; "
                   "each site's column shows its worst over IT and OT, so a goal not implemented anywhere stays visible.")
    draw(figs["cpg"], f"{key}-cpg")


def scenarios(context: ReportContext, figs: Figures, key: str) -> None:
    if not context.scenarios:
        st.info("The questionnaire defines no scenarios.")
        return
    left, right = st.columns([3, 2], gap="medium")
    with left:
        draw(figs["scenarios"], f"{key}-scenarios")
    with right:
        rows = [{"Scenario": s.name, "Readiness": _num(s.readiness), "Answered": f"{s.answered} of {s.questions}",
                 "Metrics": ", ".join(f"{label}: {status}" for label, status in s.metrics) or "none"}
                for s in context.scenarios]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                     column_config={"Readiness": st.column_config.NumberColumn(format="%.2f")})


def gaps(context: ReportContext, key: str) -> None:
    rows = gap_table(context, GAP_ROWS)
    if not rows:
        st.success("No gaps: every verified answer meets its target.", icon=":material/check:")
        return
    shown = context.roadmap[:GAP_ROWS]
    unowned = sum(1 for r in shown if not r.owner)
    overdue = sum(1 for r in shown if r.overdue_days)
    st.caption(f"Top {len(rows)} of {len(context.roadmap)} gaps, ranked by priority = gap × question weight × "
               f"consequence; equal priorities go by higher consequence for production, then larger gap. "
               f"{unowned} of them have no owner yet; {overdue} are overdue.")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key=f"{key}-gaps",
                 column_config={"Rank": st.column_config.NumberColumn(width=40),
                                "Owner": st.column_config.TextColumn(width=120),
                                "Due": st.column_config.TextColumn(width=125),
                                "Status": st.column_config.TextColumn(width=90),
                                "Site": st.column_config.TextColumn(width=110),
                                "Practice": st.column_config.TextColumn(width=200 if context.meta.kind != "enterprise" else 150),
                                "Env": st.column_config.TextColumn(width=40),
                                "Level": st.column_config.TextColumn(width=60, help="Verified level → target level"),
                                "Priority": st.column_config.NumberColumn(format="%.0f", width=55),
                                "Consequence": st.column_config.NumberColumn(
                                    "Conseq.", format="%d of 5", width=65, help="Consequence for production, 1–5: "
                                    "the first tie-breaker of equal priorities"),
                                "Why capped": st.column_config.TextColumn(width=150 if context.meta.kind != "enterprise" else 115)})


def exceptions_and_exercises(context: ReportContext, figs: Figures, key: str) -> None:
    left, right = st.columns(2, gap="medium")
    with left:
        draw(figs["exceptions"], f"{key}-exceptions")
        overdue = sum(1 for e in context.exceptions if e.overdue_review)
        if context.exceptions:
            st.caption(f"{len(context.exceptions)} open exceptions; {overdue} past their review date.")
            table = [{"ID": e.exception_id, "Title": e.title, "Risk": e.risk_rating, "Site": e.site,
                      "Owner": e.owner, "Age (days)": e.age_days,
                      "Review": e.review_date.isoformat() if e.review_date else "",
                      "Review overdue": "yes" if e.overdue_review else ""} for e in context.exceptions]
            with on_demand("Open exceptions, oldest first", f"{key}-exceptions-table") as box:
                if box.open:
                    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
    with right:
        draw(figs["exercises"], f"{key}-exercises")
        if context.exercises:
            table = [{"Date": e.date.isoformat(), "Scenario": e.scenario, "Type": e.exercise_type, "Site": e.site,
                      "Detect (min)": e.detect_minutes, "Escalate (min)": e.escalate_minutes,
                      "Contain (min)": e.contain_minutes, "Recover (min)": e.recover_minutes}
                     for e in context.exercises]
            with on_demand(f"All {len(table)} exercises of the last 12 months", f"{key}-exercises-table") as box:
                if box.open:
                    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")


def sites(context: ReportContext, figs: Figures, key: str) -> None:
    if not context.sites:
        st.info("No site has an assessment yet.")
        return
    draw(figs["sites"], f"{key}-sites")
    rows = [{"Site": s.name, "Criticality": s.criticality, "Weight": s.weight, "As of": s.as_of.isoformat() if s.as_of else "",
             "Status": s.status.replace("_", " "), "Verified": _num(s.overall.verified),
             "Claimed": _num(s.overall.claimed), "Target": _num(s.overall.target),
             "Change": _num(s.delta_verified), "CPG %": None if s.cpg_implemented_pct is None
             else round(s.cpg_implemented_pct, 1), "Completion": share(s.completion),
             "Confidence": share(s.confidence)} for s in context.sites]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                 column_config={"Change": st.column_config.NumberColumn(format="%+.2f")})
