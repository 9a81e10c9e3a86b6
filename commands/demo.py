"""`scorecard demo load [--if-empty]`: the fictional manufacturer of demo/, loaded idempotently."""

from __future__ import annotations

import time

import click

from commands.common import context
from demo.loader import load_demo
from services.access import local_admin


@click.group()
def demo() -> None:
    """The demo organisation (Halvorsen Industrial Group: enterprise IT and three plants)."""


@demo.command("load")
@click.option("--if-empty", is_flag=True, help="Load only into a database without any site or assessment.")
def load(if_empty: bool) -> None:
    """Load six quarters of assessments and evidence for the demo manufacturer (idempotent)."""
    started = time.perf_counter()
    summary = load_demo(context(), local_admin(), if_empty=if_empty, progress=lambda m: click.echo(m, err=True))
    if summary.loaded:
        click.echo(f"demo: loaded {summary.assessments} assessments and {summary.evidence_rows} "
                   f"evidence rows in {time.perf_counter() - started:.1f} s", err=True)
    else:
        click.echo(f"demo: {summary.reason}", err=True)
