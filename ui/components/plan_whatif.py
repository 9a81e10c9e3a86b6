"""The what-if part of the Plan view: tick actions in and out (or set a budget ceiling), see the
projected curve, the targets' verdicts and the CPG goals that change status; save the selection as
a named plan; compare two plans side by side.

User text (action titles, site and plan names) is shown in tables and widget labels only, never
as Markdown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from exports.context import ReportContext
from exports.formatting import day, money, percent, score, status
from exports.plan_charts import path_to_target_chart, plan_comparison_chart
from exports.plan_context import PlanSection
from services import plan_edits, plans
from services.access import Actor
from ui import state
from ui.components.dashboard_figures import draw, for_screen
from ui.components.errors import guard

FULL, CURRENT = "__full__", "__current__"


def what_if_panel(actor: Actor, context: ReportContext, projector, assessment_id: int | None, data) -> None:
    full = context.plan
    if full is None:
        st.info("This report has no plan.")
        return
    subject = "enterprise" if assessment_id is None else f"a{assessment_id}"
    valued = [a for a in full.actions if a.rank is not None]
    chosen = _left_out(full, subject)
    budget = st.number_input("Budget ceiling (0 = no ceiling)", min_value=0.0, step=10_000.0, format="%.0f",
                             key=f"plan.budget.{subject}",
                             help="Keeps the ticked actions in the order of the table (best value for money first) "
                                  "while their costs fit; actions without a cost estimate are kept.")
    include = plans.budget_selection(full, chosen, budget or None)
    section = plans.what_if(state.context(), projector, include)
    _summary(section, len(include & {a.id for a in valued}), len(valued), budget)
    draw(for_screen(path_to_target_chart(context.trend, section)), f"plan-path-{subject}")
    _targets(section)
    _action_table(full, include, enterprise=assessment_id is None)
    _goal_changes(section)
    st.divider()
    _save(actor, assessment_id, include, budget, subject)
    _compare(actor, context, projector, assessment_id, include, subject)


def _left_out(full: PlanSection, subject: str) -> frozenset[str]:
    """The valued actions minus those picked to leave out (a multiselect: every action is in until
    picked, and the ranked table below shows which are in)."""
    valued = [a for a in full.actions if a.rank is not None]
    if not valued:
        st.info("No open action promises a level or evidence yet: add one below, or in the workbook's Plan sheet.",
                icon=":material/flag:")
        return frozenset()
    labels = {a.id: f"#{a.rank} {a.site + ': ' if a.site else ''}{a.title[:90]}" for a in valued}
    out = st.multiselect("Leave out of this plan", list(labels), format_func=labels.get, key=f"plan.out.{subject}",
                         placeholder="every action is in; pick the ones to leave out")
    return frozenset(labels) - frozenset(out)


def _action_table(full: PlanSection, include: frozenset[str], *, enterprise: bool) -> None:
    """The valued actions in roadmap order, with whether each is in this plan."""
    valued = [a for a in full.actions if a.rank is not None]
    if not valued:
        return
    by_value = "maturity bought per 100 000 of cost" if full.ranking == "per_cost" else "the maturity each adds"
    st.caption(f"{len(valued)} actions, ranked by {by_value}. \"Adds\" is what an action adds on its own.")
    rows = pd.DataFrame([{
        "In plan": "✓" if a.id in include else "–", "#": a.rank, **({"Site": a.site} if enterprise else {}),
        "Action": a.title, "Adds": round(a.gain or 0.0, 3), "Cost": a.cost, "Due": day(a.due),
        "Counted on": day(a.counts_on), "Status": status(a.status),
    } for a in valued])
    st.dataframe(rows, hide_index=True, width="stretch", height=min(38 + 35 * len(rows), 420),
                 column_config={"In plan": st.column_config.TextColumn(width="small"),
                                "Action": st.column_config.TextColumn(width="large"),
                                "Adds": st.column_config.NumberColumn(format="%+.3f"),
                                "Cost": st.column_config.NumberColumn(format="localized")})


def _summary(section: PlanSection, included: int, total: int, budget: float) -> None:
    last = section.points[-1]
    headline = section.headline
    cols = st.columns(4)
    cols[0].metric("Actions in this plan", f"{included} of {total}", border=True)
    cols[1].metric("Cost", money(section.total_cost), border=True,
                   help="Sum of the cost estimates of the actions counted"
                        + (f"; {section.uncosted} without an estimate." if section.uncosted else "."))
    cols[2].metric(f"Verified by {last.label}", score(last.verified), border=True)
    cols[3].metric("Target" + (f" due {day(headline.due)}" if headline else ""),
                   status(headline.status) if headline else "no due date", border=True,
                   help=None if headline is None else
                   (f"Reached on {day(headline.reached_on)}" if headline.reached_on else "Not reached by this plan"))


def _targets(section: PlanSection) -> None:
    if not section.targets:
        st.caption("No target has a due date: set the overall target's due date below.")
        return
    rows = [{"Target": t.label, "Site": t.site, "Level": t.target, "Today": t.today, "Due": day(t.due),
             "Reached": day(t.reached_on), "Status": status(t.status),
             "Late (days)": t.days_late} for t in section.targets]
    frame = pd.DataFrame(rows)
    if not any(t.site for t in section.targets):
        frame = frame.drop(columns="Site")
    st.dataframe(frame, hide_index=True, width="stretch",
                 column_config={"Level": st.column_config.NumberColumn(format="%.2f"),
                                "Today": st.column_config.NumberColumn(format="%.2f")})


def _goal_changes(section: PlanSection) -> None:
    changes = section.goal_changes
    st.markdown("##### CPG 2.0 goals this plan changes")
    if not changes:
        st.caption("No CPG goal changes status with these actions.")
        return
    rows = [{"Goal": g.goal_id, "Title": g.title, "Site": g.site, "Env": g.environment, "Today": status(g.before),
             "With the plan": status(g.after), "From": day(g.on)} for g in changes]
    frame = pd.DataFrame(rows)
    if not any(g.site for g in changes):
        frame = frame.drop(columns="Site")
    st.dataframe(frame, hide_index=True, width="stretch")


@guard()
def _save(actor: Actor, assessment_id: int | None, include: frozenset[str], budget: float, subject: str) -> None:
    with st.form(f"plan.save.{subject}", border=False):
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        name = left.text_input("Save this selection as a named plan", placeholder="e.g. Budget 2027")
        if right.form_submit_button("Save plan", icon=":material/save:"):
            plan_edits.save_scenario(state.context(), actor, assessment_id, name, sorted(int(i) for i in include),
                                     budget=budget or None)
            st.success("Plan saved; compare it below.", icon=":material/check_circle:")


def _compare(actor: Actor, context: ReportContext, projector, assessment_id: int | None,
             include: frozenset[str], subject: str) -> None:
    saved = {s.name: s for s in plan_edits.list_scenarios(state.context(), actor, assessment_id)}
    options = [FULL, CURRENT, *saved]
    labels = {FULL: "Every open action", CURRENT: "This selection"}
    st.markdown("##### Compare two plans")
    left, right = st.columns(2)
    first = left.selectbox("Plan A", options, format_func=lambda o: labels.get(o, o), key=f"plan.a.{subject}")
    second = right.selectbox("Plan B", options, index=1 if len(options) < 3 else 2,
                             format_func=lambda o: labels.get(o, o), key=f"plan.b.{subject}")
    full = context.plan
    compared = []
    for option in (first, second):
        if option == FULL:
            chosen = None
        elif option == CURRENT:
            chosen = include
        else:
            scenario = saved[option]
            chosen = plans.budget_selection(full, frozenset(str(a) for a in scenario.actions), scenario.budget)
        compared.append((labels.get(option, option), plans.what_if(state.context(), projector, chosen)))
    draw(for_screen(plan_comparison_chart([(name, s.points) for name, s in compared], full.headline)),
         f"plan-compare-{subject}")
    rows = []
    for name, s in compared:
        last, h = s.points[-1], s.headline
        rows.append({"Plan": name, "Actions": last.actions_done, "Cost": s.total_cost,
                     "Verified at end": last.verified, "Reached target": day(h.reached_on) if h else "",
                     "Target status": status(h.status) if h else "", "CPG goals met at end": percent(last.cpg_implemented_pct)})
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                 column_config={"Cost": st.column_config.NumberColumn(format="localized"),
                                "Verified at end": st.column_config.NumberColumn(format="%.2f")})
    if saved:
        with st.expander("Saved plans"), guard():
            gone = st.selectbox("Delete a saved plan", list(saved), key=f"plan.delete.{subject}")
            if st.button("Delete", key=f"plan.delete-button.{subject}", icon=":material/delete:"):
                plan_edits.delete_scenario(state.context(), actor, assessment_id, gone)
                st.rerun()
