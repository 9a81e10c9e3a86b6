"""Home in AppTest: create an assessment (empty or copied), pick one from the list, add a site."""

from __future__ import annotations

from datetime import date

from services.assessments import (
    copy_assessment,
    create_assessment,
    finalize_assessment,
    list_assessments,
)
from services.sites import list_sites
from tests.ui.conftest import ADMIN, VIEWER, texts


def _as_of(at):
    return next(d for d in at.date_input if d.label == "As of")


def test_create_an_empty_assessment_and_select_it(draft, open_page, ctx) -> None:
    at = open_page("home", assessment_id=draft.id)
    at.radio(key="home.start").set_value("Empty questionnaire").run()
    at.segmented_control(key="home.scope").set_value("OT").run()
    _as_of(at).set_value(date(2026, 12, 31)).run()
    next(b for b in at.button if b.label == "Create assessment").click().run()
    assert not at.exception and not at.error
    created = [a for a in list_assessments(ctx, ADMIN) if a.id != draft.id]
    assert [(a.site_name, a.scope, a.as_of, a.status) for a in created] == [("Plant Test", "OT", date(2026, 12, 31), "draft")]
    assert at.session_state["scorecard.assessment_id"] == created[0].id
    assert any(f"#{created[0].id} created" in t for t in texts(at.success))
    next(b for b in at.button if b.label == "Open Questionnaire").click().run()
    assert not at.exception
    assert any("Questionnaire — Plant Test" in t for t in texts(at.main.markdown))


def test_a_second_assessment_of_the_same_site_date_and_scope_is_refused(draft, open_page, ctx) -> None:
    at = open_page("home", assessment_id=draft.id)
    at.radio(key="home.start").set_value("Empty questionnaire").run()
    _as_of(at).set_value(draft.as_of).run()
    next(b for b in at.button if b.label == "Create assessment").click().run()
    assert not at.exception
    assert any(f"already has a IT+OT assessment as of {draft.as_of}" in t for t in texts(at.error)), texts(at.error)
    assert [a.id for a in list_assessments(ctx, ADMIN)] == [draft.id]


def test_the_offered_date_is_the_quarter_after_the_latest_and_drafts_come_first(draft, open_page, ctx) -> None:
    finalize_assessment(ctx, ADMIN, draft.id, override_reason="an old quarter for the list")
    copy = copy_assessment(ctx, ADMIN, draft.id, as_of=date(2026, 12, 31))
    for day in (date(2025, 3, 31), date(2025, 6, 30)):
        finalize_assessment(ctx, ADMIN, create_assessment(ctx, ADMIN, site="Plant Test", scope="IT", as_of=day).id,
                            override_reason="history")
    at = open_page("home", assessment_id=draft.id)
    assert _as_of(at).value == date(2027, 3, 31)
    table = at.dataframe[0].value
    assert table["#"].tolist() == [copy.id]  # "Drafts and in review" is the default filter
    at.segmented_control(key="home.status").set_value("all").run()
    assert at.dataframe[0].value["#"].tolist()[0] == copy.id  # drafts first, then the finals


def test_copy_the_latest_assessment_forward(draft, open_page, ctx) -> None:
    at = open_page("home", assessment_id=draft.id)
    assert at.radio(key="home.start").value.startswith("Copy")
    _as_of(at).set_value(date(2026, 12, 31)).run()
    next(b for b in at.button if b.label == "Create assessment").click().run()
    copy = max(list_assessments(ctx, ADMIN), key=lambda a: a.id)
    assert copy.copied_from_id == draft.id and copy.scope == "IT+OT"


def test_a_copy_dated_before_its_source_is_refused_with_a_message(draft, open_page) -> None:
    at = open_page("home", assessment_id=draft.id)
    _as_of(at).set_value(date(2026, 1, 31)).run()
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
