"""CLI command groups, one module per area; `cli.py` registers them on the `scorecard` group."""
