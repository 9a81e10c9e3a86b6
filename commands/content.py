"""Content commands: validate, catalog (list/show/import-oscal/schema), questionnaire show, coverage."""

from __future__ import annotations

import sys
from pathlib import Path

import click

import config
from commands.common import context, echo_json
from errors import ContentError, Problem
from services import content as service

TEXT_WIDTH = 70  # characters of long text shown per table cell


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check content files or folders; with no PATH, the whole content folder.

    Prints every problem as `file: location: message` and exits 1, or a short summary and exit 0.
    A single file is checked against the rest of the content folder (its references resolve there).
    """
    report = service.validate_content(paths)
    for problem in report.problems:
        click.echo(str(problem))
    if report.context_problems:
        click.echo(f"note: {report.context_problems} problem(s) in other content files; run `scorecard validate` to list them", err=True)
    if not report.ok:
        click.echo(report.summary(), err=True)
        sys.exit(1)
    click.echo(report.summary())


@click.group()
def catalog() -> None:
    """Frameworks and crosswalks: list, show, import from OSCAL, export the JSON Schema."""


@catalog.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_content(as_json: bool) -> None:
    """List loaded frameworks, crosswalks, metric catalogs and questionnaires."""
    cat = context().catalog
    rows = [
        *({"kind": "framework", "id": f.id, "name": f.name, "version": f.version, "items": len(f.nodes)} for f in cat.frameworks.values()),
        *({"kind": "crosswalk", "id": c.id, "name": c.name, "version": c.version, "items": len(c.entries)} for c in cat.crosswalks.values()),
        *({"kind": "metrics", "id": m.id, "name": m.name, "version": m.version, "items": len(m.metrics)} for m in cat.metric_catalogs.values()),
        *({"kind": "questionnaire", "id": q.id, "name": q.name, "version": q.version, "items": len(q.questions)} for q in cat.questionnaires.values()),
    ]
    if as_json:
        echo_json(rows)
    else:
        _table(rows, ["kind", "id", "version", "items", "name"])


@catalog.command("show")
@click.argument("framework_id")
@click.option("--json", "as_json", is_flag=True, help='Print {"id","name","version","nodes":[...]}.')
def show_framework(framework_id: str, as_json: bool) -> None:
    """Show a framework's functions, categories, subcategories or goals."""
    data = service.framework_data(context(), framework_id)
    if as_json:
        echo_json(data)
        return
    click.echo(f"{data['name']} ({data['id']}, version {data['version']})")
    rows = [{"id": n["id"], "kind": n["kind"], "title": n["title"], "text": n["text"]} for n in data["nodes"]]
    _table(rows, ["id", "kind", "title", "text"])


@catalog.command("import-oscal")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Framework YAML to write [default: <content folder>/frameworks/nist-csf-2.0.yaml].")
@click.option("--crosswalk", "crosswalk_out", type=click.Path(path_type=Path), default=None,
              help="CSF 1.1 → 2.0 crosswalk YAML [default: mappings/csf-1.1_to_csf-2.0.yaml beside the framework].")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the files differ from a fresh import.")
def import_oscal(path: Path, output: Path | None, crosswalk_out: Path | None, check: bool) -> None:
    """Generate the NIST CSF 2.0 catalog (and 1.1 → 2.0 crosswalk) from NIST's OSCAL JSON."""
    framework, crosswalk = service.import_oscal(path)
    output = output or config.content_dir() / "frameworks" / "nist-csf-2.0.yaml"
    crosswalk_out = crosswalk_out or output.parent / "mappings" / "csf-1.1_to_csf-2.0.yaml"
    texts = {output: service.render_content(framework), crosswalk_out: service.render_content(crosswalk)}
    counts = ", ".join(f"{len(framework.of_kind(k))} {k} nodes" for k in ("function", "category", "subcategory"))
    _write_or_check(texts, check, f"{counts}; {len(crosswalk.entries)} crosswalk entries")


@catalog.command("schema")
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False), default=Path("docs/schema"),
              show_default=True, help="Folder for one <kind>.schema.json per content kind.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the files are missing or stale.")
def schema(output: Path, check: bool) -> None:
    """Export the JSON Schema of every content kind (for editors and CI)."""
    texts = {output / name: text for name, text in service.content_schemas().items()}
    _write_or_check(texts, check, f"{len(texts)} schemas")


@click.group()
def questionnaire() -> None:
    """Questionnaires: show questions and their mappings."""


@questionnaire.command("show")
@click.argument("questionnaire_id")
@click.option("--json", "as_json", is_flag=True, help='Print {"id","version","questions":[...]}.')
def show_questionnaire(questionnaire_id: str, as_json: bool) -> None:
    """Show a questionnaire's questions with applicability, weight and framework mappings."""
    data = service.questionnaire_data(context(), questionnaire_id)
    if as_json:
        echo_json(data)
        return
    click.echo(f"{data['id']} (version {data['version']}), {len(data['questions'])} questions")
    rows = [
        {
            "id": q["id"], "section": q["section"], "env": "/".join(q["applies_to"]), "w": q["weight"],
            "cons": q["consequence"], "csf": " ".join(q["csf"]), "cpg": " ".join(q["cpg"]), "text": q["text"],
        }
        for q in data["questions"]
    ]
    _table(rows, ["id", "section", "env", "w", "cons", "csf", "cpg", "text"])


@click.command()
@click.argument("questionnaire_id")
@click.option("--json", "as_json", is_flag=True, help="Per framework id: totals, covered counts, uncovered IDs.")
def coverage(questionnaire_id: str, as_json: bool) -> None:
    """How many functions, categories, subcategories and goals a questionnaire informs."""
    data = service.coverage_data(context(), questionnaire_id)
    if as_json:
        echo_json(data)
        return
    rows = []
    for fw_id, cov in data.items():
        for kind in ("functions", "categories", "subcategories", "goals"):
            if cov[kind]["total"]:
                total, covered = cov[kind]["total"], cov[kind]["covered"]
                rows.append({"framework": fw_id, "level": kind, "covered": f"{covered}/{total}", "pct": f"{100 * covered / total:.0f}%"})
    _table(rows, ["framework", "level", "covered", "pct"])
    for fw_id, cov in data.items():
        leaves = [i for i in cov["uncovered"] if i in cov["uncovered_reasons"] or i in cov["unexplained"]]
        if leaves:
            click.echo(f"\nUncovered in {fw_id}:")
            for node_id in leaves:
                click.echo(f"  {node_id}: {cov['uncovered_reasons'].get(node_id, '(no reason given)')}")


# --- helpers ------------------------------------------------------------------------------------


def _write_or_check(texts: dict[Path, str], check: bool, what: str) -> None:
    if check:
        stale = [p for p, text in texts.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
        if stale:
            raise ContentError("generated files are missing or out of date", [Problem(str(p), "differs from a fresh generation") for p in stale])
        click.echo(f"up to date: {what}")
        return
    for path, text in texts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        click.echo(str(path))
    click.echo(f"wrote {what}", err=True)


def _table(rows: list[dict], columns: list[str]) -> None:
    """Plain fixed-width table; long cells are cut at TEXT_WIDTH characters with an ellipsis."""
    if not rows:
        click.echo("(none)")
        return
    cells = [[_cell(row.get(c, "")) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for r in cells:
        click.echo("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())


def _cell(value: object) -> str:
    text = " ".join(str(value if value is not None else "").split())
    return text if len(text) <= TEXT_WIDTH else text[: TEXT_WIDTH - 1] + "…"
