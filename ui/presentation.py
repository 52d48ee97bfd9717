"""Presentation mode: protected names hidden on screen, for screen sharing and public places.

A ``Screen`` is what views show of protected records: their pseudonyms for labels, names
replaced by pseudonyms in labels, quotes and notes, and a document's names masked in place
(``mask``: "█" a UTF-16 unit, so every offset and highlight stays where it is). The window's
``Presentation`` holds the screen of the moment: one that changes nothing while the mode is
off, one over the project's redactor (``workbench/services/redaction.py``) while it is on,
renewed when records change. Views ask ``screen_of(self)`` when they draw; the window's
change broadcast (``None``: anything) redraws them when the mode is switched.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from workbench.changes import ChangeSet
from workbench.domain import RecordInfo, Span
from workbench.timeline.model import DateSpan, Passage, TimelineItem

if TYPE_CHECKING:
    from workbench.project import Project

MASK = "█"
PRESENTATION_TIP = (
    "Hide protected names on screen, for screen sharing: pseudonyms for their labels, "
    "█ in the text (this session only)"
)
Find = Callable[[str], list[tuple[int, int, str]]]  # (start, end, pseudonym), code points
REMEMBERED = 200_000  # texts a screen keeps the screened form of
SESSION = "presentationMode"  # the application's property: on in this run


class Screen:
    """What views show of protected names; without a finder or pseudonyms, everything as
    stored (presentation mode off, or no protected records)."""

    def __init__(
        self,
        find: Find | None = None,
        pseudonyms: Mapping[int, str] | None = None,
        hiding: Hashable = None,
    ) -> None:
        self._find = find
        self._pseudonyms = dict(pseudonyms or {})
        self.hiding = hiding  # what it hides: two screens hiding the same show the same
        self._shown: dict[str, str] = {}  # text() of texts seen (the screen never changes)

    @property
    def hides(self) -> bool:
        """Whether anything is hidden (presentation mode on over protected records)."""
        return self._find is not None or bool(self._pseudonyms)

    def pseudonym(self, record_id: int) -> str | None:
        """The name a hidden record shows instead of its label, or None."""
        return self._pseudonyms.get(record_id)

    def label(self, record_id: int, label: str) -> str:
        """A record's label as shown: its pseudonym when hidden, else the label with any
        protected name in it replaced ("Ivan Petrov crossed" -> "Person A crossed")."""
        pseudonym = self._pseudonyms.get(record_id)
        return pseudonym if pseudonym is not None else self.text(label)

    def hidden(self, text: str) -> list[tuple[int, int, str]]:
        """The protected names in ``text``: (start, end, pseudonym), in order, none
        overlapping (code points)."""
        if self._find is None or not text:
            return []
        found: list[tuple[int, int, str]] = []
        for start, end, pseudonym in sorted(self._find(text)):
            if found and start < found[-1][1]:  # overlapping: the two become one
                last = found[-1]
                found[-1] = (last[0], max(last[1], end), last[2])
            elif start < end:
                found.append((start, end, pseudonym))
        return found

    def hidden_spans(self, text: str) -> list[Span]:
        """Where ``text`` has protected names (code points)."""
        return [Span(start, end) for start, end, _ in self.hidden(text)]

    def text(self, text: str) -> str:
        """``text`` with each protected name replaced by its pseudonym (remembered: labels,
        names and titles come back again and again)."""
        if self._find is None or not text:
            return text
        shown = self._shown.get(text)
        if shown is None:
            if len(self._shown) > REMEMBERED:
                self._shown.clear()
            pieces, at = [], 0
            for start, end, pseudonym in self.hidden(text):
                pieces += [text[at:start], pseudonym]
                at = end
            shown = self._shown[text] = "".join(pieces) + text[at:] if pieces else text
        return shown

    def context(
        self, before: str, passage: str, after: str, cut: int | None = None
    ) -> tuple[str, str, str]:
        """A passage and its context as shown: names replaced in the three read as one text,
        a name running over an edge of the passage taken into it whole. A context ``cut``
        characters long was cut from a longer text: while names are hidden, the word it
        was cut in goes (it may be the end of a name no longer whole) for an ellipsis."""
        if self.hides and cut is not None:
            before, after = _uncut(before, after, cut)
        whole = before + passage + after
        hidden = self.hidden(whole)
        if not hidden:
            return before, passage, after
        start, end = len(before), len(before) + len(passage)
        for low, high, _ in hidden:
            start = low if low < start < high else start
            end = high if low < end < high else end
        return (
            _replaced(whole, hidden, 0, start),
            _replaced(whole, hidden, start, end),
            _replaced(whole, hidden, end, len(whole)),
        )

    def mask(self, text: str, *, utf16: bool = True) -> str:
        """``text`` with each protected name masked in place: every character but white
        space becomes "█", once per UTF-16 unit (twice for an emoji), so Qt positions and
        line breaks stay where they were; ``utf16=False``: once per character, so code
        point offsets do."""
        masked = _masked if utf16 else _masked_character
        pieces, at = [], 0
        for start, end, _ in self.hidden(text):
            pieces += [text[at:start], "".join(map(masked, text[start:end]))]
            at = end
        return "".join(pieces) + text[at:] if pieces else text

    def record(self, record: RecordInfo) -> RecordInfo:
        """A record as shown: its label and note screened."""
        if not self.hides:
            return record
        label, note = self.label(record.id, record.label), self.text(record.note)
        if (label, note) == (record.label, record.note):
            return record
        return dataclasses.replace(record, label=label, note=note)

    def records(self, records: Iterable[RecordInfo]) -> list[RecordInfo]:
        """Records as shown."""
        return [self.record(r) for r in records] if self.hides else list(records)

    def timeline_item(self, item: TimelineItem) -> TimelineItem:
        """A timeline item as shown: label, people, places, quotes, titles and the sources
        of other dates screened."""
        text = self.text
        changes: dict[str, Any] = {
            "label": self.label(item.record_id, item.label),
            "persons": tuple(map(text, item.persons)),
            "places": tuple(map(text, item.places)),
            "documents": tuple((d, text(title)) for d, title in item.documents),
            "passages": tuple(_passage(p, text) for p in item.passages),
            "alternatives": tuple(_date(alt, text) for alt in item.alternatives),
            "date": _date(item.date, text),
        }
        return dataclasses.replace(item, **changes)  # start and end are copied as drawn

    def timeline_items(self, items: list[TimelineItem]) -> list[TimelineItem]:
        """Timeline items as shown."""
        return [self.timeline_item(i) for i in items] if self.hides else items


SHOWN = Screen()  # everything as stored; immutable, so one is enough


def _uncut(before: str, after: str, cut: int) -> tuple[str, str]:
    """``before`` and ``after`` without the words cut at their outer ends, marked "…"."""
    if len(before) >= cut and before[:1].strip():
        space = next((i for i, c in enumerate(before) if c.isspace()), len(before))
        before = "…" + before[space:]
    if len(after) >= cut and after[-1:].strip():
        space = next((i for i in range(len(after) - 1, -1, -1) if after[i].isspace()), -1)
        after = after[: space + 1] + "…"
    return before, after


def _replaced(text: str, hidden: list[tuple[int, int, str]], start: int, end: int) -> str:
    """``text[start:end]`` with the hidden names inside it replaced by their pseudonyms."""
    pieces, at = [], start
    for low, high, pseudonym in hidden:
        if start <= low and high <= end:
            pieces += [text[at:low], pseudonym]
            at = high
    return "".join(pieces) + text[at:end]


def _masked(char: str) -> str:
    if char.isspace():
        return char
    return MASK * 2 if ord(char) > 0xFFFF else MASK


def _masked_character(char: str) -> str:
    return char if char.isspace() else MASK


def _passage(p: Passage, text: Callable[[str], str]) -> Passage:
    title, quote = text(p.document_title), text(p.quote)
    return Passage(p.annotation_id, p.document_id, title, p.start, p.end, quote)


def _date(span: DateSpan, text: Callable[[str], str]) -> DateSpan:
    phrase = span.text and text(span.text)
    return DateSpan(phrase, span.edtf, span.earliest, span.latest, text(span.source))


class Presentation(QObject):
    """The window's presentation mode: off at start, remembered for the session only.

    ``screen`` is what views show now; ``changed`` says it changed (the mode was switched,
    or protected records changed while it is on).
    """

    changed = Signal()  # the screen changed under the views while the mode is on

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self._active = False
        self.screen: Screen = SHOWN

    @property
    def active(self) -> bool:
        """Whether protected names are hidden on screen."""
        return self._active

    def set_active(self, active: bool) -> None:
        """Switch presentation mode on or off (the caller has every view redrawn)."""
        if active != self._active:
            self.screen = _screen_of(self._project) if active else SHOWN  # first: it may fail
            self._active = active

    def follow(self, changes: ChangeSet | None, initiator: object = None) -> None:
        """After records changed (a protection, a new label or passage, a merge), take a new
        screen if what is hidden changed, and say so; connected before the views, so the
        change broadcast redraws them with it."""
        if initiator is self or not self._active:  # switched: the screen is new already
            return
        if changes is not None and not (changes.touches("record") or changes.touches("annotation")):
            return  # a passage attached to a protected record names it (told by id alone)
        screen = _screen_of(self._project)
        if screen.hiding != self.screen.hiding:
            self.screen = screen
            self.changed.emit()

    def timeline_loader(
        self, load: Callable[..., list[TimelineItem]]
    ) -> Callable[..., list[TimelineItem]]:
        """``load`` with its items screened (it may run on the worker thread: the screen is
        read once, and never changed in place)."""

        def screened(*args: Any, **kwargs: Any) -> list[TimelineItem]:
            screen = self.screen
            return screen.timeline_items(load(*args, **kwargs))

        return screened


def presenting_in_session() -> bool:
    """Whether presentation mode is on in this run of the application (a property of the
    application object: a window opened while presenting presents too, and nothing is
    saved, so the next run starts with it off)."""
    app = QCoreApplication.instance()
    return app is not None and bool(app.property(SESSION))


def present_in_session(on: bool) -> None:
    """Remember for this run whether presentation mode is on."""
    app = QCoreApplication.instance()
    if app is not None:
        app.setProperty(SESSION, on)


def _screen_of(project: Project) -> Screen:
    """The screen over the project's protected records as they are now."""
    from workbench.services.redaction import build_redactor  # noqa: PLC0415 - on first use

    redactor = build_redactor(project)
    if redactor is None:
        return SHOWN
    return Screen(redactor.find, redactor.pseudonyms, hiding=redactor.records)


def screen_steps(stack: QUndoStack, screen: Screen) -> None:
    """Name the steps of an undo stack (Edit → Undo "Merge …") as ``screen`` shows them; the
    names they were given come back with a screen that hides nothing."""
    for index in range(stack.count()):
        command = stack.command(index)
        given = vars(command).setdefault("given_text", command.text())  # kept on the command
        command.setText(screen.text(given))
    stack.undoTextChanged.emit(stack.undoText())  # the Undo and Redo entries read them again
    stack.redoTextChanged.emit(stack.redoText())


def presentation_of(owner: QObject | None) -> Presentation | None:
    """The presentation mode of the window ``owner`` is in (a widget, one of its dialogs, or
    an item model a widget owns), or None."""
    while owner is not None and not isinstance(owner, QWidget):
        owner = owner.parent()
    widget: QWidget | None = owner
    while widget is not None:
        found = widget.findChild(Presentation, "", Qt.FindChildOption.FindDirectChildrenOnly)
        if isinstance(found, Presentation):
            return found
        widget = widget.parentWidget()
    return None


def screen_of(owner: QObject | None) -> Screen:
    """What the window ``owner`` is in shows of protected names now."""
    presentation = presentation_of(owner)
    return presentation.screen if presentation is not None else SHOWN
