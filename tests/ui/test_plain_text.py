"""User text is shown as written: markup in a title, label or quote is never read as HTML.

Qt guesses rich text (``Qt.mightBeRichText``) for tooltips, labels and message boxes, so a
record labelled ``<img src="file:///…">`` would load that file. Each view is checked with
what Qt would show: a tooltip or label is laid out as rich text when Qt would guess so, in a
text document that fails the test if it is asked for any resource (the probe image).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QModelIndex, QUrl
from PySide6.QtGui import QColor, QHelpEvent, QImage, Qt, QTextCursor, QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QMessageBox, QToolTip
from pytestqt.qtbot import QtBot

from tests.conftest import import_text
from tests.ui.conftest import shown_window
from ui.attach_dialog import AttachDialog
from ui.audit_dialog import AuditLogDialog
from ui.main_window import MainWindow
from ui.plain import escape, message_box, plain_label, tell, tooltip
from workbench.project import Project


class _Watched(QTextDocument):
    """A text document that records every resource (image, style sheet) it is asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def loadResource(self, kind: int, name: QUrl) -> object:  # noqa: N802
        self.asked.append(name.toString())
        return super().loadResource(kind, name)


def seen(rich: str) -> str:
    """The text a user sees of rich text; fails if showing it would load anything."""
    document = _Watched()
    document.setHtml(rich)
    document.size()  # the layout asks for images
    assert document.asked == []
    return document.toPlainText()


