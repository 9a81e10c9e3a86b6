"""The work units of the parallel suite (tests/scheduling.py) match the fixtures tests really use."""

from __future__ import annotations

import pytest

from tests.scheduling import FIRST, SHARED_SETUPS, in_schedule_order, strays, unit


def test_every_user_of_a_shared_setup_runs_in_its_unit(request: pytest.FixtureRequest) -> None:
    collected = request.session.items
    assert strays(collected) == []
    users = {name: [item for item in collected if name in getattr(item, "fixturenames", ())] for name in SHARED_SETUPS}
    if len(collected) > 1000:  # the whole suite: every shared set-up is really used
        assert all(users.values()), [name for name, found in users.items() if not found]


def test_a_module_is_its_own_unit_unless_grouped() -> None:
    assert unit("tests/scoring/test_engine.py::test_x") == "tests/scoring/test_engine.py"
    assert unit("tests/ui/browser/test_home_browser.py::test_y[a]") == "demo-app"
    assert unit("tests/exports/test_pdf.py::test_z") == "board-pdfs"


def test_the_collection_is_in_the_order_the_units_are_handed_out(request: pytest.FixtureRequest) -> None:
    """xdist tells a worker which tests to run by their index in the collection: the order the
    scheduler hands units out in must be the workers' own collection order."""
    collected = request.session.items
    assert [item.nodeid for item in collected] == [item.nodeid for item in in_schedule_order(collected)]
    if len(collected) > 1000:  # the whole suite: the longest unit really comes first
        assert unit(collected[0].nodeid) == FIRST[0]
