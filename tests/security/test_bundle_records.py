"""#11.6: a signature says who made a bundle, not that its records make sense. Every record of a
bundle, even one signed with the organisation's own key (an insider, or a bug in another version),
meets the same domain rules as an ordinary write; evidence rows come from the files, never from the
bundle; every problem is reported at once as `bundle: file field: what`, and nothing is written."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from datetime import date

import pytest
from click.testing import CliRunner

from cli import scorecard
from scoring.model import Scope
from services.assessments import list_assessments, load_assessment
from services.bundle_format import BundleError
from services.bundles import export_bundle, import_bundle
from services.context import Context
from services.scorecards import score_responses
from storage import evidence_imports as evidence_store
from storage.engine import Database
from storage.schema import upgrade
from tests.security.bundle_tools import edit_json, forge, map_json, pack, rehash, unpack
from tests.services.helpers import ADMIN, CATALOG, CONTENT
from tests.services.sample import filled
from tests.storage.helpers import stored_frame

HEAD, RESPONSES, TARGETS = "records/assessment.json", "records/responses.json", "records/targets.json"
IMPORTS, SNAPSHOT = "evidence/imports.json", "records/snapshot.json"
FINDINGS = "records/findings.json"
FILE = "evidence/files/001-Exceptions_Q1.csv"
PART = "evidence/rows/001-0001.parquet"


def _finding(field, value):
    return lambda f: edit_json(f, FINDINGS, lambda items: items[0].update({field: value}))


def _response(field, value, index=0):
    return lambda f: edit_json(f, RESPONSES, lambda items: items[index].update({field: value}))


def _head(field, value, part="assessment"):
    return lambda f: edit_json(f, HEAD, lambda head: head[part].update({field: value}))


def _import(field, value):
    return lambda f: edit_json(f, IMPORTS, lambda items: items[0].update({field: value}))


def _raw(path, old, new):
    return lambda f: f.__setitem__(path, f[path].replace(old, new, 1))


def _card(change):
    return lambda f: edit_json(f, SNAPSHOT, lambda snapshot: change(snapshot["scorecard"]))


def _replace_file(content):
    def change(files):
        files[FILE] = content
        edit_json(files, IMPORTS, lambda items: items[0].update(sha256=hashlib.sha256(content).hexdigest()))
    return change


def pa_dictionary(values):
    import pyarrow as pa

    return pa.array(values).dictionary_encode().cast(pa.dictionary(pa.int32(), pa.large_string()))


def _replace_part(rows: dict[str, list]):
    """The import's rows replaced by others (a Parquet file of these columns)."""
    def change(files):
        import pyarrow as pa

        from evidence.columnar import table_bytes
        files[PART] = table_bytes(pa.table(rows))
    return change


def _uid(value):
    def change(files):
        edit_json(files, HEAD, lambda head: head["assessment"].update(uid=value))
        edit_json(files, "manifest.json", lambda manifest: manifest.update(assessment_uid=value))
    return change


EMPTY_SCORECARD = score_responses(CATALOG, "mini", [], None, scope=Scope.IT_OT, as_of=date(2026, 3, 31))
SNAPSHOT_OF_NOBODY = {"scorecard": EMPTY_SCORECARD.model_dump(mode="json"), "metrics": {}, "created_by": "x",
                      "created_at": "2026-03-01T00:00:00+00:00"}
