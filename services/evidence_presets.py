"""Evidence presets (content under `presets/` of the content folder): list them, find one, and
build the mapping a file is read with — a preset, a mapping file laid over it, or both.

    list_presets(dataset=None) -> list[Preset]
    get_preset(name, dataset=None) -> Preset
    effective_mapping(dataset, preset=None, mapping=None) -> Mapping | None
    validate_presets(paths=()) -> ValidationReport
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import yaml

import config
from catalog.loader import label_for
from catalog.validation import ValidationReport
from errors import ContentError, EvidenceError, Problem
from evidence.dataset import load_mapping
from evidence.mapping import Mapping, merge_mappings
from evidence.presets import Preset, load_preset, load_presets
from evidence.presets import describe as describe

PRESET_FOLDER = "presets"


@lru_cache(maxsize=4)
def _cached(root: str) -> tuple[dict[str, Preset], tuple[Problem, ...]]:
    base = Path(root)
    presets, problems = load_presets(base / PRESET_FOLDER, lambda p: label_for(p, base))
    return presets, tuple(problems)


def _presets() -> dict[str, Preset]:
    presets, problems = _cached(str(config.content_dir()))
    if problems:
        raise ContentError(f"{len(problems)} problem(s) in evidence presets", problems)
    return presets


def list_presets(dataset: str | None = None) -> list[Preset]:
    """The built-in presets (of one dataset), by id."""
    return [p for _, p in sorted(_presets().items()) if dataset is None or p.dataset == dataset]


def get_preset(name: str, dataset: str | None = None) -> Preset:
    """The preset `name`; EvidenceError names the known ones (of the dataset) otherwise."""
    presets = _presets()
    preset = presets.get(name)
    known = ", ".join(p.id for p in list_presets(dataset)) or "none"
    if preset is None:
        raise EvidenceError(f"no evidence preset named '{name}'", [Problem("preset", f"known presets: {known}",
                                                                           "scorecard evidence presets lists them")])
    if dataset is not None and preset.dataset != dataset:
        raise EvidenceError(f"preset '{name}' is for {preset.dataset}, not {dataset}", [Problem(
            "preset", f"presets for {dataset}: {known}")])
    return preset


def effective_mapping(dataset: str, preset: str | None = None, mapping: Path | bytes | Mapping | None = None,
                      mapping_name: str | None = None) -> Mapping | None:
    """The mapping to read a `dataset` file with: the preset's, with `mapping` (a file, its bytes or
    a parsed Mapping) laid over it; None when neither is given."""
    own = None
    if isinstance(mapping, Mapping):
        own = mapping
    elif mapping is not None:
        own = load_mapping(mapping, dataset, mapping_name)
    if preset is None:
        return own
    base = get_preset(preset, dataset).mapping
    return base if own is None else merge_mappings(base, own)


def validate_presets(paths: Sequence[Path] = ()) -> ValidationReport:
    """Check preset files (none given: every preset of the content folder)."""
    root = config.content_dir()
    files = list(paths) or sorted((root / PRESET_FOLDER).glob("*.y*ml"))
    report = ValidationReport(counts={"evidence presets": 0})
    seen: dict[str, str] = {}
    for path in files:
        label = label_for(path, root)
        report.files.append(label)
        preset, problems = load_preset(path, label)
        report.problems.extend(problems)
        if preset is None:
            continue
        if preset.id in seen:
            report.problems.append(Problem(f"{label}: id", f"duplicate preset id '{preset.id}' (also in {seen[preset.id]})"))
            continue
        seen[preset.id] = label
        report.counts["evidence presets"] += 1
    return report


def mapping_yaml(preset: Preset) -> str:
    """The preset's mapping as YAML (a mapping file a user can start from)."""
    return yaml.safe_dump(preset.mapping_data, sort_keys=False, allow_unicode=True, default_flow_style=False)


def forget_presets() -> None:
    """Read the presets again on next use (tests that edit the content folder)."""
    _cached.cache_clear()
