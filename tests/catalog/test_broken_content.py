"""Broken content gives precise `file: location: message` problems, never a traceback or a hang.

Each fixture under tests/data/content/broken/ is validated against the valid fixture folder (its
references resolve there), through the same path `scorecard validate FILE` takes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.loader import load_files
from catalog.validation import validate_paths
from errors import ContentError

CASES = {
    "unknown-id.yaml": [
        "questions[1].csf[1] (line 36): unknown subcategory 'GV.XX-01'",
        "questions[2].cpg[0] (line 47): unknown goal '9.Z'",
        "scenarios[0].questions[1] (line 58): unknown question 'IAM-99'",
    ],
    "duplicate-id.yaml": ["questions[2].id (line 39): duplicate question id 'IAM-01' (first at questions[1])"],
    "duplicate-node.yaml": [
        "nodes[3].id (line 13): duplicate node id 'GV.OC-01' (first at nodes[2])",
        "nodes[4].parent (line 14): unknown parent 'GV.RR' (parents must come before their children)",
    ],
    "missing-level.yaml": ["questions[2].levels (line 49): missing level(s) 4 (every question describes levels 0 to 5)"],
    "wrong-type.yaml": [
        "questions[0].weight (line 26): Input should be a valid integer, unable to parse string as an integer (got 'high')",
        "questions[1].applies_to (line 34): expected a list (got 'OT')",
    ],
    "unknown-field.yaml": [
        "questions[2].guidance (line 39): required field is missing",
        "questions[2].guidence (line 42): unknown field (check the spelling; see docs/content-authoring.md)",
    ],
    "syntax-error.yaml": ["line 5, column 5: YAML error: while parsing a flow mapping: did not find expected ',' or '}'"],
    "python-tag.yaml": [
        "line 4, column 7: YAML error: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system' (tags such as !!python/object are not allowed in content files)"
    ],
    "alias-bomb.yaml": ["line 9, column 4: YAML error: aliases expand to more than 1,000,000 nodes (an alias-expansion bomb?)"],
    "recursive-alias.yaml": ["line 3, column 8: YAML error: an alias refers to the node that contains it"],
    "deep-nesting.yaml": ["line 3, column 71: YAML error: nesting deeper than 64 levels"],
    "duplicate-key.yaml": ["line 46, column 5: YAML error: duplicate key 'consequence' (first at line 45)"],
    "bad-date.yaml": ["line 9, column 7: YAML error: cannot read '2026-13-01' as timestamp: month must be in 1..12"],
    "not-utf8.yaml": ["line 4, byte 82: the file is not valid UTF-8 text (save it as UTF-8)"],
    "empty.yaml": ["the file is empty (a content file starts with 'kind:' and the header fields)"],
    "missing-kind.yaml": ["kind: missing 'kind' (one of framework, crosswalk, metrics, questionnaire)"],
    "not-a-mapping.yaml": ["expected a mapping of header fields at the top of the file, got a list"],
}


@pytest.mark.timeout(10)
@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_file_gives_precise_problems(name: str, content_data: Path, valid_root: Path, monkeypatch) -> None:
    monkeypatch.chdir(content_data.parent.parent.parent)  # labels relative to the project root
    path = content_data / "broken" / name
    report = validate_paths([path], valid_root)
    label = f"tests/data/content/broken/{name}"
    expected = [f"{label}: {line}" for line in CASES[name]]
    assert [str(p) for p in report.problems] == expected
    assert report.context_problems == 0
    assert not report.ok


def test_every_broken_fixture_has_a_case(content_data: Path) -> None:
    assert sorted(p.name for p in (content_data / "broken").iterdir()) == sorted(CASES)


@pytest.mark.timeout(10)
def test_loading_broken_files_raises_one_content_error_with_all_problems(content_data: Path, valid_root: Path) -> None:
    broken = sorted((content_data / "broken").glob("*.yaml"))
    with pytest.raises(ContentError) as caught:
        load_files(broken, base=content_data)
    # Every file contributes at least one problem; each names its file.
    for path in broken:
        assert any(p.location.startswith(f"broken/{path.name}") for p in caught.value.problems), path.name


def test_duplicate_content_id_names_both_files(tmp_path: Path, valid_root: Path) -> None:
    copy = tmp_path / "frameworks" / "copy.yaml"
    copy.parent.mkdir()
    copy.write_text((valid_root / "frameworks" / "mini-csf.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "frameworks" / "mini-csf.yaml").write_text(copy.read_text(encoding="utf-8"), encoding="utf-8")
    report = validate_paths([tmp_path], valid_root)
    assert [str(p) for p in report.problems] == [
        "frameworks/mini-csf.yaml: id (line 3): duplicate content id 'mini-csf' (also in frameworks/copy.yaml)"
    ]
