"""`scorecard evidence import`: attach an evidence file to a stored assessment.

Added to the `evidence` group of commands/evidence.py when it exists (modules register in name
order, so that group is already there), else to a new `evidence` group.
"""

from __future__ import annotations

from pathlib import Path

import click

from commands.common import RECORD_ID
from services.access import local_admin
from services.stored_evidence import DuplicateEvidenceError, import_evidence


def register(group: click.Group) -> None:
    evidence = group.commands.get("evidence")
    if not isinstance(evidence, click.Group):
        evidence = click.Group("evidence", help="Evidence files: check, template, import.")
        group.add_command(evidence)
    evidence.add_command(evidence_import)


@click.command("import")
@click.argument("assessment_id", type=RECORD_ID)
@click.argument("dataset")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--mapping", type=click.Path(path_type=Path), help="Mapping file (YAML) for the file's own headers and codes.")
@click.option("--keep-valid", is_flag=True, help="Import the valid rows of a file that has problems.")
def evidence_import(assessment_id: int, dataset: str, file: Path, mapping: Path | None, keep_valid: bool) -> None:
    """Validate FILE as DATASET and store it (with its SHA-256 and normalised rows) on ASSESSMENT_ID.

    A file that already is the current DATASET import (same content and mapping) stores nothing:
    it says "already imported" and exits 0, so a scheduled import can run unchanged.
    """
    try:
        stored = import_evidence(local_admin(), assessment_id, dataset, file, mapping=mapping, keep_valid=keep_valid)
    except DuplicateEvidenceError as already:
        click.echo(already.summary, err=True)
        for line in already.lines():
            click.echo(f"  {line}", err=True)
        return
    click.echo(f"imported {stored.row_count} row(s) of {stored.dataset} from {stored.file_name} "
               f"(sha256 {stored.sha256[:12]}…)", err=True)
