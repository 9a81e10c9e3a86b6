"""Compact cache keys for Streamlit's caches.

`st.cache_resource` hashes its arguments item by item in Python: a version key that lists every
response version of a questionnaire (~300) or every assessment of an organisation costs ~5 ms per
lookup, paid on every rerun (on every answer, several times per dashboard run). `digest` turns such
a key into one short string first (its repr hashed in C, ~0.1 ms); equal keys give equal digests,
and a 128-bit digest makes a collision of different keys practically impossible.
"""

from __future__ import annotations

import hashlib


def digest(key: object) -> str:
    """128-bit hex digest of `key`'s repr (keys are tuples of str, int, date and None: their repr
    is deterministic and says every value)."""
    return hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()
