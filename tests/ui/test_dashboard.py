"""Journey 3 in AppTest: the CIO dashboard of the enterprise, a site and an assessment on the
seeded organisation (tests/ui/dashboard_seed.py), its environment filter, verdict and tables."""

from __future__ import annotations

from services.answers import save_response
from services.content import get_catalog
from tests.ui.conftest import VIEWER, go, texts
from tests.ui.dashboard_seed import *  # noqa: F403 - the seeded database fixtures
from tests.ui.dashboard_seed import ADMIN, FINDING_OWNER, first_question
from ui.views.dashboard import TAB_KEY


def _metric(at, label: str) -> str:
    return next(m.value for m in at.main.metric if m.label == label)


def _control(at, label: str):
    return next(w for w in at.main.segmented_control if w.label == label)


def _tab(at, name: str):
    """Open the tab `name` (only the open tab's section is drawn)."""
    at.session_state[TAB_KEY] = name
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _gaps(at):
    return next(d.value for d in _tab(at, "Top gaps & owners").main.dataframe if "Owner" in d.value.columns)


def _show(at, view: str):
    _control(at, "Show").set_value(view)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_enterprise_dashboard_shows_the_rollup_and_every_site(seeded, open_page) -> None:
    at = open_page("dashboard")
    assert _control(at, "Show").value == "enterprise"
    assert any("(enterprise)" in m for m in texts(at.main.markdown))
    # Shared IT 4 (weight 4), North's finalised Q2 2 (critical, 4), South 1 (medium, 2): 26 / 10.
    assert _metric(at, "Verified") == "2.60" and _metric(at, "Claimed") == "2.60"
    assert _metric(at, "Completion") == "100 %" and _metric(at, "Confidence") == "0 %"
    infos = texts(at.main.info)
    assert any(i.startswith("Maturity criticality-weighted across 3 sites, as of 2026-09-30") for i in infos)
    assert any("Not yet included (not final): Plant North 2026-09-30 (draft)" in i for i in infos)
    assert any("Provisional figures" in w for w in texts(at.main.warning))
    gaps = _gaps(at)
    # Owner, due date and status come first, then the site.
    assert list(gaps.columns)[:5] == ["Rank", "Owner", "Due", "Status", "Site"]
    assert set(gaps["Site"]) <= {"Plant North", "Plant South"}
    assert [t.label for t in at.main.tabs][-1] == "Sites compared"
    sites = _tab(at, "Sites compared").main.dataframe[-1].value
    assert sites["Site"].tolist() == ["Enterprise-wide (shared IT)", "Plant North", "Plant South"]
    assert sites["Verified"].tolist() == [4.0, 2.0, 1.0]  # the assessments rolled up


def test_site_dashboard_is_the_latest_final_assessment_not_the_newer_draft(seeded, open_page) -> None:
    at = _show(open_page("dashboard"), "site")  # the sidebar holds Plant North's 8 %-complete Q3 draft
    assert any("latest final" in c for c in texts(at.main.caption))
    assert "as of 30 Jun 2026" in " ".join(texts(at.main.caption))  # the finalised Q2
    assert not any("Not a result yet" in e for e in texts(at.main.error))
    assert _metric(at, "Completion") == "100 %"
    assert any(m.startswith("Verified 2.00") for m in texts(at.main.markdown))  # the answer first


def test_the_url_names_the_view_it_opens_and_follows_the_one_shown(seeded, open_page) -> None:
    at = open_page("home")
    at.query_params["show"] = "site"  # a link to Plant North's latest final
    at = go(at, "dashboard")
    assert _control(at, "Show").value == "site"
    assert any("latest final" in c for c in texts(at.main.caption))
    at = _show(at, "assessment")
    assert at.query_params["show"] == "assessment"  # the address bar names the view now shown
    unknown = open_page("home")
    unknown.query_params["show"] = "everything"
    assert _control(go(unknown, "dashboard"), "Show").value == "enterprise"  # not a view: the default


def test_selected_draft_warns_that_it_is_not_a_result_and_says_provisional(seeded, open_page) -> None:
    at = _show(open_page("dashboard"), "assessment")
    errors = texts(at.main.error)
    assert len(errors) == 1 and errors[0].startswith("**Not a result yet")
    assert "draft" in errors[0]
    assert _metric(at, "Completion") == "8 %"
    assert any(m.startswith("Provisional (draft, 8 % complete): verified 1.00, down 1.00 since 2026 Q2")
               for m in texts(at.main.markdown))
    gaps = _gaps(at)
    assert FINDING_OWNER in gaps["Owner"].tolist()
    first = first_question(get_catalog())
    assert (gaps.loc[gaps["Practice"].str.startswith(f"{first} · "), "Owner"] == FINDING_OWNER).all()


