"""Where the application's bundled resources and the default project live."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "TestimonyWorkbench"
PROJECT_SUFFIX = ".twb"
ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
MIGRATIONS = ROOT / "db" / "migrations"
SAMPLE_DIR = RESOURCES / "sample"
DEFAULT_CODEBOOK = RESOURCES / "codebook" / "default.json"


def default_project_path() -> Path:
    """The project used when none is named: $WORKBENCH_PROJECT, else the user data dir."""
    env = os.environ.get("WORKBENCH_PROJECT")
    if env:
        return Path(env).expanduser()
    return user_data_path(APP_NAME, appauthor=False) / f"default{PROJECT_SUFFIX}"