DRAFT_CASES = {
    "level 99": (_response("current", 99), f"{RESPONSES} [0].current: Input should be less than or equal to 5 (got 99)"),
    "target -7": (lambda f: edit_json(f, TARGETS, lambda t: t[0].update(target=-7)),
                  f"{TARGETS} [0].target: Input should be greater than or equal to 0 (got -7)"),
    "level as text": (_response("current", "3"), f"{RESPONSES} [0].current: Input should be a valid integer"),
    "level as true": (_response("current", True), f"{RESPONSES} [0].current: Input should be a valid integer"),
    "version 0": (_response("version", 0), f"{RESPONSES} [0].version: Input should be greater than or equal to 1"),
    "unknown question": (_response("question_id", "GOV-99"), f"{RESPONSES} [0]: unknown question 'GOV-99'"),
    "unknown environment": (_response("environment", "XX"), f"{RESPONSES} [0].environment"),
    "two answers to one question": (lambda f: edit_json(f, RESPONSES, lambda items: items.append(items[0])),
                                    f"{RESPONSES} [2]: a second response for"),
    "NA with a level": (_response("current", 2), f"{RESPONSES} [0]: marked NA but also has a current level"),
    "extra field": (_response("is_admin", True), f"{RESPONSES} [0].is_admin: Extra inputs are not permitted"),
    "time without a zone": (_response("updated_at", "2026-03-01T10:00:00"),
                            f"{RESPONSES} [0].updated_at: Input should have timezone info"),
    "time in the future": (_response("updated_at", "2099-01-01T00:00:00+00:00"),
                           f"{RESPONSES} [0].updated_at: 2099-01-01 00:00:00 UTC is outside the assessment's life"),
    "duplicate JSON key": (_raw(RESPONSES, b'"current": 3', b'"current": 3, "current": 1'),
                           f"{RESPONSES}: duplicate key 'current'"),
    "NaN": (_raw(RESPONSES, b'"current": 3', b'"current": NaN'), f"{RESPONSES}: NaN is not a number JSON allows"),
    "not JSON": (lambda f: f.__setitem__(RESPONSES, b"[{"), f"{RESPONSES}: not JSON"),
    "not UTF-8": (lambda f: f.__setitem__(RESPONSES, b'["\xff"]'), f"{RESPONSES}: not UTF-8"),
    "site criticality": (_head("criticality", "urgent", part="site"), f"{HEAD} site.criticality"),
    "title too long": (_head("title", "x" * 301), f"{HEAD} assessment.title: 301 characters, more than the 300 allowed"),
    "uid not a UUID": (_uid("../../x"), f"{HEAD} assessment.uid: '../../x' is not a canonical UUID"),
    "questionnaire not loaded": (_head("questionnaire_id", "other-questionnaire"),
                                 f"{HEAD} assessment.questionnaire_id: questionnaire 'other-questionnaire' is not "
                                 "loaded here"),
    "final without a finaliser": (_head("status", "final"), f"{HEAD} assessment.finalised_at: a final assessment has"),
    "snapshot on a draft": (lambda f: f.__setitem__(SNAPSHOT, json.dumps(SNAPSHOT_OF_NOBODY).encode()),
                            f"{SNAPSHOT}: a draft assessment has no snapshot"),
    "unknown dataset": (_import("dataset", "payroll"), f"{IMPORTS} [0].dataset: unknown dataset 'payroll'"),
    "row count claimed": (_import("row_count", 1000), f"{IMPORTS} [0].row_count: the parts hold 2 row(s), "
                                                      "the record says 1000"),
    "hash claimed": (_import("sha256", "0" * 64), f"{IMPORTS} [0].sha256: the file's SHA-256 is"),
    "mapping mangled": (_import("mapping", {"text": 5}), f"{IMPORTS} [0].mapping: must be"),
    "file that no longer reads": (_replace_file(b"\x00\x01\x02 not a table"), f"{FILE}"),
    "part that is not Parquet": (lambda f: f.__setitem__(PART, b"rows"), f"{PART}: not a Parquet part"),
    "part with a risk rating out of range": (
        _replace_part({"exception_id": ["E1"], "risk_rating": pa_dictionary(["catastrophic"]), "row": [2]}),
        f"{PART}: column risk_rating holds ['catastrophic'], not one of"),
    "part with dates as text": (_replace_part({"exception_id": ["E1"], "opened": ["2026-01-01"], "row": [2]}),
                                f"{PART}: column opened is string, not the date"),
    "part without row numbers": (_replace_part({"exception_id": ["E1", "E2"]}), f"{PART}: has no row number"),
    "promise on an unknown question": (_finding("promises", [{"question_id": "GOV-99", "environment": "OT", "level": 4}]),
                                       f"{FINDINGS} [0].promises: GOV-99 (OT): unknown question 'GOV-99'"),
    "promised level 9": (_finding("promises", [{"question_id": "GOV-01", "environment": None, "level": 9}]),
                         f"{FINDINGS} [0].promises[0].level: Input should be less than or equal to 5"),
    "evidence of an unknown metric": (_finding("evidence_metric", "unicorns"),
                                      f"{FINDINGS} [0].evidence_metric: 'unicorns' is not a metric of the catalog"),
    "negative cost": (_finding("cost", -5), f"{FINDINGS} [0].cost: Input should be greater than or equal to 0"),
}
FINAL_CASES = {
    "back-dated finalisation": (_head("finalised_at", "2020-01-01T00:00:00+00:00"),
                                f"{HEAD} assessment.finalised_at: 2020-01-01 00:00:00 UTC is before the assessment was "
                                "created"),
    "verified 7": (_card(lambda c: c["overall"].update(verified=7.0)),
                   f"{SNAPSHOT} scorecard.overall.verified: 7.0 is not a level between 0 and 5"),
    "CPG 150 %": (_card(lambda c: c.update(cpg_implemented_pct=150.0)),
                  f"{SNAPSHOT} scorecard.cpg_implemented_pct: 150.0 is not between 0 and 100"),
    "score of another assessment": (_card(lambda c: c.update(as_of="2020-03-31")), f"{SNAPSHOT} scorecard: scores"),
    "final without snapshot": (lambda f: f.__setitem__(SNAPSHOT, b"null"), f"{SNAPSHOT}: a final assessment needs"),
    "not a Scorecard": (_card(lambda c: c.pop("overall")), f"{SNAPSHOT} scorecard.overall: Field required"),
}


