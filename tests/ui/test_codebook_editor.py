"""The codebook editor in the window: its changes reach the menus, the selection bar, the
records panel and the highlights, and Undo takes each back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from tests.conftest import import_text
from tests.ui.conftest import activated, shown_window
from tests.ui.editor_helpers import DialogWatch
from ui.codebook_editor import CodebookEditor
from ui.main_window import MainWindow
from workbench.domain import CodeId
from workbench.project import Project

TEXT = "Врач Olena <b>treated</b> 40 wounded 🙂 in Kherson; the guards beat them.\n"


@pytest.fixture
def window(qtbot: QtBot, project: Project, tmp_path: Path) -> Iterator[MainWindow]:
    doc = import_text(project, tmp_path, "a.txt", TEXT).id
    start = TEXT.index("the guards beat them")
    project.review.annotate(doc, start, start + 20, "abuse")
    start = TEXT.index("Olena")
    project.review.annotate(doc, start, start + 5, "person")
    with shown_window(qtbot, project) as win:
        activated(qtbot, win)
        yield win


@pytest.fixture
def editor(window: MainWindow, qtbot: QtBot) -> CodebookEditor:
    window.actions_["codebook"].trigger()
    found = window.findChild(CodebookEditor)
    assert found is not None
    qtbot.waitExposed(found)
    return found


def _select(editor: CodebookEditor, label: str) -> None:
    items = editor.tree.findItems(label, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
    assert items, label
    editor.tree.setCurrentItem(items[0])


def _item_labels(item: QTreeWidgetItem) -> list[str]:
    return [item.child(i).text(0) for i in range(item.childCount())]


def test_the_tree_shows_types_and_codes_and_the_form_the_entry(editor: CodebookEditor) -> None:
    groups = [editor.tree.topLevelItem(i) for i in range(editor.tree.topLevelItemCount())]
    assert [g.text(0) for g in groups if g is not None] == ["Record types", "Codes"]
    assert _item_labels(groups[0])[:2] == ["Person", "Place"]  # type: ignore[arg-type]
    _select(editor, "Abuse / punishment")
    assert (editor.label.text(), editor.key.text()) == ("Abuse / punishment", "8")
    assert editor.parent_entry.currentText() == "(top level)"


def test_rename_recolour_and_rekey_reach_the_menus_and_undo_takes_them_back(
    window: MainWindow, editor: CodebookEditor
) -> None:
    _select(editor, "Abuse / punishment")
    editor.label.setText("Beating <img src='file:///etc/passwd'>")
    editor._set_colour("#00aa00")
    editor.key.setText("F7")
    editor.apply.click()
    abuse = window.codes["abuse"]
    assert (abuse.label, abuse.colour, abuse.shortcut) == (
        "Beating <img src='file:///etc/passwd'>", "#00aa00", "F7",
    )  # fmt: skip
    action = window.actions_["annotate:abuse"]
    assert (action.text(), action.shortcut().toString()) == (abuse.label, "F7")
    assert window.selection_toolbar.buttons["abuse"].text() == abuse.label
    assert editor.tree.currentItem().text(0) == abuse.label  # type: ignore[union-attr]
    window.undo_stack.undo()
    assert window.codes["abuse"].label == "Abuse / punishment"
    assert window.actions_["annotate:abuse"].shortcut().toString() == "8"


def test_a_key_the_window_uses_or_another_entry_has_is_refused(
    window: MainWindow, editor: CodebookEditor
) -> None:
    _select(editor, "Abuse / punishment")
    editor.key.setText("a")  # Accept
    editor.apply.click()
    assert editor.problem.text() == "The key a is one of the window's own commands."
    assert window.undo_stack.count() == 0
    editor.key.setText("1")  # Person's
    editor.apply.click()
    (box,) = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert box.text() == "the key 1 is already “Person”'s"
    box.accept()
    assert window.codes["abuse"].shortcut == "8" and window.undo_stack.count() == 0


def test_add_a_code_then_annotate_with_it_from_the_menu(
    window: MainWindow, editor: CodebookEditor, qtbot: QtBot
) -> None:
    watch = DialogWatch(editor, QInputDialog, _type("Forced return"))
    editor.add("code")
    assert watch.ran
    assert "forced-return" in window.codes
    assert "forced-return" in window.selection_toolbar.buttons
    start = TEXT.index("Kherson")
    window.document_view.reveal(start, start + 7, flash=False)
    window.actions_["annotate:forced-return"].trigger()
    quotes = [a.quote for a in window.project.annotations.for_document(window.document_id)  # type: ignore[arg-type]
              if a.code == "forced-return"]  # fmt: skip
    assert quotes == ["Kherson"]


def _type(text: str) -> Callable[[QInputDialog], None]:
    def act(dialog: QInputDialog) -> None:
        dialog.setTextValue(text)
        dialog.accept()

    return act


def test_delete_a_code_says_what_goes_and_undo_brings_it_back(
    window: MainWindow, editor: CodebookEditor
) -> None:
    _select(editor, "Abuse / punishment")
    said: list[str] = []

    def confirm(box: QMessageBox) -> None:
        said.append(box.text())
        box.button(QMessageBox.StandardButton.Yes).click()

    watch = DialogWatch(editor, QMessageBox, confirm)
    editor.delete()
    assert watch.ran and "• 1 passage(s) coded with it are deleted" in said[0]
    assert "abuse" not in window.codes and "annotate:abuse" not in window.actions_
    labels = {h.code for h in window.document_view.highlights()}  # a highlight names its label
    assert labels == {"Person"}
    window.undo_stack.undo()
    assert "abuse" in window.codes
    assert {h.code for h in window.document_view.highlights()} == {"Person", "Abuse / punishment"}


def test_move_changes_the_records_panel_order(window: MainWindow, editor: CodebookEditor) -> None:
    _select(editor, "Place")
    editor.move_entry(-1)
    order = [c.name for c in window.codes.values() if c.is_record_type]
    assert order[:2] == ["place", "person"]
    assert window.project.codebook.get("place").position < window.codes["person"].position
    window.undo_stack.undo()
    assert [c.name for c in window.codes.values() if c.is_record_type][:2] == ["person", "place"]
    assert window.codes["person"].id == CodeId(1)


def test_a_label_with_markup_stays_text_in_the_merge_question(
    window: MainWindow, editor: CodebookEditor
) -> None:
    window.project.codebook.update(window.codes["abuse"].id, label="<img src='file:///x'>Beat")
    window.apply_changes()
    _select(editor, "<img src='file:///x'>Beat")
    seen: list[tuple[str, str]] = []

    def look(dialog: QInputDialog) -> None:
        seen.append((dialog.windowTitle(), dialog.labelText()))
        dialog.reject()

    watch = DialogWatch(editor, QInputDialog, look)
    editor.merge()
    assert watch.ran
    assert seen == [("Merge “<img src='file:///x'>Beat” into…", "Into:")]


def test_a_code_never_takes_a_key_of_the_windows_own(window: MainWindow) -> None:
    """An imported codebook may give a code the key A; Accept keeps it."""
    window.project.codebook.update(window.codes["abuse"].id, shortcut="A")
    window.apply_changes()
    assert window.actions_["annotate:abuse"].shortcut().toString() == ""
    assert window.actions_["accept"].shortcut().toString() == "A"
