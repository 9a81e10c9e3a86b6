"""#11.6: a bundle is trusted only when signed by a trusted key. Hashes anyone can recompute prove
nothing: a forged final assessment (verified 5.00, CPG 100 %, levels 99 and −7, back-dated
finalisation) with a recomputed manifest must never reach the database, the trends or the reports.
An admin may take an unverifiable bundle in as a draft marked unverified, never as final, and delete
an assessment that should not exist."""

from __future__ import annotations

import json
import os
import stat
import uuid
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from cli import scorecard
from services import trend_series as trends
from services.assessments import list_assessments, load_assessment
from services.audit_log import list_audit
from services.bundle_format import BundleError
from services.bundles import export_bundle, import_bundle
from services.context import Context
from storage.engine import Database
from storage.schema import upgrade
from tests.security.bundle_tools import edit_json, forge, unpack
from tests.services.helpers import ADMIN, CATALOG, CONTENT
from tests.services.sample import filled


@pytest.fixture
def hq(tmp_path) -> Iterator[Context]:
    """Headquarters' database, where bundles from the plants are imported (with the mini content)."""
    database = Database(f"sqlite:///{tmp_path / 'hq.db'}")
    upgrade(database)
    yield Context(database, CATALOG)
    database.dispose()


def _new_uid(files: dict[str, bytes]) -> None:
    """A fresh assessment id, so the forgery is not refused as 'already in the database'."""
    uid = str(uuid.uuid4())
    edit_json(files, "records/assessment.json", lambda head: head["assessment"].update(uid=uid))
    edit_json(files, "manifest.json", lambda manifest: manifest.update(assessment_uid=uid))


def _flattering_score(files: dict[str, bytes]) -> None:
    """Verified 5.00 and CPG 100 % in the snapshot (in its Scorecard and, in older formats, its columns)."""
    def change(snapshot):
        card = snapshot["scorecard"]
        card["overall"].update(claimed=5.0, verified=5.0, target=5.0)
        card["cpg_implemented_pct"] = 100.0
        for column, value in (("claimed", 5.0), ("verified", 5.0), ("cpg_implemented_pct", 100.0)):
            if column in snapshot:
                snapshot[column] = value
    edit_json(files, "records/snapshot.json", change)


def _impossible_levels_and_backdating(files: dict[str, bytes]) -> None:
    def levels(responses):
        responses[0]["current"] = 99
        responses[1]["target"] = -7
    edit_json(files, "records/responses.json", levels)
    edit_json(files, "records/assessment.json",
              lambda head: head["assessment"].update(finalised_at="2020-01-01T00:00:00+00:00"))


def _the_attack(files: dict[str, bytes]) -> None:
    _new_uid(files)
    _flattering_score(files)
    _impossible_levels_and_backdating(files)


def _nothing_arrived(hq) -> None:
    assert list_assessments(hq, ADMIN) == []
    assert trends.all_series(hq, ADMIN) == {}


def test_a_forged_final_assessment_with_a_recomputed_manifest_is_refused(ctx, hq) -> None:
    source = filled(ctx, final=True)
    for change in (_the_attack, lambda files: (_new_uid(files), _flattering_score(files))):
        forged = forge(export_bundle(ctx, ADMIN, source.id), change, keep_signature=True)
        with pytest.raises(BundleError, match="nothing was imported"):
            import_bundle(hq, ADMIN, forged, "q1-forged.zip")
        _nothing_arrived(hq)


def test_unsigned_and_stranger_signed_bundles_are_refused_with_the_reason(ctx, hq, stranger_key, monkeypatch) -> None:
    source = filled(ctx, final=True)
    genuine = export_bundle(ctx, ADMIN, source.id)
    cases = {"not signed": forge(genuine, _new_uid), "not trusted here": forge(genuine, _new_uid, key_file=stranger_key),
             "does not match": forge(genuine, _new_uid, keep_signature=True)}
    for reason, bundle in cases.items():
        with pytest.raises(BundleError, match="refused") as raised:
            import_bundle(hq, ADMIN, bundle, "plant.zip")
        assert reason in str(raised.value) and "--unverified" in str(raised.value)
        _nothing_arrived(hq)
    # Trusting the other installation's public key is a deliberate setting, and then it is verified.
    monkeypatch.setenv("SCORECARD_BUNDLE_TRUSTED_KEYS", f"{stranger_key}.pub")
    done = import_bundle(hq, ADMIN, cases["not trusted here"], "plant.zip")
    assert done.verified and done.assessment.status == "final" and not done.assessment.unverified


