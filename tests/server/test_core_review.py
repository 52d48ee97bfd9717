"""The core tests of review, on a project on the server."""

from tests.core.test_review import *  # noqa: F403
