"""The shell: navigation, local-mode banner, selection through the sidebar and the URL, errors."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from errors import Problem, ScorecardError
from tests.ui.conftest import ROOT, go, raw_texts, texts
from ui import serving

PAGES = ("home", "questionnaire", "evidence", "dashboard", "trends", "reports", "admin")


def test_every_view_renders_without_an_assessment(ui_db, open_page) -> None:
    at = open_page("home")
    for page in PAGES:
        go(at, page)  # no exception on any view
        if page in ("home", "questionnaire", "evidence", "admin"):
            assert not at.error, (page, texts(at.error))


def test_local_mode_banner_names_the_single_user_and_the_address_served(ui_db, open_page, monkeypatch) -> None:
    monkeypatch.setattr(serving, "running_under_test_harness", lambda: False)
    monkeypatch.setattr(serving, "listening_endpoints", lambda: (serving.Endpoint("127.0.0.1", 8765),))
    at = open_page("home", actor=None)
    banner = " ".join(texts(at.sidebar.info))
    assert "Local mode" in banner and "listens only on 127.0.0.1:8765" in banner and "(admin)" in banner


def test_the_url_selects_the_assessment_and_its_site(draft, open_page) -> None:
    at = open_page("questionnaire", assessment_id=draft.id)
    site, assessment = at.sidebar.selectbox
    assert site.value == "Plant Test" and assessment.value == draft.id
    assert at.query_params["assessment"] == [str(draft.id)] or at.query_params["assessment"] == str(draft.id)


def test_odd_assessment_ids_in_the_url_are_ignored(ui_db) -> None:
    for raw in ("\u00b2", "99999999999999999999", "0", "-3", "abc"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["assessment"] = raw
        at.run()
        assert not at.exception, (raw, [e.value for e in at.exception])


def test_views_without_assessment_point_to_home(ui_db, open_page) -> None:
    at = open_page("questionnaire")
    assert any("No assessment selected" in t for t in texts(at.info))


def test_show_error_lists_every_problem_and_guard_keeps_other_errors_loud() -> None:
    def script() -> None:
        import streamlit as st

        from errors import Problem, ScorecardError
        from ui.components.errors import guard

        with guard():
            raise ScorecardError("the file was refused", [Problem("x.csv row 3, column 'crit'", "'Hgh' is not allowed", "high"),
                                                          Problem("x.csv row 4", "blank *asset_id*")])
        st.write("after")

        @guard()
        def broken() -> None:
            raise ValueError("a bug")

        if st.session_state.get("loud"):
            broken()

    at = AppTest.from_function(script).run()
    assert texts(at.error) == ["the file was refused"]
    details = " ".join(raw_texts(at.markdown))
    assert "row 3" in details and "Hgh" in details and "\\*asset\\_id\\*" in details  # user text is escaped
    assert "after" in details
    at.session_state["loud"] = True
    at.run()
    assert at.exception and "a bug" in at.exception[0].value
    assert ScorecardError and Problem  # imported for the reader: the script imports its own
