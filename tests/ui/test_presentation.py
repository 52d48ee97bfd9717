"""Presentation mode over a real project: with a person protected, no view of the window
shows any spelling of their name (records panel in every role, the text and what is copied
from it, highlights' tooltips, the timeline, the review queue, merge proposals, search, the
find bar, the editor, the status bar), every highlight stays at its offsets, and switching
the mode off brings the names back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QEvent, QModelIndex, QSettings, Qt
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QToolTip, QTreeWidget
from pytestqt.qtbot import QtBot

from tests.conftest import import_text
from tests.ui.conftest import activated, shown_window
from tests.ui.editor_helpers import DialogWatch, EditorWatch, press_ok
from ui.attach_dialog import AttachDialog
from ui.audit_dialog import AuditLogDialog
from ui.main_window import MainWindow
from ui.merge_proposals import MergeProposals
from ui.models.record_tree_model import RecordTreeModel
from ui.presentation import present_in_session
from ui.record_editor import SCREENED_NOTE, RecordEditor
from ui.review_queue import ReviewQueue
from ui.shortcuts_dialog import shortcut_entries
from ui.timeline.cards import item_card
from ui.timeline.year_unknown import chip_text
from workbench.domain import DocumentId, RecordId
from workbench.project import Project

TEXT = (
    "Daniil Alfyorov 🙂 left the 47th Tank Division in late March.\n"
    "His mother wrote: «Алфёрова не хотела, чтобы Алфёров воевал». 🇺🇦\n"
    "Alfyorov crossed into Kazakhstan on May 4, 2024.\n"
    "Friends wrote to Daniil 🙂 Alfyorov there.\n"
)
OTHER = "In Almaty, Daniil Alfyorov found work.\n"
CROSSED = "Alfyorov crossed into Kazakhstan on May 4, 2024."
NAMES = ("Daniil", "Alfyorov", "Алфёр")  # every spelling the text has, by a part of it
ROLES = [*range(16), *range(Qt.ItemDataRole.UserRole, Qt.ItemDataRole.UserRole + 8)]


@pytest.fixture(autouse=True)
def _off_after() -> Iterator[None]:
    """Each test starts as a run of the application does: presentation mode off."""
    yield
    present_in_session(False)


def leaks(text: object) -> list[str]:
    """The protected names ``text`` shows (none, in presentation mode)."""
    folded = str(text).casefold()
    return [name for name in NAMES if name.casefold() in folded]


def annotate(
    project: Project, doc_id: DocumentId, text: str, phrase: str, type_name: str
) -> RecordId:
    start = text.index(phrase)
    result = project.review.annotate(doc_id, start, start + len(phrase), type_name)
    return RecordId(result.record_ids[0])


@pytest.fixture
def window(qtbot: QtBot, project: Project, tmp_path: Path) -> Iterator[MainWindow]:
    """A testimony with a person (two passages, one a surname alone), a place and a dated
    event naming the person; the person protected; a second document naming him again."""
    doc = import_text(project, tmp_path, "testimony.txt", TEXT, published="2024-05-20")
    text = project.documents.text(doc.id)
    person = annotate(project, doc.id, text, "Daniil Alfyorov", "person")
    start = text.index("Alfyorov crossed")
    project.review.attach(doc.id, start, start + len("Alfyorov"), person)
    annotate(project, doc.id, text, "Kazakhstan", "place")
    event = annotate(project, doc.id, text, CROSSED, "event")
    project.review.edit(event, date_text="May 4, 2024")
    project.review.set_status([person, event], "suggested")  # in the review queue
    other = import_text(project, tmp_path, "almaty.txt", OTHER)
    annotate(project, other.id, project.documents.text(other.id), "Daniil Alfyorov", "person")
    project.documents.update_metadata([other.id], title="Alfyorov in Almaty")
    project.records.protect([person])
    with shown_window(qtbot, project) as win:
        qtbot.waitUntil(lambda: not win.timeline.loading)
        yield activated(qtbot, win)


def present(win: MainWindow, qtbot: QtBot, on: bool = True) -> None:
    """View → Presentation mode (F5), and wait for the timeline to read its items again."""
    action = win.actions_["presentation"]
    assert action.isChecked() != on
    action.trigger()
    assert action.isChecked() == on
    qtbot.waitUntil(lambda: not win.timeline.loading)


@pytest.fixture
def presenting(window: MainWindow, qtbot: QtBot) -> MainWindow:
    """The window in presentation mode."""
    present(window, qtbot)
    return window


def model_texts(model: RecordTreeModel) -> list[str]:
    """Everything the records model gives a view, in every role, of every row and column."""
    found: list[str] = []
    pending = [QModelIndex()]
    while pending:
        parent = pending.pop()
        for row in range(model.rowCount(parent)):
            for column in range(model.columnCount(parent)):
                index = model.index(row, column, parent)
                found += [str(index.data(role)) for role in ROLES]
            pending.append(model.index(row, 0, parent))
    return found


def person_id(win: MainWindow) -> RecordId:
    (found,) = [r.id for r in win.project.records.list() if r.protected]
    return found


def test_no_view_model_role_shows_a_protected_name(window: MainWindow, qtbot: QtBot) -> None:
    panel = window.records_panel
    assert leaks(model_texts(panel.model))  # the check sees the names while the mode is off
    present(window, qtbot)
    texts = model_texts(panel.model)
    assert not leaks(texts)
    labels = [
        panel.model.record(panel.model.index_of(r.id))
        for r in window.project.records.list(document_id=window.document_id)
    ]
    assert "Person A" in [r.label for r in labels if r is not None]
    assert "Person A crossed into Kazakhstan on May 4, 2024." in texts  # a name in a label
    panel.filter.setText("Person A")  # the filter reads what is shown
    assert person_id(window) in panel.model.matching_ids()
    panel.filter.setText("Alfyorov")
    assert panel.model.matching_ids() == []
    panel.filter.setText("")

    present(window, qtbot, on=False)
    assert "Daniil Alfyorov" in model_texts(panel.model)


def selections(win: MainWindow) -> list[tuple[int, int]]:
    return sorted(
        (s.cursor.selectionStart(), s.cursor.selectionEnd())
        for s in win.document_view.extraSelections()
    )


def test_the_text_is_masked_in_place_and_every_highlight_stays(
    window: MainWindow, qtbot: QtBot
) -> None:
    view = window.document_view
    stored = view.stored_text
    qtbot.waitUntil(lambda: bool(view.extraSelections()))
    drawn, highlights = selections(window), view.highlights()
    view.reveal(stored.index("Kazakhstan"), stored.index("Kazakhstan") + 10, flash=False)

    present(window, qtbot)
    shown = view.toPlainText()
    assert not leaks(shown)
    assert len(shown.encode("utf-16-le")) == len(stored.encode("utf-16-le"))
    assert shown.startswith("██████ ████████ 🙂 left")  # a space stays a space
    assert "Friends wrote to ██████ ██ ████████ there." in shown  # an emoji: two units
    assert "«████████ не хотела, чтобы ███████ воевал». 🇺🇦" in shown
    assert view.stored_text == stored  # the offsets are still the stored text's
    assert view.highlights() == highlights
    qtbot.waitUntil(lambda: bool(view.extraSelections()))
    assert selections(window) == drawn
    span = view.selected_span(snap=False)
    assert span is not None and stored[span.start : span.end] == "Kazakhstan"  # kept

    view.selectAll()
    view.copy()
    copied = QApplication.clipboard().text()
    assert copied and not leaks(copied)

    present(window, qtbot, on=False)
    assert view.toPlainText() == stored


def tip_at(win: MainWindow, position: int) -> str:
    """The tooltip of the text at a code-point position."""
    view = win.document_view
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_utf16(position))
    pos = view.cursorRect(cursor).center()
    QApplication.sendEvent(
        view, QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    )
    assert QToolTip.isVisible()
    return QToolTip.text()


def test_tooltips_and_the_status_bar_name_no_protected_person(
    window: MainWindow, qtbot: QtBot
) -> None:
    stored = window.document_view.stored_text
    assert leaks(tip_at(window, 3))
    present(window, qtbot)
    assert "Person A" in tip_at(window, 3)
    assert not leaks(tip_at(window, 3))
    assert not leaks(tip_at(window, stored.index("crossed")))  # the event's label

    window.records_panel.select_record(person_id(window))
    window.records_panel.tree.setFocus()
    window.actions_["delete"].trigger()
    assert window.statusBar().currentMessage().startswith("Deleted Person A ")
    assert not leaks(window.undo_stack.undoText())


def test_the_timeline_shows_pseudonyms(window: MainWindow, qtbot: QtBot) -> None:
    timeline = window.timeline
    items = timeline.shown_items() + timeline.year_unknown_items()
    assert any(leaks(item_card(i)) for i in items)
    present(window, qtbot)
    items = timeline.shown_items() + timeline.year_unknown_items()
    assert [i.label for i in items] == ["Person A crossed into Kazakhstan on May 4, 2024."]
    for item in items:
        assert not leaks(item_card(item)) and not leaks(item.title) and not leaks(chip_text(item))
    present(window, qtbot, on=False)
    assert [i.label for i in timeline.shown_items()] == [CROSSED]


D = TypeVar("D", bound=QDialog)


def opened(win: MainWindow, action: str, kind: type[D]) -> D:
    """The dialog of ``kind`` an action of the window opens."""
    win.actions_[action].trigger()
    dialog = win.findChild(kind)
    assert isinstance(dialog, kind)
    return dialog


def test_the_review_queue_shows_the_pseudonym_and_masks_the_passage(
    presenting: MainWindow, qtbot: QtBot
) -> None:
    window = presenting
    queue = opened(window, "queue", ReviewQueue)
    seen = []
    for _ in range(2):
        seen += [queue.heading.text(), queue.passage.toPlainText(), queue.windowTitle()]
        queue.step(1)
    assert "Person: Person A" in seen
    assert (
        "Event: Person A crossed into Kazakhstan on May 4, 2024. · May 4, 2024 (2024-05-04)" in seen
    )
    assert not leaks(seen)
    queue.close()


def tree_texts(tree: QTreeWidget) -> list[str]:
    found = []
    pending = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while pending:
        item = pending.pop()
        if item is None:
            continue
        for column in range(tree.columnCount()):
            found += [item.text(column), item.toolTip(column)]
        pending += [item.child(i) for i in range(item.childCount())]
    return found


def test_merge_proposals_name_protected_people_by_pseudonym(
    presenting: MainWindow, qtbot: QtBot
) -> None:
    window = presenting
    dialog = opened(window, "proposals", MergeProposals)
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.candidates, "the two records of one name are proposed"
    seen = tree_texts(dialog.table) + tree_texts(dialog.passages)
    assert "Person A" in seen
    assert not leaks(seen)
    dialog.merge_selected()
    assert not leaks(window.undo_stack.undoText())
    dialog.close()


def test_search_and_find_show_no_protected_name(presenting: MainWindow, qtbot: QtBot) -> None:
    window = presenting
    panel = window.search_panel
    panel.field.setText("Daniil")
    panel.search()
    qtbot.waitUntil(lambda: panel.count.text() != "")
    seen = tree_texts(panel.results)
    assert len(panel.hits) == 3 and not leaks(seen)
    assert "[Person A] 🙂 left the 47th Tank Division in late March. His …" in seen
    assert "In Almaty, [Person A] found work. " in seen
    # the context was cut inside "Alfyorov": its tail goes too
    assert "… crossed into Kazakhstan on May 4, 2024. Friends wrote to [Person A] there. " in seen

    window.find_bar.open()
    window.find_bar.field.setText("alfyorov")
    assert window.find_bar.hits() == []
    window.find_bar.field.setText("Kazakhstan")
    assert len(window.find_bar.hits()) == 1
    present(window, qtbot, on=False)
    assert "In Almaty, [Daniil] Alfyorov found work. " in tree_texts(panel.results)
    window.find_bar.field.setText("alfyorov")
    assert len(window.find_bar.hits()) == 3


def test_the_editor_shows_the_pseudonym_read_only_and_keeps_the_label(
    presenting: MainWindow, qtbot: QtBot
) -> None:
    window = presenting
    person = person_id(window)
    seen: dict[str, object] = {}

    def look(editor: RecordEditor) -> None:
        seen["title"], seen["label"] = editor.windowTitle(), editor.label.text()
        seen["read-only"] = editor.label.isReadOnly()
        seen["said"] = SCREENED_NOTE in [label.text() for label in editor.findChildren(QLabel)]
        editor.note.setPlainText("Seen in Almaty")
        press_ok(editor)

    assert window.records_panel.select_record(person)
    window.records_panel.tree.setFocus()
    watch = EditorWatch(window, look)
    window.actions_["edit"].trigger()
    assert watch.ran
    assert seen == {
        "title": "Edit record — Person A",
        "label": "Person A",
        "read-only": True,
        "said": True,
    }
    record = window.project.records.get(person)
    assert (record.label, record.note) == ("Daniil Alfyorov", "Seen in Almaty")


def test_the_mode_has_a_key_and_holds_for_every_window_of_the_run_only(
    window: MainWindow, qtbot: QtBot, project: Project
) -> None:
    entries = [(e.place, e.command, e.keys) for e in shortcut_entries(window)]
    assert ("View", "Presentation mode", "F5") in entries
    assert not window.actions_["presentation"].isChecked()  # off at start
    qtbot.keyClick(window.document_view, Qt.Key.Key_F5)
    assert window.presentation.active
    assert not leaks(window.document_view.toPlainText())
    with shown_window(qtbot, project) as second:  # opened while presenting: presents
        assert second.actions_["presentation"].isChecked()
        qtbot.waitUntil(lambda: not second.timeline.loading)
        assert not leaks(second.document_view.toPlainText())
        assert not leaks(model_texts(second.records_panel.model))
        second.actions_["presentation"].trigger()  # off in one window: off in all
        assert not window.presentation.active
        assert leaks(window.document_view.toPlainText())
    assert not any("present" in key.casefold() for key in QSettings().allKeys())


def test_protecting_while_presenting_hides_at_once_and_undo_shows_again(
    window: MainWindow, qtbot: QtBot
) -> None:
    person = person_id(window)
    window.run_step("Unprotect", lambda: window.project.records.protect([person], False))
    present(window, qtbot)
    assert leaks(window.document_view.toPlainText())  # nothing protected: nothing hidden
    window.records_panel.select_record(person)
    window.records_panel.tree.setFocus()
    window.actions_["protect"].trigger()
    assert not leaks(window.document_view.toPlainText())
    assert not leaks(model_texts(window.records_panel.model))
    timeline = window.timeline
    # the event naming him changed nothing itself: the whole timeline is read again
    qtbot.waitUntil(lambda: not timeline.loading and not leaks(timeline_texts(window)))
    assert [i.label for i in timeline.shown_items()] == [
        "Person A crossed into Kazakhstan on May 4, 2024."
    ]
    window.actions_["undo"].trigger()
    assert leaks(window.document_view.toPlainText())
    qtbot.waitUntil(lambda: not timeline.loading and bool(leaks(timeline_texts(window))))


def timeline_texts(win: MainWindow) -> list[str]:
    items = win.timeline.shown_items() + win.timeline.year_unknown_items()
    return [item_card(i) for i in items]


def test_attach_audit_log_and_memos_show_no_protected_name(
    presenting: MainWindow, qtbot: QtBot
) -> None:
    window = presenting
    person = person_id(window)
    view = window.document_view
    start = view.stored_text.index("Alfyorov crossed")
    view.reveal(start, start + len("Alfyorov"), flash=False)
    seen: list[str] = []

    def look(dialog: AttachDialog) -> None:
        label = dialog.findChild(QLabel)
        assert label is not None
        seen.append(label.text())
        seen.extend(dialog.field.completer().model().stringList())

    watch = DialogWatch(window, AttachDialog, look)
    window.attach_chosen()
    assert watch.ran
    assert any(s.startswith("Person A  (person, suggested") for s in seen)
    assert "Passage: “Person A”" in seen
    assert not leaks(seen)

    audit = AuditLogDialog(window.project, window)
    qtbot.addWidget(audit)
    model = audit.model
    cells = [
        str(model.index(row, column).data(role))
        for row in range(model.rowCount())
        for column in range(model.columnCount())
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
    ]
    assert any("Person A" in cell for cell in cells)
    assert not leaks(cells)

    window.run_step(
        "Memo", lambda: window.project.review.edit(person, note="Daniil Alfyorov hid in Almaty")
    )
    pane = window.memo_pane
    pane.set_context(window.document_id, person)
    pane.show_kind("record")
    assert pane.heading.text() == "Memo on Person A (person)"
    assert pane.editor.toPlainText() == "Person A hid in Almaty"
    assert pane.editor.isReadOnly()
    pane.save()  # nothing to save: the screened text is never written back
    assert window.project.records.get(person).note == "Daniil Alfyorov hid in Almaty"
    present(window, qtbot, on=False)
    assert pane.editor.toPlainText() == "Daniil Alfyorov hid in Almaty"
    assert not pane.editor.isReadOnly()
    assert leaks(pane.heading.text())


def test_the_title_bar_hides_a_name_in_the_projects_file_name(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "Daniil Alfyorov interview.twb"
    with Project(path, actor="tester") as project:
        doc = import_text(project, tmp_path, "testimony.txt", TEXT)
        text = project.documents.text(doc.id)
        project.records.protect([annotate(project, doc.id, text, "Daniil Alfyorov", "person")])
        with shown_window(qtbot, project) as win:
            assert leaks(win.windowTitle())
            present(win, qtbot)
            assert not leaks(win.windowTitle())
            assert win.windowTitle().endswith(" interview.twb[*] — Testimony Workbench")
            present(win, qtbot, on=False)
            assert win.windowTitle().startswith("Daniil Alfyorov interview.twb")


def test_the_document_list_shows_titles_as_screened(window: MainWindow, qtbot: QtBot) -> None:
    model = window.document_list.table.model()

    def cells() -> list[str]:
        return [
            str(model.index(row, column).data(role))
            for row in range(model.rowCount())
            for column in range(model.columnCount())
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
        ]

    assert leaks(cells())
    present(window, qtbot)
    assert "Person A in Almaty" in cells()
    assert not leaks(cells())
    window.document_list.filter.setText("Alfyorov")  # the filter reads what is shown
    assert model.rowCount() == 0


def test_the_edit_menu_names_steps_as_the_screen_shows_them(
    window: MainWindow, qtbot: QtBot
) -> None:
    person = person_id(window)
    window.run_step(
        "Rename Daniil Alfyorov", lambda: window.project.review.edit(person, note="deserted")
    )
    undo = window.actions_["undo"]
    assert leaks(undo.text())
    present(window, qtbot)
    assert undo.text() == "&Undo Rename Person A"
    window.run_step("Note on Alfyorov", lambda: window.project.review.edit(person, note="hid"))
    assert undo.text() == "&Undo Note on Person A"
    undo.trigger()
    assert window.actions_["redo"].text() == "&Redo Note on Person A"
    assert undo.text() == "&Undo Rename Person A"
    present(window, qtbot, on=False)
    assert undo.text() == "&Undo Rename Daniil Alfyorov"
    assert window.actions_["redo"].text() == "&Redo Note on Alfyorov"
