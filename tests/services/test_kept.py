"""services.kept.Kept: built once per key, least recently used dropped first."""

from __future__ import annotations

from services.kept import Kept


def test_a_value_is_built_once_per_key_and_the_least_recently_used_goes_first():
    kept: Kept[str] = Kept(2)
    built = []

    def build(name):
        return lambda: built.append(name) or name.upper()

    assert kept.get("a", build("a")) == "A" and kept.get("b", build("b")) == "B"
    assert kept.get("a", build("a")) == "A"  # kept, and now the most recently used
    kept.get("c", build("c"))  # full: "b" goes
    assert kept.get("b", build("b")) == "B" and built == ["a", "b", "c", "b"]
    assert len(kept) == 2
    kept.clear()
    assert len(kept) == 0
