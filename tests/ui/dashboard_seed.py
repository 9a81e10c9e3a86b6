"""A small organisation for the dashboard, trends and reports tests, written through the services.

Shipped content. Sites "Plant North" (critical) and "Plant South" (medium), plus enterprise-wide IT:
- Enterprise-wide IT: 2026 Q2 and Q3, both final (every answer 3 in Q2, 4 in Q3).
- Plant North IT+OT: 2026 Q2 final (every answer 2); 2026 Q3 draft with only the governance
  section answered (level 1, a regression), exceptions and exercises evidence, and a finding with
  an owner on the first question.
- Plant South IT+OT: 2026 Q3 final (every answer 1).
Levels are uniform so scores are known without the engine: no evidence rule caps a response whose
metric is missing, so verified = claimed = the level.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from io import StringIO
from pathlib import Path

import pytest

from catalog.content_catalog import Catalog
from scoring.model import Scope
from services.access import Actor
from services.answers import add_finding, import_responses
from services.assessments import create_assessment, finalize_assessment
from services.context import Context, get_catalog
from services.evidence_imports import import_evidence
from services.sites import add_site
from storage.engine import Database
from tests.storage.fixtures import sqlite_template  # noqa: F401 - fixture

__all__ = ["seeded", "seeded_template", "sqlite_template"]
"""What `from tests.ui.dashboard_seed import *` brings into a test module: the fixtures."""

ADMIN = Actor(user="ada", role="admin", all_sites=True)
Q2, Q3 = date(2026, 6, 30), date(2026, 9, 30)
EXCEPTIONS = """exception_id,title,owner,risk_rating,opened,review_date,status,justification,monitoring_plan
E-1,Legacy HMI on XP,OT lead,critical,2025-06-01,2026-08-01,open,Vendor gone,IDS watch
E-2,Flat network line 3,OT lead,high,2026-08-15,2026-12-01,open,Budget 2027,Weekly review
E-3,Old firewall rule,IT ops,medium,2026-01-10,2026-12-31,open,Migration,Weekly check
"""
EXERCISES = """exercise_id,date,scenario,exercise_type,detect_minutes,escalate_minutes,contain_minutes,recover_minutes
X-1,2026-03-10,Ransomware on MES,tabletop,30,20,200,1500
X-2,2026-08-20,Vendor VPN abuse,functional,90,45,400,2000
"""
FINDING_OWNER = "Olga Owner"


@dataclass(frozen=True)
class Seeded:
    enterprise_q2: int
    enterprise_q3: int
    north_q2: int
    north_q3: int
    south_q3: int


def first_question(catalog: Catalog) -> str:
    return catalog.questionnaire("manufacturing-it-ot").questions[0].id


def _responses_file(folder: Path, catalog: Catalog, scope: str, level: int, sections: set[str] | None = None) -> Path:
    questionnaire = catalog.questionnaire("manufacturing-it-ot")
    out = StringIO()
    writer = csv.writer(out)
    writer.writerow(["question_id", "environment", "current", "target", "notes"])
    for q in questionnaire.questions:
        if sections is not None and q.section not in sections:
            continue
        for env in Scope(scope).environments:
            if env in q.applies_to:
                writer.writerow([q.id, env, level, "", ""])
    path = folder / f"responses-{scope}-{level}-{len(sections or ())}.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _assessment(ctx: Context, folder, site, scope, as_of, level, *, final, sections=None) -> int:
    a = create_assessment(ctx, ADMIN, site=site, scope=scope, as_of=as_of)
    import_responses(ctx, ADMIN, a.id, _responses_file(folder, ctx.catalog, scope, level, sections))
    if final:
        finalize_assessment(ctx, ADMIN, a.id)
    return a.id


def seed(ctx: Context, folder: Path) -> Seeded:
    """Write the organisation into the context's database (its catalog: the shipped content)."""
    catalog = ctx.catalog
    add_site(ctx, ADMIN, "Plant North", country="DE", criticality="critical")
    add_site(ctx, ADMIN, "Plant South", country="MX", criticality="medium")
    ent_q2 = _assessment(ctx, folder, None, "IT", Q2, 3, final=True)
    ent_q3 = _assessment(ctx, folder, None, "IT", Q3, 4, final=True)
    north_q2 = _assessment(ctx, folder, "Plant North", "IT+OT", Q2, 2, final=True)
    north_q3 = _assessment(ctx, folder, "Plant North", "IT+OT", Q3, 1, final=False, sections={"governance"})
    import_evidence(ctx, ADMIN, north_q3, "exceptions", EXCEPTIONS.encode(), name="exceptions.csv")
    import_evidence(ctx, ADMIN, north_q3, "exercises", EXERCISES.encode(), name="exercises.csv")
    add_finding(ctx, ADMIN, north_q3, question_id=first_question(catalog), environment=None, title="Name an OT risk owner",
                owner=FINDING_OWNER, due_date=date(2026, 12, 31))
    south_q3 = _assessment(ctx, folder, "Plant South", "IT+OT", Q3, 1, final=True)
    return Seeded(ent_q2, ent_q3, north_q2, north_q3, south_q3)


# --- Fixtures (import them into a test module) ----------------------------------------------------


@pytest.fixture(scope="session")
def seeded_template(sqlite_template, tmp_path_factory) -> tuple[Path, Seeded]:  # noqa: F811 - fixture argument
    """A SQLite file with the organisation above, written once per session (~3 s)."""
    folder = tmp_path_factory.mktemp("dashboard-seed")
    path = folder / "seeded.db"
    shutil.copyfile(sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    ids = seed(Context(database, get_catalog()), folder)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path, ids


@pytest.fixture
def seeded(seeded_template, tmp_path, monkeypatch) -> Iterator[tuple[Context, Seeded]]:
    """A private copy of the seeded database, also configured for the app (SCORECARD_DB_URL), as a
    services context with the shipped content."""
    path = tmp_path / "scorecard.db"
    shutil.copyfile(seeded_template[0], path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("SCORECARD_DB_URL", url)
    monkeypatch.delenv("SCORECARD_CONTENT_DIR", raising=False)
    database = Database(url)
    yield Context(database, get_catalog()), seeded_template[1]
    database.dispose()
