"""Presets: built-in mappings for the exports of the tools plants use (Snipe-IT, NetBox, Zeek, Veeam...).

A preset is content: one YAML file under the content folder's `presets/`, with the header every
content file carries, the dataset it fills, the tool and how to export from it, what the tool
cannot supply, and a `mapping` written exactly like a mapping file (evidence.mapping):

```yaml
kind: evidence-preset
id: snipe-it-assets
name: Snipe-IT asset export
version: 1.0.0
source: Snipe-IT custom asset report (Reports > Custom Asset Report), en-US labels
licence: Apache-2.0
date: 2026-12-03
dataset: asset_inventory
tool: Snipe-IT
export: Reports > Custom Asset Report, tick the columns below, Generate (CSV, comma, UTF-8)
cannot_supply:
  - "criticality: Snipe-IT has no criticality; add a custom field and map it, or set a default"
mapping:
  columns: {"Asset Tag": asset_id}
```

`load_presets(folder)` reads and validates every preset (each problem with its file, line and key
path) and returns them with the problems; `merge_mappings(preset.mapping, own)` lays a user's
mapping over a preset's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from catalog.yaml_safety import read_yaml
from errors import ContentError, EvidenceError, Problem
from evidence.mapping import Mapping, Where, mapping_from_data
from evidence.schemas import DATASETS

KIND = "evidence-preset"
HEADER = ("kind", "id", "name", "version", "source", "licence", "date", "description", "dataset", "tool", "export",
          "file", "cannot_supply", "mapping")
REQUIRED = ("kind", "id", "name", "version", "source", "licence", "date", "dataset", "tool", "export", "file",
            "cannot_supply", "mapping")


@dataclass(frozen=True)
class Preset:
    id: str
    name: str
    version: str
    source: str
    licence: str
    date: date
    dataset: str
    tool: str
    export: str
    """How to produce the file from the tool (menu path, command)."""
    file: str
    """The file the tool writes: format, delimiter, encoding, date style."""
    cannot_supply: tuple[str, ...]
    """What the tool cannot supply, and how to add it."""
    mapping: Mapping
    description: str = ""
    path: str = ""
    mapping_data: Any = None
    """The `mapping` section as written (to show it, or to start a user's own mapping from it)."""


def preset_files(folder: Path) -> list[Path]:
    """The preset files of a folder, sorted (dotfiles skipped)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.y*ml") if p.is_file() and not p.name.startswith("."))


def is_preset_file(path: Path) -> bool:
    """Whether a YAML file declares `kind: evidence-preset` (read cheaply, for routing)."""
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:4096]
    except OSError:
        return False
    return any(line.strip() == f"kind: {KIND}" for line in head.splitlines())


def load_presets(folder: Path, label_of=lambda p: p.name) -> tuple[dict[str, Preset], list[Problem]]:
    """Every preset of `folder` that is valid, and the problems of those that are not (or of
    duplicate ids)."""
    presets: dict[str, Preset] = {}
    problems: list[Problem] = []
    for path in preset_files(folder):
        preset, found = load_preset(path, label_of(path))
        problems += found
        if preset is None:
            continue
        if preset.id in presets:
            problems.append(Problem(f"{label_of(path)}: id", f"duplicate preset id '{preset.id}' (also in {presets[preset.id].path})"))
            continue
        presets[preset.id] = preset
    return presets, problems


def load_preset(path: Path, label: str) -> tuple[Preset | None, list[Problem]]:
    """One preset file, or None with its problems."""
    try:
        parsed = read_yaml(path)
    except ContentError as exc:
        return None, [Problem(f"{label}: {p.location}".rstrip(": "), p.message, p.hint) for p in exc.problems]
    data = parsed.data
    where = Where(label, parsed)
    if not isinstance(data, dict):
        return None, [Problem(label, "expected a mapping of header fields at the top of the file")]
    problems = [Problem(where((k,)), "unknown key", f"allowed keys: {', '.join(HEADER)}") for k in data if k not in HEADER]
    problems += [Problem(label, f"'{k}' is missing", "every preset carries " + ", ".join(REQUIRED)) for k in REQUIRED if k not in data]
    if data.get("kind", KIND) != KIND:
        problems.append(Problem(where(("kind",)), f"{data.get('kind')!r} is not {KIND}"))
    for key in ("id", "name", "version", "source", "licence", "tool", "export", "file"):
        if key in data and (not isinstance(data[key], str | int | float) or not str(data[key]).strip()):
            problems.append(Problem(where((key,)), "expected text"))
    if "date" in data and not isinstance(data["date"], date):
        problems.append(Problem(where(("date",)), f"{data['date']!r} is not a date", "YYYY-MM-DD"))
    cannot = data.get("cannot_supply")
    if "cannot_supply" in data and (not isinstance(cannot, list) or not all(isinstance(c, str) and c.strip() for c in cannot)):
        problems.append(Problem(where(("cannot_supply",)), "expected a list of sentences",
                                "say what the tool cannot supply and how to add it (an empty list if nothing)"))
    dataset = data.get("dataset")
    if "dataset" in data and dataset not in DATASETS:
        problems.append(Problem(where(("dataset",)), f"{dataset!r} is not a dataset", f"one of {', '.join(DATASETS)}"))
    mapping = None
    if dataset in DATASETS and "mapping" in data:
        try:
            mapping = mapping_from_data(data["mapping"], DATASETS[dataset], Where(label, parsed, ("mapping",)))
        except EvidenceError as exc:
            problems += exc.problems
    if problems or mapping is None:
        return None, problems
    return Preset(id=str(data["id"]), name=str(data["name"]), version=str(data["version"]), source=str(data["source"]),
                  licence=str(data["licence"]), date=data["date"], dataset=dataset, tool=str(data["tool"]),
                  export=str(data["export"]).strip(), file=str(data["file"]).strip(),
                  cannot_supply=tuple(c.strip() for c in cannot), mapping=_named(mapping, str(data["id"])),
                  description=str(data.get("description") or "").strip(), path=label, mapping_data=data["mapping"]), []


def _named(mapping: Mapping, preset_id: str) -> Mapping:
    return replace(mapping, source=f"preset {preset_id}")


def describe(preset: Preset) -> dict[str, Any]:
    """The preset as JSON-ready data (`scorecard evidence presets --json`)."""
    return {"id": preset.id, "name": preset.name, "dataset": preset.dataset, "tool": preset.tool,
            "version": preset.version, "export": preset.export, "file": preset.file,
            "cannot_supply": list(preset.cannot_supply), "source": preset.source, "description": preset.description}
