"""`scorecard trend`: scores of finalised assessments across quarters, per site and rolled up."""

from __future__ import annotations

from typing import Any

import click

from commands.common import context, echo_json
from services import trend_series as trends
from services.access import local_admin


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
    ctx, actor = context(), local_admin()
    if site or enterprise:
        label = site or trends.ENTERPRISE_LABEL
        points = trends.site_trend(ctx, actor, site)
        series = {label: points}
        data = {"site": label, "series": [p.as_json() for p in points]}
    else:
        sites, rollup = trends.series_and_rollup(ctx, actor)
        series = {**sites, "enterprise roll-up": rollup}
        data = {"sites": {name: [p.as_json() for p in points] for name, points in sites.items()},
                "rollup": [p.as_json() for p in rollup], "weights": trends.WEIGHTS}
    if as_json:
        echo_json(rounded(data))
        return
    for name, points in series.items():
        click.echo(name)
        for p in points:
            d = p.delta
            click.echo(f"  {p.as_of.isoformat()}  verified {_fmt(p.overall.verified)}"
                       f"{_delta(d.verified if d else None)}  claimed {_fmt(p.overall.claimed)}  "
                       f"CPG {_fmt(p.cpg_implemented_pct, '%')}{_delta(d.cpg_implemented_pct if d else None)}")
