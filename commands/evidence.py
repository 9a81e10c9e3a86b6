"""`scorecard evidence check|template|import|presets` and `scorecard metrics`."""

from __future__ import annotations

from pathlib import Path

import click

from commands.common import RECORD_ID, context, echo_json
from evidence.schemas import DATASETS
from evidence.validated_dataset import ValidatedDataset
from exports.formatting import metric_value
from services import evidence_files as service
from services import evidence_presets
from services.access import local_admin
from services.evidence_imports import DuplicateEvidenceError, import_evidence

DATASET = click.Choice(list(DATASETS))
FILE_TYPES = ".csv, .tsv, .txt, .log (Zeek logs too) or .xlsx"


@click.group("evidence")
def evidence_group() -> None:
    """Evidence files: check, template, import, presets."""


@evidence_group.command("check")
@click.argument("dataset", type=DATASET)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--preset", help="Built-in mapping of a tool's export (scorecard evidence presets lists them).")
@click.option("--mapping", type=click.Path(path_type=Path), help="Mapping file (YAML) for the file's own headers and codes (laid over --preset).")
@click.option("--sheet", help="XLSX sheet to read (default: the first).")
@click.option("--time-zone", default="UTC", show_default=True, help="The site's IANA time zone: date-times with an offset are converted to it.")
@click.option("--keep-valid", is_flag=True, help="Report rows with problems but succeed if valid rows remain.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def check(dataset: str, file: Path, preset: str | None, mapping: Path | None, sheet: str | None, time_zone: str,
          keep_valid: bool, as_json: bool) -> None:
    """Validate FILE (.csv, .tsv, .txt, .log or .xlsx) as DATASET: every problem with its row and
    column, the header row used and every assumption made. Exit 1 on problems."""
    result = service.check_file(file, dataset, mapping=mapping, sheet=sheet, preset=preset, time_zone=time_zone)
    if as_json:
        echo_json(result.report())
    else:
        _print_report(result, keep_valid)
    if not result.ok and not (keep_valid and result.kept_rows):
        raise SystemExit(1)


def _print_report(result: ValidatedDataset, keep_valid: bool) -> None:
    click.echo(result.summary())
    for problem in result.listed_problems():
        click.echo(f"  {problem}")
    mapped = ", ".join(f"{field} ← '{header}'" for field, header in result.columns.items())
    click.echo(f"columns: {mapped}")
    for note in result.notes():
        click.echo(note)
    if result.ignored_columns:
        click.echo(f"ignored columns: {', '.join(result.ignored_columns)}", err=True)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if not result.ok:
        action = f"{result.kept_rows} valid row(s) would be kept" if keep_valid else "nothing would be imported (--keep-valid keeps the valid rows)"
        click.echo(action)


@evidence_group.command("template")
@click.argument("dataset", type=DATASET)
@click.option("--xlsx", is_flag=True, help="Write an XLSX workbook with drop-downs (default: CSV; also implied by -o *.xlsx).")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path), help="File to write.")
def template(dataset: str, xlsx: bool, output: Path) -> None:
    """Write an empty DATASET file with the canonical headers."""
    xlsx = xlsx or output.suffix.lower() == ".xlsx"
    if xlsx and output.suffix.lower() != ".xlsx":
        raise click.BadParameter("an XLSX template needs a file name ending in .xlsx", param_hint="-o")
    output.write_bytes(service.template(dataset, xlsx=xlsx))
    click.echo(f"wrote {output} ({'XLSX' if xlsx else 'CSV'} template for {dataset})", err=True)


@evidence_group.command("import")
@click.argument("assessment_id", type=RECORD_ID)
@click.argument("dataset")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--preset", help="Built-in mapping of a tool's export (scorecard evidence presets lists them).")
@click.option("--mapping", type=click.Path(path_type=Path), help="Mapping file (YAML) for the file's own headers and codes (laid over --preset).")
@click.option("--keep-valid", is_flag=True, help="Import the valid rows of a file that has problems.")
def evidence_import(assessment_id: int, dataset: str, file: Path, preset: str | None, mapping: Path | None,
                    keep_valid: bool) -> None:
    """Validate FILE as DATASET and store it (with its SHA-256 and normalised rows) on ASSESSMENT_ID.

    Date-times are read in the time zone of the assessment's site. A file that already is the
    current DATASET import (same content, mapping and preset) stores nothing: it says "already
    imported" and exits 0, so a scheduled import can run unchanged.
    """
    try:
        stored = import_evidence(context(), local_admin(), assessment_id, dataset, file, mapping=mapping,
                                 keep_valid=keep_valid, preset=preset)
    except DuplicateEvidenceError as already:
        click.echo(already.summary, err=True)
        for line in already.lines():
            click.echo(f"  {line}", err=True)
        return
    click.echo(f"imported {stored.row_count} row(s) of {stored.dataset} from {stored.file_name} "
               f"(sha256 {stored.sha256[:12]}…)", err=True)


