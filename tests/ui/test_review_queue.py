"""The review queue over a real project: the passage in context, skip and back, decisions by
key (undone and redone from the queue's own window), editing the queue's record, and the
empty state."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QPushButton, QTextBrowser
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TextWindow, activated
from tests.ui.editor_helpers import EditorWatch, press_ok, retype
from ui.main_window import MainWindow
from ui.record_editor import RecordEditor
from ui.review_queue import ReviewQueue
from workbench.domain import Span

WARD = (
    "Dr. Olena Marchenko treated the wounded in Kherson in late March. "
    "Marchenko said about 200 soldiers came through her ward. "
    "Yelena Marchenko later left for Kyiv.\n"
)
TREATED = "Dr. Olena Marchenko treated the wounded in Kherson in late March."
# The suggestions of WARD in text order, as the queue heads them.
HEADINGS = [
    f"Event: {TREATED} · confidence 0.63 · late March (2024-03-21/2024-03-31)",
    "Person: Olena Marchenko · confidence 0.78",
    "Place: Kherson · confidence 0.90",
    "Figure: about 200 soldiers · confidence 0.90",
    "Person: Yelena Marchenko · confidence 0.75",
    "Place: Kyiv · confidence 0.90",
]


@pytest.fixture
def window(text_window: TextWindow, qtbot: QtBot) -> MainWindow:
    win = text_window("ward.txt", WARD, published="2024-05-20")
    win.project.extraction.run()
    win.apply_changes()
    return activated(qtbot, win)


def open_queue(win: MainWindow, qtbot: QtBot) -> ReviewQueue:
    """Review → Review queue; keys go to it once it is the active window."""
    win.actions_["queue"].trigger()
    queue = win.findChild(ReviewQueue)
    assert queue is not None
    qtbot.waitUntil(lambda: QApplication.activeWindow() is queue)
    return queue


def shown(queue: ReviewQueue) -> tuple[str, str]:
    return queue.heading.text(), queue.progress.text()


def emphasised(browser: QTextBrowser) -> str:
    """The bold text of a text browser (the passage under review)."""
    parts = []
    block = browser.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.charFormat().fontWeight() >= QFont.Weight.Bold:
                parts.append(fragment.text())
            fragments += 1
        block = block.next()
    return "".join(parts)


def status(win: MainWindow, label: str) -> str:
    (found,) = [r for r in win.project.records.list() if r.label == label]
    return found.status


def test_the_queue_shows_the_first_suggestion_in_its_context(
    window: MainWindow, qtbot: QtBot
) -> None:
    queue = open_queue(window, qtbot)
    assert queue.windowTitle() == "Review suggestions: ward"
    assert shown(queue) == (HEADINGS[0], "1 of 6")
    assert emphasised(queue.passage) == TREATED
    assert queue.passage.toPlainText().startswith(f"…{TREATED} Marchenko said")
    assert window.document_view.selected_span(snap=False) == Span(0, len(TREATED))


def test_skip_and_back_walk_the_queue_and_decide_nothing(window: MainWindow, qtbot: QtBot) -> None:
    queue = open_queue(window, qtbot)
    walked = []
    for key in (Qt.Key.Key_S, Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_Left):
        qtbot.keyClick(queue, key)
        walked.append(shown(queue))
    assert walked == [
        (HEADINGS[1], "2 of 6"),
        (HEADINGS[2], "3 of 6"),
        (HEADINGS[1], "2 of 6"),  # Back: the previous one again
        (HEADINGS[0], "1 of 6"),
    ]
    assert window.undo_stack.count() == 0
    assert {r.status for r in window.project.records.list()} == {"suggested"}


def buttons(queue: ReviewQueue) -> dict[str, bool]:
    """Whether Back and Skip can be pressed."""
    found = {b.text().split()[0]: b.isEnabled() for b in queue.findChildren(QPushButton)}
    return {name: found[name] for name in ("Back", "Skip")}


def test_back_stops_at_the_first_item(window: MainWindow, qtbot: QtBot) -> None:
    queue = open_queue(window, qtbot)
    assert buttons(queue) == {"Back": False, "Skip": True}
    qtbot.keyClick(queue, Qt.Key.Key_Left)  # no wrap round to the last one
    assert shown(queue) == (HEADINGS[0], "1 of 6")
    assert emphasised(queue.passage) == TREATED
    qtbot.keyClick(queue, Qt.Key.Key_S)
    assert buttons(queue) == {"Back": True, "Skip": True}
    qtbot.keyClick(queue, Qt.Key.Key_Left)
    qtbot.keyClick(queue, Qt.Key.Key_Left)
    assert shown(queue) == (HEADINGS[0], "1 of 6")
    assert window.undo_stack.count() == 0


def test_skip_stops_at_the_last_item_and_says_so(window: MainWindow, qtbot: QtBot) -> None:
    queue = open_queue(window, qtbot)
    for _ in range(4):
        qtbot.keyClick(queue, Qt.Key.Key_S)
    assert shown(queue) == (HEADINGS[4], "5 of 6")
    qtbot.keyClick(queue, Qt.Key.Key_Right)
    end = (HEADINGS[5], "6 of 6 · end of queue")
    assert shown(queue) == end
    assert buttons(queue) == {"Back": True, "Skip": False}
    qtbot.keyClick(queue, Qt.Key.Key_S)  # stays on the last one
    qtbot.keyClick(queue, Qt.Key.Key_Right)
    assert shown(queue) == end
    start = WARD.index("Kyiv")
    assert window.document_view.selected_span(snap=False) == Span(start, start + 4)
    assert emphasised(queue.passage) == "Kyiv"
    qtbot.keyClick(queue, Qt.Key.Key_Left)
    assert shown(queue) == (HEADINGS[4], "5 of 6")
    assert window.undo_stack.count() == 0


def test_a_and_r_decide_and_undo_redo_keys_work_in_the_queue(
    window: MainWindow, qtbot: QtBot
) -> None:
    queue = open_queue(window, qtbot)
    qtbot.keyClick(queue, Qt.Key.Key_S)
    qtbot.keyClick(queue, Qt.Key.Key_A)
    assert status(window, "Olena Marchenko") == "accepted"
    assert shown(queue) == (HEADINGS[2], "2 of 5")  # the next one, where Olena was
    qtbot.keyClick(queue, Qt.Key.Key_R)
    assert status(window, "Kherson") == "rejected"
    assert shown(queue) == (HEADINGS[3], "2 of 4")
    assert window.undo_stack.undoText() == "Reject 1 record"

    qtbot.keyClick(queue, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert status(window, "Kherson") == "suggested"
    assert shown(queue) == (HEADINGS[2], "2 of 5")  # the undone decision is back, and shown
    qtbot.keyClick(
        queue,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert status(window, "Kherson") == "rejected"
    assert shown(queue) == (HEADINGS[3], "2 of 4")


def test_letters_with_a_modifier_decide_nothing_and_escape_closes(
    window: MainWindow, qtbot: QtBot
) -> None:
    queue = open_queue(window, qtbot)
    for key, modifier in (
        (Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_R, Qt.KeyboardModifier.ShiftModifier),
        (Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier),
    ):
        qtbot.keyClick(queue, key, modifier)
    assert shown(queue) == (HEADINGS[0], "1 of 6")
    assert {r.status for r in window.project.records.list()} == {"suggested"}
    qtbot.keyClick(queue, Qt.Key.Key_Escape)
    assert not queue.isVisible()


def test_a_decision_made_in_the_window_keeps_the_queue_on_its_record(
    window: MainWindow, qtbot: QtBot
) -> None:
    queue = open_queue(window, qtbot)
    qtbot.keyClick(queue, Qt.Key.Key_S)
    qtbot.keyClick(queue, Qt.Key.Key_S)
    assert shown(queue) == (HEADINGS[2], "3 of 6")
    (olena,) = [r.id for r in window.project.records.list() if r.label == "Olena Marchenko"]
    window.set_record_status([olena], "accepted")  # an earlier item, decided elsewhere
    assert shown(queue) == (HEADINGS[2], "2 of 5")
    window.undo_stack.undo()  # it comes back into the queue, and the queue goes to it
    assert shown(queue) == (HEADINGS[1], "2 of 6")


def test_e_edits_the_queues_record_not_the_panels(window: MainWindow, qtbot: QtBot) -> None:
    queue = open_queue(window, qtbot)
    for _ in range(2):
        qtbot.keyClick(queue, Qt.Key.Key_S)
    kherson = queue.current()
    (yelena,) = [r.id for r in window.project.records.list() if r.label == "Yelena Marchenko"]
    assert window.records_panel.select_record(yelena)
    opened: list[str] = []

    def rename(editor: RecordEditor) -> None:
        opened.append(editor.label.text())
        retype(qtbot, editor.label, "Kherson city")
        press_ok(editor)

    watch = EditorWatch(window, rename)
    qtbot.keyClick(queue, Qt.Key.Key_E)
    assert watch.ran
    assert opened == ["Kherson"]
    assert window.project.records.get(yelena).label == "Yelena Marchenko"
    assert kherson is not None
    assert window.project.records.get(kherson).label == "Kherson city"
    assert shown(queue) == ("Place: Kherson city · confidence 0.90", "3 of 6")  # stays on it
    window.undo_stack.undo()
    assert shown(queue) == (HEADINGS[2], "3 of 6")


def test_the_queue_says_when_nothing_is_left(window: MainWindow, qtbot: QtBot) -> None:
    queue = open_queue(window, qtbot)
    for _ in HEADINGS:
        qtbot.keyClick(queue, Qt.Key.Key_A)
    assert {r.status for r in window.project.records.list()} == {"accepted"}
    assert shown(queue) == ("No suggestions left in this document.", "")
    assert queue.passage.toPlainText() == ""
    steps = window.undo_stack.count()
    watch = EditorWatch(window, lambda _editor: None, tries=5)
    for key in (Qt.Key.Key_A, Qt.Key.Key_R, Qt.Key.Key_S, Qt.Key.Key_Left, Qt.Key.Key_E):
        qtbot.keyClick(queue, key)
    assert window.undo_stack.count() == steps
    assert queue.current() is None
    qtbot.wait(100)
    watch.stop()
    assert not watch.ran  # no editor opened without a record


def test_a_document_without_suggestions_has_an_empty_queue(
    text_window: TextWindow, qtbot: QtBot
) -> None:
    window = activated(qtbot, text_window("plain.txt", "Nothing here names anyone.\n"))
    queue = open_queue(window, qtbot)
    assert shown(queue) == ("No suggestions left in this document.", "")
    assert queue.windowTitle() == "Review suggestions: plain"
