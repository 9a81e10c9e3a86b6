"""services.kept.Kept: built once per key, least recently used dropped first."""

from __future__ import annotations

import pytest

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


def test_values_not_kept_are_built_together_and_kept_in_order():
    kept: Kept[str] = Kept(3)
    calls = []

    def build(positions):
        calls.append(positions)
        return [keys[i].upper() for i in positions]

    kept.get("b", lambda: "B")
    keys = ["a", "b", "c"]
    assert kept.get_many(keys, build) == ["A", "B", "C"] and calls == [[0, 2]]
    assert kept.get_many(keys, build) == ["A", "B", "C"] and calls == [[0, 2]]  # all kept now
    assert kept.get_many(["d"], build=lambda positions: ["D"]) == ["D"] and len(kept) == 3  # "b" was used least lately


def test_a_build_that_returns_the_wrong_number_of_values_is_an_error():
    with pytest.raises(ValueError, match="built 1 values for 2 keys"):
        Kept(4).get_many(["a", "b"], lambda positions: ["A"])