@evidence_group.command("presets")
@click.argument("name", required=False)
@click.option("--dataset", type=DATASET, help="Only the presets of this dataset.")
@click.option("--json", "as_json", is_flag=True, help="Print the presets as JSON.")
def presets(name: str | None, dataset: str | None, as_json: bool) -> None:
    """List the built-in mappings of tools' exports (Snipe-IT, NetBox, Zeek, Veeam...), or show NAME:
    how to export from the tool, what it cannot supply, and its mapping."""
    found = [evidence_presets.get_preset(name)] if name else evidence_presets.list_presets(dataset)
    if as_json:
        echo_json([evidence_presets.describe(p) for p in found])
        return
    if name is None:
        for p in found:
            click.echo(f"{p.id:<28} {p.dataset:<16} {p.name}")
        click.echo("scorecard evidence presets NAME shows one; use it with --preset NAME", err=True)
        return
    preset = found[0]
    click.echo(f"{preset.id}: {preset.name} → {preset.dataset}")
    click.echo(f"tool: {preset.tool}\nexport: {preset.export}\nfile: {preset.file}\nsource: {preset.source}")
    if preset.cannot_supply:
        click.echo("the tool cannot supply:")
        for line in preset.cannot_supply:
            click.echo(f"  - {line}")
    click.echo("mapping:")
    click.echo(evidence_presets.mapping_yaml(preset))


def _pairs(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, Path]:
    return {d: Path(v) for d, v in _named_pairs(values, "FILE").items()}


def _preset_pairs(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    return _named_pairs(values, "PRESET")


def _named_pairs(values: tuple[str, ...], what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        dataset, sep, item = value.partition("=")
        if not sep or not item or dataset not in DATASETS:
            raise click.BadParameter(f"'{value}': expected DATASET={what} with DATASET one of {', '.join(DATASETS)}")
        if dataset in out:
            raise click.BadParameter(f"{dataset} given twice")
        out[dataset] = item
    return out


@click.command("metrics")
@click.option("--evidence", "evidence", multiple=True, callback=_pairs, metavar="DATASET=FILE", help="An evidence file (repeatable).")
@click.option("--preset", "presets", multiple=True, callback=_preset_pairs, metavar="DATASET=PRESET", help="A built-in mapping for a dataset's file (repeatable).")
@click.option("--mapping", "mappings", multiple=True, callback=_pairs, metavar="DATASET=MAP.yaml", help="A mapping file for a dataset (repeatable; laid over its preset).")
@click.option("--evidence-dir", type=click.Path(path_type=Path), help="Folder of files named after datasets (asset_inventory.csv, exercises.log ...).")
@click.option("--as-of", "as_of", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="Date the metrics are computed for (YYYY-MM-DD).")
@click.option("--time-zone", default="UTC", show_default=True, help="The site's IANA time zone: date-times with an offset are converted to it.")
@click.option("--keep-valid", is_flag=True, help="Use the valid rows of files that have problems.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
def metrics(evidence: dict[str, Path], presets: dict[str, str], mappings: dict[str, Path], evidence_dir: Path | None, as_of,
            time_zone: str, keep_valid: bool, as_json: bool) -> None:
    """Compute the resilience metrics from evidence files as of a date. A metric that cannot be
    computed is "missing", with the field that would make it computable and how to supply it."""
    if not evidence and evidence_dir is None:
        raise click.UsageError("give --evidence DATASET=FILE and/or --evidence-dir DIR")
    results = service.load_files(evidence, mappings, evidence_dir, keep_valid, presets, time_zone)
    for result in results.values():
        if not result.ok:
            click.echo(f"warning: {result.summary()}; using the valid rows", err=True)
    metric_set = service.metrics_from_frames(context(), {d: r.accepted(keep_valid) for d, r in results.items()}, as_of.date())
    data = service.metrics_json(metric_set)
    if as_json:
        echo_json(data)
        return
    definitions = context().catalog.metric_definitions()
    click.echo(f"Resilience metrics as of {data['as_of']}")
    for name, item in data["metrics"].items():
        definition = definitions[name]
        value = metric_value(item["value"], definition.unit)
        envs = "  ".join(f"{k} {v if v is not None else '—'}" for k, v in item["by_environment"].items())
        click.echo(f"  {item['status']:<7} {definition.label:<58} {value:>14}  {envs}")
        if item["status"] == "missing" and item.get("missing_reason"):
            click.echo(f"          why: {item['missing_reason']}")
