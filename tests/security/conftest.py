"""Fixtures of the hostile-input suite: databases on both backends and the bundle keys."""

from tests.services.fixtures import *  # noqa: F403
from tests.services.keys import *  # noqa: F403
from tests.storage.fixtures import *  # noqa: F403