def test_an_unverified_bundle_arrives_only_as_a_draft_marked_unverified(ctx, hq) -> None:
    source = filled(ctx, final=True)
    genuine = export_bundle(ctx, ADMIN, source.id)
    forged = forge(genuine, _flattering_score)  # same assessment id as the genuine one, unsigned
    done = import_bundle(hq, ADMIN, forged, "plant.zip", allow_unverified=True)
    a = done.assessment
    assert not done.verified and "not signed" in done.reason
    assert (a.status, a.unverified, a.finalised_at, a.finalised_by) == ("draft", True, None, None)
    detail = load_assessment(hq, ADMIN, a.id)
    assert detail.snapshot is None and len(detail.responses) == 2 and len(detail.evidence) == 1
    assert trends.all_series(hq, ADMIN) == {}  # no forged score in the trends
    (entry,) = list_audit(hq, ADMIN, assessment_id=a.id)  # the bundle's history is not taken in
    assert (entry.entity, entry.action, entry.new_value["verified"]) == ("bundle", "import", False)
    assert entry.new_value["signature"] == "the bundle is not signed"
    # It cannot squat the genuine assessment's id: the genuine bundle still comes in, verified and final.
    assert a.uid != source.uid and entry.new_value["bundle_assessment_uid"] == source.uid
    real = import_bundle(hq, ADMIN, genuine, "plant.zip").assessment
    assert (real.uid, real.status, real.unverified) == (source.uid, "final", False)


def test_impossible_values_are_refused_even_as_unverified(ctx, hq) -> None:
    source = filled(ctx, final=True)
    forged = forge(export_bundle(ctx, ADMIN, source.id), _the_attack)
    with pytest.raises(BundleError) as raised:
        import_bundle(hq, ADMIN, forged, "plant.zip", allow_unverified=True)
    text = str(raised.value)
    assert "records/responses.json [0].current" in text and "less than or equal to 5 (got 99)" in text
    assert "records/responses.json [1].target" in text and "greater than or equal to 0 (got -7)" in text
    _nothing_arrived(hq)


def test_the_cli_signs_imports_refuses_and_deletes(db_url, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SCORECARD_DB_URL", db_url)
    monkeypatch.setenv("SCORECARD_CONTENT_DIR", str(CONTENT))
    runner = CliRunner()

    def run(*args: str, **kwargs):
        result = runner.invoke(scorecard, list(args), catch_exceptions=False, **kwargs)
        assert "Traceback" not in result.output
        return result

    key = tmp_path / "keys" / "org.key"
    key.parent.mkdir()
    made = run("bundle", "keygen", "-o", str(key))
    assert made.exit_code == 0 and stat.S_IMODE(os.stat(key).st_mode) == 0o600 and key.with_suffix(".key.pub").exists()
    assert run("bundle", "keygen", "-o", str(key)).exit_code == 1  # never overwrites a key
    monkeypatch.setenv("SCORECARD_BUNDLE_KEY", str(key))
    run("site", "add", "Plant North", "--country", "DE", "--criticality", "high")
    assessment_id = run("assessment", "create", "--site", "Plant North", "--scope", "IT", "--as-of", "2026-03-31").output.strip()
    bundle = tmp_path / "a.zip"
    assert run("bundle", "export", assessment_id, "-o", str(bundle)).exit_code == 0
    assert "signature.json" in unpack(bundle.read_bytes())
    run("assessment", "delete", assessment_id, "--reason", "moved to HQ", "--yes")
    assert run("bundle", "import", str(bundle)).exit_code == 0  # signed by our own key: verified

    forged = tmp_path / "forged.zip"
    forged.write_bytes(forge(bundle.read_bytes(), _new_uid))
    refused = run("bundle", "import", str(forged))
    assert refused.exit_code == 1 and "not signed" in refused.output
    taken = run("bundle", "import", str(forged), "--unverified")
    assert taken.exit_code == 0 and "UNVERIFIED draft" in taken.output
    new_id = taken.output.strip().splitlines()[-1]
    listing = json.loads(run("assessment", "list", "--json").output)
    assert [(a["status"], a["unverified"]) for a in listing if str(a["id"]) == new_id] == [("draft", True)]
    assert run("assessment", "delete", new_id, "--reason", "forged").exit_code == 1  # not confirmed: aborted
    assert run("assessment", "delete", new_id, "--reason", "forged", input="y\n").exit_code == 0
    audit = json.loads(run("audit", "--json").output)
    deletion = [e for e in audit if e["action"] == "delete"][-1]
    assert deletion["new_value"] == {"reason": "forged"} and deletion["old_value"]["unverified"] is True
    remaining = json.loads(run("assessment", "list", "--json").output)
    assert [(a["status"], a["unverified"]) for a in remaining] == [("draft", False)]  # the verified import
