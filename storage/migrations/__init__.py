"""Alembic migrations of the scorecard schema (run through `storage.schema`, not alembic.ini)."""
