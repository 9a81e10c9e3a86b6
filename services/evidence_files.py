"""Evidence use cases shared by the CLI and the app: check a file, compute metrics from files,
write templates. Metric definitions come from the content catalog, never from code.

    check_file(source, dataset, mapping=None, sheet=None, name=None, preset=None, time_zone=None) -> ValidatedDataset
    load_files(evidence, mappings=None, evidence_dir=None, keep_valid=False, presets=None, time_zone=None)
        -> dict[str, ValidatedDataset]
    compute_metrics(ctx, evidence, *, as_of, mappings=None, evidence_dir=None, keep_valid=False, presets=None)
        -> MetricSet
    metrics_from_frames(ctx, frames, as_of) -> MetricSet

A preset (services.evidence_presets) gives the mapping of a tool's export; a mapping file given too
is laid over it. `time_zone` is the site's (IANA name, default UTC).
    metrics_json(metrics) -> dict
    evidence_dir_files(directory) -> dict[str, Path]
    template(dataset, xlsx=False) -> bytes
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pandas as pd

from errors import EvidenceError, Problem
from evidence.dataset import read_dataset
from evidence.mapping import Mapping as ColumnMapping
from evidence.metric_set import MetricSet
from evidence.metrics import compute_metrics as compute_from_frames
from evidence.metrics import metric_set_json
from evidence.schemas import DATASETS, get_schema
from evidence.templates import template_csv, template_xlsx
from evidence.validated_dataset import ValidatedDataset
from services.context import Context
from services.evidence_presets import effective_mapping
from tabular.reader import TEXT_SUFFIXES, WORKBOOK_SUFFIXES


def check_file(source: Path | bytes, dataset: str, mapping: Path | ColumnMapping | None = None,
               sheet: str | None = None, name: str | None = None, preset: str | None = None,
               time_zone: str | None = None) -> ValidatedDataset:
    """Read and validate one file (a path, or an upload's bytes called `name`); row problems are
    in the result, file problems raise."""
    used = effective_mapping(dataset, preset, mapping)
    return read_dataset(source, dataset, mapping=used, sheet=sheet, name=name, time_zone=time_zone)


def evidence_dir_files(directory: Path) -> dict[str, Path]:
    """Files of a folder named after datasets (asset_inventory.csv, exceptions.xlsx...)."""
    if not directory.is_dir():
        raise EvidenceError("evidence folder not found", [Problem(str(directory), "not a folder")])
    found: dict[str, Path] = {}
    problems: list[Problem] = []
    for path in sorted(directory.iterdir()):
        if path.stem in DATASETS and path.suffix.lower() in TEXT_SUFFIXES + WORKBOOK_SUFFIXES and path.is_file():
            if path.stem in found:
                problems.append(Problem(str(path), f"a second file for {path.stem} (also {found[path.stem].name})", "keep one"))
            found[path.stem] = path
    if problems:
        raise EvidenceError("ambiguous evidence folder", problems)
    return found


def load_files(
    evidence: Mapping[str, Path],
    mappings: Mapping[str, Path] | None = None,
    evidence_dir: Path | None = None,
    keep_valid: bool = False,
    presets: Mapping[str, str] | None = None,
    time_zone: str | None = None,
) -> dict[str, ValidatedDataset]:
    """Read every file; one EvidenceError lists the problems of all files that have any."""
    files = evidence_dir_files(evidence_dir) if evidence_dir is not None else {}
    for dataset, path in evidence.items():
        if dataset in files and files[dataset] != path:
            raise EvidenceError("a dataset was given twice", [Problem(dataset, f"{path} and {files[dataset]}", "give one file per dataset")])
        files[dataset] = Path(path)
    if not files:
        names = ", ".join(f"{d}.csv" for d in DATASETS)
        raise EvidenceError("no evidence files", [Problem(str(evidence_dir or ""), f"no file named after a dataset ({names}, or .xlsx)")])
    mappings, presets = dict(mappings or {}), dict(presets or {})
    for dataset in [*files, *mappings, *presets]:
        get_schema(dataset)
    unused = [d for d in [*mappings, *presets] if d not in files]
    if unused:
        raise EvidenceError("mapping without a file", [Problem(d, "a mapping or preset was given but no evidence file for it") for d in unused])
    results = {d: check_file(p, d, mapping=mappings.get(d), preset=presets.get(d), time_zone=time_zone)
               for d, p in files.items()}
    failed = [r for r in results.values() if not r.ok]
    if failed and not keep_valid:
        problems = [p for r in failed for p in r.listed_problems()]
        summaries = "; ".join(r.summary() for r in failed)
        raise EvidenceError(f"{summaries}; nothing computed (keep only the valid rows to go on)", problems)
    return results


def compute_metrics(
    ctx: Context,
    evidence: Mapping[str, Path],
    *,
    as_of: date,
    mappings: Mapping[str, Path] | None = None,
    evidence_dir: Path | None = None,
    keep_valid: bool = False,
    presets: Mapping[str, str] | None = None,
    time_zone: str | None = None,
) -> MetricSet:
    """Metrics from evidence files as of a date (datasets not given are reported as missing)."""
    results = load_files(evidence, mappings, evidence_dir, keep_valid, presets, time_zone)
    return metrics_from_frames(ctx, {d: r.accepted(keep_valid) for d, r in results.items()}, as_of)


def metrics_from_frames(ctx: Context, frames: Mapping[str, pd.DataFrame], as_of: date) -> MetricSet:
    """Metrics of validated frames as of a date, by the context catalog's metric definitions."""
    return compute_from_frames(frames, as_of, ctx.catalog.metric_definitions())


def metrics_json(metrics: MetricSet) -> dict:
    """The metrics as `scorecard metrics --json` prints them (numbers rounded to 2 decimals)."""
    return metric_set_json(metrics)


def template(dataset: str, xlsx: bool = False) -> bytes:
    """An empty template file for a dataset (CSV, or XLSX with drop-downs)."""
    return template_xlsx(dataset) if xlsx else template_csv(dataset)
