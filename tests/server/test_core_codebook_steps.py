"""The core tests of codebook_steps, on a project on the server."""

from tests.core.test_codebook_steps import *  # noqa: F403
