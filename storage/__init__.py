"""Persistence: SQLAlchemy tables, migrations, and repository functions returning domain models."""
