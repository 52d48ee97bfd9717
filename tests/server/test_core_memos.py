"""The core tests of memos, on a project on the server."""

from tests.core.test_memos import *  # noqa: F403
