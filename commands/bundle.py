"""`scorecard bundle export|import`: move one assessment between databases as a versioned archive."""

from __future__ import annotations

from pathlib import Path

import click

from commands.common import RECORD_ID
from services import bundles
from services.access import local_admin


@click.group()
def bundle() -> None:
    """Versioned archives of one assessment (records, evidence files, manifest with hashes)."""


@bundle.command("export")
@click.argument("assessment_id", type=RECORD_ID)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Zip file to write.")
def bundle_export(assessment_id: int, output: Path) -> None:
    """Write ASSESSMENT_ID as a bundle zip."""
    data = bundles.export_bundle(local_admin(), assessment_id)
    output.write_bytes(data)
    click.echo(f"wrote {output} ({len(data)} bytes)", err=True)


@bundle.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def bundle_import(file: Path) -> None:
    """Restore a bundle into this database; prints the new assessment id."""
    restored = bundles.import_bundle(local_admin(), file.read_bytes(), file.name)
    click.echo(f"imported {restored.label} [{restored.status}]", err=True)
    click.echo(restored.id)
