"""The record editor, opened by the window on a real project: label, type, event type, figure
fields (numbers stay numbers), the date phrase read as the user types, the note; OK applies
only what differs, as one undoable step."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.conftest import import_text
from tests.ui.conftest import TextWindow
from tests.ui.editor_helpers import Act, EditorWatch, ok_button, press_ok, retype
from ui.main_window import MainWindow
from ui.record_editor import RecordEditor
from workbench.domain import RecordInfo

WARD = (
    "Dr. Olena Marchenko treated the wounded in Kherson in late March. "
    "Marchenko said about 200 soldiers came through her ward. "
    "Yelena Marchenko later left for Kyiv. "
    "Between 1,200 and 1,500 soldiers deserted from the 47th Tank Division in May.\n"
)


@pytest.fixture
def window(text_window: TextWindow) -> MainWindow:
    win = text_window("ward.txt", WARD, published="2024-05-20")
    win.project.extraction.run()
    win.apply_changes()
    return win


def record(win: MainWindow, type_name: str, label_start: str) -> RecordInfo:
    (found,) = [
        r for r in win.project.records.list(type_name=type_name) if r.label.startswith(label_start)
    ]
    return found


def edit(win: MainWindow, record_id: int, act: Act) -> None:
    """Open the editor the way Review → Edit does (on the records panel's current record,
    the panel having the focus) and let ``act`` work in it."""
    assert win.records_panel.select_record(record_id)
    win.records_panel.tree.setFocus()
    watch = EditorWatch(win, act)
    win.actions_["edit"].trigger()
    assert watch.ran, "the record editor did not open"


# --- what the editor shows


def test_a_figure_shows_its_numbers_and_words_and_no_event_type(window: MainWindow) -> None:
    figure = record(window, "figure", "Between")
    seen: dict[str, object] = {}

    def look(editor: RecordEditor) -> None:
        seen["title"] = editor.windowTitle()
        seen["label"] = editor.label.text()
        seen["type"] = editor.type.currentText()
        seen["fields"] = {name: line.text() for name, line in editor.fields.items()}
        seen["event type shown"] = editor.event_type.isVisibleTo(editor)
        seen["date"] = editor.date_reading.text()

    edit(window, figure.id, look)
    assert seen["title"] == "Edit record — Between 1,200 and 1,500 soldiers"
    assert seen["label"] == "Between 1,200 and 1,500 soldiers"
    assert seen["type"] == "Figure"
    fields = seen["fields"]
    assert isinstance(fields, dict)
    assert float(fields["min"]) == 1200 and float(fields["max"]) == 1500
    assert (fields["value"], fields["unit"], fields["qualifier"]) == ("", "soldiers", "between")
    assert seen["event type shown"] is False
    assert seen["date"] == "No date"


def test_an_event_shows_its_event_type_and_reads_its_date(window: MainWindow) -> None:
    event = record(window, "event", "Dr. Olena")
    seen: dict[str, object] = {}

    def look(editor: RecordEditor) -> None:
        seen["event type"] = editor.event_type.currentText()
        seen["event type shown"] = editor.event_type.isVisibleTo(editor)
        seen["date"] = (editor.date.text(), editor.date_reading.text())

    edit(window, event.id, look)
    assert seen["event type"] == "injury"
    assert seen["event type shown"] is True
    assert seen["date"] == (
        "late March",
        "EDTF 2024-03-21/2024-03-31 · 2024-03-21 to 2024-03-31 · part_of_month · inferred",
    )


def test_the_date_phrase_is_read_as_the_user_types(window: MainWindow, qtbot: QtBot) -> None:
    person = record(window, "person", "Olena")
    readings: list[tuple[str, bool]] = []

    def type_dates(editor: RecordEditor) -> None:
        for phrase in ("since the fall of 2022", "whenever", "", "early April"):
            retype(qtbot, editor.date, phrase)
            readings.append((editor.date_reading.text(), ok_button(editor).isEnabled()))

    edit(window, person.id, type_dates)
    assert readings == [
        ("EDTF 2022-23/.. · 2022-09-01 to 2024-05-20 · open", True),
        ("Not readable as a date", False),  # OK refused while the phrase is unreadable
        ("No date", True),
        ("EDTF 2024-04-01/2024-04-10 · 2024-04-01 to 2024-04-10 · part_of_month · inferred", True),
    ]
    assert window.project.records.get(person.id).date_text is None  # nothing stored: no OK
    assert window.undo_stack.count() == 0


def test_an_open_end_without_a_known_bound_reads_as_dots(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """A record cited only by an undated document: "since 2022" has no latest day."""
    text = "Sergeant Pavel Zhilyaev deserted.\n"
    doc = import_text(window.project, tmp_path, "undated.txt", text)
    pavel = window.project.review.annotate(doc.id, 9, 23, "person").record_ids[0]
    window.apply_changes()
    window.document_list.select_document(doc.id)
    readings: list[str] = []

    def type_date(editor: RecordEditor) -> None:
        retype(qtbot, editor.date, "since 2022")
        readings.append(editor.date_reading.text())

    edit(window, pavel, type_date)
    assert readings == ["EDTF 2022/.. · 2022-01-01 to … · open"]


# --- OK applies what differs, once


def test_ok_stores_label_and_figure_numbers_as_one_undoable_step(
    window: MainWindow, qtbot: QtBot
) -> None:
    figure = record(window, "figure", "Between")

    def change(editor: RecordEditor) -> None:
        retype(qtbot, editor.label, "  1,200 to 1,600 deserters ")
        retype(qtbot, editor.fields["max"], "1,600")
        retype(qtbot, editor.fields["unit"], "deserters")
        press_ok(editor)

    edit(window, figure.id, change)
    edited = window.project.records.get(figure.id)
    assert edited.label == "1,200 to 1,600 deserters"
    assert dict(edited.fields) == {
        "min": 1200.0,
        "max": 1600.0,
        "unit": "deserters",
        "qualifier": "between",
    }
    assert isinstance(edited.fields["max"], float)  # a number, not the text "1,600"
    assert (window.undo_stack.count(), window.undo_stack.undoText()) == (1, "Edit record")

    window.undo_stack.undo()
    restored = window.project.records.get(figure.id)
    assert (restored.label, dict(restored.fields)) == (figure.label, dict(figure.fields))
    window.undo_stack.redo()
    assert window.project.records.get(figure.id).fields["max"] == 1600.0


def test_an_emptied_figure_field_is_dropped_and_a_new_value_is_a_number(
    window: MainWindow, qtbot: QtBot
) -> None:
    figure = record(window, "figure", "about 200")
    assert dict(figure.fields) == {"value": 200.0, "unit": "soldiers", "qualifier": "about"}

    def change(editor: RecordEditor) -> None:
        retype(qtbot, editor.fields["value"], " 250 ")
        retype(qtbot, editor.fields["qualifier"], "")
        press_ok(editor)

    edit(window, figure.id, change)
    fields = window.project.records.get(figure.id).fields
    assert dict(fields) == {"value": 250.0, "unit": "soldiers"}  # no "qualifier": "" kept
    assert isinstance(fields["value"], float)


def test_a_new_event_type_is_stored_with_its_label(window: MainWindow) -> None:
    event = record(window, "event", "Dr. Olena")

    def change(editor: RecordEditor) -> None:
        editor.event_type.setCurrentIndex(editor.event_type.findText("medical treatment"))
        press_ok(editor)

    edit(window, event.id, change)
    fields = window.project.records.get(event.id).fields
    assert (fields["event_type"], fields["event_type_label"]) == (
        "medical_treatment",
        "medical treatment",
    )
    assert fields["date_precision"] == "part_of_month"  # the other fields stay
    window.undo_stack.undo()
    assert window.project.records.get(event.id).fields["event_type"] == "injury"


def test_a_type_change_moves_the_record_and_its_passages(window: MainWindow) -> None:
    yelena = record(window, "person", "Yelena")

    def change(editor: RecordEditor) -> None:
        editor.type.setCurrentIndex(editor.type.findText("Place"))
        press_ok(editor)

    edit(window, yelena.id, change)
    assert window.project.records.get(yelena.id).type == "place"
    (passage,) = window.project.annotations.for_record(yelena.id)
    assert passage.code == "place"
    window.undo_stack.undo()
    assert window.project.records.get(yelena.id).type == "person"
    assert window.project.annotations.for_record(yelena.id)[0].code == "person"


def test_date_and_note_are_stored_and_a_cleared_date_removes_it(
    window: MainWindow, qtbot: QtBot
) -> None:
    event = record(window, "event", "Dr. Olena")

    def change(editor: RecordEditor) -> None:
        retype(qtbot, editor.date, "early April")
        editor.note.setPlainText("She dated it herself, in a second interview.")
        press_ok(editor)

    edit(window, event.id, change)
    edited = window.project.records.get(event.id)
    assert (edited.date_text, edited.date_edtf) == ("early April", "2024-04-01/2024-04-10")
    assert (edited.date_earliest, edited.date_latest) == ("2024-04-01", "2024-04-10")
    assert edited.note == "She dated it herself, in a second interview."

    def clear_date(editor: RecordEditor) -> None:
        retype(qtbot, editor.date, "")
        press_ok(editor)

    edit(window, event.id, clear_date)
    cleared = window.project.records.get(event.id)
    assert (cleared.date_text, cleared.date_edtf, cleared.date_earliest) == (None, None, None)
    assert window.undo_stack.count() == 2
    window.undo_stack.undo()
    assert window.project.records.get(event.id).date_text == "early April"


def test_ok_without_a_change_is_no_step(window: MainWindow) -> None:
    """Every record the extraction made opens and closes with OK without an edit."""
    for shown in window.project.records.list():
        edit(window, shown.id, press_ok)
        assert window.undo_stack.count() == 0, shown
        assert window.project.records.get(shown.id) == shown


def test_ok_on_an_untouched_hand_made_event_is_no_step(window: MainWindow) -> None:
    """An event annotated by hand has no event type yet; opening it and pressing OK must
    not give it one, nor put an edit the user did not make on the undo stack."""
    doc = window.document_id
    assert doc is not None
    start = WARD.index("her ward")
    made = window.project.review.annotate(doc, start, start + 8, "event").record_ids[0]
    window.apply_changes()
    before = window.project.records.get(made)

    edit(window, made, press_ok)

    assert window.undo_stack.count() == 0
    assert window.project.records.get(made).fields == before.fields


def test_cancel_and_a_blank_label_change_nothing(window: MainWindow, qtbot: QtBot) -> None:
    olena = record(window, "person", "Olena")

    def cancel(editor: RecordEditor) -> None:
        retype(qtbot, editor.label, "Someone else")
        editor.reject()

    edit(window, olena.id, cancel)
    assert window.project.records.get(olena.id).label == "Olena Marchenko"

    def blank_label(editor: RecordEditor) -> None:
        retype(qtbot, editor.label, "   ")
        press_ok(editor)

    edit(window, olena.id, blank_label)
    assert window.project.records.get(olena.id).label == "Olena Marchenko"
    assert window.undo_stack.count() == 0
    box = window.findChild(QMessageBox)
    assert box is not None
    assert box.text() == "a record needs a label"


def test_ok_stores_the_reading_shown_when_the_document_got_a_date_since(
    text_window: TextWindow,
) -> None:
    """An accepted year-less date kept its old reading when the document got a published
    date; the editor shows the new reading, and OK stores it."""
    text = "Notes\n\nOn March 10 the medics left.\n"
    win = text_window("notes.txt", text)
    doc = win.document_id
    assert doc is not None
    start = text.index("the medics left")
    made = win.project.review.annotate(doc, start, start + 15, "event").record_ids[0]
    win.project.review.edit(made, date_text="March 10")
    win.project.documents.update_metadata([doc], published="2024-05-20")  # accepted: kept
    win.apply_changes()
    assert win.project.records.get(made).date_edtf == "XXXX-03-10"

    def check_and_press_ok(editor: RecordEditor) -> None:
        assert editor.date_reading.text().startswith("EDTF 2024-03-10")
        press_ok(editor)

    edit(win, made, check_and_press_ok)
    assert win.project.records.get(made).date_edtf == "2024-03-10"
    win.undo_stack.undo()
    assert win.project.records.get(made).date_edtf == "XXXX-03-10"
