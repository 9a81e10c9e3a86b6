"""Shared helpers of the service tests: the mini content and a few actors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from catalog.loader import load_catalog
from services.access import Actor
from services.assessments import create_assessment
from services.sites import add_site

CONTENT = Path(__file__).resolve().parents[1] / "data" / "scoring" / "content"
CATALOG = load_catalog(CONTENT)
ADMIN = Actor(user="alice", role="admin")
ASSESSOR = Actor(user="bob", role="assessor", sites=frozenset({"Plant North"}))
OTHER_ASSESSOR = Actor(user="carol", role="assessor", sites=frozenset({"Plant South"}))
VIEWER = Actor(user="victor", role="viewer")
AS_OF = date(2026, 3, 31)


def plant_with_assessment(ctx, scope: str = "IT+OT", as_of: date = AS_OF):
    add_site(ctx, ADMIN, "Plant North", country="DE", criticality="high")
    add_site(ctx, ADMIN, "Plant South", country="MX", criticality="medium")
    return create_assessment(ctx, ADMIN, site="Plant North", scope=scope, as_of=as_of)
