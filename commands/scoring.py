"""`scorecard score`: score a responses file (CSV/XLSX), optionally checked against evidence files."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from commands.common import context, echo_json
from errors import Problem, ResponseError
from services import scorecards

TOP_GAPS = 10


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ResponseError(f"--as-of: '{text}' is not a date", [Problem("--as-of", f"'{text}' is not a date", "use YYYY-MM-DD")]) from None


def _evidence(pairs: tuple[str, ...]) -> dict[str, Path]:
    out: dict[str, Path] = {}
    problems = []
    for pair in pairs:
        dataset, sep, file = pair.partition("=")
        if not sep or not dataset.strip() or not file.strip():
            problems.append(Problem("--evidence", f"'{pair}' is not DATASET=FILE", "e.g. asset_inventory=inventory.xlsx"))
        elif dataset.strip() in out:
            problems.append(Problem("--evidence", f"dataset '{dataset.strip()}' given twice"))
        else:
            out[dataset.strip()] = Path(file.strip())
    if problems:
        raise ResponseError("bad --evidence option", problems)
    return out


def _fmt(value: float | None) -> str:
    return "   –" if value is None else f"{value:4.2f}"


def _print_summary(data: dict[str, Any]) -> None:
    o = data["overall"]
    click.echo(f"{data['questionnaire']['id']} {data['questionnaire']['version']} · scope {data['scope']} · as of {data['as_of']}")
    click.echo(
        f"Overall  claimed {_fmt(o['claimed'])}  verified {_fmt(o['verified'])}  target {_fmt(o['target'])}  "
        f"completion {o['completion'] * 100:.0f}%  confidence {o['confidence'] * 100:.0f}%"
    )
    for env, e in data["by_environment"].items():
        click.echo(f"  {env:<6} claimed {_fmt(e['claimed'])}  verified {_fmt(e['verified'])}  target {_fmt(e['target'])}")
    click.echo("Functions (claimed / verified / target):")
    for fid, f in data["functions"].items():
        click.echo(f"  {fid:<4} {_fmt(f['claimed'])} / {_fmt(f['verified'])} / {_fmt(f['target'])}  {f['title']}")
    pct = data["cpg"]["implemented_pct"]
    click.echo(f"CPG goals implemented: {'–' if pct is None else f'{pct:.2f}%'} of assessed goal × environment pairs")
    for s in data["scenarios"].values():
        click.echo(f"Scenario {s['name']}: readiness {_fmt(s['readiness'])}")
    click.echo(f"Evidence caps applied: {len(data['caps'])}")
    click.echo(f"Top gaps ({min(TOP_GAPS, len(data['gaps']))} of {len(data['gaps'])}):")
    for g in data["gaps"][:TOP_GAPS]:
        click.echo(f"  {g['priority']:5.1f}  {g['question_id']} {g['environment']}: {g['verified']} → {g['target']}  {g['text']}")


@click.command("score")
@click.option("--questionnaire", "questionnaire_id", required=True, help="Questionnaire id, e.g. manufacturing-it-ot.")
@click.option("--responses", "responses_path", required=True, type=click.Path(path_type=Path), help="Responses CSV or XLSX.")
@click.option("--scope", required=True, help="IT, OT or IT+OT.")
@click.option("--as-of", "as_of", required=True, help="Date the assessment describes, YYYY-MM-DD.")
@click.option("--evidence", "evidence", multiple=True, metavar="DATASET=FILE", help="Evidence file for a dataset (repeatable).")
@click.option("--evidence-dir", type=click.Path(path_type=Path), help="Folder of evidence files named after their datasets.")
@click.option("--json", "as_json", is_flag=True, help="Print the full scorecard as JSON.")
def score_command(questionnaire_id, responses_path, scope, as_of, evidence, evidence_dir, as_json) -> None:
    """Score a responses file: claimed, verified and target maturity, CPG goals, gaps, scenarios.

    The responses file has columns question_id, environment, current (0–5, NA or blank),
    target (0–5 or blank), notes and na_reason (required with NA). Every problem in it is
    listed with its row number and nothing is scored until all are fixed.
    """
    card = scorecards.score_file(
        context(),
        questionnaire_id,
        responses_path,
        scope=scorecards.parse_scope(scope),
        as_of=_as_of(as_of),
        evidence=_evidence(evidence),
        evidence_dir=evidence_dir,
    )
    data = scorecards.scorecard_to_dict(card)
    if as_json:
        echo_json(data)
    else:
        _print_summary(data)
