"""ShortcutsDialog: every keyboard shortcut of a window, read from its actions, menu by menu."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDockWidget,
    QHeaderView,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

NATIVE = QKeySequence.SequenceFormat.NativeText


@dataclass(frozen=True)
class ShortcutEntry:
    """One command and its keys: where it lives (a menu, or a panel), its name, its keys."""

    place: str
    command: str
    keys: str


def shortcut_entries(window: QMainWindow) -> list[ShortcutEntry]:
    """The window's actions with shortcuts: menu by menu in menu-bar order (submenus after
    their menu), then those only on a panel or the window, by place."""
    entries: list[ShortcutEntry] = []
    seen: set[int] = set()
    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            entries += _menu_entries(menu, top.iconText(), seen)
    others = [
        ShortcutEntry(_place(action, window), action.iconText(), keys_text(action))
        for action in window.findChildren(QAction)
        if id(action) not in seen and action.shortcuts() and action.isVisible()
    ]
    return entries + sorted(others, key=lambda e: e.place)


def keys_text(action: QAction) -> str:
    """An action's shortcuts as the platform writes them ("Ctrl+Shift+Z, Ctrl+Y")."""
    return ", ".join(key.toString(NATIVE) for key in action.shortcuts())


def _menu_entries(menu: QMenu, place: str, seen: set[int]) -> list[ShortcutEntry]:
    entries: list[ShortcutEntry] = []
    submenus: list[tuple[QMenu, str]] = []
    for action in menu.actions():
        seen.add(id(action))
        sub = action.menu()
        if isinstance(sub, QMenu):
            submenus.append((sub, f"{place} › {action.iconText()}"))
        elif action.shortcuts() and action.isVisible():
            entries.append(ShortcutEntry(place, action.iconText(), keys_text(action)))
    for sub, name in submenus:
        entries += _menu_entries(sub, name, seen)
    return entries


def _place(action: QAction, window: QMainWindow) -> str:
    """The dock (or else the widget) an action outside the menus belongs to."""
    for owner in action.associatedObjects():
        widget: QWidget | None = owner if isinstance(owner, QWidget) else None
        while widget is not None and widget is not window:
            if isinstance(widget, QDockWidget):
                return widget.windowTitle()
            if widget.accessibleName():
                return widget.accessibleName()
            widget = widget.parentWidget()
    return "Window"


class ShortcutsDialog(QDialog):
    """A read-only list of the window's shortcuts with a filter; nothing in it is typed by
    hand, so a new action with a shortcut shows up here by itself."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(720, 680)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter by command or key")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter shortcuts")
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Keyboard shortcuts")
        self.tree.setHeaderLabels(["Command", "Keys"])
        self.tree.setRootIsDecorated(False)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        self.entries = shortcut_entries(window)
        self._groups: list[tuple[QTreeWidgetItem, list[QTreeWidgetItem]]] = []
        self._fill()
        self.filter.textChanged.connect(self._apply_filter)

    def _fill(self) -> None:
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for entry in self.entries:
            if not self._groups or self._groups[-1][0].text(0) != entry.place:
                group = QTreeWidgetItem(self.tree, [entry.place])
                group.setFont(0, bold)
                group.setFirstColumnSpanned(True)
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self._groups.append((group, []))
            group, rows = self._groups[-1]
            rows.append(QTreeWidgetItem(group, [entry.command, entry.keys]))
        self.tree.expandAll()

    def _apply_filter(self, text: str) -> None:
        needle = text.casefold().strip()
        for group, rows in self._groups:
            for row in rows:
                words = f"{group.text(0)} {row.text(0)} {row.text(1)}".casefold()
                row.setHidden(needle not in words)
            group.setHidden(all(row.isHidden() for row in rows))

    def rows(self) -> list[tuple[str, str, str]]:
        """(place, command, keys) of every row shown, as the list reads."""
        return [
            (group.text(0), row.text(0), row.text(1))
            for group, rows in self._groups
            for row in rows
            if not group.isHidden() and not row.isHidden()
        ]
