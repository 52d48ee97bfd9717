"""The core tests of protect, on a project on the server."""

from tests.core.test_protect import *  # noqa: F403
