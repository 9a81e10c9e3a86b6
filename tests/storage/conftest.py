from tests.storage.fixtures import *  # noqa: F403
