"""Migrations: from an empty database, from the previous revision with data, and code ↔ schema."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pandas as pd
import pandas.testing as pdt
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from errors import ScorecardError
from storage.engine import Database
from storage.schema import _config, current_revision, ensure_schema_current, head_revision, upgrade
from storage.tables import Base

NOW = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def test_upgrade_from_empty_creates_every_table(empty_url: str) -> None:
    db = Database(empty_url)
    assert current_revision(db) is None
    assert upgrade(db) == head_revision()
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    db.dispose()


def test_migrated_schema_matches_the_table_classes(empty_url: str) -> None:
    db = Database(empty_url)
    upgrade(db)
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
    assert diff == []
    db.dispose()


def test_upgrade_from_previous_revision_keeps_data(empty_url: str) -> None:
    db = Database(empty_url)
    upgrade(db, "0001")
    assert "evidence_imports" not in inspect(db.engine).get_table_names()
    with db.engine.begin() as connection:
        connection.execute(text("INSERT INTO organisations (id, name, created_at) VALUES (1, 'Acme', :t)"), {"t": NOW})
        connection.execute(text(
            "INSERT INTO sites (id, organisation_id, name, country, criticality, created_at) "
            "VALUES (1, 1, 'Plant A', 'DE', 'high', :t)"), {"t": NOW})
        connection.execute(text(
            "INSERT INTO assessments (id, uid, organisation_id, site_id, title, scope, as_of, assessor, questionnaire_id,"
            " questionnaire_version, framework_versions, status, created_by, created_at)"
            " VALUES (1, 'u-1', 1, 1, 'Q1', 'IT+OT', :d, 'ana', 'q', '1', '{}', 'draft', 'ana', :t)"),
            {"d": date(2026, 3, 31), "t": NOW})
    with pytest.raises(ScorecardError, match="scorecard db upgrade"):
        ensure_schema_current(db, auto_upgrade_sqlite=False)
    upgrade(db)
    assert current_revision(db) == head_revision()
    from storage import assessments
    from storage import evidence_imports as evidence_store

    with db.read() as session:
        assessment = assessments.get(session, 1)
        assert assessment.site_name == "Plant A"
        assert evidence_store.list_imports(session, 1) == []
    db.dispose()


def test_ensure_schema_current(empty_url: str) -> None:
    db = Database(empty_url)
    if db.is_sqlite:
        ensure_schema_current(db)  # an embedded database upgrades itself
        assert current_revision(db) == head_revision()
    else:
        with pytest.raises(ScorecardError) as raised:
            ensure_schema_current(db)
        assert "empty" in str(raised.value) and "scorecard db upgrade" in str(raised.value)
        upgrade(db)
        ensure_schema_current(db)
    db.dispose()


def test_database_newer_than_the_code_is_refused(db: Database) -> None:
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(ScorecardError, match="newer than this version"):
        ensure_schema_current(db)


def test_sqlite_connection_rules(tmp_path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'x.db'}")
    upgrade(db)
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    db.dispose()


def test_upgrade_converts_json_evidence_rows_to_parquet_parts_and_back(empty_url: str) -> None:
    """Revision 0007 converts every stored import's JSON rows into parts that read back as the same
    frame (row numbers, types, missing values) and keeps its file; the downgrade gives both back."""
    from evidence.json_rows import rows_to_frame
    from evidence.schemas import get_schema
    from storage import evidence_imports as evidence_store
    from tests.storage.helpers import stored_frame

    db = Database(empty_url)
    upgrade(db, "0006")
    rows = [(2, '{"asset_id":"A1","criticality":"critical","environment":"OT","last_verified":"2026-01-05"}'),
            (5, '{"asset_id":"A2","name":"srv","owner":"ops"}')]
    with db.engine.begin() as connection:
        connection.execute(text("INSERT INTO organisations (id, name, created_at) VALUES (1, 'Acme', :t)"), {"t": NOW})
        connection.execute(text(
            "INSERT INTO assessments (id, uid, organisation_id, title, scope, as_of, assessor, questionnaire_id,"
            " questionnaire_version, framework_versions, status, created_by, created_at, unverified)"
            " VALUES (1, 'u-1', 1, 'Q1', 'IT+OT', :d, 'ana', 'q', '1', '{}', 'draft', 'ana', :t, false)"),
            {"d": date(2026, 3, 31), "t": NOW})
        connection.execute(text(
            "INSERT INTO evidence_imports (id, assessment_id, dataset, file_name, sha256, row_count, imported_by,"
            " imported_at) VALUES (7, 1, 'asset_inventory', 'a.csv', :h, 2, 'ana', :t)"), {"h": "0" * 64, "t": NOW})
        connection.execute(text("INSERT INTO evidence_files (import_id, content) VALUES (7, :c)"), {"c": b"a,b"})
        for number, data in rows:
            connection.execute(text("INSERT INTO evidence_rows (import_id, row_number, data) VALUES (7, :n, :d)"),
                               {"n": number, "d": data})
    expected = rows_to_frame(get_schema("asset_inventory"), [json.loads(d) for _, d in rows])
    expected.index = pd.Index([2, 5], name="row")
    upgrade(db)
    assert "evidence_rows" not in inspect(db.engine).get_table_names()
    with db.read() as session:
        (item,) = evidence_store.list_imports(session, 1)
        assert evidence_store.row_count(session, item.id) == 2
        pdt.assert_frame_equal(stored_frame(session, item), expected)
        assert evidence_store.file_content(session, item.id) == b"a,b"
    cfg = _config()
    with db.writer.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0006")
    with db.engine.connect() as connection:
        back = connection.execute(text("SELECT row_number, data FROM evidence_rows ORDER BY id")).all()
        assert bytes(connection.execute(text("SELECT content FROM evidence_files")).scalar_one()) == b"a,b"
    assert [(n, json.loads(d)) for n, d in back] == [(n, json.loads(d)) for n, d in rows]
    db.dispose()


def test_the_start_up_check_reads_the_revision_as_alembic_does(empty_url: str) -> None:
    """`ensure_schema_current` compares without Alembic (storage.schema.NEWEST_FILE and a read of
    its version table): both must say what Alembic says, at every step."""
    from storage.schema import NEWEST_FILE

    assert head_revision() == NEWEST_FILE
    db = Database(empty_url)

    def alembic_says() -> str | None:
        with db.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    assert current_revision(db) is None and alembic_says() is None
    upgrade(db, "0005")
    assert current_revision(db) == alembic_says() == "0005"
    upgrade(db)
    assert current_revision(db) == alembic_says() == NEWEST_FILE
    ensure_schema_current(db)  # current: returns without a word
    db.dispose()
