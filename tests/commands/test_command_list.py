"""cli.COMMANDS is the one list of top-level commands: nothing defined in commands/ is left off it."""

from __future__ import annotations

import importlib
import pkgutil

import click

import commands
from cli import scorecard


def _reachable(command: click.Command) -> list[click.Command]:
    found = [command]
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            found += _reachable(sub)
    return found


def test_every_command_defined_in_commands_is_on_the_scorecard_group() -> None:
    on_cli = {id(c) for c in _reachable(scorecard)}
    defined = []
    for info in pkgutil.iter_modules(commands.__path__):
        module = importlib.import_module(f"commands.{info.name}")
        defined += [f"{info.name}.{name}" for name, value in vars(module).items()
                    if isinstance(value, click.Command) and value.callback is not None
                    and value.callback.__module__ == module.__name__ and id(value) not in on_cli]
    assert defined == [], "add these to cli.COMMANDS (or to their group)"


def test_evidence_import_sits_in_the_evidence_group() -> None:
    evidence = scorecard.commands["evidence"]
    assert isinstance(evidence, click.Group)
    assert set(evidence.commands) == {"check", "template", "import", "presets"}
