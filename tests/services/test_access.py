"""Roles are enforced in the services: a viewer cannot write through any service call, and an
assessor writes only for assigned sites. Every public service function taking `(ctx, actor, …)`
is either listed as a reader or called here; a new one fails this test until it is classified."""

from __future__ import annotations

import inspect
from datetime import date

import pytest
from sqlalchemy import func, select

import demo.loader
import demo.scaled
import services.answers
import services.assessment_scoring
import services.assessments
import services.audit_log
import services.bundles
import services.evidence_imports
import services.mapping_files
import services.questionnaire_progress
import services.sites
import services.trend_series
from errors import PermissionDeniedError
from services import answers
from services.assessments import finalize_assessment
from services.bundles import export_bundle
from services.context import Context
from storage.engine import Database
from storage.schema import upgrade
from storage.tables import Base
from tests.services.helpers import ADMIN, OTHER_ASSESSOR, VIEWER, plant_with_assessment

MODULES = [services.sites, services.assessments, services.answers, services.assessment_scoring, services.audit_log,
           services.evidence_imports, services.bundles, services.trend_series, services.mapping_files,
           services.questionnaire_progress, demo.loader]
READERS = {"list_sites", "find_site", "list_assessments", "get_assessment", "load_assessment", "score_assessment",
           "previous_assessment", "default_as_of",
           "assessment_metrics", "list_audit", "export_bundle", "export_bundle_to", "site_trend", "all_series", "series_and_rollup", "compare_sites",
           "enterprise_rollup", "previous_mapping"}


def _writers(world: dict) -> dict:
    ctx, a, final = world["ctx"], world["draft"], world["final"]
    return {
        "add_site": lambda actor: services.sites.add_site(ctx, actor, "New", country="DE", criticality="low"),
        "ensure_organisation": lambda actor: services.sites.ensure_organisation(ctx, actor, "Another Group"),
        "create_assessment": lambda actor: services.assessments.create_assessment(
            ctx, actor, site="Plant North", scope="IT", as_of=date(2026, 9, 30)),
        "copy_assessment": lambda actor: services.assessments.copy_assessment(ctx, actor, a, as_of=date(2026, 9, 30)),
        "submit_for_review": lambda actor: services.assessments.submit_for_review(ctx, actor, a),
        "send_back_to_draft": lambda actor: services.assessments.send_back_to_draft(ctx, actor, a),
        "finalize_assessment": lambda actor: services.assessments.finalize_assessment(ctx, actor, a, override_reason="x"),
        "confirm_responses": lambda actor: services.assessments.confirm_responses(
            ctx, actor, world["carried"], [("GOV-01", "IT")]),
        "reopen_assessment": lambda actor: services.assessments.reopen_assessment(ctx, actor, final, reason="x"),
        "delete_assessment": lambda actor: services.assessments.delete_assessment(ctx, actor, a, reason="x"),
        "save_response": lambda actor: answers.save_response(ctx, actor, a, "GOV-02", "IT", {"current": 1}, expected_version=0),
        "import_responses": lambda actor: answers.import_responses(ctx, actor, a, world["csv"]),
        "set_target": lambda actor: answers.set_target(ctx, actor, a, "GOV-01", "IT", 5),
        "add_finding": lambda actor: answers.add_finding(ctx, actor, a, question_id="GOV-01", environment="IT", title="t",
                                                         owner="o"),
        "update_finding": lambda actor: answers.update_finding(ctx, actor, a, world["finding"], {"status": "done"},
                                                               expected_version=1),
        "import_evidence": lambda actor: services.evidence_imports.import_evidence(
            ctx, actor, a, "exercises", b"exercise_id,date\nX1,2026-01-01\n", name="x.csv"),
        "import_bundle": lambda actor: services.bundles.import_bundle(ctx, actor, world["bundle"]),
        "load_demo": lambda actor: demo.loader.load_demo(ctx, actor),
        "load_estates": lambda actor: demo.loader.load_estates(ctx, actor, demo.scaled.scaled_estates(1)[1:], first_quarter=5,
                                                               scale=0.01),
    }


def _service_functions() -> set[str]:
    names = set()
    for module in MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                parameters = list(inspect.signature(function).parameters)
                if parameters[:2] == ["ctx", "actor"]:
                    names.add(name)
    return names


def _row_counts(db) -> dict[str, int]:
    with db.read() as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def write_context(ctx, tmp_path) -> dict:
    """A draft with a finding, a final assessment, a responses file and a bundle from another
    database: what every writer in `_writers` needs to succeed when an admin calls it."""
    draft = plant_with_assessment(ctx)
    finding = answers.add_finding(ctx, ADMIN, draft.id, question_id="GOV-01", environment="IT", title="t", owner="o")
    final = services.assessments.create_assessment(ctx, ADMIN, site="Plant North", scope="IT", as_of=date(2025, 12, 31))
    answers.save_response(ctx, ADMIN, final.id, "GOV-01", "IT", {"current": 2}, expected_version=0)
    finalize_assessment(ctx, ADMIN, final.id, override_reason="a final with one answer to write to")
    carried = services.assessments.copy_assessment(ctx, ADMIN, final.id, as_of=date(2026, 6, 30))  # GOV-01/IT to confirm
    csv = tmp_path / "r.csv"
    csv.write_text("question_id,environment,current\nGOV-02,IT,2\n", encoding="utf-8")
    elsewhere = Context(Database(f"sqlite:///{tmp_path / 'elsewhere.db'}"), ctx.catalog)
    upgrade(elsewhere.db)
    bundle = export_bundle(elsewhere, ADMIN, plant_with_assessment(elsewhere).id)
    elsewhere.db.dispose()
    return {"ctx": ctx, "draft": draft.id, "final": final.id, "finding": finding.id, "csv": csv, "bundle": bundle,
            "carried": carried.id}


@pytest.fixture
def world(ctx, tmp_path):
    return write_context(ctx, tmp_path)


def test_every_service_function_is_classified(world) -> None:
    assert _service_functions() - READERS == set(_writers(world))


def test_a_viewer_cannot_write_through_any_service_call(world) -> None:
    before = _row_counts(world["ctx"].db)
    for name, call in _writers(world).items():
        with pytest.raises(PermissionDeniedError, match="viewer"):
            call(VIEWER)
        assert _row_counts(world["ctx"].db) == before, name


def test_an_assessor_writes_only_for_assigned_sites(world) -> None:
    before = _row_counts(world["ctx"].db)
    for name, call in _writers(world).items():
        with pytest.raises(PermissionDeniedError):
            call(OTHER_ASSESSOR)
        assert _row_counts(world["ctx"].db) == before, name
