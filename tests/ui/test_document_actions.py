"""Document commands in the window: import with batch metadata, re-dating on a new published
date, rename (F2), delete (Del in the document list), save a copy."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from tests.conftest import import_text
from tests.ui.conftest import activated, shown_window
from tests.ui.editor_helpers import DialogWatch
from ui.import_dialog import ImportDialog
from ui.main_window import MainWindow
from workbench.domain import DocumentId, RecordId
from workbench.project import Project

FIRST = "Medics <b>speak</b> 🙂\n\nOn March 10 two medics left Kherson. Ольга stayed.\n"
SECOND = "Hospital report\n\nOn March 10 the medics were seen in Kherson again.\n"


@pytest.fixture
def window(qtbot: QtBot, project: Project, tmp_path: Path) -> Iterator[MainWindow]:
    first = import_text(project, tmp_path, "first.txt", FIRST).id
    import_text(project, tmp_path, "second.txt", SECOND)
    for phrase in ("two medics left", "Ольга stayed"):
        start = FIRST.index(phrase)
        made = project.review.annotate(first, start, start + len(phrase), "event")
        project.review.edit(made.record_ids[0], date_text="March 10")
    project.review.set_status([RecordId(2)], "suggested")
    with shown_window(qtbot, project) as win:
        activated(qtbot, win)
        assert win.document_id == first
        yield win


def _edtfs(win: MainWindow) -> list[str | None]:
    return [win.project.records.get(RecordId(r)).date_edtf for r in (1, 2)]


def _press(button: QMessageBox.StandardButton) -> Callable[[QMessageBox], None]:
    def act(box: QMessageBox) -> None:
        box.button(button).click()

    return act


def _listed(win: MainWindow) -> list[str]:
    return [d.title for d in win.project.documents.list()]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (QMessageBox.StandardButton.Yes, ["2024-03-10", "2024-03-10"]),
        (QMessageBox.StandardButton.No, ["XXXX-03-10", "2024-03-10"]),
        (QMessageBox.StandardButton.Cancel, ["XXXX-03-10", "XXXX-03-10"]),
    ],
)
def test_a_new_published_date_asks_before_re_dating_accepted_records(
    window: MainWindow, answer: QMessageBox.StandardButton, expected: list[str]
) -> None:
    seen: list[str] = []

    def act(box: QMessageBox) -> None:
        seen.append(box.text())
        box.button(answer).click()

    watch = DialogWatch(window, QMessageBox, act)
    window.document_actions.apply_metadata([DocumentId(1)], {"published": "2024-05-20"})
    assert watch.ran
    assert "two medics left: March 10 — XXXX-03-10 → 2024-03-10" in seen[0]
    assert "1 suggestion(s) are re-dated in any case" in seen[0]
    assert _edtfs(window) == expected
    if answer != QMessageBox.StandardButton.Cancel:
        window.undo_stack.undo()
        assert _edtfs(window) == ["XXXX-03-10", "XXXX-03-10"]
        assert window.project.documents.get(DocumentId(1)).published is None


def test_import_asks_once_for_the_batch(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    files = []
    for name, text in (("a.txt", "Report one\n\n11 April 2023\n\nText.\n"),
                       ("b.txt", "Report two\n\nNo date here.\n")):  # fmt: skip
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(tmp_path / name)

    def fill(dialog: ImportDialog) -> None:
        dialog.outlet.setText("Mediazona")
        dialog.published.setText("May 2024")  # not a date: OK refuses
        assert not dialog.findChild(QMessageBox) and "YYYY-MM-DD" in dialog.problem.text()
        dialog.published.clear()
        dialog.accept()

    watch = DialogWatch(window, ImportDialog, fill)
    assert window.document_actions.ask_and_import(files)
    assert watch.ran
    qtbot.waitUntil(lambda: len(window.project.documents.list()) == 4)
    docs = {d.title: d for d in window.project.documents.list()}
    assert (docs["Report one"].published, docs["Report one"].outlet) == ("2023-04-11", "Mediazona")
    assert (docs["Report two"].published, docs["Report two"].outlet) == (None, "Mediazona")
    watch = DialogWatch(window, ImportDialog, lambda dialog: dialog.reject())
    assert not window.document_actions.ask_and_import(files)  # cancelled: nothing starts
    assert watch.ran


def test_del_in_the_document_list_deletes_documents_after_saying_what_goes(
    window: MainWindow, qtbot: QtBot
) -> None:
    table = window.document_list.table
    table.setFocus()
    texts: list[str] = []

    def cancel(box: QMessageBox) -> None:
        texts.append(box.text())
        box.button(QMessageBox.StandardButton.Cancel).click()

    watch = DialogWatch(window, QMessageBox, cancel)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert watch.ran and len(_listed(window)) == 2
    assert texts[0].startswith("Delete “Medics <b>speak</b> 🙂” from the project?")
    assert "2 record(s) found nowhere else are deleted" in texts[0]
    assert "backups made before now still hold it" in texts[0]
    watch = DialogWatch(window, QMessageBox, _press(QMessageBox.StandardButton.Yes))
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert watch.ran
    assert _listed(window) == ["Hospital report"]
    assert window.project.records.list() == []
    assert window.document_list.model.rowCount() == 1
    assert window.records_panel.model.matches("event") == 0
    window.undo_stack.undo()
    assert len(_listed(window)) == 2 and len(window.project.records.list()) == 2
    assert window.document_list.model.rowCount() == 2


def test_f2_in_the_document_list_renames(window: MainWindow, qtbot: QtBot) -> None:
    window.document_list.table.setFocus()

    def rename(dialog: QInputDialog) -> None:
        assert dialog.textValue() == "Medics <b>speak</b> 🙂"
        dialog.setTextValue("Interview 7")
        dialog.accept()

    watch = DialogWatch(window, QInputDialog, rename)
    qtbot.keyClick(window.document_list.table, Qt.Key.Key_F2)
    assert watch.ran
    assert window.project.documents.get(DocumentId(1)).title == "Interview 7"
    assert window.document_list.model.document(0).title == "Interview 7"
    window.undo_stack.undo()
    assert window.project.documents.get(DocumentId(1)).title == "Medics <b>speak</b> 🙂"


def test_save_a_copy_writes_a_project_that_opens(window: MainWindow, tmp_path: Path) -> None:
    target = tmp_path / "copies" / "handover"
    target.parent.mkdir()
    window.document_actions.save_copy_to(target)
    copy = target.with_name("handover.twb")
    assert window.statusBar().currentMessage() == f"Saved a copy as {copy}"
    with Project(copy) as opened:
        assert [d.title for d in opened.documents.list()] == _listed(window)
        assert len(opened.records.list()) == 2
    before = copy.stat().st_mtime_ns
    window.document_actions.save_copy_to(copy)  # never over an existing file
    assert copy.stat().st_mtime_ns == before
    assert _last_error(window) == "handover.twb already exists; choose a new file name"


def _last_error(win: MainWindow) -> str:
    boxes = [b for b in win.findChildren(QMessageBox) if b.isVisible()]
    return boxes[-1].text() if boxes else ""


def test_importing_a_file_that_is_no_project_is_one_line(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a project\n", encoding="utf-8")
    before = _listed(window)
    assert window.document_actions.import_project_file(notes)
    qtbot.waitUntil(lambda: bool(_last_error(window)))
    assert _last_error(window).startswith("notes.txt: cannot import this kind of file")
    assert _listed(window) == before


def test_importing_a_codebook_ends_the_undo_history(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    codebook = tmp_path / "codebook.qdc"
    window.project.exports.export("codebook", "qdc", codebook)
    window.document_actions.apply_metadata([DocumentId(1)], {"outlet": "Radio"}, ask=False)
    assert window.undo_stack.count() == 1
    assert window.document_actions.import_project_file(codebook)
    qtbot.waitUntil(lambda: not window.background.busy)
    assert window.undo_stack.count() == 0  # its steps could write the old codebook back
    assert window.statusBar().currentMessage().endswith("from codebook.qdc")
