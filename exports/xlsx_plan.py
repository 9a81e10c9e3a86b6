"""The analyst workbook's plan sheets: "Plan" (one row per action, editable and importable back
with `scorecard plan import`) and "Path to target" (the projection, the targets and the CPG goals
that change).

Plan sheet: the columns in EDITABLE are read back by services.plan_sheet (a row without an ID is a
new action, and then Question and Env say where it is); the others are the projection's, for
reading only. The hidden Version column holds each action's stored version, so an import never
overwrites a change made in the app since the workbook was written. Rows follow the roadmap: the
valued actions by rank, then the others by due date.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from exports.cells import DAY, INTEGER, SCORE, Column, write_table
from exports.context import ReportContext
from exports.formatting import status

PLAN_SHEET = "Plan"
PATH_SHEET = "Path to target"
ID, VERSION = "ID", "Version"
EDITABLE = {
    "Question": "question_id", "Env": "environment", "Action": "title", "Owner": "owner", "Due": "due_date",
    "Status": "status", "Promises": "promises", "Evidence metric": "evidence_metric",
    "Evidence value": "evidence_value", "Cost": "cost", "Effort (days)": "effort_days", "Notes": "notes",
}
"""Header → action field, for the columns an import reads (services.action_fields rules)."""
MONEY = "#,##0"
GAIN = "+0.000;-0.000;0.000"


def plan_sheet(ws: Worksheet, c: ReportContext) -> None:
    plan = c.plan
    findings = {f.id: f for f in c.findings}
    enterprise = c.meta.kind == "enterprise"
    columns = [Column(ID, 8), Column(VERSION, 6, INTEGER), *([Column("Site", 22)] if enterprise else []),
               Column("Question", 10), Column("Env", 6), Column("Action", 48, wrap=True), Column("Owner", 20),
               Column("Due", 12, DAY), Column("Status", 12), Column("Promises", 36, wrap=True),
               Column("Evidence metric", 28), Column("Evidence value", 10, "0.0"), Column("Cost", 12, MONEY),
               Column("Effort (days)", 10, "0.0"), Column("Notes", 36, wrap=True),
               Column("Rank", 6, INTEGER), Column("Adds (verified)", 11, GAIN),
               *([Column("Adds to site", 11, GAIN)] if enterprise else []), Column("Per 100k of cost", 10, "0.00"),
               Column("Projection", 14), Column("Counted on", 12, DAY), Column("Overdue (days)", 10, INTEGER)]
    rows = []
    for a in plan.actions if plan else ():
        f = findings.get(a.id)
        rows.append([a.id, f.version if f else None, *([a.site or "Enterprise-wide"] if enterprise else []),
                     a.question_id, a.environment, a.title, a.owner, a.due, a.status, a.promises,
                     a.evidence_metric, a.evidence_value, a.cost, a.effort_days, f.notes if f else "",
                     a.rank, a.gain, *([a.site_gain] if enterprise else []), a.gain_per_100k, status(a.state),
                     a.counts_on, a.overdue_days])
    write_table(ws, columns, rows)
    ws.column_dimensions["B"].hidden = True


def path_sheet(ws: Worksheet, c: ReportContext) -> None:
    """Three tables one under the other: quarterly points, targets, goal changes (a report built
    without a plan gets the empty points table)."""
    plan = c.plan
    functions = [f.id for f in c.functions]
    sites = list(plan.points[0].sites) if plan and plan.points else []
    columns = [Column("Period", 12), Column("Date", 12, DAY), Column("Actions done", 10, INTEGER),
               Column("Verified", 10, SCORE), Column("Target", 10, SCORE),
               *(Column(f"{env} verified", 11, SCORE) for env in c.environments),
               Column("CPG implemented %", 12, "0.0"), *(Column(f"{fid} verified", 11, SCORE) for fid in functions),
               *(Column(site, 14, SCORE) for site in sites)]
    last = write_table(ws, columns, ([p.label, p.on, p.actions_done, p.verified, p.target,
                                      *(p.by_environment.get(env) for env in c.environments), p.cpg_implemented_pct,
                                      *(p.functions.get(fid) for fid in functions), *(p.sites.get(s) for s in sites)]
                                     for p in (plan.points if plan else ())))
    if plan is None:
        return
    start = last + 3
    targets = [Column("Target", 22), Column("Site", 22), Column("Level", 8, SCORE), Column("Today", 8, SCORE),
               Column("Due", 12, DAY), Column("Reached", 12, DAY), Column("Status", 12), Column("Days late", 10, INTEGER)]
    last = write_table(ws, targets, ([t.label, t.site, t.target, t.today, t.due, t.reached_on, status(t.status),
                                      t.days_late] for t in plan.targets), start_row=start)
    changes = [Column("CPG goal", 12), Column("Title", 36), Column("Site", 22), Column("Env", 6),
               Column("Today", 14), Column("With the plan", 14), Column("From", 12, DAY)]
    write_table(ws, changes, ([g.goal_id, g.title, g.site, g.environment, status(g.before), status(g.after), g.on]
                              for g in plan.goal_changes), start_row=last + 3)
    # The sheet's first table (the points) keeps the frozen header and the filter.
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(2, len(plan.points) + 1)}"
