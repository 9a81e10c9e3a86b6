"""Load every content file under the content folder into one validated `Catalog`.

Rules: files are read with a safe YAML loader only; each file's `kind` picks its model; then
cross-references are checked (questionnaire → frameworks, metrics and questions; crosswalk →
frameworks). All problems of all files are collected and raised together as one `ContentError`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

import config
from catalog.models import (
    ContentModel,
    Crosswalk,
    Framework,
    MetricCatalog,
    MetricDefinition,
    Questionnaire,
)
from catalog.references import check_references
from catalog.yaml_safety import load_yaml
from errors import ContentError, Problem

CONTENT_FOLDERS = ("frameworks", "questionnaires")
MODELS_BY_KIND: dict[str, type[ContentModel]] = {
    "framework": Framework,
    "crosswalk": Crosswalk,
    "metrics": MetricCatalog,
    "questionnaire": Questionnaire,
}


@dataclass(frozen=True)
class Catalog:
    """All loaded content, keyed by content id. `sources` maps each id to the file it came from."""

    frameworks: dict[str, Framework] = field(default_factory=dict)
    crosswalks: dict[str, Crosswalk] = field(default_factory=dict)
    metric_catalogs: dict[str, MetricCatalog] = field(default_factory=dict)
    questionnaires: dict[str, Questionnaire] = field(default_factory=dict)
    sources: dict[str, Path] = field(default_factory=dict)

    def metric_definitions(self) -> dict[str, MetricDefinition]:
        """Every metric definition by name, across metric catalogs."""
        return {m.name: m for mc in self.metric_catalogs.values() for m in mc.metrics}

    def framework(self, framework_id: str) -> Framework:
        try:
            return self.frameworks[framework_id]
        except KeyError:
            raise ContentError(
                f"unknown framework '{framework_id}'",
                [Problem("", f"known frameworks: {', '.join(sorted(self.frameworks)) or 'none'}")],
            ) from None

    def questionnaire(self, questionnaire_id: str) -> Questionnaire:
        try:
            return self.questionnaires[questionnaire_id]
        except KeyError:
            known = ", ".join(sorted(self.questionnaires)) or "none"
            raise ContentError(
                f"unknown questionnaire '{questionnaire_id}'", [Problem("", f"known: {known}")]
            ) from None


def content_files(root: Path | None = None) -> list[Path]:
    """The YAML files the catalog is built from, in a stable order."""
    base = root or config.content_dir()
    files: list[Path] = []
    for folder in CONTENT_FOLDERS:
        directory = base / folder
        if directory.is_dir():
            files.extend(sorted(p for p in directory.rglob("*.y*ml") if p.suffix in {".yaml", ".yml"}))
    return files


def load_catalog(root: Path | None = None) -> Catalog:
    """Load and cross-check all content under `root` (default: `config.content_dir()`)."""
    return load_files(content_files(root), base=root or config.content_dir())


def load_files(paths: Iterable[Path], base: Path | None = None) -> Catalog:
    """Load the given files into a Catalog; raise one ContentError listing every problem."""
    problems: list[Problem] = []
    catalog = Catalog()
    for path in paths:
        label = _label(path, base)
        model = _load_one(path, label, problems)
        if model is None:
            continue
        if model.id in catalog.sources:
            other = _label(catalog.sources[model.id], base)
            problems.append(Problem(f"{label}: id", f"duplicate content id '{model.id}' (also in {other})"))
            continue
        catalog.sources[model.id] = path
        _registry(catalog, model)[model.id] = model
    problems.extend(check_references(catalog, lambda cid: _label(catalog.sources[cid], base)))
    if problems:
        raise ContentError(f"{len(problems)} problem(s) in content", problems)
    return catalog


def _registry(catalog: Catalog, model: ContentModel) -> dict:
    return {
        "framework": catalog.frameworks,
        "crosswalk": catalog.crosswalks,
        "metrics": catalog.metric_catalogs,
        "questionnaire": catalog.questionnaires,
    }[model.kind]


def _load_one(path: Path, label: str, problems: list[Problem]) -> ContentModel | None:
    try:
        data = load_yaml(path)
    except ContentError as exc:
        problems.extend(Problem(f"{label}{': ' + p.location if p.location else ''}", p.message, p.hint) for p in exc.problems)
        return None
    if not isinstance(data, dict):
        problems.append(Problem(label, "expected a mapping with a 'kind' key at the top of the file"))
        return None
    kind = data.get("kind")
    model_type = MODELS_BY_KIND.get(kind) if isinstance(kind, str) else None
    if model_type is None:
        problems.append(
            Problem(f"{label}: kind", f"unknown kind {kind!r}", f"one of {', '.join(MODELS_BY_KIND)}")
        )
        return None
    try:
        return model_type.model_validate(data)
    except ValidationError as exc:
        problems.extend(_validation_problems(label, exc))
        return None


def _validation_problems(label: str, exc: ValidationError) -> list[Problem]:
    """Pydantic errors as `file: questions[12].levels: message` problems."""
    out = []
    for err in exc.errors(include_url=False):
        out.append(Problem(f"{label}: {_location(err['loc'])}", err["msg"], _input_hint(err)))
    return out


def _location(loc: tuple) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top)"


def _input_hint(err: dict) -> str:
    if err.get("type") in {"missing"}:
        return ""
    value = err.get("input")
    if isinstance(value, (str, int, float, bool)) or value is None:
        shown = repr(value)
        return f"got {shown[:60]}"
    return ""


def _label(path: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            pass
    return str(path)
