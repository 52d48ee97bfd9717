"""The core tests of audit, on a project on the server."""

from tests.core.test_audit import *  # noqa: F403
