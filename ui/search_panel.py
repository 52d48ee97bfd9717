"""SearchPanel: find a phrase across every document; open a hit, or annotate the checked hits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.context_line import context_line
from ui.plain import message_box, tooltip
from ui.presentation import SHOWN, Screen, screen_of
from workbench.domain import CancelFlag, Passage, Progress
from workbench.services.search import CONTEXT, LIMIT, SearchHit

if TYPE_CHECKING:
    from ui.host import PassageHost

_CHECKED, _UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked


class SearchPanel(QWidget):
    """Corpus-wide phrase search over the FTS5 index, run off the UI thread.

    Every hit has a check box (all checked when the list fills); "Annotate checked hits"
    asks first, naming how many passages and what will be made, then makes one undoable
    step: by default one new record, labelled with the query, with every checked passage
    as its evidence, or one record per hit.
    """

    def __init__(self, host: PassageHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self.hits: list[SearchHit] = []
        self.query = ""  # the query of the hits shown (the field may have changed since)
        self.confirmation: QMessageBox | None = None
        self.field = QLineEdit(self)
        self.field.setPlaceholderText("Search all documents (Enter)")
        self.field.setAccessibleName("Search all documents")
        self.field.setClearButtonEnabled(True)
        self.field.returnPressed.connect(self.search)
        self.whole_words = QCheckBox("Whole words", self)
        self.whole_words.setChecked(True)
        self.whole_words.setToolTip("“hospital” does not find “hospitalized”")
        self.whole_words.toggled.connect(self._search_again)
        self.check_all = QCheckBox("All", self)
        self.check_all.setToolTip("Check or uncheck every hit")
        self.check_all.setEnabled(False)
        self.check_all.clicked.connect(self._toggle_all)
        self.count = QLabel(self)
        self.code = QComboBox(self)
        self.code.setAccessibleName("Annotate the checked hits as")
        codes = host.project.codebook.list()  # the core, not the window
        for code in codes:
            self.code.addItem(code.label, code.name)
        self._record_types = {c.name for c in codes if c.is_record_type}
        self.code.currentIndexChanged.connect(self._update)
        self.per_hit = QCheckBox("One record per hit", self)
        self.per_hit.setToolTip(
            "Make a record of each hit instead of one record with every hit as its evidence"
        )
        self.annotate_all = QPushButton("Annotate checked hits…", self)
        self.annotate_all.setToolTip("Annotate the checked hits, as one undoable step")
        self.annotate_all.clicked.connect(self.annotate_hits)
        self.results = QTreeWidget(self)
        self.results.setAccessibleName("Search results")
        self.results.setHeaderLabels(["Document", "Passage"])
        self.results.setRootIsDecorated(False)
        self.results.setUniformRowHeights(True)
        self.results.itemActivated.connect(self._open)
        self.results.itemClicked.connect(self._open)
        self.results.itemChanged.connect(self._update)
        self._layout()
        self._update()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.field, 1)
        top.addWidget(self.whole_words)
        chosen = QHBoxLayout()
        chosen.addWidget(self.check_all)
        chosen.addWidget(self.count, 1)
        widgets: tuple[QWidget, ...] = (QLabel("as", self), self.code, self.per_hit)
        for widget in (*widgets, self.annotate_all):
            chosen.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(chosen)
        layout.addWidget(self.results)

    def search(self) -> None:
        """Look the phrase up in the background; the list fills when it is done."""
        query, whole_word = self.field.text(), self.whole_words.isChecked()
        search = self._host.project.search

        def work(_progress: Progress, _cancel: CancelFlag) -> list[SearchHit]:
            return search.find(query, whole_word=whole_word)

        self._host.background.start(
            "Searching",
            work,
            lambda hits: self._show(query, hits),
            self._host.show_error,
            show_progress=False,
        )

    def _search_again(self) -> None:
        if self.field.text().strip():
            self.search()

    def _show(self, query: str, hits: list[SearchHit]) -> None:
        self.query, self.hits = query, hits
        items = []
        screen = screen_of(self)  # presentation mode: protected names as pseudonyms
        for index, hit in enumerate(hits):
            passage, title = hit_line(hit, screen), screen.text(hit.title)
            item = QTreeWidgetItem([title, passage])
            item.setData(0, Qt.ItemDataRole.UserRole, index)
            item.setCheckState(0, _CHECKED)
            item.setToolTip(0, tooltip(title))
            item.setToolTip(1, tooltip(passage))
            items.append(item)
        with QSignalBlocker(self.results):
            self.results.clear()
            self.results.addTopLevelItems(items)
        self.results.resizeColumnToContents(0)
        self._update()

    def screen_changed(self) -> None:
        """Show the hits again as presentation mode shows them now."""
        self._show(self.query, self.hits)

    def _items(self) -> list[QTreeWidgetItem]:
        rows = range(self.results.topLevelItemCount())
        return [item for row in rows if (item := self.results.topLevelItem(row)) is not None]

    def checked_hits(self) -> list[SearchHit]:
        """The hits whose box is checked, in list order."""
        return [
            self.hits[int(item.data(0, Qt.ItemDataRole.UserRole))]
            for item in self._items()
            if item.checkState(0) == _CHECKED
        ]

    def _toggle_all(self) -> None:
        """Check every hit, or uncheck them all when all are checked."""
        state = _UNCHECKED if len(self.checked_hits()) == len(self.hits) else _CHECKED
        with QSignalBlocker(self.results):
            for item in self._items():
                item.setCheckState(0, state)
        self._update()

    def _update(self, *_changed: object) -> None:
        """The count of checked hits, the All box and the buttons follow the check boxes."""
        checked, total = len(self.checked_hits()), len(self.hits)
        more = "+" if total >= LIMIT else ""
        if self.query:
            self.count.setText(f"{checked} of {total}{more} hits checked" if total else "No hits")
        all_state = _CHECKED if checked == total else Qt.CheckState.PartiallyChecked
        self.check_all.setCheckState(all_state if checked else _UNCHECKED)
        self.check_all.setEnabled(bool(total))
        self.annotate_all.setEnabled(bool(checked))
        self.per_hit.setEnabled(self.code.currentData() in self._record_types)

    def _open(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        hit = self.hits[int(item.data(0, Qt.ItemDataRole.UserRole))]
        self._host.show_passage(hit.document_id, hit.start, hit.end)

    def annotate_hits(self) -> None:
        """Ask, naming the passages and what will be made; then annotate the checked hits
        as one undoable step."""
        hits = self.checked_hits()
        if not hits:
            return
        name, kind = self.code.currentData(), self.code.currentText()
        one_record = name in self._record_types and not self.per_hit.isChecked()
        label = " ".join(self.query.split())
        passages = [Passage(h.document_id, h.start, h.end) for h in hits]
        review = self._host.project.review
        count = _passages(len(passages), len({h.document_id for h in hits}))
        if one_record:
            made = f"one new {kind} record “{label}” with all of them as its evidence"
            step_text = f"Annotate {len(passages)} hits as one {kind} “{label}”"
        elif name in self._record_types:
            made = f"{_count(len(passages), 'new ' + kind + ' record')}, one per passage"
            step_text = f"Annotate {len(passages)} hits as {kind}"
        else:
            made = f"{_count(len(passages), 'annotation')} with the code “{kind}” (no records)"
            step_text = f"Annotate {len(passages)} hits as {kind}"
        box = message_box(
            self,
            "Annotate hits",
            f"Annotate {count}?\n\nThis makes {made}.",
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
            QMessageBox.Icon.Question,
        )
        box.setInformativeText("One step: Undo takes it all back.")
        box.button(QMessageBox.StandardButton.Ok).setText("Annotate")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(button: int) -> None:
            self.confirmation = None
            if button != QMessageBox.StandardButton.Ok:
                return
            self._host.run_step(
                step_text,
                (lambda: review.annotate_as_one(passages, name, label))
                if one_record
                else (lambda: review.annotate_many(passages, name)),
            )

        box.finished.connect(answered)
        self.confirmation = box
        box.open()


def hit_line(hit: SearchHit, screen: Screen = SHOWN) -> str:
    """A hit as one row: its context as written (as ``screen`` shows it), line breaks and
    tabs as spaces."""
    return context_line(*screen.context(hit.before, hit.match, hit.after, CONTEXT), CONTEXT)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _passages(passages: int, documents: int) -> str:
    return f"{_count(passages, 'passage')} in {_count(documents, 'document')}"
