"""Analyst workbook: every number of the board report, as filterable sheets (openpyxl → bytes).

Sheets: Summary, Functions, Categories, Subcategories, CPG goals, Responses, Metrics,
Gaps & roadmap, Findings (POA&M), Plan and Path to target (exports.xlsx_plan), Exceptions,
Exercises, Trend, Audit, and Sites for an enterprise report. Every target shown has its due date. Scores are numbers with 2-decimal formats (not rounded values), shares are
0–1 with % formats, metric values keep their unit (the "Shown as" column is the text the PDF and
the dashboard print, from exports.formatting). Due dates that have passed at the as-of date carry
the days overdue. User text goes through `exports.cells.write`, so nothing a user typed can become
a formula.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import ColorScaleRule, FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from exports.cells import DAY, INTEGER, PCT_VALUE, SCORE, SHARE, STAMP, Column, write, write_table
from exports.context import ReportContext, ScoreRow
from exports.formatting import status
from exports.sheet_stream import StreamedWorkbook
from exports.xlsx_plan import PATH_SHEET, PLAN_SHEET, path_sheet, plan_sheet

# Fills for conditional formatting; the status word stays in the cell, so colour is never alone.
FILLS = {
    "good": PatternFill("solid", fgColor="CCE5F5", bgColor="CCE5F5"),
    "mid": PatternFill("solid", fgColor="FCE8C3", bgColor="FCE8C3"),
    "bad": PatternFill("solid", fgColor="F6CDB5", bgColor="F6CDB5"),
}
STATUS_CLASS = {
    "Implemented": "good", "In progress": "mid", "Not implemented": "bad",
    "Green": "good", "Amber": "mid", "Red": "bad",
}


def render_workbook(context: ReportContext, *, stream_tables: bool = True) -> bytes:
    """The analyst workbook as .xlsx bytes. Its tables are streamed (exports.sheet_stream);
    `stream_tables=False` writes them as openpyxl cells instead: the same workbook, about 10×
    slower at 200 sites, kept as the reference the streamed one is tested and benchmarked against."""
    wb = StreamedWorkbook() if stream_tables else Workbook()
    _summary(wb.active, context)
    for title, rows in (("Functions", context.functions), ("Categories", context.categories),
                        ("Subcategories", context.subcategories)):
        _scores(wb.create_sheet(title), context, rows)
    _function_chart(wb["Functions"], context)
    _goals(wb.create_sheet("CPG goals"), context)
    _responses(wb.create_sheet("Responses"), context)
    _metrics(wb.create_sheet("Metrics"), context)
    _roadmap(wb.create_sheet("Gaps & roadmap"), context)
    _findings(wb.create_sheet("Findings (POA&M)"), context)
    plan_sheet(wb.create_sheet(PLAN_SHEET), context)
    path_sheet(wb.create_sheet(PATH_SHEET), context)
    _exceptions(wb.create_sheet("Exceptions"), context)
    _exercises(wb.create_sheet("Exercises"), context)
    _trend(wb.create_sheet("Trend"), context)
    _audit(wb.create_sheet("Audit"), context)
    if context.meta.kind == "enterprise":
        _sites(wb.create_sheet("Sites"), context)
        _goal_sites(wb.create_sheet("CPG by site"), context)
    wb.properties.title = f"{context.meta.title} · {context.meta.subject}"
    wb.properties.creator = "Resilience Scorecard"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _summary(ws: Worksheet, c: ReportContext) -> None:
    ws.title = "Summary"
    h, m = c.headline, c.meta
    facts = [
        ("Organisation", m.organisation, None), ("Subject", m.subject, None), ("Report", m.kind, None),
        ("Scope", m.scope, None), ("As of", m.as_of, DAY), ("Status", status(m.status), None),
        ("Reliability", "; ".join((c.verdict.headline, *c.verdict.reasons)), None),
        *((("Figures", m.basis, None),) if m.basis else ()),
        ("Assessor", m.assessor, None), ("Questionnaire", m.questionnaire, None),
        ("Verified maturity", h.overall.verified, SCORE), ("Claimed maturity", h.overall.claimed, SCORE),
        ("Target maturity", h.overall.target, SCORE), ("Target due", h.target_due, DAY),
        (f"Change since {h.previous_label or 'previous'}", h.delta_verified, '+0.00;-0.00;0.00'),
        ("CPG goals implemented (%)", h.cpg_implemented_pct, PCT_VALUE),
        ("Completion", h.completion, SHARE), ("Confidence", h.confidence, SHARE),
        ("Answered", h.answered, INTEGER), ("Not applicable", h.not_applicable, INTEGER),
        ("Applicable", h.applicable, INTEGER),
    ]
    ws["A1"] = "Cyber resilience scorecard"
    ws["A1"].font = Font(bold=True, size=14)
    row = 3
    for label, value, fmt in facts:
        ws.cell(row=row, column=1, value=label).font = Font(bold=True)
        cell = write(ws, row, 2, value)
        if fmt:
            cell.number_format = fmt
        row += 1
    for heading, items in (("What improved", c.improvements), ("Biggest risks", c.risks),
                           ("Decisions asked of the board", c.decisions)):
        row += 1
        ws.cell(row=row, column=1, value=heading).font = Font(bold=True, size=12)
        for item in items:
            row += 1
            write(ws, row, 1, item.title)
            write(ws, row, 2, item.detail)
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 80
    ws.freeze_panes = "A3"


def _scores(ws: Worksheet, c: ReportContext, rows: tuple[ScoreRow, ...]) -> None:
    columns = [Column("ID", 12), Column("Title", 48, wrap=True)]
    for env in c.environments:
        columns += [Column(f"{env} {k}", 11, SCORE) for k in ("claimed", "verified", "target")]
    columns += [Column(f"Combined {k}", 11, SCORE) for k in ("claimed", "verified", "target")]
    columns.append(Column("Answered", 10, INTEGER))

    def values(r: ScoreRow):
        out = [r.id, r.title]
        for env in c.environments:
            t = r.it if env == "IT" else r.ot
            out += [t.claimed, t.verified, t.target] if t else [None, None, None]
        return [*out, r.combined.claimed, r.combined.verified, r.combined.target, r.answered]

    last = write_table(ws, columns, (values(r) for r in rows))
    if last > 1:
        area = f"C2:{get_column_letter(len(columns) - 1)}{last}"
        ws.conditional_formatting.add(
            area, ColorScaleRule(start_type="num", start_value=0, start_color="F6CDB5",
                                 mid_type="num", mid_value=2.5, mid_color="FFFFFF",
                                 end_type="num", end_value=5, end_color="9CC7E8"))


def _function_chart(ws: Worksheet, c: ReportContext) -> None:
    """A native Excel bar chart of verified maturity per function and environment."""
    count = len(c.functions)
    if not count:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.title = "Verified maturity by CSF function"
    chart.y_axis.title = "Maturity (0–5)"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 5
    for index, _ in enumerate(c.environments):
        col = 3 + index * 3 + 1  # the "<env> verified" column
        chart.add_data(Reference(ws, min_col=col, min_row=1, max_row=count + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=count + 1))
    chart.height, chart.width = 9, 18
    ws.add_chart(chart, f"A{count + 4}")


def _status_rule(ws: Worksheet, column: str, last: int) -> None:
    for word, kind in STATUS_CLASS.items():
        ws.conditional_formatting.add(
            f"{column}2:{column}{max(last, 2)}",
            FormulaRule(formula=[f'{column}2="{word}"'], fill=FILLS[kind]))


def _goals(ws: Worksheet, c: ReportContext) -> None:
    columns = [Column("Goal", 12), Column("Title", 50, wrap=True)]
    for env in c.environments:
        columns += [Column(f"{env} status", 16), Column(f"{env} verified", 11, SCORE)]
    rows = []
    for g in c.goals:
        row = [g.id, g.title]
        for env in c.environments:
            row += [status(g.status_it if env == "IT" else g.status_ot),
                    g.verified_it if env == "IT" else g.verified_ot]
        rows.append(row)
    last = write_table(ws, columns, rows)
    for index, _ in enumerate(c.environments):
        _status_rule(ws, get_column_letter(3 + index * 2), last)


def _responses(ws: Worksheet, c: ReportContext) -> None:
    columns = [Column("Question", 10), Column("Section", 24), Column("Text", 50, wrap=True),
               Column("Env", 6), Column("State", 12), Column("Claimed", 9, INTEGER),
               Column("Verified", 9, INTEGER), Column("Target", 8, INTEGER), Column("Target due", 12, DAY),
               Column("Verified by evidence", 10), Column("N/A reason", 30, wrap=True),
               Column("Notes", 40, wrap=True), Column("Cap reasons", 50, wrap=True)]
    rows = ([r.question_id, r.section, r.text, r.environment, status(r.state), r.claimed,
             r.verified, r.target, r.target_due, "yes" if r.verified_by_evidence else "no", r.na_reason,
             r.notes, r.cap_reasons] for r in c.responses)
    write_table(ws, *_with_site(c, columns, rows, c.responses))


def _metrics(ws: Worksheet, c: ReportContext) -> None:
    columns = [Column("Metric", 30), Column("Label", 44, wrap=True), Column("Unit", 8),
               Column("Value", 11, "0.0"), Column("Status", 10), Column("Previous", 11, "0.0"),
               Column("Trend", 10), Column("Thresholds", 34, wrap=True), Column("Shown as", 14),
               Column("Combines", 10)]
    last = write_table(ws, columns, ([m.name, m.label, m.unit, m.value, status(m.status), m.previous,
                                      m.trend, m.rule, m.display, m.combine] for m in c.metrics))
    _status_rule(ws, "E", last)


def _roadmap(ws: Worksheet, c: ReportContext) -> None:
    columns = [Column("Rank", 6, INTEGER), Column("Question", 10), Column("Text", 48, wrap=True),
               Column("Section", 24), Column("Env", 6), Column("Verified", 9, INTEGER),
               Column("Target", 8, INTEGER), Column("Target due", 12, DAY), Column("Gap", 6, INTEGER),
               Column("Priority", 9, "0.0"),
               Column("Consequence", 40, wrap=True), Column("Owner", 18), Column("Due", 12, DAY),
               Column("Overdue (days)", 10, INTEGER), Column("Status", 14), Column("CSF", 20), Column("CPG", 14),
               Column("Cap reasons", 50, wrap=True)]
    rows = ([g.rank, g.question_id, g.text, g.section, g.environment, g.verified, g.target, g.target_due,
             g.gap, g.priority, g.consequence, g.owner, g.due, g.overdue_days, status(g.status), g.csf,
             g.cpg, "; ".join(g.cap_reasons)] for g in c.roadmap)
    write_table(ws, *_with_site(c, columns, rows, c.roadmap))


def _findings(ws: Worksheet, c: ReportContext) -> None:
    columns = [Column("ID", 10), Column("Action", 48, wrap=True), Column("Question", 10), Column("Env", 6),
               Column("Owner", 20), Column("Due", 12, DAY), Column("Overdue (days)", 10, INTEGER),
               Column("Status", 14), Column("Notes", 48, wrap=True)]
    rows = ([f.id, f.title, f.question_id, f.environment, f.owner, f.due, f.overdue_days, status(f.status),
             f.notes] for f in c.findings)
    write_table(ws, *_with_site(c, columns, rows, c.findings))


def _with_site(c: ReportContext, columns: list[Column], rows, records) -> tuple[list[Column], object]:
    """In an enterprise workbook, rows come from several sites: put a Site column first."""
    if c.meta.kind != "enterprise":
        return columns, rows
    sited = ([record.site or "Enterprise-wide", *row] for record, row in zip(records, rows, strict=True))
    return [Column("Site", 22), *columns], sited


def _exceptions(ws: Worksheet, c: ReportContext) -> None:
    columns = [Column("Exception", 12), Column("Title", 44, wrap=True), Column("Rating", 10),
               Column("Site", 20), Column("Owner", 18), Column("Opened", 12, DAY), Column("Age (days)", 10, INTEGER),
               Column("Age band", 14), Column("Review date", 12, DAY), Column("Review overdue", 10),
               Column("Review overdue (days)", 10, INTEGER), Column("High risk", 8), Column("Aged as of", 12, DAY)]
    last = write_table(ws, columns, ([e.exception_id, e.title, e.risk_rating, e.site, e.owner, e.opened,
                                      e.age_days, e.age_band, e.review_date, "yes" if e.overdue_review else "no",
                                      e.review_overdue_days, "yes" if e.high_risk else "no", e.as_of]
                                     for e in c.exceptions))
    ws.conditional_formatting.add(f"G2:G{max(last, 2)}", FormulaRule(formula=["G2>90"], fill=FILLS["bad"]))


def _exercises(ws: Worksheet, c: ReportContext) -> None:
    columns = [Column("Exercise", 12), Column("Date", 12, DAY), Column("Scenario", 24), Column("Type", 12),
               Column("Site", 20), *(Column(f"{p} (min)", 12, "0") for p in ("Detect", "Escalate", "Contain", "Recover"))]
    write_table(ws, columns, ([x.exercise_id, x.date, x.scenario, x.exercise_type, x.site, x.detect_minutes,
                               x.escalate_minutes, x.contain_minutes, x.recover_minutes] for x in c.exercises))


def _trend(ws: Worksheet, c: ReportContext) -> None:
    function_ids = [f.id for f in c.functions]
    columns = [Column("Period", 12), Column("As of", 12, DAY), Column("Claimed", 10, SCORE),
               Column("Verified", 10, SCORE), Column("Target", 10, SCORE), Column("CPG implemented %", 12, PCT_VALUE),
               *(Column(f"{fid} verified", 11, SCORE) for fid in function_ids)]
    last = write_table(ws, columns, ([t.label, t.as_of, t.overall.claimed, t.overall.verified, t.overall.target,
                                      t.cpg_implemented_pct, *(t.functions.get(fid) for fid in function_ids)]
                                     for t in c.trend))
    chart = LineChart()
    chart.title = "Overall maturity over time"
    chart.y_axis.title = "Maturity (0–5)"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 5
    chart.add_data(Reference(ws, min_col=3, max_col=5, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
    chart.height, chart.width = 8, 18
    ws.add_chart(chart, f"A{last + 3}")


def _audit(ws: Worksheet, c: ReportContext) -> None:
    columns = [Column("When", 17, STAMP), Column("User", 16), Column("Record", 28), Column("Field", 14),
               Column("Old value", 30, wrap=True), Column("New value", 30, wrap=True)]
    write_table(ws, columns, ([a.at, a.user, a.entity, a.field, a.old, a.new] for a in c.audit))


def _sites(ws: Worksheet, c: ReportContext) -> None:
    columns = [Column("Site", 24), Column("Criticality", 11), Column("As of", 12, DAY), Column("Status", 11),
               Column("Claimed", 10, SCORE), Column("Verified", 10, SCORE), Column("Target", 10, SCORE),
               Column("Change", 10, "+0.00;-0.00;0.00"), Column("CPG implemented %", 12, PCT_VALUE),
               Column("Completion", 11, SHARE), Column("Confidence", 11, SHARE)]
    write_table(ws, columns, ([s.name, s.criticality, s.as_of, status(s.status), s.overall.claimed,
                               s.overall.verified, s.overall.target, s.delta_verified, s.cpg_implemented_pct,
                               s.completion, s.confidence] for s in c.sites))


def _goal_sites(ws: Worksheet, c: ReportContext) -> None:
    """Each site's status of each CPG goal (its worst over its environments): the heatmap's every
    column, which the board PDF cuts to the weakest sites (exports.board_size)."""
    columns = [Column("Site", 24), Column("Goal", 12), Column("Title", 50, wrap=True), Column("Status", 16)]
    last = write_table(ws, columns, ([site, g.id, g.title, status(state)] for g in c.goals for site, state in g.sites))
    _status_rule(ws, "D", last)
