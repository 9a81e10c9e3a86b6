"""A filled assessment for bundle tests: answers, an NA, a target, a finding and an evidence file
imported with a mapping, optionally finalised (through the services, as a user would)."""

from __future__ import annotations

from datetime import date

from services import answers
from services.assessments import finalize_assessment
from services.evidence_imports import import_evidence
from tests.services.helpers import ADMIN, plant_with_assessment

EXCEPTIONS = b"Ref,Summary,Opened on,Risk\nE1,Legacy HMI,2026-01-02,Hoch\nE2,Flat network,2026-02-03,mittel\n"
MAPPING = b'columns:\n  Ref: exception_id\nvalues:\n  risk_rating: {"Hoch": high, "mittel": medium}\n'


def filled(ctx, final: bool):
    """Plant North with answers, a target, a finding and an evidence file imported with a mapping."""
    a = plant_with_assessment(ctx)
    answers.save_response(ctx, ADMIN, a.id, "GOV-01", "OT", {"current": 3, "notes": "«walkdown» = ok"}, expected_version=0)
    answers.save_response(ctx, ADMIN, a.id, "ACC-02", "OT", {"na": True, "na_reason": "no PLCs"}, expected_version=0)
    answers.set_target(ctx, ADMIN, a.id, "GOV-01", "OT", 5, due_date=date(2026, 12, 31), reason="board")
    answers.add_finding(ctx, ADMIN, a.id, question_id="GOV-01", environment="OT", title="Owners", owner="ops")
    import_evidence(ctx, ADMIN, a.id, "exceptions", EXCEPTIONS, name="../Exceptions Q1.csv", mapping=MAPPING,
                    mapping_name="exceptions-mapping.yaml")
    if final:
        finalize_assessment(ctx, ADMIN, a.id)
    return a
