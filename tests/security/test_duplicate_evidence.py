"""#11.12: importing the file that already is an assessment's current evidence of its dataset (same
bytes, same mapping) says "already imported" and stores nothing, in the service, the CLI and the
app. A changed file, another mapping, or going back to an earlier file are real changes and stored."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from cli import scorecard
from errors import ConflictError
from services.assessments import create_assessment, load_assessment
from services.evidence_imports import import_evidence
from storage.tables import AuditRow, EvidenceFileChunkRow, EvidenceImportRow, EvidencePartRow
from tests.services.helpers import ADMIN, CONTENT, plant_with_assessment
from tests.ui.conftest import draft, open_page, texts, ui_db  # noqa: F401 - fixtures of the app test

EXERCISES = b"exercise_id,date,exercise_type,detect_minutes\nX1,2026-02-01,tabletop,30\nX2,2026-03-01,functional,45\n"
CHANGED = EXERCISES + b"X3,2026-03-15,tabletop,20\n"
MAPPING = b"columns:\n  exercise_id: exercise_id\n"
INVENTORY = b"Asset ID,Name,Environment,Criticality,Asset Owner\nA1,PLC 1,OT,critical,Ana\nA2,HMI 2,OT,high,Raj\n"


def _stored(ctx) -> dict[str, int]:
    with ctx.read() as session:
        return {t.__tablename__: session.scalar(select(func.count()).select_from(t))
                for t in (EvidenceImportRow, EvidenceFileChunkRow, EvidencePartRow, AuditRow)}


def test_the_same_file_again_stores_nothing(ctx) -> None:
    a = plant_with_assessment(ctx)
    first = import_evidence(ctx, ADMIN, a.id, "exercises", EXERCISES, name="ex.csv")
    before = _stored(ctx)
    with pytest.raises(ConflictError, match="already imported") as raised:
        import_evidence(ctx, ADMIN, a.id, "exercises", EXERCISES, name="exercises-again.csv")
    assert f"import #{first.id}" in str(raised.value) and "nothing was stored" in str(raised.value)
    assert _stored(ctx) == before


def test_real_changes_are_still_stored(ctx) -> None:
    a = plant_with_assessment(ctx)
    import_evidence(ctx, ADMIN, a.id, "exercises", EXERCISES, name="ex.csv")
    import_evidence(ctx, ADMIN, a.id, "exercises", EXERCISES, name="ex.csv", mapping=MAPPING, mapping_name="m.yaml")
    import_evidence(ctx, ADMIN, a.id, "exercises", CHANGED, name="ex.csv")
    import_evidence(ctx, ADMIN, a.id, "exercises", EXERCISES, name="ex.csv")  # back to the first file: current again
    imports = load_assessment(ctx, ADMIN, a.id).evidence
    assert [i.row_count for i in imports] == [2, 2, 3, 2]
    other = create_assessment(ctx, ADMIN, site="Plant South", scope="IT+OT", as_of=a.as_of)
    assert import_evidence(ctx, ADMIN, other.id, "exercises", EXERCISES, name="ex.csv").row_count == 2


def test_the_cli_says_already_imported(ctx, db_url, tmp_path, monkeypatch) -> None:
    a = plant_with_assessment(ctx)
    monkeypatch.setenv("SCORECARD_DB_URL", db_url)
    monkeypatch.setenv("SCORECARD_CONTENT_DIR", str(CONTENT))
    path = tmp_path / "exercises.csv"
    path.write_bytes(EXERCISES)
    run = CliRunner().invoke
    assert run(scorecard, ["evidence", "import", str(a.id), "exercises", str(path)]).exit_code == 0
    before = _stored(ctx)
    again = run(scorecard, ["evidence", "import", str(a.id), "exercises", str(path)], catch_exceptions=False)
    assert again.exit_code == 0 and "already imported" in again.output and "nothing was stored" in again.output
    assert _stored(ctx) == before


def _upload_and_import(at, name: str, data: bytes):
    at.file_uploader[0].set_value([(name, data, "text/csv")]).run()
    next(b for b in at.main.button if b.label == "Import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_app_says_already_imported(draft, open_page, ui_db) -> None:  # noqa: F811 - fixtures imported above
    at = open_page("evidence", assessment_id=draft.id)
    _upload_and_import(at, "inventory.csv", INVENTORY)
    assert any("Imported 2 rows" in t for t in texts(at.main.success))
    before = _stored(ui_db)
    _upload_and_import(at, "inventory (1).csv", INVENTORY)
    assert any("already imported" in t and "nothing was stored" in t for t in texts(at.main.error))
    assert _stored(ui_db) == before
