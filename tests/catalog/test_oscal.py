"""The shipped CSF 2.0 catalog is exactly NIST's OSCAL catalog, and the importer reproduces it."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from catalog.oscal import crosswalk_from_oscal, framework_from_oscal, read_oscal
from catalog.writer import dump_content
from cli import scorecard
from errors import ContentError

ROOT = Path(__file__).resolve().parents[2]
CSF_YAML = ROOT / "frameworks" / "nist-csf-2.0.yaml"
CROSSWALK_YAML = ROOT / "frameworks" / "mappings" / "csf-1.1_to_csf-2.0.yaml"
OSCAL_SHA256 = "4836943f21d393f2821df85ada4e6f3c0617243b4ddf44263fe68205400210b4"


def _active_from_oscal(path: Path) -> dict[str, dict]:
    """Independent re-derivation: every active element by official id → kind, parent, text."""
    catalog = json.loads(path.read_text(encoding="utf-8"))["catalog"]
    out: dict[str, dict] = {}

    def props(el):
        return {p["name"]: p["value"] for p in el.get("props", []) if "ns" not in p}

    def code(el):
        label = props(el)["label"]
        match = re.search(r"\(([A-Z.]+)\)$", label)
        return match.group(1) if match else label

    def prose(el, name):
        return next((p.get("prose", "") for p in el.get("parts", []) if p["name"] == name), "")

    def walk(controls, parent):
        for c in controls:
            if props(c).get("status") == "withdrawn":
                continue
            out[code(c)] = {"kind": c["class"], "parent": parent, "text": prose(c, "statement"),
                            "examples": [p["prose"] for p in c.get("parts", []) if p["name"] == "example"]}
            walk(c.get("controls", []), code(c))

    for group in catalog["groups"]:
        out[code(group)] = {"kind": "function", "parent": None, "text": prose(group, "overview"), "examples": []}
        walk(group.get("controls", []), code(group))
    return out


@pytest.fixture(scope="module")
def oscal_path(reference_dir: Path) -> Path:
    path = reference_dir / "nist-csf-2.0-oscal-catalog.json"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == OSCAL_SHA256, "the OSCAL copy is not NIST's file"
    return path


@pytest.fixture(scope="module")
def shipped() -> dict:
    return yaml.safe_load(CSF_YAML.read_text(encoding="utf-8"))


def test_shipped_csf_matches_oscal_exactly(oscal_path: Path, shipped: dict) -> None:
    expected = _active_from_oscal(oscal_path)
    nodes = {n["id"]: n for n in shipped["nodes"]}
    assert list(nodes) == list(expected)  # same IDs, same document order
    kinds = [n["kind"] for n in shipped["nodes"]]
    assert (kinds.count("function"), kinds.count("category"), kinds.count("subcategory")) == (6, 22, 106)
    for node_id, want in expected.items():
        got = nodes[node_id]
        assert (got["kind"], got.get("parent"), got.get("text", "")) == (want["kind"], want["parent"], want["text"]), node_id
        assert got.get("examples", []) == want["examples"], node_id
    subcategories = [n["id"] for n in shipped["nodes"] if n["kind"] == "subcategory"]
    assert all(re.fullmatch(r"[A-Z]{2}\.[A-Z]{2}-\d{2}", s) for s in subcategories)
    assert sum(len(n.get("examples", [])) for n in shipped["nodes"]) > 300


def test_shipped_files_are_what_the_importer_writes(oscal_path: Path) -> None:
    oscal = read_oscal(oscal_path)
    assert dump_content(framework_from_oscal(oscal)) == CSF_YAML.read_text(encoding="utf-8")
    assert dump_content(crosswalk_from_oscal(oscal)) == CROSSWALK_YAML.read_text(encoding="utf-8")


def test_withdrawn_items_are_excluded_and_become_the_crosswalk(oscal_path: Path, shipped: dict) -> None:
    oscal = read_oscal(oscal_path)
    withdrawn = {e.id for e in oscal.elements if e.withdrawn}
    assert len(withdrawn) == 91  # 12 categories + 79 subcategories of CSF 1.1
    assert not withdrawn & {n["id"] for n in shipped["nodes"]}
    crosswalk = crosswalk_from_oscal(oscal)
    assert {e.id for e in crosswalk.source_elements} == withdrawn
    assert len(crosswalk.entries) == 135
    assert {e.relationship for e in crosswalk.entries} == {"incorporated_into", "moved_to"}
    by_source = {(e.source, e.target) for e in crosswalk.entries}
    assert ("ID.AM-06", "GV.RR-02") in by_source and ("ID.BE", "GV.OC") in by_source


def test_import_command_writes_and_checks(tmp_path: Path, oscal_path: Path) -> None:
    out = tmp_path / "frameworks" / "csf.yaml"
    runner = CliRunner()
    result = runner.invoke(scorecard, ["catalog", "import-oscal", str(oscal_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == CSF_YAML.read_text(encoding="utf-8")
    assert (tmp_path / "frameworks" / "mappings" / "csf-1.1_to_csf-2.0.yaml").is_file()
    check = runner.invoke(scorecard, ["catalog", "import-oscal", str(oscal_path), "-o", str(out), "--check"])
    assert check.exit_code == 0 and "up to date" in check.output
    out.write_text(out.read_text(encoding="utf-8").replace("GV.OC-01", "GV.OC-99", 1), encoding="utf-8")
    stale = runner.invoke(scorecard, ["catalog", "import-oscal", str(oscal_path), "-o", str(out), "--check"])
    assert stale.exit_code == 1 and "differs from a fresh generation" in stale.output


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", "invalid JSON"),
        ('{"metadata": {}}', "not an OSCAL catalog"),
        ('{"catalog": {"metadata": {"published": "2024-02-26"}, "groups": [{"id": "GV", "class": "family"}]}}', "unexpected class 'family'"),
        ('{"catalog": {"metadata": {"published": "2024-02-26"}, "groups": [{"id": "GV", "class": "function", "controls": [{"id": "GV.OC", "class": "category"}]}]}}', "has no 'statement' prose"),
    ],
)
def test_malformed_oscal_is_a_content_error(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        read_oscal(path)
    assert expected in str(caught.value)


def test_the_framework_records_the_oscal_catalog_it_came_from(oscal_path: Path, shipped: dict) -> None:
    """Exports cite the catalog by its own document uuid and the file by its SHA-256 (exports.oscal)."""
    document = json.loads(oscal_path.read_text(encoding="utf-8"))["catalog"]
    source = framework_from_oscal(read_oscal(oscal_path)).oscal
    assert (source.catalog_uuid, source.version, source.oscal_version) == (
        document["uuid"], document["metadata"]["version"], document["metadata"]["oscal-version"])
    assert (source.file, source.sha256, str(source.published)) == (oscal_path.name, OSCAL_SHA256, "2026-05-13")
    assert shipped["oscal"]["catalog_uuid"] == document["uuid"] and shipped["oscal"]["sha256"] == OSCAL_SHA256


def test_an_oscal_id_other_than_the_official_id_is_refused(tmp_path: Path, oscal_path: Path) -> None:
    """Findings cite controls by OSCAL id, so the importer keeps only catalogs where it is the official id."""
    path = tmp_path / "catalog.json"
    path.write_text(oscal_path.read_text(encoding="utf-8").replace('"id": "GV.OC-01"', '"id": "gv.oc-01"', 1),
                    encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        read_oscal(path)
    assert "OSCAL id 'gv.oc-01' is not the official id 'GV.OC-01'" in str(caught.value)
