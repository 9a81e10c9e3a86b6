"""Bundles: export → import (into another database) → export is identical for signed bundles;
altered or foreign archives are refused with the reason. Hostile bundles: tests/security."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator

import pandas.testing as pdt
import pytest

from errors import PermissionDeniedError
from services.assessments import list_assessments, load_assessment
from services.bundle_format import BundleError
from services.bundle_keys import BundleKeyError
from services.bundles import export_bundle, import_bundle
from services.context import Context
from storage import evidence_imports as evidence_store
from storage.engine import Database
from storage.schema import upgrade
from tests.services.helpers import ADMIN, CATALOG, VIEWER, plant_with_assessment
from tests.services.sample import filled
from tests.storage.helpers import stored_frame


@pytest.fixture
def other(tmp_path) -> Iterator[Context]:
    """A second, empty database to import into (with the mini content)."""
    database = Database(f"sqlite:///{tmp_path / 'other.db'}")
    upgrade(database)
    yield Context(database, CATALOG)
    database.dispose()


def test_files_and_rows_in_many_pieces_stream_through_a_bundle_unchanged(ctx, other, monkeypatch) -> None:
    """Original files are stored and streamed in pieces, rows in parts: with pieces of 16 bytes and
    parts of one row, what arrives is byte for byte what was stored, and exports identically."""
    from services import evidence_imports as evidence_service
    from services.bundle_reader import OpenedBundle

    monkeypatch.setattr(evidence_store, "FILE_CHUNK_BYTES", 16)
    original = evidence_service.frame_to_parts
    monkeypatch.setattr(evidence_service, "frame_to_parts", lambda schema, frame: original(schema, frame, 1))
    streamed = []
    stream = OpenedBundle.stream
    monkeypatch.setattr(OpenedBundle, "stream", lambda self, path: (streamed.append(path), stream(self, path))[1])
    a = filled(ctx, False)
    first = export_bundle(ctx, VIEWER, a.id)
    restored = import_bundle(other, ADMIN, first, "q1.zip").assessment
    (item,) = load_assessment(ctx, ADMIN, a.id).evidence
    (copy,) = load_assessment(other, ADMIN, restored.id).evidence
    with ctx.read() as session, other.read() as reading:
        assert len(list(evidence_store.iter_file_content(session, item.id))) > 3
        assert evidence_store.file_content(reading, copy.id) == evidence_store.file_content(session, item.id)
        assert len(evidence_store.load_parts(reading, copy.id)) == item.row_count == 2
        pdt.assert_frame_equal(stored_frame(reading, copy), stored_frame(session, item))
    assert streamed == ["evidence/files/001-Exceptions_Q1.csv"]
    assert export_bundle(other, ADMIN, restored.id) == first


@pytest.mark.parametrize("final", [False, True], ids=["draft", "final"])
def test_export_import_export_is_identical(db, ctx, other, final) -> None:
    a = filled(ctx, final)
    first = export_bundle(ctx, VIEWER, a.id)
    done = import_bundle(other, ADMIN, first, "q1.zip")
    restored = done.assessment
    assert done.verified and not restored.unverified
    assert (restored.uid, restored.status, restored.site_name) == (a.uid, "final" if final else "draft", "Plant North")
    assert export_bundle(other, ADMIN, restored.id) == first
    detail = load_assessment(other, ADMIN, restored.id)
    assert [(e.file_name, e.row_count) for e in detail.evidence] == [("../Exceptions Q1.csv", 2)]
    with db.read() as session, other.read() as copy:
        source = stored_frame(session, load_assessment(ctx, ADMIN, a.id).evidence[0])
        pdt.assert_frame_equal(stored_frame(copy, detail.evidence[0]), source)
    assert (detail.snapshot is not None) == final
    names = zipfile.ZipFile(io.BytesIO(first)).namelist()
    assert names[-2:] == ["manifest.json", "signature.json"] and "evidence/files/001-Exceptions_Q1.csv" in names
    assert "evidence/rows/001-0001.parquet" in names  # the rows as stored, covered by the signed manifest
    with pytest.raises(BundleError, match="already in the database"):
        import_bundle(other, ADMIN, first, "q1.zip")
    with pytest.raises(PermissionDeniedError):
        import_bundle(ctx, VIEWER, first)


def test_export_needs_the_bundle_key(ctx, monkeypatch) -> None:
    a = plant_with_assessment(ctx)
    monkeypatch.delenv("SCORECARD_BUNDLE_KEY")
    with pytest.raises(BundleKeyError, match="no bundle key") as raised:
        export_bundle(ctx, ADMIN, a.id)
    assert "scorecard bundle keygen" in str(raised.value)


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
    "edited record": (lambda f: f.__setitem__("records/responses.json", f["records/responses.json"].replace(
        b'"current": 3', b'"current": 5')), "SHA-256"),
    "added file": (lambda f: f.__setitem__("evidence/files/extra.exe", b"MZ"), "not listed in the manifest"),
    "removed file": (lambda f: f.pop("records/audit.json"), "missing from the archive"),
    "no manifest": (lambda f: f.pop("manifest.json"), "foreign archive"),
    "other format": (lambda f: f.__setitem__("manifest.json", b'{"format": "something-else"}'), "foreign archive"),
    "newer format": (_bump_format, "newer than this version"),
    "no signature": (lambda f: f.pop("signature.json"), "not signed"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_altered_or_foreign_bundles_are_refused(ctx, other, case) -> None:
    a = filled(ctx, final=False)
    change, reason = CASES[case]
    bad = _rewrite(export_bundle(ctx, ADMIN, a.id), change)
    with pytest.raises(BundleError, match="refused|altered") as raised:
        import_bundle(other, ADMIN, bad, "x.zip")
    assert reason in str(raised.value)
    assert list_assessments(other, ADMIN) == []


def test_not_a_zip_is_refused(ctx) -> None:
    with pytest.raises(BundleError, match="not a zip archive"):
        import_bundle(ctx, ADMIN, b"PK\x03\x04 not really", "fake.zip")



@pytest.mark.parametrize("signed", [True, False], ids=["signed: rows from the parts", "unverified: rows re-read"])
def test_evidence_read_with_a_preset_in_a_site_time_zone_arrives_with_the_same_rows(ctx, other, signed, monkeypatch) -> None:
    """The rows a bundle brings are the ones stored at the source: the signed parts as they are, or
    for an unverified bundle the file read again with the import's preset and the time zone of the
    site of the same name here."""
    from datetime import date

    from services.assessments import create_assessment
    from services.evidence_imports import import_evidence
    from services.sites import add_site
    from tests.conftest import PROJECT_ROOT

    add_site(ctx, ADMIN, "Plant Coventry", country="GB", criticality="high", time_zone="Europe/London")
    a = create_assessment(ctx, ADMIN, site="Plant Coventry", scope="IT+OT", as_of=date(2026, 11, 30))
    stored = import_evidence(ctx, ADMIN, a.id, "exceptions", PROJECT_ROOT / "tests" / "data" / "presets" /
                             "risk-register-accepted.csv", preset="risk-register-accepted")
    data = export_bundle(ctx, ADMIN, a.id)
    add_site(other, ADMIN, "Plant Coventry", country="GB", criticality="high", time_zone="Europe/London")
    if not signed:
        monkeypatch.delenv("SCORECARD_BUNDLE_KEY")  # no key trusted here any more
    done = import_bundle(other, ADMIN, data, "q4.zip", allow_unverified=not signed)
    assert done.verified == signed
    (copy,) = load_assessment(other, ADMIN, done.assessment.id).evidence
    assert copy.mapping["preset"] == "risk-register-accepted" and copy.row_count == stored.row_count == 4
    with ctx.read() as session, other.read() as reading:
        pdt.assert_frame_equal(stored_frame(reading, copy), stored_frame(session, stored))
