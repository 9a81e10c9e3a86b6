"""services.questionnaire_progress and services.mapping_files: progress, navigation, mapping text,
headers, unrecognised values, mapping carried forward. (That their
functions only read is tests/services/test_access.py's rule.)"""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook

from scoring.model import Scope
from services.answers import save_response
from services.assessments import copy_assessment, load_assessment
from services.content import get_catalog
from services.evidence_imports import import_evidence
from services.mapping_files import (
    file_headers,
    mapping_parts,
    mapping_text,
    parse,
    previous_mapping,
    unrecognised_values,
)
from services.questionnaire_progress import (
    next_unanswered,
    progress,
    responses_by_pair,
)
from tests.ui.conftest import ADMIN, VIEWER


def test_progress_counts_answers_na_and_review_marks(draft, ctx) -> None:
    save_response(ctx, ADMIN, draft.id, "GOV-01", "IT", {"current": 3}, expected_version=0)
    save_response(ctx, ADMIN, draft.id, "GOV-01", "OT", {"na": True, "na_reason": "none"}, expected_version=0)
    save_response(ctx, ADMIN, draft.id, "GOV-02", "IT", {"flagged": True}, expected_version=0)
    questionnaire = get_catalog().questionnaire(draft.questionnaire_id)
    responses = responses_by_pair(load_assessment(ctx, ADMIN, draft.id).responses)
    prog = progress(questionnaire, Scope.IT_OT, responses)
    assert (prog.overall.answered, prog.overall.applicable, prog.overall.flagged) == (2, 120, 1)
    assert prog.by_question["GOV-01"].complete and not prog.by_question["GOV-02"].complete
    assert (prog.by_section["governance"].answered, prog.by_section["governance"].applicable) == (2, 10)
    assert next_unanswered(questionnaire, Scope.IT_OT, responses) == "GOV-02"
    assert next_unanswered(questionnaire, Scope.IT_OT, responses, after="GOV-02") == "GOV-03"
    last = questionnaire.questions[-1].id
    assert next_unanswered(questionnaire, Scope.IT_OT, responses, after=last) == "GOV-02"  # wraps around


def test_mapping_text_round_trip_and_validation() -> None:
    text = mapping_text({"Device Name": "name"}, {"criticality": {"1": "critical", "Hgh": "high"}, "monitored": {}})
    assert mapping_parts(text) == ({"Device Name": "name"}, {"criticality": {"1": "critical", "Hgh": "high"}})
    assert parse(text, "asset_inventory") is not None
    assert mapping_text({}, {}) == "" and parse("", "asset_inventory") is None


def test_file_headers_of_csv_and_xlsx_with_a_title_row() -> None:
    assert file_headers(b"Plant inventory\n\nTag;Crit;Owner\nT1;1;Ana\n", "inv.csv") == ["Tag", "Crit", "Owner"]
    book = Workbook()
    sheet = book.active
    sheet.append(["Inventory export 2026"])
    sheet.append(["Device Ref", "Crit", "Asset Owner"])
    sheet.append(["T1", 1, "Ana"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert file_headers(buffer.getvalue(), "inv.xlsx") == ["Device Ref", "Crit", "Asset Owner"]


def test_unrecognised_values_are_counted_per_field() -> None:
    data = b"asset_id,criticality,environment\nA1,Hgh,OT\nA2,Hgh,Plant floor\nA3,critical,IT\nA4,2,IT\n"
    found = unrecognised_values(data, "i.csv", "asset_inventory", None)
    assert found == {"criticality": [("Hgh", 2), ("2", 1)], "environment": [("Plant floor", 1)]}
    mapped = parse(mapping_text({}, {"criticality": {"Hgh": "high", "2": "high"}}), "asset_inventory")
    assert unrecognised_values(data, "i.csv", "asset_inventory", mapped) == {"environment": [("Plant floor", 1)]}


def test_the_latest_mapping_of_the_site_carries_forward(draft, ctx) -> None:
    assert previous_mapping(ctx, ADMIN, draft.id, "asset_inventory") is None
    text = mapping_text({}, {"criticality": {"Hgh": "high"}})
    import_evidence(ctx, ADMIN, draft.id, "asset_inventory", b"asset_id,criticality\nA1,Hgh\n", name="i.csv",
                    mapping=text.encode(), mapping_name="asset_inventory-mapping.yaml")
    later = copy_assessment(ctx, ADMIN, draft.id, as_of=date(2026, 12, 31))
    found = previous_mapping(ctx, VIEWER, later.id, "asset_inventory")
    assert found is not None and found.text == text and found.assessment_id == draft.id
    assert previous_mapping(ctx, ADMIN, later.id, "exceptions") is None
