"""The core tests of project_scope, on a project on the server."""

from tests.core.test_project_scope import *  # noqa: F403
