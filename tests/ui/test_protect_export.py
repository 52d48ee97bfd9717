"""The Export dialog's "Redact protected names", on a real project: greyed out (saying why)
while nothing is protected, checked once something is; the preview and the file written
follow it; in presentation mode the preview hides the names even when the file will not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.conftest import import_text
from tests.ui.conftest import activated, shown_window
from ui.export_dialog import NOTHING_PROTECTED_TIP, REDACT_TIP, ExportDialog
from ui.main_window import MainWindow
from ui.plain import tooltip
from ui.presentation import present_in_session
from workbench.domain import RecordId
from workbench.project import Project

TEXT = "Olena Marchenko 🙂 treated 40 wounded in Kherson.\nМарченко осталась там.\n"


@pytest.fixture
def window(qtbot: QtBot, project: Project, tmp_path: Path) -> Iterator[MainWindow]:
    doc = import_text(project, tmp_path, "ward.txt", TEXT).id
    for phrase, code in (("Olena Marchenko", "person"), ("Kherson", "place")):
        start = TEXT.index(phrase)
        project.review.annotate(doc, start, start + len(phrase), code)
    with shown_window(qtbot, project) as win:
        yield activated(qtbot, win)


def open_export(window: MainWindow, qtbot: QtBot) -> ExportDialog:
    window.actions_["export"].trigger()
    dialogs = [d for d in window.findChildren(ExportDialog) if d.isVisible()]
    assert len(dialogs) == 1
    qtbot.waitExposed(dialogs[0])
    return dialogs[0]


def labels(dialog: ExportDialog) -> list[str]:
    headers = [dialog.preview.horizontalHeaderItem(c).text()  # type: ignore[union-attr]
               for c in range(dialog.preview.columnCount())]  # fmt: skip
    column = headers.index("label")
    return [dialog.preview.item(r, column).text()  # type: ignore[union-attr]
            for r in range(dialog.preview.rowCount())]  # fmt: skip


def export(window: MainWindow, dialog: ExportDialog, qtbot: QtBot, out: Path) -> str:
    """Export as the dialog says into ``out``; the file's text."""
    assert dialog.start(out)
    qtbot.waitUntil(lambda: out.exists() and not window.background.busy)
    qtbot.waitUntil(lambda: any(b.isVisible() for b in window.findChildren(QMessageBox)))
    for box in window.findChildren(QMessageBox):
        box.close()
    return out.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _off_after() -> Iterator[None]:
    """Each test starts as a run of the application does: presentation mode off."""
    yield
    present_in_session(False)


def protect_person(window: MainWindow) -> None:
    window.run_step("Protect", lambda: window.project.records.protect([RecordId(1)]))


def test_nothing_protected_greys_the_box_out_and_says_why(window: MainWindow, qtbot: QtBot) -> None:
    dialog = open_export(window, qtbot)
    assert not dialog.redact.isEnabled() and not dialog.redact.isChecked()
    assert dialog.redact.toolTip() == tooltip(NOTHING_PROTECTED_TIP)
    assert dialog.request(Path("x.csv")).redact is False
    assert labels(dialog) == ["Olena Marchenko", "Kherson"]
    dialog.close()


def test_with_a_protected_person_the_box_is_on_and_the_file_redacted(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    protect_person(window)
    dialog = open_export(window, qtbot)
    assert dialog.redact.isEnabled() and dialog.redact.isChecked()
    assert dialog.redact.toolTip() == tooltip(REDACT_TIP)
    assert labels(dialog) == ["Person A", "Kherson"]
    written = export(window, dialog, qtbot, tmp_path / "redacted.csv")
    assert "Person A" in written
    assert "Olena" not in written and "Marchenko" not in written and "Марченко" not in written

    dialog = open_export(window, qtbot)
    dialog.redact.setChecked(False)  # the researcher's own copy
    assert labels(dialog) == ["Olena Marchenko", "Kherson"]
    assert dialog.request(Path("x.csv")).redact is False
    written = export(window, dialog, qtbot, tmp_path / "names.csv")
    assert "Olena Marchenko" in written


def test_presentation_mode_hides_the_names_in_the_preview_of_an_unredacted_export(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    protect_person(window)
    window.actions_["presentation"].trigger()
    dialog = open_export(window, qtbot)
    dialog.redact.setChecked(False)
    assert labels(dialog) == ["Person A", "Kherson"]  # on screen only
    written = export(window, dialog, qtbot, tmp_path / "names.csv")
    assert "Olena Marchenko" in written
