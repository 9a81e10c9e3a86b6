"""`scorecard trend`: scores of finalised assessments across quarters, per site and rolled up."""

from __future__ import annotations

from typing import Any

import click

from commands.common import echo_json
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
    actor = local_admin()
    if site or enterprise:
        data = {"site": site or trends.ENTERPRISE_LABEL, "series": trends.site_trend(actor, site)}
    else:
        sites, rollup = trends.series_and_rollup(actor)
        data = {"sites": sites, "rollup": rollup, "weights": trends.WEIGHTS}
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
