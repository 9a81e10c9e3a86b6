"""Cache keys as one digest (ui.components.cache_keys): equal keys share a cache entry, and any
change in a version key (one response version, one date) reaches a new one."""

from __future__ import annotations

from datetime import date

from ui.components.cache_keys import digest


def test_equal_keys_share_a_digest_and_any_change_moves_it() -> None:
    versions = tuple((f"GOV-{n:02d}", "IT", 1) for n in range(300))
    key = ("draft", versions, (), (4, 7))
    assert digest(key) == digest(("draft", tuple(versions), (), (4, 7)))
    bumped = versions[:150] + (("GOV-150", "IT", 2),) + versions[151:]
    changed = [("draft", bumped, (), (4, 7)), ("final", versions, (), (4, 7)), ("draft", versions, (), (4, 8)),
               ("draft", versions, (("GOV-01", "IT", 3),), (4, 7))]
    assert len({digest(key), *(digest(k) for k in changed)}) == 1 + len(changed)
    assert digest(("site", date(2026, 9, 30))) != digest(("site", date(2026, 6, 30)))
    assert digest((1, "2")) != digest(("1", 2))  # values keep their types
    assert len(digest(key)) == 32
