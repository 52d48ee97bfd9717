"""Qt test set-up: settings kept out of the user's profile."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths


@pytest.fixture(autouse=True)
def _qt_test_settings(qapp: object) -> None:
    QStandardPaths.setTestModeEnabled(True)
    QCoreApplication.setOrganizationName("TestimonyWorkbenchTests")
    QCoreApplication.setApplicationName("Testimony Workbench Tests")
    QSettings().clear()
