"""The workbench window: documents, highlights, annotate → record → undo → redo, review keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette, QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tests.conftest import TESTIMONY, import_text
from tests.ui.conftest import TextWindow
from ui.app import open_window, recent_projects
from ui.attach_dialog import AttachDialog
from ui.main_window import MainWindow
from ui.merge_proposals import MergeProposals
from ui.metadata_dialog import MetadataDialog
from ui.models.document_table_model import DocumentTableModel
from ui.palette import saved_dark
from workbench.domain import Span
from workbench.project import Project

EMOJI_TEXT = "🙂🇺🇦 Daniil Alfyorov left the 47th Tank Division. Alfyorov crossed into Kazakhstan.\n"


@pytest.fixture
def window(text_window: TextWindow) -> MainWindow:
    return text_window("emoji.txt", EMOJI_TEXT)


def select(win: MainWindow, start: int, end: int) -> None:
    """Select code points [start, end) the way a mouse would (UTF-16 positions in Qt)."""
    offsets = win.document_view.offsets
    cursor = QTextCursor(win.document_view.document())
    cursor.setPosition(offsets.to_utf16(start))
    cursor.setPosition(offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
    win.document_view.setTextCursor(cursor)


def annotate(win: MainWindow, phrase: str, code: str) -> None:
    """Select the first occurrence of ``phrase`` and annotate it with ``code`` from the menu."""
    start = EMOJI_TEXT.index(phrase)
    select(win, start, start + len(phrase))
    win.actions_[f"annotate:{code}"].trigger()


def person_records(win: MainWindow) -> list[str]:
    return [r.label for r in win.project.records.list(type_name="person")]


def test_annotate_undo_redo_with_emoji_before_the_span(window: MainWindow) -> None:
    start = EMOJI_TEXT.index("Daniil")
    select(window, start + 2, start + 10)  # "niil Alf": snaps to the whole words
    window.actions_["annotate:person"].trigger()
    assert person_records(window) == ["Daniil Alfyorov"]
    (ann,) = window.project.annotations.for_document(window.document_id or 0)
    assert (ann.start, ann.end, ann.quote) == (start, start + 15, "Daniil Alfyorov")
    assert [h.start for h in window.document_view.highlights()] == [start]
    assert window.records_panel.current_record_id() == ann.record_ids[0]
    assert window.isWindowModified()
    assert window.actions_["undo"].text() == "&Undo Annotate as Person"

    window.undo_stack.undo()
    assert person_records(window) == []
    assert window.document_view.highlights() == []
    window.undo_stack.redo()
    assert person_records(window) == ["Daniil Alfyorov"]
    assert len(window.document_view.highlights()) == 1


def test_exact_selection_with_alt_does_not_snap(window: MainWindow) -> None:
    start = EMOJI_TEXT.index("Alfyorov")
    select(window, start, start + 4)
    window.document_view.exact_selection = True
    window.actions_["annotate:person"].trigger()
    (ann,) = window.project.annotations.for_document(window.document_id or 0)
    assert ann.quote == "Alfy"


def test_shortcut_keys_annotate(window: MainWindow, qtbot: QtBot) -> None:
    start = EMOJI_TEXT.index("Kazakhstan")
    select(window, start, start + len("Kazakhstan"))
    window.document_view.setFocus()
    qtbot.keyClick(window.document_view, Qt.Key.Key_2)  # 2 = place in the default codebook
    assert [r.label for r in window.project.records.list(type_name="place")] == ["Kazakhstan"]


def test_accept_reject_and_delete_are_undoable(window: MainWindow) -> None:
    annotate(window, "47th Tank Division", "organization")
    record_id = window.project.records.list(type_name="organization")[0].id
    window.records_panel.select_record(record_id)
    window.actions_["reject"].trigger()
    assert window.project.records.list(type_name="organization")[0].status == "rejected"
    assert window.document_view.highlights() == []  # rejected passages are not drawn
    window.undo_stack.undo()
    assert window.project.records.list(type_name="organization")[0].status == "accepted"
    window.records_panel.select_record(record_id)
    window.actions_["delete"].trigger()
    assert window.project.records.list(type_name="organization") == []
    window.undo_stack.undo()
    assert [r.id for r in window.project.records.list(type_name="organization")] == [record_id]


def test_attach_to_existing_record(window: MainWindow) -> None:
    annotate(window, "Daniil Alfyorov", "person")
    (record,) = window.project.records.list(type_name="person")
    second = EMOJI_TEXT.index("Alfyorov crossed")
    select(window, second, second + len("Alfyorov"))
    window.attach(record.id)
    (after,) = window.project.records.list(type_name="person")
    assert after.evidence_count == 2
    window.undo_stack.undo()
    assert window.project.records.list(type_name="person")[0].evidence_count == 1


def test_clicking_a_record_reveals_its_passage_and_tab_walks_highlights(
    window: MainWindow, qtbot: QtBot
) -> None:
    annotate(window, "Daniil Alfyorov", "person")
    annotate(window, "Kazakhstan", "place")
    place = window.project.records.list(type_name="place")[0]
    window.reveal_record(place.id)
    assert window.document_view.selected_span(snap=False) == Span(
        EMOJI_TEXT.index("Kazakhstan"),
        EMOJI_TEXT.index("Kazakhstan") + len("Kazakhstan"),
    )
    cursor = window.document_view.textCursor()
    cursor.setPosition(0)
    window.document_view.setTextCursor(cursor)
    window.document_view.setFocus()
    with qtbot.waitSignal(window.document_view.highlightClicked):
        qtbot.keyClick(window.document_view, Qt.Key.Key_Tab)
    selected = window.document_view.selected_span(snap=False)
    assert selected is not None and selected.start == EMOJI_TEXT.index("Daniil")
    assert window.records_panel.current_record_id() is not None


def test_bulk_accept_suggestions_of_a_type(
    qtbot: QtBot, project: Project, testimony_file: Path
) -> None:
    project.documents.import_file(testimony_file)
    project.extraction.run()
    win = MainWindow(project, remember_layout=False)
    qtbot.addWidget(win)
    assert any(h.status == "suggested" for h in win.document_view.highlights())
    win.bulk_status("accepted", type_name="place")
    assert all(r.status == "accepted" for r in project.records.list(type_name="place"))
    assert any(r.status == "suggested" for r in project.records.list(type_name="event"))
    win.undo_stack.undo()
    assert all(r.status == "suggested" for r in project.records.list(type_name="place"))


def test_window_lists_documents_and_switches(
    qtbot: QtBot, project: Project, testimony_file: Path, tmp_path: Path
) -> None:
    first, _ = project.documents.import_file(testimony_file)
    report = "# Second report\n\nDr. Olena Marchenko treated 40 wounded.\n"
    second = import_text(project, tmp_path, "other.md", report)
    win = MainWindow(project, remember_layout=False)
    qtbot.addWidget(win)
    assert win.document_list.model.rowCount() == 2
    assert win.document_view.document_id == first.id
    assert win.document_view.toPlainText() == TESTIMONY.replace("\r\n", "\n")
    win.document_list.select_document(second.id)
    assert win.document_view.document_id == second.id
    assert "Second report" in win.doc_label.text()
    win.document_list.filter.setText("second")
    assert win.document_list.proxy.rowCount() == 1


def test_document_model_passes_qt_model_tester(
    qtmodeltester: object, project: Project, testimony_file: Path
) -> None:
    project.documents.import_file(testimony_file)
    model = DocumentTableModel()
    model.set_documents(project.documents.list(), {project.documents.list()[0].id})
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.data(model.index(0, 0)) == "testimony"


def test_import_in_background_lists_bad_files_and_keeps_good_ones(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    good = tmp_path / "good.md"
    good.write_text("# Interview 12\n\nAndrey (name changed) left Kupiansk in late March.\n")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7 this is not really a pdf")
    before = window.document_list.model.rowCount()
    with qtbot.waitSignal(window.background.busyChanged, check_params_cb=lambda busy: not busy):
        assert window.import_paths([good, bad])
    report = window.last_import
    assert report is not None
    assert [d.original_name for d in report.imported] == ["good.md"]
    assert [r.path.name for r in report.refused] == ["broken.pdf"]
    assert window.document_list.model.rowCount() == before + 1
    assert window.document_view.toPlainText().startswith("# Interview 12")
    box = window.findChild(QMessageBox)
    assert box is not None
    assert "broken.pdf" in box.detailedText()


def test_extraction_runs_in_background(window: MainWindow, qtbot: QtBot) -> None:
    with qtbot.waitSignal(window.background.busyChanged, timeout=60_000,
                          check_params_cb=lambda busy: not busy):  # fmt: skip
        assert window.extract()
    assert any(h.status == "suggested" for h in window.document_view.highlights())
    assert "Suggested" in window.statusBar().currentMessage()


def test_find_in_document_walks_matches(window: MainWindow, qtbot: QtBot) -> None:
    window.actions_["find"].trigger()
    assert window.find_bar.isVisible()
    window.find_bar.field.setText("alfyorov")
    first, second = EMOJI_TEXT.index("Alfyorov"), EMOJI_TEXT.index("Alfyorov crossed")
    assert window.find_bar.hits() == [Span(first, first + 8), Span(second, second + 8)]
    assert window.document_view.selected_span(snap=False) == Span(first, first + 8)
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Return)
    assert window.document_view.selected_span(snap=False) == Span(second, second + 8)
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert window.document_view.selected_span(snap=False) == Span(first, first + 8)


def test_review_queue_by_keyboard(qtbot: QtBot, project: Project, testimony_file: Path) -> None:
    project.documents.import_file(testimony_file)
    project.extraction.run()
    win = MainWindow(project, remember_layout=False)
    qtbot.addWidget(win)
    win.show()
    queue = win.open_review_queue()
    qtbot.addWidget(queue)
    total = len(project.records.list(status="suggested"))
    first = queue.current()
    assert first is not None
    assert "of " + str(total) in queue.progress.text()
    qtbot.keyClick(queue, Qt.Key.Key_A)
    assert project.records.get(first).status == "accepted"
    second = queue.current()
    qtbot.keyClick(queue, Qt.Key.Key_R)
    assert project.records.get(second or 0).status == "rejected"
    third = queue.current()
    qtbot.keyClick(queue, Qt.Key.Key_S)
    assert queue.current() != third
    assert project.records.get(third or 0).status == "suggested"
    win.undo_stack.undo()
    assert project.records.get(second or 0).status == "suggested"


def test_split_a_passage_off_a_record(window: MainWindow) -> None:
    annotate(window, "Daniil Alfyorov", "person")
    (record,) = window.project.records.list(type_name="person")
    second = EMOJI_TEXT.index("Alfyorov crossed")
    select(window, second, second + 8)
    window.attach(record.id)
    window.records_panel.select_record(record.id)
    select(window, second, second + 8)
    window.actions_["split"].trigger()
    labels = sorted(r.label for r in window.project.records.list(type_name="person"))
    assert labels == ["Alfyorov", "Daniil Alfyorov"]
    window.undo_stack.undo()
    assert len(window.project.records.list(type_name="person")) == 1


def test_search_then_annotate_all_hits_then_undo(window: MainWindow, qtbot: QtBot) -> None:
    window.actions_["search"].trigger()
    panel = window.search_panel
    panel.field.setText("alfyorov")
    panel.search()  # a quick read on the worker thread: the list fills when it is done
    qtbot.waitUntil(lambda: panel.count.text() != "")
    assert panel.results.topLevelItemCount() == 2
    panel.code.setCurrentIndex(panel.code.findData("person"))
    panel.per_hit.click()  # one record per hit (the default makes one for all of them)
    panel.annotate_all.click()
    assert panel.confirmation is not None
    panel.confirmation.button(QMessageBox.StandardButton.Ok).click()
    assert sorted(r.label for r in window.project.records.list(type_name="person")) == [
        "Alfyorov",
        "Alfyorov",
    ]
    assert window.actions_["undo"].text() == "&Undo Annotate 2 hits as Person"
    window.undo_stack.undo()
    assert window.project.records.list(type_name="person") == []
    panel._open(panel.results.topLevelItem(1))
    second = EMOJI_TEXT.index("Alfyorov crossed")
    assert window.document_view.selected_span(snap=False) == Span(second, second + 8)


def test_attach_dialog_types_ahead_across_documents(window: MainWindow, qtbot: QtBot) -> None:
    annotate(window, "Daniil Alfyorov", "person")
    records = window.project.records.list()
    dialog = AttachDialog(records, "Alfyorov", window)
    qtbot.addWidget(dialog)
    completer = dialog.field.completer()
    completer.setCompletionPrefix("alfy")
    assert completer.currentCompletion().startswith("Daniil Alfyorov  (person, accepted)")
    dialog.field.setText(completer.currentCompletion())
    assert dialog.record_id() == records[0].id
    dialog.field.setText("nobody")
    assert dialog.record_id() is None


def test_open_another_project_and_remember_it(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = open_window(tmp_path / "second.twb", "tester", window)
    assert other is not None
    assert other.project.path == (tmp_path / "second.twb").resolve()
    assert recent_projects()[0] == other.project.path
    bogus = tmp_path / "notes.twb"
    bogus.write_text("not a project")
    assert open_window(bogus, "tester", window) is None
    box = window.findChild(QMessageBox)
    assert box is not None
    assert "not a Testimony Workbench project" in box.text()
    assert box.textFormat() == Qt.TextFormat.PlainText
    other.close()


def test_dark_palette_toggles_and_is_remembered(window: MainWindow) -> None:
    window.actions_["dark"].trigger()
    assert window.actions_["dark"].isChecked()
    assert QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 60
    assert saved_dark()
    window.actions_["dark"].trigger()
    assert QApplication.palette().color(QPalette.ColorRole.Base).lightness() > 200
    assert not saved_dark()


def test_floating_toolbar_annotates_the_selection(window: MainWindow, qtbot: QtBot) -> None:
    start = EMOJI_TEXT.index("Kazakhstan")
    select(window, start, start + len("Kazakhstan"))
    toolbar = window.selection_toolbar
    toolbar.show_at(window.document_view.cursorRect().bottomLeft())
    assert toolbar.isVisible()
    qtbot.mouseClick(toolbar.buttons["place"], Qt.MouseButton.LeftButton)
    assert not toolbar.isVisible()
    assert [r.label for r in window.project.records.list(type_name="place")] == ["Kazakhstan"]


def test_merge_proposals_across_documents(qtbot: QtBot, project: Project, tmp_path: Path) -> None:
    for i, name in enumerate(("Zhilyaev", "Zhylyaev")):
        import_text(
            project, tmp_path, f"z{i}.txt", f"Sergeant Pavel {name} deserted near Bakhmut.\n"
        )
    project.extraction.run()
    win = MainWindow(project, remember_layout=False)
    qtbot.addWidget(win)
    dialog = MergeProposals(win, win)
    qtbot.addWidget(dialog)
    assert dialog.busy  # computed on the worker thread
    qtbot.waitUntil(lambda: not dialog.busy)
    assert f"{len(dialog.candidates)} proposal(s)" in dialog.status.text()
    labels = {(c.first.label, c.second.label) for c in dialog.candidates}
    assert ("Pavel Zhilyaev", "Pavel Zhylyaev") in labels
    row = next(i for i, c in enumerate(dialog.candidates) if c.first.label == "Pavel Zhilyaev")
    dialog.table.setCurrentItem(dialog.table.topLevelItem(row))
    dialog.merge_selected()
    qtbot.waitUntil(lambda: not dialog.busy)
    pairs = {(c.first.label, c.second.label) for c in dialog.candidates}
    assert ("Pavel Zhilyaev", "Pavel Zhylyaev") not in pairs
    people = project.records.list(type_name="person")
    assert len(people) == 1
    assert people[0].document_ids == (1, 2)
    win.undo_stack.undo()
    assert len(project.records.list(type_name="person")) == 2


def test_metadata_of_several_documents_is_one_undoable_step(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    import_text(window.project, tmp_path, "second.txt", "Another account from Kupiansk.\n")
    window.reload_documents()
    ids = [d.id for d in window.project.documents.list()]
    dialog = MetadataDialog([window.project.documents.get(i) for i in ids], window)
    qtbot.addWidget(dialog)
    assert not dialog.title.isEnabled()
    dialog.published.setText("May 2024")
    assert "YYYY-MM-DD" in dialog.problem.text()
    dialog.published.setText("2024-05-20")
    dialog.source.setText("https://example.org/report")
    assert dialog.values() == {"published": "2024-05-20", "source": "https://example.org/report"}
    window.document_actions.apply_metadata(ids, dialog.values())
    assert {d.published for d in window.project.documents.list()} == {"2024-05-20"}
    assert "2024-05-20" in window.doc_label.text()
    window.undo_stack.undo()
    assert {d.published for d in window.project.documents.list()} == {None}
    window.undo_stack.redo()
    assert {d.source for d in window.project.documents.list()} == {"https://example.org/report"}


def test_several_documents_can_be_selected_for_batch_edits(
    window: MainWindow, tmp_path: Path
) -> None:
    import_text(window.project, tmp_path, "second.txt", "Another account from Kupiansk.\n")
    window.reload_documents()
    table = window.document_list.table
    table.selectAll()
    ids = window.document_list.selected_document_ids()
    assert ids == [d.id for d in window.project.documents.list()]
    assert window.document_view.document_id in ids  # the current row stays the one shown
    window.document_list.select_document(ids[-1])
    assert window.document_list.selected_document_ids() == [ids[-1]]
    assert window.document_view.document_id == ids[-1]
