"""Bundles: export → import (into another database) → export is identical; altered or foreign
archives are refused with the reason."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime

import pytest

from errors import PermissionDeniedError
from services import answers
from services.assessments import finalize_assessment, list_assessments, load_assessment
from services.bundle_format import BundleError
from services.bundles import export_bundle, import_bundle
from storage import evidence_imports as evidence_store
from storage.engine import Database
from storage.schema import upgrade
from tests.services.helpers import ADMIN, CATALOG, VIEWER, plant_with_assessment


def _filled(db, final: bool):
    a = plant_with_assessment(db)
    answers.save_response(ADMIN, a.id, "GOV-01", "OT", {"current": 3, "notes": "«walkdown» = ok"}, expected_version=0, catalog=CATALOG, db=db)
    answers.save_response(ADMIN, a.id, "ACC-02", "OT", {"na": True, "na_reason": "no PLCs"}, expected_version=0, catalog=CATALOG, db=db)
    answers.set_target(ADMIN, a.id, "GOV-01", "OT", 5, due_date=date(2026, 12, 31), reason="board", catalog=CATALOG, db=db)
    answers.add_finding(ADMIN, a.id, question_id="GOV-01", environment="OT", title="Owners", owner="ops", catalog=CATALOG, db=db)
    with db.write() as session:
        evidence_store.store_import(session, a.id, dataset="exceptions", file_name="../Exceptions Q1.csv", sha256="ab" * 32,
                                    content=b"exception_id,opened\nE1,2026-01-02\n",
                                    rows=[{"exception_id": "E1", "opened": "2026-01-02", "owner": None}], mapping={"columns": {"X": "owner"}},
                                    user="alice", now=datetime(2026, 3, 1, tzinfo=UTC))
    if final:
        finalize_assessment(ADMIN, a.id, catalog=CATALOG, db=db)
    return a


@pytest.mark.parametrize("final", [False, True], ids=["draft", "final"])
def test_export_import_export_is_identical(db, tmp_path, final) -> None:
    a = _filled(db, final)
    first = export_bundle(VIEWER, a.id, db=db)
    other = Database(f"sqlite:///{tmp_path / 'other.db'}")
    upgrade(other)
    restored = import_bundle(ADMIN, first, "q1.zip", catalog=CATALOG, db=other)
    assert (restored.uid, restored.status, restored.site_name) == (a.uid, "final" if final else "draft", "Plant North")
    assert export_bundle(ADMIN, restored.id, db=other) == first
    detail = load_assessment(ADMIN, restored.id, db=other)
    assert [e.file_name for e in detail.evidence] == ["../Exceptions Q1.csv"]
    assert (detail.snapshot is not None) == final
    names = zipfile.ZipFile(io.BytesIO(first)).namelist()
    assert "evidence/files/001-Exceptions_Q1.csv" in names and names[0] == "manifest.json"
    with pytest.raises(BundleError, match="already in the database"):
        import_bundle(ADMIN, first, "q1.zip", catalog=CATALOG, db=other)
    with pytest.raises(PermissionDeniedError):
        import_bundle(VIEWER, first, catalog=CATALOG, db=db)
    other.dispose()


def _rewrite(data: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    files = {n: source.read(n) for n in source.namelist()}
    change(files)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def _bump_format(files):
    manifest = json.loads(files["manifest.json"])
    manifest["format_version"] = 99
    files["manifest.json"] = json.dumps(manifest).encode()


CASES = {
    "edited record": (lambda f: f.__setitem__("records/responses.json", f["records/responses.json"].replace(b'"current": 3', b'"current": 5')), "SHA-256"),
    "added file": (lambda f: f.__setitem__("evidence/files/extra.exe", b"MZ"), "not listed in the manifest"),
    "removed file": (lambda f: f.pop("records/audit.json"), "missing from the archive"),
    "no manifest": (lambda f: f.pop("manifest.json"), "foreign archive"),
    "other format": (lambda f: f.__setitem__("manifest.json", b'{"format": "something-else"}'), "foreign archive"),
    "newer format": (_bump_format, "newer than this version"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_altered_or_foreign_bundles_are_refused(db, tmp_path, case) -> None:
    a = _filled(db, final=False)
    change, reason = CASES[case]
    bad = _rewrite(export_bundle(ADMIN, a.id, db=db), change)
    other = Database(f"sqlite:///{tmp_path / 'other.db'}")
    upgrade(other)
    with pytest.raises(BundleError, match="refused|altered") as raised:
        import_bundle(ADMIN, bad, "x.zip", catalog=CATALOG, db=other)
    assert reason in str(raised.value)
    assert list_assessments(ADMIN, db=other) == []
    other.dispose()


def test_not_a_zip_is_refused(db) -> None:
    with pytest.raises(BundleError, match="not a zip archive"):
        import_bundle(ADMIN, b"PK\x03\x04 not really", "fake.zip", catalog=CATALOG, db=db)