@pytest.fixture(scope="module")
def genuine(sqlite_template, key_folder, tmp_path_factory) -> dict[bool, bytes]:
    """A draft's and a final assessment's bundle, signed with the organisation's key (made once)."""
    bundles = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SCORECARD_BUNDLE_KEY", str(key_folder / "organisation.key"))
        for final in (False, True):
            path = tmp_path_factory.mktemp("plant") / "plant.db"
            shutil.copyfile(sqlite_template, path)
            plant = Context(Database(f"sqlite:///{path}"), CATALOG)
            bundles[final] = export_bundle(plant, ADMIN, filled(plant, final).id)
            plant.db.dispose()
    return bundles


@pytest.fixture
def hq(tmp_path) -> Iterator[Context]:
    """Headquarters' database, where the plants' bundles are imported (with the mini content)."""
    database = Database(f"sqlite:///{tmp_path / 'hq.db'}")
    upgrade(database)
    yield Context(database, CATALOG)
    database.dispose()


@pytest.mark.parametrize("case", [*DRAFT_CASES, *FINAL_CASES])
def test_a_signed_bundle_breaking_a_rule_is_refused_naming_file_and_field(genuine, hq, bundle_key, case) -> None:
    change, expected = {**DRAFT_CASES, **FINAL_CASES}[case]
    bundle = forge(genuine[case in FINAL_CASES], change, key_file=bundle_key)
    with pytest.raises(BundleError, match="nothing was imported") as raised:
        import_bundle(hq, ADMIN, bundle, "q1.zip")
    assert f"q1.zip: {expected}" in str(raised.value)
    assert list_assessments(hq, ADMIN) == []


@pytest.mark.parametrize(("cases", "where"), [
    (("level 99", "time without a zone", "site criticality"),  # types and ranges, checked first
     [f"{HEAD} site.criticality", f"{RESPONSES} [0].current", f"{RESPONSES} [0].updated_at"]),
    (("unknown question", "title too long", "row count claimed"),  # rules that need the content and the files
     [f"{HEAD} assessment.title", f"{RESPONSES} [0]:", f"{IMPORTS} [0].row_count:"]),
], ids=["types", "rules"])
def test_every_problem_of_a_kind_is_reported_at_once(genuine, hq, bundle_key, cases, where) -> None:
    changes = [DRAFT_CASES[c][0] for c in cases]
    bundle = forge(genuine[False], lambda f: [change(f) for change in changes], key_file=bundle_key)
    with pytest.raises(BundleError) as raised:
        import_bundle(hq, ADMIN, bundle, "q1.zip")
    found = sorted(str(p).split(" ", 1)[1] for p in raised.value.problems)
    assert len(found) == len(where) and all(f.startswith(w) for f, w in zip(found, sorted(where), strict=True))


