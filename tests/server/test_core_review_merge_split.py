"""The core tests of review_merge_split, on a project on the server."""

from tests.core.test_review_merge_split import *  # noqa: F403
