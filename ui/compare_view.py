"""CompareView: two or more annotators' passages of the document shown, one list in text
order with each difference marked, and the lead's decisions into the reviewed layer.

One row a difference (``services/layers.py``): where it is, what kind (only some annotators,
different codes, other boundaries, or agreement), the decision the reviewed layer holds, and
one column an annotator with their codes and quotes as plain text (screened in presentation
mode). Selecting a row shows the passage in the document view. A, B, C, D take that
annotator's version, E everyone's ("both"), N neither; each is one undoable, audited step
(``services/adjudication.py``), after which the list moves to the next undecided one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QBrush, QFont, QKeyEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.host import PassageHost
from ui.layers_bar import layer_name, literal
from ui.plain import plain_label, set_plain
from ui.presentation import screen_of
from workbench.errors import WorkbenchError
from workbench.services.adjudication import AdjudicationService, Comparison, Item

if TYPE_CHECKING:
    from collections.abc import Callable

    from workbench.changes import ChangeSet
    from workbench.domain import DocumentId

LETTERS = "ABCD"  # one key an annotator's version: four annotators at most
BOTH_KEY, NEITHER_KEY = "E", "N"
FIXED = ("Where", "Difference", "Decision")
_KEYPAD = Qt.KeyboardModifier.KeypadModifier


class CompareHost(PassageHost, Protocol):
    """What the compare view needs of the window."""

    @property
    def document_id(self) -> DocumentId | None:
        """The document shown: the one compared."""
        ...

    def follow_document(self, slot: Callable[[DocumentId], None]) -> None:
        """Call ``slot(document_id)`` whenever another document is shown."""
        ...

    def undo_redo_actions(self) -> list[QAction]:
        """Undo and Redo, so their keys work here too."""
        ...


class CompareView(QDialog):
    """The differences between annotators over the document shown, decided one key each."""

    def __init__(self, host: CompareHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare annotators")
        self.resize(1000, 560)
        self._host = host
        self._service = AdjudicationService(host.project)
        self._document_id: DocumentId | None = None
        self._comparison: Comparison | None = None
        self._ticks: dict[str, QCheckBox] = {}
        self.title = plain_label("", self)
        self.ticks = QHBoxLayout()
        self.table = QTableWidget(self)
        self.table.setAccessibleName("Differences between annotators")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.currentCellChanged.connect(lambda row, *_: self._on_current(row))
        self.table.installEventFilter(self)  # its type-to-search would take the letters
        self.state = QLabel(self)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QHBoxLayout()
        self._choices: list[QPushButton] = []
        self._keys: dict[int, QPushButton] = {}  # Qt key: the choice it makes
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.ticks)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.buttons)
        layout.addWidget(self.state)
        self.addActions(host.undo_redo_actions())
        host.follow_changes(self._on_changes)
        host.follow_document(lambda _document_id: self.load())
        self.load()

    # --- reading
    def annotators(self) -> list[str]:
        """The annotators ticked, in column order."""
        return [name for name, box in self._ticks.items() if box.isChecked()]

    def comparison(self) -> Comparison | None:
        """What the list shows (None: nothing to compare)."""
        return self._comparison

    def load(self) -> None:
        """Compare the annotators of the document shown (all of them the first time)."""
        document_id = self._host.document_id
        if document_id != self._document_id:
            self._document_id = document_id
            self._set_ticks([] if document_id is None else self._service.annotators(document_id))
        self._read(keep=None)

    def _set_ticks(self, names: list[str]) -> None:
        while self.ticks.count():
            taken = self.ticks.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        self._ticks = {}
        self.ticks.addWidget(QLabel("Compare:", self))
        screen = screen_of(self)
        for name in names:
            box = QCheckBox(literal(screen.text(layer_name(name))), self)
            box.setChecked(True)
            box.toggled.connect(lambda _on: self._read(keep=None))
            self._ticks[name] = box
            self.ticks.addWidget(box)
        self.ticks.addStretch(1)

    def _read(self, *, keep: int | None, redraw: bool = True) -> None:
        """Compare again and fill the list, on row ``keep`` (None: the first undecided);
        unless ``redraw``, rows whose passages are the same only get their decision anew."""
        chosen = self.annotators()
        old, self._comparison = self._comparison, None
        if self._document_id is not None and 2 <= len(chosen) <= len(LETTERS):
            try:
                self._comparison = self._service.compare(self._document_id, chosen)
            except WorkbenchError as exc:
                self._host.show_error(str(exc))
        new = self._comparison
        if not redraw and old is not None and new is not None and _same_rows(old, new):
            self._update(old, new)  # a decision: 3,000 rows filled again took 0.5 s
            return
        self._fill()
        if new is None or not new.items:
            return
        row = new.next_undecided(-1) if keep is None else keep
        self.table.setCurrentCell(min(row if row is not None else 0, len(new.items) - 1), 0)

    def _update(self, old: Comparison, new: Comparison) -> None:
        """Write again the rows whose decision changed."""
        for row, (before, after) in enumerate(zip(old.items, new.items, strict=True)):
            if before.accepted != after.accepted:
                for column, text in enumerate(self._cells(after)):
                    self.table.setItem(row, column, self._cell(after, text))
        self._say()

    def _fill(self) -> None:
        comparison, screen = self._comparison, screen_of(self)
        annotators = comparison.annotators if comparison else ()
        headers = [*FIXED, *(screen.text(n) for n in annotators)]
        for name, box in self._ticks.items():  # presentation mode may have switched
            box.setText(literal(screen.text(layer_name(name))))
        self.table.blockSignals(True)
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        items = comparison.items if comparison else ()
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            for column, text in enumerate(self._cells(item)):
                self.table.setItem(row, column, self._cell(item, text))
        self.table.blockSignals(False)
        header = self.table.horizontalHeader()
        for column in range(len(FIXED)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for column in range(len(FIXED), len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        self._fill_buttons(annotators)
        self._say()

    def _cells(self, item: Item) -> list[str]:
        """A row's texts: place, kind, decision and each annotator's passages (screened)."""
        d, shown = item.difference, screen_of(self).text
        where = f"{d.start}–{d.end}"
        kind = "= agreement" if d.kind == "agreement" else "≠ " + shown(d.describe())
        decision = "✓ " + shown(item.decision()) if item.decided else "undecided"
        if d.kind == "agreement" and not item.decided:
            decision = ""
        columns = [
            "\n".join(f"{m.code}: “{shown(_line(m.quote))}” ({m.start}–{m.end})" for m in d.of(a))
            or "—"
            for a in d.annotators
        ]
        return [where, kind, decision, *columns]

    def _cell(self, item: Item, text: str) -> QTableWidgetItem:
        cell = QTableWidgetItem(text)  # item text is drawn plain by Qt
        cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        cell.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        if item.decided or item.difference.kind == "agreement":  # done with: muted
            muted = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            cell.setForeground(QBrush(muted))
        else:
            font = QFont(cell.font())
            font.setBold(True)
            cell.setFont(font)
        return cell

    def _fill_buttons(self, annotators: tuple[str, ...]) -> None:
        for button in self._choices:
            button.setShortcut(QKeySequence())  # two buttons with one key would both stay idle
            self.buttons.removeWidget(button)
            button.deleteLater()
        self._choices, self._keys = [], {}
        shown = screen_of(self).text
        choices: list[tuple[str, str, list[str]]] = [
            (LETTERS[i], f"{shown(name)}'s version", [name]) for i, name in enumerate(annotators)
        ]
        if annotators:
            both = "Both" if len(annotators) == 2 else "All"  # a pair
            choices += [(BOTH_KEY, both, list(annotators)), (NEITHER_KEY, "Neither", [])]
        for key, text, accepted in choices:
            button = QPushButton(literal(f"{text} ({key})"), self)
            button.setShortcut(QKeySequence(key))
            button.setAutoDefault(False)
            button.clicked.connect(lambda _on=False, names=accepted: self.decide(names))
            self.buttons.addWidget(button)
            self._choices.append(button)
            self._keys[ord(key)] = button  # Qt.Key_A is "A"'s code

    def _say(self) -> None:
        comparison = self._comparison
        if self._document_id is None:
            text = "Open a document to compare its annotators."
        elif comparison is None:
            text = f"Tick two to {len(LETTERS)} annotators to compare."
        elif not comparison.items:
            text = "None of them marked anything in this document."
        else:
            total, left = comparison.disagreements(), comparison.undecided()
            text = (f"{len(comparison.items)} passages · {total} differences, "
                    f"{total - left} decided, {left} left · A/B… take a version, "
                    f"{BOTH_KEY} both, {NEITHER_KEY} neither; Ctrl+Z undoes")  # fmt: skip
        set_plain(self.state, text)
        title = "" if self._document_id is None else self._title()
        set_plain(self.title, title)

    def _title(self) -> str:
        assert self._document_id is not None
        info = self._host.project.documents.get(self._document_id)
        return screen_of(self).text(info.title)

    # --- acting
    def current_item(self) -> Item | None:
        """The difference on the current row."""
        row = self.table.currentRow()
        comparison = self._comparison
        if comparison is None or not 0 <= row < len(comparison.items):
            return None
        return comparison.items[row]

    def decide(self, accepted: list[str]) -> None:
        """Take these annotators' versions of the current difference into the reviewed layer
        (one undoable step), then go to the next undecided one."""
        item, comparison = self.current_item(), self._comparison
        if item is None or comparison is None:
            return
        row = self.table.currentRow()
        names = ", ".join(accepted)
        if not accepted:
            text = "Take neither version"
        elif len(accepted) == 1:
            text = f"Take {names}'s version"
        else:
            text = f"Take the versions of {names}"
        document_id, annotators = comparison.document_id, list(comparison.annotators)
        result = self._host.run_step(
            text, lambda: self._service.decide(document_id, annotators, item.difference.ids,
                                               accepted)
        )  # fmt: skip
        if result is not None and self._comparison is not None:
            following = self._comparison.next_undecided(row)
            self.table.setCurrentCell(row if following is None else following, 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """A decision's letter typed in the list decides (rather than searching the rows)."""
        if watched is self.table and isinstance(event, QKeyEvent):
            plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, _KEYPAD)
            button = self._keys.get(event.key()) if plain else None
            if button is not None and event.type() == QEvent.Type.KeyPress:
                button.click()
                return True
        return super().eventFilter(watched, event)

    def _on_current(self, row: int) -> None:
        item = self.current_item()
        if item is not None and self._document_id is not None and row >= 0:
            d = item.difference
            self._host.show_passage(self._document_id, d.start, d.end, flash=False)

    def _on_changes(self, changes: ChangeSet | None, _initiator: object = None) -> None:
        if self._host.document_id != self._document_id:  # the one compared was removed
            self.load()
        elif changes is None or changes.touches("annotation") or changes.touches("document"):
            row = self.table.currentRow()  # None: presentation mode switched, say, so redraw
            self._read(keep=row if row >= 0 else None, redraw=changes is None)


def _same_rows(old: Comparison, new: Comparison) -> bool:
    """Whether two comparisons list the same passages (only decisions may differ)."""
    return old.annotators == new.annotators and [i.difference for i in old.items] == [
        i.difference for i in new.items
    ]


def _line(quote: str) -> str:
    """A quote on one line (line breaks and tabs as spaces)."""
    return " ".join(quote.split())
