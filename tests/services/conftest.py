from tests.services.fixtures import *  # noqa: F403
from tests.services.keys import *  # noqa: F403
from tests.storage.fixtures import *  # noqa: F403
