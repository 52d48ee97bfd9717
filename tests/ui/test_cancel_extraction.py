"""Cancel during a real extraction: the worker processes end in the middle of a long
document, the pieces of it already stored stay, and the next run continues where it stopped.

The test asserts on what happens, not on time: the run ends before the long document's last
piece, which only a Cancel acting inside the document allows. ``benchmarks/extract_bench.py``
and ``benchmarks/cancel_extraction_bench.py`` measure how long it takes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from tests.conftest import import_text
from tests.pieces_helpers import duplicated_passages, long_text, pieces_stored
from tests.ui.conftest import activated, shown_window
from workbench.extraction.pieces import PIECE
from workbench.project import Project

SHORT = "Pavel Zhilyaev deserted near Kherson in March 2023.\n"
LONG = long_text(2 * PIECE + 10_000)  # three pieces


def test_cancel_keeps_the_pieces_stored_and_the_next_run_continues(
    qtbot: QtBot, project: Project, tmp_path: Path
) -> None:
    import_text(project, tmp_path, "short.txt", SHORT)
    long = import_text(project, tmp_path, "long.txt", LONG).id
    with shown_window(qtbot, project) as window:
        activated(qtbot, window)
        assert window.extract(all_documents=True)
        qtbot.waitUntil(lambda: bool(pieces_stored(project.path, long)), timeout=120_000)
        dialog = window.findChild(QProgressDialog)
        assert dialog is not None and window.background.busy
        cancel = dialog.findChild(QPushButton)
        assert cancel is not None and cancel.text() == "Cancel"

        with qtbot.waitSignal(window.background.busyChanged, timeout=60_000):
            cancel.click()

        assert not window.background.busy
        kept = pieces_stored(project.path, long)
        assert kept and kept[-1][1] < len(LONG)  # it ended inside the long document
        assert project.records.list(document_id=long)  # and kept what its pieces found
        assert window.findChildren(QMessageBox) == []  # a cancel is not an error
        assert window.statusBar().currentMessage().endswith("(stopped before the end)")

        with qtbot.waitSignal(window.background.busyChanged, timeout=300_000,
                              check_params_cb=lambda busy: not busy):  # fmt: skip
            assert window.extract(all_documents=True)
        done = pieces_stored(project.path, long)
        assert done[len(kept)][0] == kept[-1][1] and done[-1][1] == len(LONG)  # continued
        assert duplicated_passages(project.path) == 0
        assert not window.statusBar().currentMessage().endswith("(stopped before the end)")
