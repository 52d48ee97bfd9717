"""DocumentView: a document's stored text, read-only, with highlights drawn for what is visible."""

from __future__ import annotations

import re
import zlib
from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip

from ui.plain import tooltip
from ui.presentation import screen_of
from ui.text_offsets import OffsetMap
from workbench.domain import AnnotationId, DocumentId, RecordId, Span

WORD = re.compile(r"\w", re.UNICODE)
FLASH_MS = 700
# Annotators' marks: dark, far apart in hue, legible over the codes' light highlight tints.
ANNOTATOR_COLOURS = ("#1f4e9c", "#b34700", "#2d6a1f", "#8e1b6b", "#006d77", "#6a4c93",
                     "#9c1f1f", "#5c5c00")  # fmt: skip


def annotator_colour(name: str | None) -> QColor:
    """An annotator's colour: the same for a name in every run and project."""
    if name is None:
        return QColor("#666666")
    return QColor(ANNOTATOR_COLOURS[zlib.crc32(name.encode("utf-8")) % len(ANNOTATOR_COLOURS)])


@dataclass(frozen=True)
class Highlight:
    """One annotation as the view draws it (offsets in code points)."""

    annotation_id: AnnotationId
    start: int
    end: int
    code: str
    colour: str
    status: str
    label: str = ""
    confidence: float | None = None
    record_ids: tuple[RecordId, ...] = ()
    author: str | None = None  # the annotator: each one's passages are a layer


