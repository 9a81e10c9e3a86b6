"""A bounded map of values kept in process memory, each built once from what its key names.

The services keep several things between requests this way (a member's enterprise parts, the
enterprise trend, an assessment's evidence metrics and records): the key names everything the value
is built from, so a kept value is never stale, and the least recently used go first when the map
is full. App sessions run in threads: lookups and stores are locked, the build is not (two threads
may build the same value at once; both are correct, the last stored is kept).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    """At most `limit` values by key, least recently used dropped first."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], V]) -> V:
        """The value kept under `key`, or `build()` kept under it now."""
        return self.get_many([key], lambda _: [build()])[0]

    def get_many(self, keys: Sequence[Hashable], build: Callable[[list[int]], list[V]]) -> list[V]:
        """The values kept under `keys`, in order; those not kept are built by one call,
        `build(positions)` (their positions in `keys`, in order; it returns their values in that
        order), and kept now: for values cheaper to build together than one at a time."""
        found: dict[int, V] = {}
        with self._lock:
            for i, key in enumerate(keys):
                if key in self._values:
                    self._values.move_to_end(key)
                    found[i] = self._values[key]
        missing = [i for i in range(len(keys)) if i not in found]
        if missing:
            built = build(missing)
            if len(built) != len(missing):
                raise ValueError(f"built {len(built)} values for {len(missing)} keys")
            with self._lock:
                for i, value in zip(missing, built, strict=True):
                    found[i] = value
                    self._values[keys[i]] = value
                    self._values.move_to_end(keys[i])
                while len(self._values) > self.limit:
                    self._values.popitem(last=False)
        return [found[i] for i in range(len(keys))]

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)
