"""One line under the dashboard's path-to-target chart: the target's verdict, in words made only
from dates, numbers and fixed words (no user text, so it may be Markdown), and where to go next."""

from __future__ import annotations

import streamlit as st

from exports.context import ReportContext
from exports.formatting import day, days, money, score, status


def plan_line(context: ReportContext) -> None:
    plan = context.plan
    if plan is None:
        return
    t = plan.headline
    if t is None:
        st.caption("The overall target has no due date: set one on the Plan page to see whether the plan reaches "
                   "it in time.")
        return
    reached = (f"the plan reaches it on {day(t.reached_on)}" + (f", {days(t.days_late)} late" if t.days_late else "")
               if t.reached_on else "no action of the plan reaches it")
    cost = f", cost {money(plan.total_cost)}" if plan.total_cost is not None else ""
    st.caption(f"**{status(t.status)}**: target {score(t.target)} due {day(t.due)}; {reached} "
               f"({plan.points[-1].actions_done} actions{cost}). The Plan page shows what each action buys.")
