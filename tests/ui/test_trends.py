"""Journey 4 in AppTest: series over quarters, the sites side by side, what changed since the
previous finalised assessment (seeded organisation of tests/ui/dashboard_seed.py)."""

from __future__ import annotations

from tests.ui.conftest import texts
from tests.ui.dashboard_seed import *  # noqa: F403 - the seeded database fixtures


def _frame(at, column: str):
    return next(d.value for d in at.main.dataframe if column in d.value.columns)


def test_series_of_the_enterprise_wide_assessments(seeded, open_page) -> None:
    at = open_page("trends")
    series = at.main.selectbox(key="trends.series")
    assert series.value == "Plant North"  # the sidebar's site
    series.set_value("(enterprise)")
    at.run()
    assert not at.exception
    table = _frame(at, "Quarter")
    assert table["Quarter"].tolist() == ["2026 Q2", "2026 Q3"]
    assert table["Verified"].tolist() == [3.0, 4.0]
    assert table["Change"].tolist()[1] == 1.0


def test_a_site_with_one_finalised_quarter_and_the_rollup(seeded, open_page) -> None:
    at = open_page("trends")
    assert _frame(at, "Quarter")["Quarter"].tolist() == ["2026 Q2"]
    at.main.selectbox(key="trends.series").set_value("__rollup__")
    at.run()
    rollup = _frame(at, "Quarter")
    assert rollup["Verified"].tolist()[-1] == round((4 * 4.0 + 4 * 2.0 + 2 * 1.0) / 10, 2)


def test_sites_side_by_side(seeded, open_page) -> None:
    at = open_page("trends")
    sites = _frame(at, "Criticality")
    assert sites["Site"].tolist() == ["Enterprise-wide", "Plant North", "Plant South"]
    assert sites["Verified"].tolist() == [4.0, 2.0, 1.0]
    assert {"GV", "PR", "RC"} <= set(sites.columns)


def _draft_asked_for(open_page):
    at = open_page("trends")  # sidebar: Plant North's latest, the 8 %-complete Q3 draft
    headings = texts(at.main.markdown)
    # North's latest final (Q2) is its first: nothing to compare, and the draft is not posed as a result.
    assert not any("(draft) compared with" in h for h in headings)
    assert any(i.startswith("Plant North 2026 Q2 (final): there is no earlier finalised") for i in texts(at.main.info))
    assert not any("Provisional" in w for w in texts(at.main.warning))
    toggle = next(t for t in at.main.toggle if t.label.startswith("Compare the selected draft instead"))
    toggle.set_value(True).run()
    assert any(w.startswith("**Provisional:**") for w in texts(at.main.warning))
    return at


def test_what_changed_compares_final_assessments_and_a_draft_only_when_asked(seeded, open_page) -> None:
    _draft_asked_for(open_page)


def test_what_changed_lists_regressions_and_missing_answers(seeded, open_page) -> None:
    at = _draft_asked_for(open_page)
    headings = texts(at.main.markdown)
    assert any(h.startswith("#### Plant North 2026 Q3 (draft) compared with 2026 Q2") for h in headings)
    answers = next(d.value for d in at.main.dataframe if "Env" in d.value.columns and "Before" in d.value.columns
                   and d.value["Before"].str.startswith("claimed").any())
    assert "▼ worse" in answers["Direction"].tolist()
    assert "unanswered" in answers["Now"].tolist()
    down = next(m.value for m in at.main.metric if m.label == "Verified level down")
    assert int(down) > 0


def test_first_assessment_has_nothing_to_compare(seeded, open_page) -> None:
    _, ids = seeded
    at = open_page("trends", assessment_id=ids.south_q3)
    assert any("no earlier finalised assessment" in i for i in texts(at.main.info))


def test_empty_database_says_trends_start_at_finalisation(ui_db, open_page) -> None:
    at = open_page("trends")
    assert any("trends start when an assessment is finalised" in i for i in texts(at.main.info))
    assert any("nothing to compare" in i for i in texts(at.main.info))