def shown(text: str, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """What Qt shows of a tooltip's or label's text in this format (AutoText: Qt's guess)."""
    auto = text_format == Qt.TextFormat.AutoText
    rich = text_format == Qt.TextFormat.RichText or (auto and Qt.mightBeRichText(text))
    return seen(text) if rich else text


def shown_by(widget: QLabel | QMessageBox) -> str:
    """What a label or message box shows of its text."""
    return shown(widget.text(), widget.textFormat())


def hover(view: QAbstractItemView, index: QModelIndex) -> str:
    """Rest the mouse on an item of a view; the tooltip Qt shows."""
    pos = view.visualRect(index).center()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    assert QToolTip.isVisible()
    return QToolTip.text()


@pytest.fixture
def hostile(tmp_path: Path) -> str:
    """Markup a title or label may hold, with an image that must never be loaded."""
    probe = tmp_path / "probe.png"
    image = QImage(12, 12, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    assert image.save(str(probe))
    return (
        f'<b>bold</b> <img src="{probe.as_uri()}"> <a href="x">link</a> '
        "<font color=red>red</font> &amp; ok"
    )


@pytest.fixture
def window(qtbot: QtBot, project: Project, tmp_path: Path, hostile: str) -> Iterator[MainWindow]:
    """A document titled with markup, quoting it, and a dated event labelled with it."""
    statement = f"Ivan deserted in late March, his lawyer said: {hostile}\n"
    doc = import_text(project, tmp_path, "statement.txt", statement, published="2024-05-20")
    project.documents.update_metadata([doc.id], title=hostile)
    text = project.documents.text(doc.id)
    result = project.review.annotate(doc.id, 0, text.index(","), "event", label=hostile)
    project.review.edit(result.record_ids[0], date_text="late March")
    with shown_window(qtbot, project) as win:
        qtbot.waitUntil(lambda: not win.timeline.loading)
        yield win


def record_id(window: MainWindow) -> int:
    (record,) = window.project.records.list()
    return record.id


def test_tooltip_shows_any_text_as_written(hostile: str) -> None:
    texts = [hostile, "a\n\nb", "\n lead", "tail\n\n", "  two  spaces\tand a tab", "it's \"so\"",
             "&amp; &lt;b&gt;", "short\n" + "long " * 40 + "\n\nshort"]  # fmt: skip
    for text in texts:
        assert Qt.mightBeRichText(tooltip(text))  # so Qt reads our markup, not the text's
        assert seen(tooltip(text)) == text
    assert seen(tooltip("one\r\ntwo\rthree")) == "one\ntwo\nthree"
    assert tooltip("") == ""  # no tooltip at all
    assert seen(f"<b>{escape(hostile)}</b>") == hostile


def test_document_list_tooltip(window: MainWindow, hostile: str) -> None:
    table = window.document_list.table
    tip = hover(table, table.model().index(0, 0))
    assert shown(tip).startswith(f"{hostile}\nstatement.txt · TXT · ")


def test_record_tree_tooltip(window: MainWindow, hostile: str) -> None:
    panel = window.records_panel
    assert panel.select_record(record_id(window))
    tip = hover(panel.tree, panel.tree.currentIndex())
    assert shown(tip).startswith(f"{hostile}\nEvent · ")


def test_document_view_highlight_tooltip(window: MainWindow, hostile: str) -> None:
    view = window.document_view
    cursor = QTextCursor(view.document())
    cursor.setPosition(3)
    pos = view.cursorRect(cursor).center()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view, event)
    assert QToolTip.isVisible()
    assert shown(QToolTip.text()).endswith(f" — {hostile}")


def test_status_bar_document_label(window: MainWindow, hostile: str) -> None:
    assert shown_by(window.doc_label).startswith(f"{hostile}  ·  2024-05-20  ·  ")


def test_search_result_tooltips(window: MainWindow, qtbot: QtBot, hostile: str) -> None:
    panel = window.search_panel
    panel.field.setText("bold")
    panel.search()  # on the worker thread
    qtbot.waitUntil(lambda: panel.count.text() != "")
    item = panel.results.topLevelItem(0)
    passage = item.text(1)
    assert "[bold]</b> <img src=" in passage
    results = panel.results
    assert shown(hover(results, results.model().index(0, 1))) == passage
    assert shown(hover(results, results.model().index(0, 0))) == hostile


def test_audit_log_tooltip(window: MainWindow, qtbot: QtBot, hostile: str) -> None:
    dialog = AuditLogDialog(window.project, window)
    qtbot.addWidget(dialog)
    dialog.show()
    model = dialog.model
    row = next(r for r in range(model.rowCount()) if model.entry(r).action == "record.create")
    tip = shown(hover(dialog.table, model.index(row, 4)))
    assert f"label: {hostile}" in tip


def test_timeline_hover_card_and_state(window: MainWindow, hostile: str) -> None:
    timeline = window.timeline
    canvas = timeline.canvas
    canvas.fit_all()
    (rect,) = canvas.item_rects(record_id(window))
    card = seen(canvas.card_at(rect.center()))  # a rich card made on purpose
    assert card.startswith(f"{hostile} (")
    assert f"\n{hostile}\n“Ivan deserted in late March”" in card  # document, quote
    doc = window.project.documents.list()[0].id
    timeline.document.setCurrentIndex(timeline.document.findData(doc))
    assert shown_by(timeline.state).endswith(f"— document: {hostile}")


def test_message_boxes_and_dialog_labels(window: MainWindow, qtbot: QtBot, hostile: str) -> None:
    box = tell(window, "Not done", hostile)
    assert shown_by(box) == hostile
    box.close()
    question = message_box(window, "Cannot open project", hostile)
    assert shown_by(question) == hostile
    assert shown_by(plain_label(hostile)) == hostile
    dialog = AttachDialog(window.project.records.list(), hostile, window)
    qtbot.addWidget(dialog)
    (passage,) = [label for label in dialog.findChildren(QLabel) if "Passage" in label.text()]
    assert shown_by(passage) == f"Passage: “{hostile[:120]}”"
    window.timeline._say(hostile)  # e.g. a date bound that is not a date
    assert shown_by(window.timeline.state) == hostile


def test_the_window_s_error_box_shows_text_as_written(
    qtbot: QtBot, project: Project, tmp_path: Path
) -> None:
    """A refusal that quotes a label (or a file name) is shown literally and blocks nothing."""
    with shown_window(qtbot, project) as window:
        window.show_error("cannot attach <b>Ivan</b> <img src='file:///etc/passwd'>")
        box = window.findChild(QMessageBox)
        assert box is not None and box.isVisible()
        assert box.textFormat() == Qt.TextFormat.PlainText
        assert box.text() == "cannot attach <b>Ivan</b> <img src='file:///etc/passwd'>"
        box.close()
