"""LayersBar: which annotators' work the window shows, above the document text.

Each annotator's passages are a layer of the document view (marked in the annotator's
colour); hiding a layer also limits the records panel and the timeline to the records the
annotators shown worked on. "My work only" shows the window's annotator alone. Everyone is
shown at first, and the bar stays out of sight while the project has one annotator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QIcon, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QToolButton, QWidget

from ui.document_view import annotator_colour
from ui.plain import tooltip
from ui.presentation import screen_of
from workbench.services.layers import LayerService

if TYPE_CHECKING:
    from ui.document_view import DocumentView
    from ui.host import ChangeSlot
    from ui.records_panel import RecordsPanel
    from ui.timeline.panel import TimelinePanel
    from workbench.changes import ChangeSet
    from workbench.project import Project

NOBODY = "(no annotator)"  # passages made before annotators were recorded


class LayersHost(Protocol):
    """What the bar needs of the window."""

    @property
    def project(self) -> Project: ...

    document_view: DocumentView
    records_panel: RecordsPanel
    timeline: TimelinePanel

    def follow_changes(self, slot: ChangeSlot) -> None: ...


def layer_name(name: str | None) -> str:
    """An annotator as the bar and the compare view write them."""
    return NOBODY if name is None else name


def literal(text: str) -> str:
    """Text for a button, check box or menu entry as written: "&" marks no shortcut key."""
    return text.replace("&", "&&")


class LayersBar(QWidget):
    """The "Annotators" menu and "My work only" toggle; emits ``layersChanged`` after each
    choice, once every view shows it."""

    layersChanged = Signal()  # noqa: N815 - Qt signal naming

    def __init__(self, host: LayersHost, parent: Any = None) -> None:
        super().__init__(parent)
        self._host = host
        self._layers = LayerService(host.project)
        self._hidden: set[str | None] = set()  # annotators unticked (new ones are shown)
        self._known: list[str | None] = []
        self.button = QToolButton(self)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setAccessibleName("Annotators shown")
        self.menu = QMenu(self.button)
        self.menu.aboutToShow.connect(self._fill_menu)
        self.button.setMenu(self.menu)
        self.mine = QToolButton(self)
        self.mine.setText("My work only")
        self.mine.setCheckable(True)
        self.mine.setToolTip(tooltip(f"Show only the work of {host.project.actor}"))
        self.mine.toggled.connect(lambda _on: self.apply())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(QLabel("Annotators:", self))
        layout.addWidget(self.button)
        layout.addWidget(self.mine)
        layout.addStretch(1)
        host.follow_changes(self._on_changes)
        self._read_annotators()
        self._show_state()

    # --- state
    def shown(self) -> list[str | None] | None:
        """The annotators whose work is shown, or None for everyone."""
        if self.mine.isChecked():
            return [self._host.project.actor]
        if not self._hidden:
            return None
        return [name for name in self._known if name not in self._hidden]

    def set_shown(self, names: list[str | None] | None) -> None:
        """Show only these annotators (None: everyone)."""
        self._read_annotators()
        self._hidden = set() if names is None else set(self._known) - set(names)
        self.mine.blockSignals(True)
        self.mine.setChecked(False)
        self.mine.blockSignals(False)
        self.apply()

    def apply(self) -> None:
        """Make the document view, the records panel and the timeline show the choice."""
        shown = self.shown()
        host = self._host
        if shown is None:
            host.document_view.set_hidden_layers(frozenset())
            host.records_panel.set_annotator_records(None)
            host.timeline.set_annotator_records(None)
        else:
            every = set(self._known) | set(host.document_view.layers())
            host.document_view.set_hidden_layers(frozenset(every - set(shown)))
            records = frozenset(self._layers.records_by(shown))
            host.records_panel.set_annotator_records(records)
            names = ", ".join(screen_of(self).text(layer_name(n)) for n in shown)
            host.timeline.set_annotator_records(records, f"annotator: {names}")
        self._show_state()
        self.layersChanged.emit()

    # --- helpers
    def _read_annotators(self) -> None:
        self._known = self._layers.annotators()

    def _show_state(self) -> None:
        shown = self.shown()
        if shown is None:
            text = "everyone"
        elif len(shown) <= 2:  # a pair still reads as names
            text = ", ".join(screen_of(self).text(layer_name(n)) for n in shown) or "nobody"
        else:
            text = f"{len(shown)} of {len(self._known)}"
        self.button.setText(literal(text))
        self.button.setEnabled(not self.mine.isChecked())
        self.setVisible(len(self._known) > 1 or shown is not None)

    def _fill_menu(self) -> None:
        """The annotators as ticks, each with its colour, and Everyone."""
        self._read_annotators()
        self.menu.clear()
        everyone = self.menu.addAction("Everyone")
        everyone.triggered.connect(lambda: self.set_shown(None))
        self.menu.addSeparator()
        screen = screen_of(self)
        for name in self._known:
            action = QAction(_swatch(name), literal(screen.text(layer_name(name))), self.menu)
            action.setCheckable(True)
            action.setChecked(name not in self._hidden)
            action.toggled.connect(lambda on, n=name: self._tick(n, on=on))
            self.menu.addAction(action)

    def _tick(self, name: str | None, *, on: bool) -> None:
        (self._hidden.discard if on else self._hidden.add)(name)
        self.apply()

    def _on_changes(self, changes: ChangeSet | None, _initiator: object = None) -> None:
        """New passages may bring a new annotator, and new passages or records (a split, a
        merge) records of those shown."""
        if changes is not None and not (changes.touches("annotation") or changes.touches("record")):
            return
        self._read_annotators()
        if self.shown() is not None:
            self.apply()
        else:
            self._show_state()


def _swatch(name: str | None) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(annotator_colour(name))
    return QIcon(pixmap)
