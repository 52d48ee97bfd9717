"""Cancel during a real extraction: the worker process ends in the middle of a long document,
what was stored stays, and the long document gets nothing half-done.

The bound on the time is loose on purpose (a test is not a benchmark): the worker needs far
longer than it for the long document, so only a cancel that acts inside a document meets
it. ``benchmarks/cancel_extraction_bench.py`` measures the figure.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from tests.conftest import import_text
from tests.ui.conftest import activated, shown_window
from workbench.project import Project

SHORT = "Pavel Zhilyaev deserted near Kherson in March 2023.\n"
PARAGRAPH = (
    "Sergeant Ivan Petrov{n} of the 47th Tank Division said he left Kharkiv on May 4, 2024. "
    "His mother, Olena Petrova, wrote that more than 30 men had deserted in late March.\n\n"
)
LONG = "".join(PARAGRAPH.format(n=n) for n in range(1_600))  # 270,000 characters: ~15 s
BOUND = 5.0  # seconds from Cancel to the run's end; the long document alone takes longer


def test_cancel_ends_the_worker_inside_a_long_document(
    qtbot: QtBot, project: Project, tmp_path: Path
) -> None:
    short = import_text(project, tmp_path, "short.txt", SHORT).id
    long = import_text(project, tmp_path, "long.txt", LONG).id
    with shown_window(qtbot, project) as window:
        activated(qtbot, window)
        assert window.extract(all_documents=True)
        # The worker batches chunks across documents: the short document's result comes
        # back once the first chunks of the long one are parsed, so it is inside that one.
        qtbot.waitUntil(lambda: bool(project.records.list(document_id=short)), timeout=120_000)
        stored = project.records.list()
        dialog = window.findChild(QProgressDialog)
        assert dialog is not None and window.background.busy
        cancel = dialog.findChild(QPushButton)
        assert cancel is not None and cancel.text() == "Cancel"

        started = time.monotonic()
        with qtbot.waitSignal(window.background.busyChanged, timeout=60_000):
            cancel.click()
        elapsed = time.monotonic() - started

        assert not window.background.busy
        assert elapsed < BOUND, f"the worker took {elapsed:.1f} s to end after Cancel"
        assert project.records.list(document_id=long) == []  # its result never came
        assert project.records.list() == stored  # what was stored stays, untouched
        assert window.findChildren(QMessageBox) == []  # a cancel is not an error
        assert window.statusBar().currentMessage().endswith("(stopped before the end)")
        assert window.extract(all_documents=True)  # and the next run may start
        window.background.cancel()
        qtbot.waitUntil(lambda: not window.background.busy, timeout=60_000)
