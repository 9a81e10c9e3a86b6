"""Content use cases: load the catalog once per process, validate files, coverage."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import config
from catalog.loader import Catalog, load_catalog


@lru_cache(maxsize=4)
def _cached_catalog(root: str) -> Catalog:
    return load_catalog(Path(root))


def get_catalog() -> Catalog:
    """The catalog of the configured content folder, loaded once per process and folder."""
    return _cached_catalog(str(config.content_dir()))