def test_environment_filter_narrows_to_ot(seeded, open_page) -> None:
    at = _show(open_page("dashboard"), "site")
    env = _control(at, "Environment")
    assert env.options == ["IT + OT", "IT", "OT"] and env.value == "IT + OT"
    env.set_value("OT")
    at.run()
    assert not at.exception
    assert "scope OT" in " ".join(texts(at.main.caption))
    gaps = _gaps(at)
    assert set(gaps["Env"]) == {"OT"}
    assert _control(at, "Environment").value == "OT"  # opening a tab keeps the filter


def test_only_the_open_tab_is_drawn(seeded, open_page) -> None:
    """A browser draws every chart it is sent, hidden or not: the closed tabs' sections are not sent."""
    at = open_page("dashboard")
    charts = [c.proto.spec for c in at.main.get("plotly_chart")]
    assert len(charts) == 5  # overall, trend, path; the open first tab's functions and categories
    assert any("CSF 2.0 categories" in spec for spec in charts)
    assert not any("Owner" in d.value.columns for d in at.main.dataframe)
    assert len(at.main.dataframe) == 1  # the functions' table; the categories' waits in its expander
    at.session_state["dash-enterprise-categories-table"] = True  # the user opens it
    at.run()
    assert [len(d.value) for d in at.main.dataframe][1] > 6  # the categories, more than the 6 functions
    _tab(at, "Top gaps & owners")
    assert any("Owner" in d.value.columns for d in at.main.dataframe)
    charts = [c.proto.spec for c in at.main.get("plotly_chart")]
    assert len(charts) == 3 and not any("CSF 2.0 categories" in spec for spec in charts)
    _tab(at, "CPG 2.0 goals")
    assert any("CISA CPG 2.0 goals" in c.proto.spec for c in at.main.get("plotly_chart"))


def test_metric_tiles_show_evidence_measures_with_status_words(seeded, open_page) -> None:
    at = _show(open_page("dashboard"), "assessment")  # the Q3 draft holds the evidence
    markdown = texts(at.main.markdown)
    assert "**Exercises in the last 12 months**" in markdown
    assert any("Red" in m or "Amber" in m or "Green" in m for m in markdown if "badge" in m)
    assert "2" in [m.value for m in at.main.metric if m.label == "Exercises in the last 12 months"]


def test_tiles_on_green_are_drawn_when_opened(seeded, open_page) -> None:
    at = _show(open_page("dashboard"), "assessment")
    box = next(e for e in at.main.expander if e.label.endswith("metrics on green"))
    green = int(box.label.split()[0])
    assert green > 0 and not box.get("metric")  # collapsed: its tiles are not sent to the browser
    shown = len(at.main.metric)
    at.session_state["dash-assessment-green"] = True  # the user opens it
    at.run()
    assert not at.exception
    box = next(e for e in at.main.expander if e.label.endswith("metrics on green"))
    assert len(box.get("metric")) == green and len(at.main.metric) == shown + green


def test_assessment_view_follows_the_sidebar_selection(seeded, open_page) -> None:
    ctx, ids = seeded
    at = open_page("dashboard", assessment_id=ids.south_q3)
    at = _show(at, "assessment")
    assert any(m == "### Plant South" for m in texts(at.main.markdown))
    assert _metric(at, "Verified") == "1.00"
    assert any("Provisional figures" in w for w in texts(at.main.warning))


def test_new_answer_shows_on_the_next_run(seeded, open_page) -> None:
    """The cached view-model is keyed by the data version, so an edit is never hidden."""
    ctx, ids = seeded
    at = _show(open_page("dashboard"), "assessment")
    before = _metric(at, "Completion")
    question = get_catalog().questionnaire("manufacturing-it-ot").questions[-1].id
    save_response(ctx, ADMIN, ids.north_q3, question, "IT", {"current": 3}, expected_version=0)
    go(at, "dashboard")
    assert _metric(at, "Completion") != before


def test_viewer_sees_the_dashboard(seeded, open_page) -> None:
    at = open_page("dashboard", actor=VIEWER)
    assert _metric(at, "Verified") == "2.60"


def test_no_enterprise_assessment_starts_on_the_site_and_explains_enterprise(ui_db, open_page, ctx) -> None:
    from datetime import date

    from services.assessments import create_assessment
    from services.sites import add_site

    add_site(ctx, ADMIN, "Solo", country="DE", criticality="low")
    create_assessment(ctx, ADMIN, site="Solo", scope="OT", as_of=date(2026, 9, 30))
    at = open_page("dashboard")
    assert _control(at, "Show").value == "site"
    # Its only assessment is a draft: no result to show, and where to find the draft.
    assert any("has no final assessment yet" in i and "select it as the assessment" in i for i in texts(at.main.info))
    assert not at.main.metric
    assert any("Not a result yet" in e for e in texts(_show(at, "assessment").main.error))
    at = _show(at, "enterprise")
    assert not at.main.error
    assert any(i.startswith("there is no enterprise-wide assessment to report on: create one with")
               for i in texts(at.main.info))
