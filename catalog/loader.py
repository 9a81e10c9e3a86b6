"""Load every content file under the content folder into one validated `Catalog`.

Rules: files are read with the bounded safe YAML loader only; each file's `kind` picks its model;
then cross-references are checked (questionnaire → frameworks, metrics and questions; crosswalk →
frameworks). All problems of all files are collected and raised together as one `ContentError`,
each located as ``file: path.in[file] (line N)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

import config
from catalog.content_catalog import Catalog
from catalog.models import ContentModel, Crosswalk, Framework, MetricCatalog, Questionnaire
from catalog.references import check_references
from catalog.yaml_safety import ParsedYaml, read_yaml
from errors import ContentError, Problem

CONTENT_FOLDERS = ("frameworks", "questionnaires")
CONTENT_SUFFIXES = (".yaml", ".yml")
MODELS_BY_KIND: dict[str, type[ContentModel]] = {
    "framework": Framework,
    "crosswalk": Crosswalk,
    "metrics": MetricCatalog,
    "questionnaire": Questionnaire,
}
_PATH_STEP = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


@dataclass(frozen=True)
class LoadedFile:
    """One file read and validated against its model (`model` is None when that failed)."""

    path: Path
    label: str
    model: ContentModel | None
    problems: tuple[Problem, ...]
    parsed: ParsedYaml | None = None


def content_files(root: Path | None = None) -> list[Path]:
    """The YAML files the catalog is built from, in a stable order (hidden files skipped)."""
    base = root or config.content_dir()
    files: list[Path] = []
    for folder in CONTENT_FOLDERS:
        files.extend(yaml_files_in(base / folder))
    return files


def yaml_files_in(directory: Path) -> list[Path]:
    """`*.yaml` / `*.yml` files under `directory`, recursively, sorted; dotfiles and dot-folders skipped."""
    if not directory.is_dir():
        return []
    return sorted(
        p
        for p in directory.rglob("*")
        if p.suffix in CONTENT_SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(directory).parts)
    )


def load_catalog(root: Path | None = None) -> Catalog:
    """Load and cross-check all content under `root` (default: `config.content_dir()`)."""
    base = root or config.content_dir()
    return load_files(content_files(base), base=base)


def load_files(paths: Iterable[Path], base: Path | None = None) -> Catalog:
    """Load the given files into a Catalog; raise one ContentError listing every problem."""
    files = [read_content_file(p, label_for(p, base)) for p in paths]
    catalog, problems = assemble(files)
    flat = [p for probs in problems.values() for p in probs]
    if flat:
        raise ContentError(f"{len(flat)} problem(s) in content", flat)
    return catalog


def read_content_file(path: Path, label: str) -> LoadedFile:
    """Read one file and validate it against the model its `kind` names."""
    try:
        parsed = read_yaml(path)
    except ContentError as exc:
        return LoadedFile(path, label, None, tuple(_at(label, p) for p in exc.problems))
    data = parsed.data
    if not isinstance(data, dict):
        problem = Problem(label, f"expected a mapping of header fields at the top of the file, got a {type(data).__name__}")
        return LoadedFile(path, label, None, (problem,), parsed)
    kind = data.get("kind")
    model_type = MODELS_BY_KIND.get(kind) if isinstance(kind, str) else None
    if model_type is None:
        message = "missing 'kind'" if kind is None else f"unknown kind {kind!r}"
        problem = Problem(f"{label}: kind", message, f"one of {', '.join(MODELS_BY_KIND)}")
        return LoadedFile(path, label, None, (problem,), parsed)
    try:
        model = model_type.model_validate(data)
    except ValidationError as exc:
        return LoadedFile(path, label, None, tuple(_validation_problems(label, parsed, exc)), parsed)
    return LoadedFile(path, label, model, (), parsed)


def assemble(
    files: Sequence[LoadedFile], context: Sequence[LoadedFile] = ()
) -> tuple[Catalog, dict[str, list[Problem]]]:
    """Build a catalog from `files` plus `context` files and cross-check it.

    Returns the catalog and every problem keyed by file label. A context file is skipped when a
    file in `files` has the same content id (the named file replaces it), so an edited copy of a
    shipped file can be validated against the rest of the shipped content.
    """
    problems: dict[str, list[Problem]] = {}
    catalog = Catalog()
    by_id: dict[str, LoadedFile] = {}
    named_ids = {f.model.id for f in files if f.model is not None}
    tagged = [(f, False) for f in files] + [(f, True) for f in context]
    for loaded, is_context in tagged:
        if loaded.problems:
            problems.setdefault(loaded.label, []).extend(loaded.problems)
        model = loaded.model
        if model is None:
            continue
        if is_context and model.id in named_ids:
            continue
        if model.id in by_id:
            other = by_id[model.id].label
            problems.setdefault(loaded.label, []).append(
                _in_file(loaded, Problem("id", f"duplicate content id '{model.id}' (also in {other})"))
            )
            continue
        by_id[model.id] = loaded
        catalog.add(model, loaded.path)
    for content_id, found in check_references(catalog).items():
        loaded = by_id[content_id]
        problems.setdefault(loaded.label, []).extend(_in_file(loaded, p) for p in found)
    return catalog, problems


def label_for(path: Path, base: Path | None) -> str:
    """How a file is named in messages: relative to the content folder, else to the working dir."""
    resolved = path.resolve()
    for root in (base, Path.cwd()):
        if root is None:
            continue
        try:
            return str(resolved.relative_to(root.resolve()))
        except ValueError:
            continue
    return str(path)


# --- locating problems ---------------------------------------------------------------------------


def _at(label: str, problem: Problem) -> Problem:
    location = f"{label}: {problem.location}" if problem.location else label
    return Problem(location, problem.message, problem.hint)


def _in_file(loaded: LoadedFile, problem: Problem) -> Problem:
    """`questions[3].csf[0]` → `file: questions[3].csf[0] (line 120)`."""
    steps = tuple(int(i) if i else name for i, name in _PATH_STEP.findall(problem.location))
    line = loaded.parsed.line_of(steps) if loaded.parsed is not None and steps else None
    where = f"{problem.location} (line {line})" if line else problem.location
    return _at(loaded.label, Problem(where, problem.message, problem.hint))


def _validation_problems(label: str, parsed: ParsedYaml, exc: ValidationError) -> list[Problem]:
    """Pydantic errors as `file: questions[12].levels (line 80): message` problems."""
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        line = parsed.line_of(loc)
        where = _location(loc) + (f" (line {line})" if line else "")
        out.append(Problem(f"{label}: {where}", _message(err), _input_hint(err)))
    return out


def _location(loc: tuple) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top)"


def _message(err: dict) -> str:
    if err.get("type") == "extra_forbidden":
        return "unknown field (check the spelling; see docs/content-authoring.md)"
    if err.get("type") == "missing":
        return "required field is missing"
    if err.get("type") in {"tuple_type", "list_type"}:
        return "expected a list"
    if err.get("type") == "dict_type":
        return "expected a mapping (key: value pairs)"
    return err["msg"]


def _input_hint(err: dict) -> str:
    if err.get("type") in {"missing", "extra_forbidden"}:
        return ""
    value = err.get("input")
    if isinstance(value, (str, int, float, bool)) or value is None:
        return f"got {repr(value)[:60]}"
    return f"got a {type(value).__name__}"
