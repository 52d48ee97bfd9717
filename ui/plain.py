"""User text reaches Qt widgets only through here, so Qt never reads it as HTML.

Document titles and text, quotes, record labels, notes, actor names, file names and audit
details are the user's (or an imported file's) words. Wherever a widget's text format is
``Qt::AutoText`` (tooltips, ``QLabel``, ``QMessageBox``, item-view tooltips), Qt guesses
rich text from the first line (``Qt.mightBeRichText``): a label ``<img src="file:///…">``
would load that file into a tooltip, ``<b>x</b>`` would be bold, ``<a href>`` a link,
``&amp;`` an ampersand. One mechanism per kind of widget:

- tooltips (``setToolTip``, ``QToolTip.showText``, ``ToolTipRole``,
  ``QTreeWidgetItem.setToolTip``) have no format setting: ``tooltip(text)`` escapes the
  text into rich text that shows exactly its characters: spaces kept (``white-space:
  pre``), newlines as ``<br>``, and lines longer than ``WRAP_AT`` characters wrapping
  (``pre-wrap``) so a long note does not make a tooltip as wide as the screen;
- labels: ``plain_label()`` makes one, ``set_plain()`` sets the text of an existing one;
  both set ``Qt.TextFormat.PlainText``;
- message boxes: ``message_box()`` and ``tell()``, ``Qt.TextFormat.PlainText`` too;
- rich text made on purpose (the timeline hover card and legend): every piece of user text
  in it goes through ``escape()``.

Status-bar messages, window titles, item and header display text, combo-box items and
button texts are drawn as plain text by Qt and need none of this.
"""

from __future__ import annotations

import html
from itertools import groupby

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

WRAP_AT = 80  # characters: longer lines of a tooltip wrap, shorter ones never do
_PARAGRAPH = "<p style='margin:0; white-space:{}'>{}</p>"


def escape(text: str) -> str:
    """User text as a fragment of rich text: its characters, newlines as line breaks."""
    return html.escape(_lines(text)).replace("\n", "<br>")


def tooltip(text: str) -> str:
    """A tooltip that shows ``text`` as written ("" stays "": no tooltip)."""
    if not text:
        return ""
    lines = _lines(text).split("\n")
    # A blank line goes with the text before it (leading ones with the first text), so no
    # paragraph is empty: Qt drops empty paragraphs, and their line breaks with them.
    wraps: list[bool] = []
    wrap = next((len(line) > WRAP_AT for line in lines if line), False)
    for line in lines:
        wrap = len(line) > WRAP_AT if line else wrap
        wraps.append(wrap)
    return "".join(
        _PARAGRAPH.format("pre-wrap" if wrapped else "pre", escape("\n".join(ln for _, ln in run)))
        for wrapped, run in groupby(zip(wraps, lines, strict=True), key=lambda pair: pair[0])
    )


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label that shows its text as written, never as HTML."""
    label = QLabel(parent)
    set_plain(label, text)
    return label


def set_plain(label: QLabel, text: str) -> None:
    """Show ``text`` in ``label`` as written (the label is made plain-text if it was not)."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)


def message_box(
    parent: QWidget | None,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
    icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
) -> QMessageBox:
    """A message box whose text is shown as written (the caller opens it)."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def tell(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    """A warning of one line, shown as written: modal to its window without blocking it, or
    waited for when there is no window yet."""
    box = message_box(parent, title, text)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if parent is None:
        box.exec()
    else:
        box.open()
    return box


def _lines(text: str) -> str:
    """Line ends as ``\\n`` (a lone ``\\r`` would otherwise vanish in rich text)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
