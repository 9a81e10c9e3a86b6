"""Home in AppTest: create an assessment (empty or copied), pick one from the list, add a site."""

from __future__ import annotations

from datetime import date

from services.assessments import list_assessments
from services.sites import list_sites
from tests.ui.conftest import ADMIN, VIEWER, texts


def test_create_an_empty_assessment_and_select_it(draft, open_page, ctx) -> None:
    at = open_page("home", assessment_id=draft.id)
    at.radio(key="home.start").set_value("Empty questionnaire").run()
    at.segmented_control(key="home.scope").set_value("OT").run()
    at.date_input(key="home.as_of").set_value(date(2026, 12, 31)).run()
    next(b for b in at.button if b.label == "Create assessment").click().run()
    assert not at.exception and not at.error
    created = [a for a in list_assessments(ctx, ADMIN) if a.id != draft.id]
    assert [(a.site_name, a.scope, a.as_of, a.status) for a in created] == [("Plant Test", "OT", date(2026, 12, 31), "draft")]
    assert at.session_state["scorecard.assessment_id"] == created[0].id
    assert any(f"#{created[0].id} created" in t for t in texts(at.success))


def test_copy_the_latest_assessment_forward(draft, open_page, ctx) -> None:
    at = open_page("home", assessment_id=draft.id)
    assert at.radio(key="home.start").value.startswith("Copy")
    at.date_input(key="home.as_of").set_value(date(2026, 12, 31)).run()
    next(b for b in at.button if b.label == "Create assessment").click().run()
    copy = max(list_assessments(ctx, ADMIN), key=lambda a: a.id)
    assert copy.copied_from_id == draft.id and copy.scope == "IT+OT"


def test_a_copy_dated_before_its_source_is_refused_with_a_message(draft, open_page) -> None:
    at = open_page("home", assessment_id=draft.id)
    at.date_input(key="home.as_of").set_value(date(2026, 1, 31)).run()
    next(b for b in at.button if b.label == "Create assessment").click().run()
    assert not at.exception
    assert any("later date" in t for t in texts(at.error))


def test_the_list_shows_every_assessment(draft, open_page) -> None:
    at = open_page("home")
    table = at.dataframe[0].value
    assert table[["#", "Site", "Scope", "Status"]].values.tolist() == [[draft.id, "Plant Test", "IT+OT", "draft"]]


def test_admin_adds_a_site_and_a_viewer_cannot_create(draft, open_page, ctx) -> None:
    at = open_page("home")
    at.text_input[0].input("Plant Monterrey")
    at.text_input[1].input("MX")
    next(b for b in at.button if b.label == "Add site").click().run()
    assert "Plant Monterrey" in [s.name for s in list_sites(ctx, ADMIN)]
    viewer = open_page("home", actor=VIEWER)
    assert next(b for b in viewer.button if b.label == "Create assessment").disabled
    assert not any(b.label == "Add site" for b in viewer.button)
