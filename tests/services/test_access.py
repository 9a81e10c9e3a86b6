"""Roles are enforced in the services: a viewer cannot write through any service call, and an
assessor writes only for assigned sites. Every public service function taking an `actor` is
either listed as a reader or called here; a new one fails this test until it is classified."""

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
from storage.engine import Database
from storage.schema import upgrade
from storage.tables import Base
from tests.services.helpers import ADMIN, CATALOG, OTHER_ASSESSOR, VIEWER, plant_with_assessment

MODULES = [services.sites, services.assessments, services.answers, services.assessment_scoring, services.audit_log,
           services.evidence_imports, services.bundles, services.trend_series, services.mapping_files,
           services.questionnaire_progress, demo.loader]
READERS = {"list_sites", "find_site", "list_assessments", "get_assessment", "load_assessment", "score_assessment",
           "previous_assessment",
           "assessment_metrics", "list_audit", "export_bundle", "site_trend", "all_series", "compare_sites",
           "enterprise_rollup", "series_and_rollup", "previous_mapping"}


def _writers(ctx: dict) -> dict:
    a, final, db = ctx["draft"], ctx["final"], ctx["db"]
    common = {"db": db}
    return {
        "add_site": lambda actor: services.sites.add_site(actor, "New", country="DE", criticality="low", **common),
        "ensure_organisation": lambda actor: services.sites.ensure_organisation(actor, "Another Group", **common),
        "create_assessment": lambda actor: services.assessments.create_assessment(
            actor, site="Plant North", scope="IT", as_of=date(2026, 9, 30), catalog=CATALOG, **common),
        "copy_assessment": lambda actor: services.assessments.copy_assessment(actor, a, as_of=date(2026, 9, 30), **common),
        "submit_for_review": lambda actor: services.assessments.submit_for_review(actor, a, **common),
        "send_back_to_draft": lambda actor: services.assessments.send_back_to_draft(actor, a, **common),
        "finalize_assessment": lambda actor: services.assessments.finalize_assessment(actor, a, catalog=CATALOG, **common),
        "reopen_assessment": lambda actor: services.assessments.reopen_assessment(actor, final, reason="x", **common),
        "delete_assessment": lambda actor: services.assessments.delete_assessment(actor, a, reason="x", **common),
        "save_response": lambda actor: answers.save_response(actor, a, "GOV-02", "IT", {"current": 1}, expected_version=0,
                                                             catalog=CATALOG, **common),
        "import_responses": lambda actor: answers.import_responses(actor, a, ctx["csv"], catalog=CATALOG, **common),
        "set_target": lambda actor: answers.set_target(actor, a, "GOV-01", "IT", 5, catalog=CATALOG, **common),
        "add_finding": lambda actor: answers.add_finding(actor, a, question_id="GOV-01", environment="IT", title="t",
                                                         owner="o", catalog=CATALOG, **common),
        "update_finding": lambda actor: answers.update_finding(actor, a, ctx["finding"], {"status": "done"},
                                                               expected_version=1, **common),
        "import_evidence": lambda actor: services.evidence_imports.import_evidence(
            actor, a, "exercises", b"exercise_id,date\nX1,2026-01-01\n", name="x.csv", **common),
        "import_bundle": lambda actor: services.bundles.import_bundle(actor, ctx["bundle"], catalog=CATALOG, **common),
        "load_demo": lambda actor: demo.loader.load_demo(actor, catalog=CATALOG, **common),
        "load_estates": lambda actor: demo.loader.load_estates(actor, demo.scaled.scaled_estates(1)[1:], first_quarter=5,
                                                               scale=0.01, catalog=CATALOG, **common),
    }


def _service_functions() -> set[str]:
    names = set()
    for module in MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                parameters = list(inspect.signature(function).parameters)
                if parameters[:1] == ["actor"]:
                    names.add(name)
    return names


def _row_counts(db) -> dict[str, int]:
    with db.read() as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def write_context(db, tmp_path) -> dict:
    """A draft with a finding, a final assessment, a responses file and a bundle from another
    database: what every writer in `_writers` needs to succeed when an admin calls it."""
    draft = plant_with_assessment(db)
    finding = answers.add_finding(ADMIN, draft.id, question_id="GOV-01", environment="IT", title="t", owner="o", catalog=CATALOG, db=db)
    final = services.assessments.create_assessment(ADMIN, site="Plant North", scope="IT", as_of=date(2025, 12, 31), catalog=CATALOG, db=db)
    finalize_assessment(ADMIN, final.id, catalog=CATALOG, db=db)
    csv = tmp_path / "r.csv"
    csv.write_text("question_id,environment,current\nGOV-02,IT,2\n", encoding="utf-8")
    elsewhere = Database(f"sqlite:///{tmp_path / 'elsewhere.db'}")
    upgrade(elsewhere)
    bundle = export_bundle(ADMIN, plant_with_assessment(elsewhere).id, db=elsewhere)
    elsewhere.dispose()
    return {"db": db, "draft": draft.id, "final": final.id, "finding": finding.id, "csv": csv, "bundle": bundle}


@pytest.fixture
def ctx(db, tmp_path):
    return write_context(db, tmp_path)


def test_every_service_function_is_classified(ctx) -> None:
    assert _service_functions() - READERS == set(_writers(ctx))


def test_a_viewer_cannot_write_through_any_service_call(ctx) -> None:
    before = _row_counts(ctx["db"])
    for name, call in _writers(ctx).items():
        with pytest.raises(PermissionDeniedError, match="viewer"):
            call(VIEWER)
        assert _row_counts(ctx["db"]) == before, name


def test_an_assessor_writes_only_for_assigned_sites(ctx) -> None:
    before = _row_counts(ctx["db"])
    for name, call in _writers(ctx).items():
        with pytest.raises(PermissionDeniedError):
            call(OTHER_ASSESSOR)
        assert _row_counts(ctx["db"]) == before, name
