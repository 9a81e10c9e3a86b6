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
from collections.abc import Callable, Hashable
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
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = build()
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.limit:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)
