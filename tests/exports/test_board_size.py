"""exports.board_size: what of an enterprise report the board PDF and dashboard figures show as
the number of sites grows (everything up to each limit, then a stated cut)."""

from __future__ import annotations

from datetime import date

from exports import board_size, charts
from exports.context import GoalRow, NoteGroup, NoteLine, Score3, SiteRow


def _site(n: int, verified: float | None, weight: int = 2) -> SiteRow:
    return SiteRow(name=f"Plant {n:03d}", criticality="medium", as_of=date(2026, 9, 30), status="final",
                   overall=Score3(3.0, verified, 3.5), completion=1.0, confidence=0.5, cpg_implemented_pct=50.0,
                   delta_verified=None, functions={}, weight=weight)


def test_few_sites_are_all_shown_without_a_note():
    rows = [_site(n, 2.0) for n in range(board_size.SITE_ROWS)]
    shown = board_size.sites(rows)
    assert shown.rows == tuple(rows) and shown.note == "" and shown.short == ""


def test_many_sites_show_the_lowest_verified_in_report_order_and_say_so():
    rows = [_site(n, 1.0 + (n % 40) / 10) for n in range(200)]
    shown = board_size.sites(rows, limit=5)
    lowest = {s.name for s in sorted(rows, key=lambda s: (s.overall.verified, s.name))[:5]}
    assert [s.name for s in shown.rows] == [s.name for s in rows if s.name in lowest]  # report order kept
    assert "5 sites with the lowest verified maturity of 200" in shown.note and "Sites sheet" in shown.note
    assert "(the 5 lowest of 200 sites)" in charts.site_chart(shown.rows, subset=shown.short).layout.title.text


def test_goal_columns_keep_the_sites_with_most_goals_not_implemented():
    names = [f"Plant {n:03d}" for n in range(20)]
    worst = {"Plant 007", "Plant 013"}

    def goal(gid: str) -> GoalRow:
        return GoalRow(gid, "A goal", "in_progress", None, 2.0, None,
                       sites=tuple((n, "not_implemented" if n in worst else "implemented") for n in names))

    shown = board_size.goal_sites([goal("1.A"), goal("1.B")], {}, limit=2)
    assert {site for site, _ in shown.rows[0].sites} == worst
    assert "12 sites" not in shown.note and "of 20" in shown.note and "CPG by site" in shown.note
    fig = charts.cpg_heatmap(shown.rows, ("IT",), subset=shown.short)
    assert "(the 2 weakest of 20 sites)" in fig.layout.title.text


def test_appendix_notes_are_cut_by_lines_and_enterprise_keeps_only_na_reasons():
    line = NoteLine(site="Plant 001", environment="OT", state="na", verified=None, na_reason="No OT here", notes="")
    note_only = NoteLine(site="Plant 002", environment="IT", state="answered", verified=2, na_reason="", notes="n")
    groups = [NoteGroup(f"Q-{i}", "Question", (line, line, note_only)) for i in range(10)]
    shown = board_size.na_reasons(groups, enterprise=True, limit=5)
    assert sum(len(g.lines) for g in shown.rows) == 5 and all(n.na_reason for g in shown.rows for n in g.lines)
    assert shown.total == 20 and "first 5 of 20 N/A reasons" in shown.note
    assert board_size.na_reasons(groups, enterprise=False, limit=100).note == ""
