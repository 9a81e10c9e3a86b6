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
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            found += _reachable(command.get_command(ctx, name))
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
    evidence = scorecard.all_commands()["evidence"]
    assert isinstance(evidence, click.Group)
    assert set(evidence.commands) == {"check", "template", "import", "presets"}


def test_running_one_command_loads_only_its_own_module() -> None:
    """`scorecard site --help` must not import the report, evidence or scoring commands."""
    import subprocess
    import sys

    code = ("import sys, cli; cli.scorecard.main(['site', '--help'], standalone_mode=False); "
            "print(sorted(m for m in sys.modules if m.startswith('commands.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = out.strip().splitlines()[-1]
    assert "commands.storage" in loaded and "commands.common" in loaded
    assert "commands.reports" not in loaded and "commands.evidence" not in loaded