def test_the_cli_names_file_and_field_without_a_traceback(genuine, tmp_path, bundle_key, monkeypatch) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(forge(genuine[False], DRAFT_CASES["time without a zone"][0], key_file=bundle_key))
    monkeypatch.setenv("SCORECARD_DB_URL", f"sqlite:///{tmp_path / 'hq.db'}")
    monkeypatch.setenv("SCORECARD_CONTENT_DIR", str(CONTENT))
    runner = CliRunner()
    assert runner.invoke(scorecard, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(scorecard, ["bundle", "import", str(bad)], catch_exceptions=False)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"bad.zip: {RESPONSES} [0].updated_at: Input should have timezone info" in result.output


def _as_format_1(files: dict[str, bytes], claimed_rows: list[dict]) -> None:
    """The bundle as the previous version wrote it (unsigned, normalised rows inside), with rows
    that are not in the file."""
    files.pop("signature.json")
    edit_json(files, "manifest.json", lambda m: m.update(format_version=1))
    edit_json(files, HEAD, lambda head: head["assessment"].pop("unverified"))
    map_json(files, "records/audit.json", lambda entries: [{("user_name" if k == "user" else k): v
                                                            for k, v in e.items()} for e in entries])
    files["evidence/rows/001.jsonl"] = "".join(json.dumps({"row": n, "values": v}) + "\n"
                                               for n, v in enumerate(claimed_rows, start=2)).encode()
    edit_json(files, IMPORTS, lambda items: items[0].update(rows="evidence/rows/001.jsonl"))


def test_evidence_rows_come_from_the_file_never_from_the_bundle(genuine, hq) -> None:
    files = unpack(genuine[False])
    claimed = [{"exception_id": f"FAKE-{n}", "opened": "2026-01-01", "risk_rating": "low"} for n in range(1000)]
    _as_format_1(files, claimed)
    rehash(files)
    old = pack(files)
    with pytest.raises(BundleError, match="not signed"):
        import_bundle(hq, ADMIN, old, "old.zip")
    done = import_bundle(hq, ADMIN, old, "old.zip", allow_unverified=True)
    (stored,) = load_assessment(hq, ADMIN, done.assessment.id).evidence
    with hq.read() as session:
        rows = stored_frame(session, stored)
    assert stored.row_count == 2 and rows["exception_id"].tolist() == ["E1", "E2"]
    assert rows.index.tolist() == [2, 3] and rows["risk_rating"].iloc[0] == "high"  # read with the recorded mapping


def test_a_changed_part_under_the_old_signature_is_refused_before_anything_is_stored(genuine, hq) -> None:
    """The parts are covered by the signed manifest: changing one without the key is tampering."""
    bundle = forge(genuine[False], _replace_part({"exception_id": ["FAKE"], "row": [2]}), keep_signature=True)
    with pytest.raises(BundleError, match="signature"):
        import_bundle(hq, ADMIN, bundle, "q1.zip")
    files = unpack(genuine[False])
    files[PART] = files[PART][:-1] + b"?"  # changed inside the zip, manifest untouched
    with pytest.raises(BundleError, match="altered after export") as raised:
        import_bundle(hq, ADMIN, pack(files), "q1.zip")
    assert f"q1.zip: {PART}: content does not match the SHA-256" in str(raised.value)
    assert list_assessments(hq, ADMIN) == []


def test_a_bundle_file_is_imported_from_its_path_with_its_parts(genuine, hq, tmp_path) -> None:
    path = tmp_path / "q1.zip"
    path.write_bytes(genuine[False])
    done = import_bundle(hq, ADMIN, path)
    (stored,) = load_assessment(hq, ADMIN, done.assessment.id).evidence
    with hq.read() as session:
        rows = stored_frame(session, stored)
        assert evidence_store.load_parts(session, stored.id) == [unpack(genuine[False])[PART]]  # stored as signed
    assert done.verified and rows["exception_id"].tolist() == ["E1", "E2"] and rows.index.tolist() == [2, 3]
