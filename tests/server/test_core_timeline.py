"""The core tests of timeline, on a project on the server."""

from tests.core.test_timeline import *  # noqa: F403
