"""`scorecard bundle keygen|export|import`: move one assessment between databases as a signed archive."""

from __future__ import annotations

from pathlib import Path

import click

from commands.common import RECORD_ID, context
from services import bundle_keys, bundles
from services.access import local_admin


@click.group()
def bundle() -> None:
    """Signed archives of one assessment (records, evidence files, manifest with hashes, signature)."""


@bundle.command("keygen")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Private key file to write (its public key goes to OUTPUT.pub).")
def bundle_keygen(output: Path) -> None:
    """Make the organisation's bundle signing key (Ed25519); prints its key id."""
    kid = bundle_keys.generate_key_files(output)
    click.echo(f"wrote {output} (private, mode 600) and {output}.pub (public), key id {kid}", err=True)
    click.echo(f"set SCORECARD_BUNDLE_KEY={output} where bundles are exported; give {output}.pub to installations "
               "that import them (SCORECARD_BUNDLE_TRUSTED_KEYS)", err=True)
    click.echo(kid)


@bundle.command("export")
@click.argument("assessment_id", type=RECORD_ID)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Zip file to write.")
def bundle_export(assessment_id: int, output: Path) -> None:
    """Write ASSESSMENT_ID as a bundle zip signed with SCORECARD_BUNDLE_KEY."""
    partial = output.with_name(f".{output.name}.partial")
    try:
        with partial.open("wb") as out:
            bundles.export_bundle_to(context(), local_admin(), assessment_id, out)
        partial.replace(output)  # a failed export leaves no half-written bundle under the name asked for
    finally:
        partial.unlink(missing_ok=True)
    click.echo(f"wrote {output} ({output.stat().st_size} bytes)", err=True)


@bundle.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--unverified", is_flag=True,
              help="Import a bundle whose signature cannot be verified, as a draft marked unverified "
                   "(without its score and history), for review.")
def bundle_import(file: Path, unverified: bool) -> None:
    """Restore a signed bundle into this database; prints the new assessment id."""
    done = bundles.import_bundle(context(), local_admin(), file, file.name, allow_unverified=unverified)
    a = done.assessment
    if done.verified:
        click.echo(f"imported {a.label} [{a.status}], {done.reason}", err=True)
    else:
        click.echo(f"imported {a.label} as an UNVERIFIED draft ({done.reason}); review it, then finalise or "
                   f"delete it: scorecard assessment delete {a.id} --reason ...", err=True)
    click.echo(a.id)
