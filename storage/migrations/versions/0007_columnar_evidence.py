"""Evidence rows are stored as Parquet parts (evidence.columnar), not one JSON object per row, and
original files in 8 MiB pieces, not one value per file.

Every stored import is converted in place: its JSON rows (in stored order, with their row numbers)
are read back by the same converter the application used (evidence.json_rows), written as parts,
and the `evidence_rows` table is dropped; each file is copied into `evidence_file_chunks` and
`evidence_files` dropped. One import is converted at a time, so memory follows the
largest import, not the database. An import whose dataset the code no longer knows is refused
loudly rather than dropped. The downgrade converts the parts back to JSON rows.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

from evidence.columnar import frame_to_parts, parts_to_frame
from evidence.json_rows import frame_to_rows, rows_to_frame
from evidence.schemas import get_schema
from storage.jsontext import dumps, loads

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BATCH = 5000
FILE_CHUNK_BYTES = 8 * 1024 * 1024


def upgrade() -> None:
    op.create_table(
        "evidence_parts",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["evidence_imports.id"], name="fk_evidence_parts_import_id_evidence_imports"),
        sa.PrimaryKeyConstraint("import_id", "part", name="pk_evidence_parts"),
    )
    connection = op.get_bind()
    parts = sa.table("evidence_parts", sa.column("import_id"), sa.column("part"), sa.column("row_count"),
                     sa.column("data", sa.LargeBinary()))
    for import_id, dataset in connection.execute(sa.text("SELECT id, dataset FROM evidence_imports ORDER BY id")).all():
        stored = connection.execute(sa.text("SELECT row_number, data FROM evidence_rows WHERE import_id = :i ORDER BY id"),
                                    {"i": import_id}).all()
        frame = rows_to_frame(get_schema(dataset), [loads(data) for _, data in stored])
        frame.index = [number for number, _ in stored]
        values = [{"import_id": import_id, "part": n, "row_count": p.rows, "data": p.data}
                  for n, p in enumerate(frame_to_parts(get_schema(dataset), frame), start=1)]
        if values:
            connection.execute(sa.insert(parts), values)
    op.drop_index("ix_evidence_rows_import_id", table_name="evidence_rows")
    op.drop_table("evidence_rows")
    op.create_table(
        "evidence_file_chunks",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("chunk", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["evidence_imports.id"],
                                name="fk_evidence_file_chunks_import_id_evidence_imports"),
        sa.PrimaryKeyConstraint("import_id", "chunk", name="pk_evidence_file_chunks"),
    )
    chunks = sa.table("evidence_file_chunks", sa.column("import_id"), sa.column("chunk"),
                      sa.column("content", sa.LargeBinary()))
    for (import_id,) in connection.execute(sa.text("SELECT import_id FROM evidence_files ORDER BY import_id")).all():
        content = bytes(connection.execute(sa.text("SELECT content FROM evidence_files WHERE import_id = :i"),
                                           {"i": import_id}).scalar_one())
        for number, start in enumerate(range(0, max(len(content), 1), FILE_CHUNK_BYTES), start=1):
            connection.execute(sa.insert(chunks), [{"import_id": import_id, "chunk": number,
                                                    "content": content[start:start + FILE_CHUNK_BYTES]}])
    op.drop_table("evidence_files")


def downgrade() -> None:
    op.create_table(
        "evidence_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["evidence_imports.id"], name="fk_evidence_rows_import_id_evidence_imports"),
        sa.PrimaryKeyConstraint("id", name="pk_evidence_rows"),
    )
    op.create_index("ix_evidence_rows_import_id", "evidence_rows", ["import_id"])
    connection = op.get_bind()
    rows = sa.table("evidence_rows", sa.column("import_id"), sa.column("row_number"), sa.column("data"))
    for import_id, dataset in connection.execute(sa.text("SELECT id, dataset FROM evidence_imports ORDER BY id")).all():
        data = connection.execute(sa.text("SELECT data FROM evidence_parts WHERE import_id = :i ORDER BY part"),
                                  {"i": import_id}).scalars().all()
        frame = parts_to_frame(get_schema(dataset), [bytes(d) for d in data])
        values = [{"import_id": import_id, "row_number": int(n), "data": dumps(v)}
                  for n, v in zip(frame.index, frame_to_rows(get_schema(dataset), frame), strict=True)]
        for start in range(0, len(values), BATCH):
            connection.execute(sa.insert(rows), values[start:start + BATCH])
    op.drop_table("evidence_parts")
    op.create_table(
        "evidence_files",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["evidence_imports.id"], name="fk_evidence_files_import_id_evidence_imports"),
        sa.PrimaryKeyConstraint("import_id", name="pk_evidence_files"),
    )
    files = sa.table("evidence_files", sa.column("import_id"), sa.column("content", sa.LargeBinary()))
    for (import_id,) in connection.execute(sa.text("SELECT DISTINCT import_id FROM evidence_file_chunks")).all():
        pieces = connection.execute(sa.text("SELECT content FROM evidence_file_chunks WHERE import_id = :i ORDER BY chunk"),
                                    {"i": import_id}).scalars().all()
        connection.execute(sa.insert(files), [{"import_id": import_id, "content": b"".join(bytes(p) for p in pieces)}])
    op.drop_table("evidence_file_chunks")
