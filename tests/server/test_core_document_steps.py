"""The core tests of document_steps, on a project on the server."""

from tests.core.test_document_steps import *  # noqa: F403