class DocumentView(QPlainTextEdit):
    """Shows a document exactly as stored; highlights only the visible part, so length is free.

    In presentation mode protected names are masked in place ("█" a UTF-16 unit): the text
    shown, and so copied, never holds them, and every offset stays the stored text's.
    """

    highlightClicked = Signal(int)  # noqa: N815 - annotation id

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setAccessibleName("Document text")
        self.setMouseTracking(True)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.5))
        self.setFont(font)
        self.document().setDocumentMargin(16)
        self.setPlaceholderText("Select a document on the left to read it here.")
        self._document_id: DocumentId | None = None
        self._text = ""
        self._shown = ""  # the text as shown: protected names masked in presentation mode
        self._hidden: list[Span] = []  # where it is masked (code points)
        self._offsets = OffsetMap("")
        self._spans: list[Highlight] = []
        self._every: list[Highlight] = []  # every layer's, the hidden ones too
        self._by_id: dict[int, Highlight] = {}  # the same, by annotation
        self._hidden_layers: frozenset[str | None] = frozenset()
        self._starts: list[int] = []
        self._longest = 0
        self._emphasis: set[int] = set()
        self._flash: tuple[int, int] | None = None
        self.exact_selection = False  # Alt held while selecting: no snapping to words
        self._refresh = QTimer(self, singleShot=True, interval=0)
        self._refresh.timeout.connect(self._paint_visible)
        self.verticalScrollBar().valueChanged.connect(self._refresh.start)

    # --- content
    @property
    def document_id(self) -> DocumentId | None:
        """Id of the document shown, if any."""
        return self._document_id

    @property
    def stored_text(self) -> str:
        """The document's text exactly as stored (offsets in code points)."""
        return self._text

    @property
    def offsets(self) -> OffsetMap:
        """The code point / UTF-16 map of the shown text."""
        return self._offsets

    def show_document(
        self, document_id: DocumentId | None, text: str, highlights: Sequence[Highlight] = ()
    ) -> None:
        """Display a document's text (an empty string clears the view) and its highlights."""
        self._document_id = document_id
        self._text = text
        self._offsets = OffsetMap(text)
        self._emphasis = set()
        screen = screen_of(self)
        self._hidden = screen.hidden_spans(text)
        self._shown = screen.mask(text)
        self.setPlainText(self._shown)
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self.set_highlights(highlights)

    def screen_changed(self) -> None:
        """Mask the protected names again (presentation mode switched, or protected records
        changed), keeping the selection and the scroll position."""
        screen = screen_of(self)
        shown = screen.mask(self._text)
        self._hidden = screen.hidden_spans(self._text)
        if shown == self._shown:
            return
        cursor, scrolled = self.textCursor(), self.verticalScrollBar().value()
        anchor, position = cursor.anchor(), cursor.position()  # UTF-16: masking keeps them
        self._shown = shown
        self.setPlainText(shown)
        cursor = QTextCursor(self.document())
        cursor.setPosition(anchor)
        cursor.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.verticalScrollBar().setValue(scrolled)
        self._refresh.start()

    def hidden_spans(self) -> list[Span]:
        """Where the text shown is masked (code points; none outside presentation mode)."""
        return list(self._hidden)

    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        """Replace the highlights (rejected ones and hidden layers' are not drawn)."""
        self._every = sorted((h for h in highlights if h.status != "rejected"), key=_order)
        self._by_id = {h.annotation_id: h for h in self._every}
        self._spans = [h for h in self._every if h.author not in self._hidden_layers]
        self._starts = [h.start for h in self._spans]
        self._longest = max((h.end - h.start for h in self._spans), default=0)
        self._refresh.start()

    def patch_highlights(self, changed: Sequence[Highlight], removed: Iterable[int] = ()) -> None:
        """Put these highlights in place of those with their ids and take out ``removed``,
        each by its place in text order (a step's few, not the document's thousands): the
        view then draws what ``set_highlights`` with every highlight would."""
        gone = {*removed, *(h.annotation_id for h in changed)}
        old = [self._by_id.pop(i) for i in gone if i in self._by_id]
        longest_gone = False  # then the longest drawn is looked for again
        for h in old:
            del self._every[bisect_left(self._every, _order(h), key=_order)]
            if h.author not in self._hidden_layers:
                at = bisect_left(self._spans, _order(h), key=_order)
                del self._spans[at], self._starts[at]
                longest_gone |= h.end - h.start >= self._longest
        for h in changed:
            if h.status == "rejected":
                continue
            self._by_id[h.annotation_id] = h
            insort(self._every, h, key=_order)
            if h.author not in self._hidden_layers:
                at = bisect_left(self._spans, _order(h), key=_order)
                self._spans.insert(at, h)
                self._starts.insert(at, h.start)
                self._longest = max(self._longest, h.end - h.start)
        if longest_gone:
            self._longest = max((h.end - h.start for h in self._spans), default=0)
        self._refresh.start()

    def highlights(self) -> list[Highlight]:
        """The highlights drawn, in text order."""
        return list(self._spans)

    # --- annotators as layers
    def layers(self) -> list[str | None]:
        """The annotators with passages drawn or hidden here, by name (None: no name)."""
        names = {h.author for h in self._every}
        return sorted(names, key=lambda n: (n is None, (n or "").casefold(), n or ""))

    def set_hidden_layers(self, hidden: frozenset[str | None]) -> None:
        """Hide the passages of these annotators (and show everyone else's)."""
        if hidden != self._hidden_layers:
            self._hidden_layers = hidden
            self.set_highlights(self._every)

    def hidden_layers(self) -> frozenset[str | None]:
        """The annotators whose passages are hidden."""
        return self._hidden_layers

    def emphasise(self, record_ids: set[RecordId]) -> None:
        """Draw the passages of these records more strongly (the records selected elsewhere)."""
        self._emphasis = set(record_ids)
        self._refresh.start()

    # --- selection and navigation
    def selected_span(self, *, snap: bool = True) -> Span | None:
        """The selection in code points, widened to whole words unless ``snap`` is False."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = self._offsets.to_codepoint(cursor.selectionStart())
        end = self._offsets.to_codepoint(cursor.selectionEnd())
        if snap:
            while start > 0 and WORD.match(self._text[start - 1]) and WORD.match(self._text[start]):
                start -= 1
            while (
                end < len(self._text)
                and WORD.match(self._text[end])
                and WORD.match(self._text[end - 1])
            ):
                end += 1
        while start < end and self._text[start].isspace():
            start += 1
        while end > start and self._text[end - 1].isspace():
            end -= 1
        return Span(start, end) if end > start else None

    def reveal(self, start: int, end: int, *, flash: bool = True) -> None:
        """Select [start, end) (code points), scroll it into view and flash it briefly."""
        self.setTextCursor(self._cursor(start, end))
        self.centerCursor()
        if flash:
            self._flash = (start, end)
            QTimer.singleShot(FLASH_MS, self._end_flash)
        self._refresh.start()

    def spans_at(self, position: int) -> list[Highlight]:
        """Highlights covering a code-point position, innermost first."""
        lo = bisect_left(self._starts, position - self._longest)
        hi = bisect_left(self._starts, position + 1)
        hits = [h for h in self._spans[lo:hi] if position < h.end]
        return sorted(hits, key=lambda h: h.end - h.start)

    def _end_flash(self) -> None:
        self._flash = None
        self._refresh.start()

    # --- drawing
    def visible_range(self) -> tuple[int, int]:
        """Code-point range currently on screen."""
        top = self.cursorForPosition(QPoint(0, 0)).position()
        corner = QPoint(self.viewport().width() - 1, self.viewport().height() - 1)
        bottom = self.cursorForPosition(corner).position()
        return self._offsets.to_codepoint(top), self._offsets.to_codepoint(bottom) + 1

    def _paint_visible(self) -> None:
        """Turn the highlights in view into extra selections (a few hundred at most)."""
        if not self._spans and self._flash is None:
            self.setExtraSelections([])
            return
        first, last = self.visible_range()
        lo = bisect_left(self._starts, first - self._longest)
        hi = bisect_left(self._starts, last)
        marked = len({h.author for h in self._every}) > 1  # layers only tell apart two or more
        selections = [
            self._selection(h.start, h.end, self._format(h, marked=marked))
            for h in self._spans[lo:hi]
            if h.end > first
        ]
        if self._flash is not None:
            flash = QTextCharFormat()
            flash.setBackground(QColor(255, 200, 0, 170))
            selections.append(self._selection(*self._flash, flash))
        self.setExtraSelections(selections)

    def _format(self, h: Highlight, *, marked: bool = False) -> QTextCharFormat:
        colour = QColor(h.colour)
        fmt = QTextCharFormat()
        if marked and h.status != "suggested":  # whose passage: a line in the annotator's colour
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(annotator_colour(h.author))
        strong = bool(self._emphasis.intersection(h.record_ids))
        if h.status == "suggested":
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
            fmt.setUnderlineColor(colour)
            # Long passages (events) get only a trace of colour, so names stay readable on them.
            colour.setAlpha(110 if strong else (28 if h.end - h.start < 80 else 10))
        else:
            colour.setAlpha(150 if strong else 70)
        fmt.setBackground(colour)
        return fmt

    def _selection(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        selection.cursor = self._cursor(start, end)
        selection.format = fmt
        return selection

    def _cursor(self, start: int, end: int) -> QTextCursor:
        """A cursor selecting code points [start, end)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._offsets.to_utf16(start))
        cursor.setPosition(self._offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    # --- events
    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._refresh.start()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = self.viewport().mapFromGlobal(event.globalPos())  # type: ignore[attr-defined]
            position = self._offsets.to_codepoint(self.cursorForPosition(pos).position())
            hits = self.spans_at(position)
            if hits:
                tip = _tooltip(hits, screen_of(self).text)
                QToolTip.showText(event.globalPos(), tip, self)  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.exact_selection = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            position = self._offsets.to_codepoint(self.cursorForPosition(event.pos()).position())
            hits = self.spans_at(position)
            if hits:
                self.highlightClicked.emit(hits[0].annotation_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and self._spans:
            self._step(backwards=event.key() == Qt.Key.Key_Backtab)
            return
        super().keyPressEvent(event)

    def focusNextPrevChild(self, _next: bool) -> bool:  # noqa: N802
        return False  # Tab moves between highlights, not out of the text

    def _step(self, *, backwards: bool) -> None:
        """Move to the next (or previous) highlight, wrapping around, and announce it."""
        cursor = self._offsets.to_codepoint(self.textCursor().selectionStart())
        if backwards:  # the last one starting before the cursor (index -1: the very last)
            index = bisect_left(self._starts, cursor) - 1
        else:  # the first one starting after it
            index = bisect_left(self._starts, cursor + 1) % len(self._spans)
        target = self._spans[index]
        self.reveal(target.start, target.end, flash=False)
        self.highlightClicked.emit(target.annotation_id)


def _order(h: Highlight) -> tuple[int, int, int]:
    """Text order of highlights: by start, then end, then annotation (a passage's id)."""
    return h.start, h.end, h.annotation_id


def _tooltip(hits: list[Highlight], shown: Callable[[str], str]) -> str:
    """What the highlights under the mouse are: code, status, confidence and record label
    (``shown``: as presentation mode shows it)."""
    lines = []
    for h in hits[:6]:
        confidence = f" {h.confidence:.2f}" if h.confidence is not None else ""
        author = f" · {shown(h.author)}" if h.author is not None else ""
        lines.append(f"{h.code} · {h.status}{confidence}{author} — {shown(h.label)}")
    return tooltip("\n".join(lines))
