"""Helpers shared by command modules: JSON output and error reporting."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from errors import ScorecardError

RECORD_ID = click.IntRange(1, 2**63 - 1)
"""Click type of a stored record's id (assessment ids): a positive 64-bit integer."""


def echo_json(data: Any) -> None:
    """Print machine output on stdout (dates and other values via str)."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def fail(error: ScorecardError) -> None:
    """Print every problem of a ScorecardError to stderr and exit 1."""
    for line in [error.summary, *(f"  {p}" for p in error.problems)]:
        click.echo(line, err=True)
    sys.exit(1)
