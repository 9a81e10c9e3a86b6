"""Validate content files or folders and report every problem at once.

What is checked, given paths:
- no paths: the whole content folder (`config.content_dir()`), as the app would load it;
- a folder that holds `frameworks/` or `questionnaires/`: that folder as a content folder on its
  own (as if `SCORECARD_CONTENT_DIR` pointed at it);
- any other folder: its YAML files; a file: that file. These are checked *in context*: a
  questionnaire references frameworks and metrics, so references are resolved against the rest
  of the content folder. A named file replaces a content-folder file with the same content id,
  so an edited copy of a shipped file is checked against everything else. Problems are reported
  for the named files only; problems in context files are counted, not listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import config
from catalog.loader import (
    CONTENT_FOLDERS,
    Catalog,
    LoadedFile,
    assemble,
    content_files,
    label_for,
    read_content_file,
    yaml_files_in,
)
from errors import Problem


@dataclass
class ValidationReport:
    """Outcome of one `validate` run."""

    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    context_problems: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One line: what was checked and what it held, or how many problems."""
        if self.problems:
            return f"{len(self.problems)} problem(s) in {len(self.files)} file(s)"
        held = ", ".join(f"{n} {kind}" for kind, n in self.counts.items() if n)
        return f"{len(self.files)} file(s) valid" + (f": {held}" if held else "")

    def merge(self, other: ValidationReport) -> None:
        self.files.extend(other.files)
        self.problems.extend(other.problems)
        self.context_problems += other.context_problems
        for kind, n in other.counts.items():
            self.counts[kind] = self.counts.get(kind, 0) + n


def validate_paths(paths: Sequence[Path] = (), content_root: Path | None = None) -> ValidationReport:
    """Validate `paths` (see module docstring); an empty sequence validates the content folder."""
    root = content_root or config.content_dir()
    if not paths:
        return validate_content_root(root)
    report = ValidationReport()
    named: list[Path] = []
    for path in paths:
        if not path.exists():
            report.problems.append(Problem(str(path), "no such file or folder"))
            report.files.append(str(path))
        elif path.is_dir() and any((path / f).is_dir() for f in CONTENT_FOLDERS):
            report.merge(validate_content_root(path))
        elif path.is_dir():
            found = yaml_files_in(path)
            if not found:
                report.problems.append(Problem(str(path), "no .yaml or .yml files in this folder"))
                report.files.append(str(path))
            named.extend(found)
        else:
            named.append(path)
    if named:
        report.merge(_validate_in_context(named, root))
    return report


def validate_content_root(root: Path) -> ValidationReport:
    """Validate a content folder on its own."""
    files = [read_content_file(p, label_for(p, root)) for p in content_files(root)]
    if not files:
        return ValidationReport(
            files=[str(root)],
            problems=[Problem(str(root), f"no content files (expected YAML under {' or '.join(f + '/' for f in CONTENT_FOLDERS)})")],
        )
    catalog, problems = assemble(files)
    return _report(files, catalog, problems, context_labels=set())


def _validate_in_context(named: list[Path], root: Path) -> ValidationReport:
    unique = list(dict.fromkeys(p.resolve() for p in named))
    files = [read_content_file(p, label_for(p, root)) for p in unique]
    context = [read_content_file(p, label_for(p, root)) for p in content_files(root) if p.resolve() not in set(unique)]
    catalog, problems = assemble(files, context)
    return _report(files, catalog, problems, context_labels={f.label for f in context})


def _report(files: list[LoadedFile], catalog: Catalog, problems: dict[str, list[Problem]], context_labels: set[str]) -> ValidationReport:
    mine = {f.label for f in files}
    ids = {f.model.id for f in files if f.model is not None}
    return ValidationReport(
        files=[f.label for f in files],
        problems=[p for label in (f.label for f in files) for p in problems.get(label, [])],
        context_problems=sum(len(v) for k, v in problems.items() if k in context_labels and k not in mine),
        counts={
            "frameworks": sum(1 for i in catalog.frameworks if i in ids),
            "crosswalks": sum(1 for i in catalog.crosswalks if i in ids),
            "metric catalogs": sum(1 for i in catalog.metric_catalogs if i in ids),
            "questionnaires": sum(1 for i in catalog.questionnaires if i in ids),
        },
    )
