"""`scorecard trend` and `scorecard bundle keygen|export|import`: history across quarters, and moving
one assessment between databases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from commands.common import RECORD_ID, echo_json
from services import bundle_keys, bundles, trends
from services.access import local_admin


def register(group: click.Group) -> None:
    group.add_command(trend)
    group.add_command(bundle)


def rounded(value: Any) -> Any:
    """Numbers rounded to 2 decimals for presentation, recursively."""
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return value


def _fmt(value: float | None, suffix: str = "") -> str:
    return "–" if value is None else f"{value:.2f}{suffix}"


def _delta(value: float | None) -> str:
    return "" if value is None else f" ({value:+.2f})"


@click.command()
@click.option("--site", help="One site's series (default: every site and the enterprise roll-up).")
@click.option("--enterprise", is_flag=True, help="The series of the enterprise-wide assessments.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def trend(site: str | None, enterprise: bool, as_json: bool) -> None:
    """Scores of finalised assessments over time, with period-over-period deltas."""
    actor = local_admin()
    if site or enterprise:
        data = {"site": site or trends.ENTERPRISE_LABEL, "series": trends.site_trend(actor, site)}
    else:
        data = {"sites": trends.all_series(actor), "rollup": trends.enterprise_rollup(actor),
                "weights": {"criticality": trends.CRITICALITY_WEIGHTS, "enterprise": trends.ENTERPRISE_WEIGHT}}
    if as_json:
        echo_json(rounded(data))
        return
    series = {data["site"]: data["series"]} if "series" in data else {**data["sites"], "enterprise roll-up": data["rollup"]}
    for name, points in series.items():
        click.echo(name)
        for p in points:
            d = p["delta"] or {}
            click.echo(f"  {p['as_of']}  verified {_fmt(p['overall']['verified'])}{_delta(d.get('verified'))}  "
                       f"claimed {_fmt(p['overall']['claimed'])}  CPG {_fmt(p['cpg_implemented_pct'], '%')}"
                       f"{_delta(d.get('cpg_implemented_pct'))}")


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
    data = bundles.export_bundle(local_admin(), assessment_id)
    output.write_bytes(data)
    click.echo(f"wrote {output} ({len(data)} bytes)", err=True)


@bundle.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--unverified", is_flag=True,
              help="Import a bundle whose signature cannot be verified, as a draft marked unverified "
                   "(without its score and history), for review.")
def bundle_import(file: Path, unverified: bool) -> None:
    """Restore a signed bundle into this database; prints the new assessment id."""
    done = bundles.import_bundle(local_admin(), file.read_bytes(), file.name, allow_unverified=unverified)
    a = done.assessment
    if done.verified:
        click.echo(f"imported {a.label} [{a.status}], {done.reason}", err=True)
    else:
        click.echo(f"imported {a.label} as an UNVERIFIED draft ({done.reason}); review it, then finalise or "
                   f"delete it: scorecard assessment delete {a.id} --reason ...", err=True)
    click.echo(a.id)
