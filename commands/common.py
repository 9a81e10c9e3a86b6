"""Helpers shared by command modules: the services context, JSON output and error reporting."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from errors import ScorecardError
from services.context import Context, configured_context

RECORD_ID = click.IntRange(1, 2**63 - 1)
"""Click type of a stored record's id (assessment ids): a positive 64-bit integer."""


def context() -> Context:
    """The context commands run in: the configured database and content folder, the system clock
    (both are loaded once per process and value; SCORECARD_DB_URL and SCORECARD_CONTENT_DIR)."""
    return configured_context()


def echo_json(data: Any) -> None:
    """Print machine output on stdout (dates and other values via str)."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def fail(error: ScorecardError) -> None:
    """Print every problem of a ScorecardError to stderr and exit 1."""
    for line in [error.summary, *(f"  {p}" for p in error.problems)]:
        click.echo(line, err=True)
    sys.exit(1)
