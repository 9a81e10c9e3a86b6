"""`scorecard docs cli`: write docs/cli.md from the commands' own --help texts; `scorecard docs
report-schema`: write docs/schema/report.schema.json, the JSON report's schema, from the code."""

from __future__ import annotations

import sys
from pathlib import Path

import click

import config

CLI_DOC = Path("docs") / "cli.md"
REPORT_SCHEMA = Path("docs") / "schema" / "report.schema.json"


def cli_reference(group: click.Group) -> str:
    """Markdown reference of every command: the --help text of each, in command-path order."""
    lines = [
        "# Command line reference",
        "",
        "Generated from `scorecard --help` by `scorecard docs cli`; do not edit by hand.",
        "Results go to stdout (`--json` for machines); progress and warnings go to stderr;",
        "any problem with the input exits with status 1.",
        "",
    ]
    for path, command in _walk(group, ("scorecard",)):
        # A fixed width keeps the file identical whatever terminal generates it.
        with click.Context(command, info_name=path[-1], parent=_parents(path),
                           terminal_width=80, max_content_width=80) as ctx:
            help_text = command.get_help(ctx)
        lines += [f"## `{' '.join(path)}`", "", "```text", help_text.rstrip(), "```", ""]
    return "\n".join(lines)


def _walk(command: click.Command, path: tuple[str, ...]):
    if command.hidden:
        return
    yield path, command
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in sorted(command.list_commands(ctx)):
            yield from _walk(command.get_command(ctx, name), (*path, name))


def _parents(path: tuple[str, ...]) -> click.Context | None:
    parent = None
    for name in path[:-1]:
        parent = click.Context(click.Command(name), info_name=name, parent=parent)
    return parent


@click.group("docs")
def docs() -> None:
    """Generated documentation."""


@docs.command("cli")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: docs/cli.md of the project).")
@click.option("--check", is_flag=True, help="Exit 1 if the file differs from what would be written.")
def cli_doc(output: Path | None, check: bool) -> None:
    """Write the command line reference (docs/cli.md) from --help."""
    _write_or_check(output or config.PROJECT_ROOT / CLI_DOC,
                    cli_reference(click.get_current_context().find_root().command), check, "scorecard docs cli")


@docs.command("report-schema")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: docs/schema/report.schema.json of the project).")
@click.option("--check", is_flag=True, help="Exit 1 if the file differs from what would be written.")
def report_schema(output: Path | None, check: bool) -> None:
    """Write the JSON Schema of `scorecard report --format json` from the report's view-model."""
    from services.reports import json_schema_text

    _write_or_check(output or config.PROJECT_ROOT / REPORT_SCHEMA, json_schema_text(), check,
                    "scorecard docs report-schema")


def _write_or_check(target: Path, text: str, check: bool, command: str) -> None:
    if check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            click.echo(f"{target} is out of date: run `{command}`", err=True)
            sys.exit(1)
        click.echo(f"{target} is up to date", err=True)
        return
    target.write_text(text, encoding="utf-8")
    click.echo(f"wrote {target}", err=True)
