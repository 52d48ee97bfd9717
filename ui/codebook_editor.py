"""CodebookEditor: add, rename, recolour, reorder, nest, merge and delete record types and
codes; set or clear their keys. Every change is one undoable step on the window's stack."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.host import CodebookHost
from ui.plain import message_box, plain_label, set_plain, tooltip
from workbench.changes import ChangeSet
from workbench.domain import CodeId, CodeInfo, CodeKind
from workbench.services.steps import StepResult

IdRole = Qt.ItemDataRole.UserRole
GROUPS: tuple[tuple[CodeKind, str], ...] = (("record_type", "Record types"), ("code", "Codes"))


def swatch(colour: str) -> QIcon:
    """A small square of the entry's colour."""
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class CodebookEditor(QDialog):
    """The codebook as a tree (record types, codes; nested entries under their parent) and
    a form for the entry selected; Apply makes the form's changes one step."""

    def __init__(self, host: CodebookHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Codebook")
        self.resize(820, 520)
        self._host = host
        self._codes: dict[CodeId, CodeInfo] = {}
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Name", "Key"])
        self.tree.setAccessibleName("Record types and codes")
        self.tree.currentItemChanged.connect(lambda *_: self._show_selected())
        splitter = QSplitter(self)
        splitter.addWidget(self.tree)
        splitter.addWidget(self._form())
        splitter.setStretchFactor(0, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        layout.addLayout(self._buttons())
        self.addActions(host.undo_redo_actions())  # Ctrl+Z works here too
        host.follow_changes(self._on_changes)
        self.reload()

    # --- building
    def _form(self) -> QWidget:
        form_widget = QWidget(self)
        form = QFormLayout(form_widget)
        self.label = QLineEdit(form_widget)
        self.colour = QPushButton(form_widget)
        self.colour.clicked.connect(self._choose_colour)
        self.key = QLineEdit(form_widget)
        self.key.setMaxLength(3)
        self.key.setPlaceholderText("none")
        self.key.setToolTip(tooltip("One key: a digit, a letter or F1–F12; empty for none"))
        self.description = QPlainTextEdit(form_widget)
        self.parent_entry = QComboBox(form_widget)
        for text, widget in (("&Name", self.label), ("Co&lour", self.colour),
                             ("&Key", self.key), ("&Description", self.description),
                             ("Nested &in", self.parent_entry)):  # fmt: skip
            widget.setAccessibleName(text.replace("&", ""))
            form.addRow(text, widget)
        self.problem = plain_label(parent=form_widget)
        self.problem.setWordWrap(True)
        form.addRow("", self.problem)
        self.apply = QPushButton("&Apply", form_widget)
        self.apply.setDefault(True)
        self.apply.clicked.connect(self.apply_form)
        form.addRow("", self.apply)
        self._colour_value = ""
        return form_widget

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        for text, slot in (
            ("Add record &type…", lambda: self.add("record_type")),
            ("Add &code…", lambda: self.add("code")),
            ("Move &up", lambda: self.move_entry(-1)),
            ("Move do&wn", lambda: self.move_entry(1)),
            ("&Merge into…", self.merge),
            ("Dele&te…", self.delete),
        ):
            button = QPushButton(text, self)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        close = QPushButton("Close", self)
        close.setAutoDefault(False)
        close.clicked.connect(self.close)
        row.addWidget(close)
        return row

    # --- showing
    def reload(self) -> None:
        """Read the codebook again, keeping the selected entry selected."""
        current = self.current()
        self._codes = {c.id: c for c in self._host.project.codebook.list()}
        self.tree.clear()
        items: dict[CodeId, QTreeWidgetItem] = {}
        groups = {}
        for kind, title in GROUPS:
            group = QTreeWidgetItem(self.tree, [title])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            groups[kind] = group
        for code in self._codes.values():
            items[code.id] = QTreeWidgetItem([code.label, code.shortcut or ""])
            items[code.id].setData(0, IdRole, code.id)
            items[code.id].setIcon(0, swatch(code.colour))
            items[code.id].setToolTip(0, tooltip(code.description or code.label))
        for code in self._codes.values():
            parent = items.get(code.parent_id) if code.parent_id is not None else None
            (parent or groups[code.kind]).addChild(items[code.id])
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        if current is not None and current in items:
            self.tree.setCurrentItem(items[current])
        self._show_selected()

    def current(self) -> CodeId | None:
        """The entry selected."""
        item = self.tree.currentItem()
        value = item.data(0, IdRole) if item is not None else None
        return CodeId(int(value)) if value is not None else None

    def _show_selected(self) -> None:
        code_id = self.current()
        code = self._codes.get(code_id) if code_id is not None else None
        for widget in (self.label, self.colour, self.key, self.description, self.parent_entry,
                       self.apply):  # fmt: skip
            widget.setEnabled(code is not None)
        set_plain(self.problem, "")
        if code is None:
            return
        self.label.setText(code.label)
        self._set_colour(code.colour)
        self.key.setText(code.shortcut or "")
        self.description.setPlainText(code.description)
        self.parent_entry.clear()
        self.parent_entry.addItem("(top level)", None)
        for other in self._codes.values():
            if other.kind == code.kind and other.id != code.id:
                self.parent_entry.addItem(other.label, other.id)
        self.parent_entry.setCurrentIndex(max(0, self.parent_entry.findData(code.parent_id)))

    def _set_colour(self, colour: str) -> None:
        self._colour_value = colour
        self.colour.setText(colour)
        self.colour.setIcon(swatch(colour))

    def _choose_colour(self) -> None:
        chosen = QColorDialog.getColor(QColor(self._colour_value), self, "Colour")
        if chosen.isValid():
            self._set_colour(chosen.name())

    def _on_changes(self, changes: ChangeSet | None, _initiator: object) -> None:
        if changes is None or changes.touches("code"):
            self.reload()

    # --- changing
    def form_values(self, code_id: CodeId) -> dict[str, str | CodeId | None]:
        """What the form changes of this entry (the one selected)."""
        code = self._codes[code_id]
        wanted: dict[str, str | CodeId | None] = {
            "label": " ".join(self.label.text().split()),
            "colour": self._colour_value,
            "shortcut": self.key.text().strip() or None,
            "description": self.description.toPlainText(),
            "parent_id": self.parent_entry.currentData(),
        }
        now = {"label": code.label, "colour": code.colour, "shortcut": code.shortcut,
               "description": code.description, "parent_id": code.parent_id}  # fmt: skip
        return {k: v for k, v in wanted.items() if v != now[k]}

    def apply_form(self) -> None:
        """Make the form's changes one undoable step (a key the window uses is refused)."""
        code_id = self.current()
        if code_id is None:
            return
        values = self.form_values(code_id)
        key = values.get("shortcut")
        if isinstance(key, str) and key.upper() in {k.upper() for k in self._host.reserved_keys()}:
            set_plain(self.problem, f"The key {key} is one of the window's own commands.")
            return
        if values:
            codebook = self._host.project.codebook
            self._run("Edit codebook entry", lambda: codebook.update(code_id, **values))

    def add(self, kind: CodeKind) -> None:
        """Ask for a name and add a record type or code at the end."""
        what = "record type" if kind == "record_type" else "code"
        label, ok = QInputDialog.getText(self, f"Add a {what}", "Name:")
        if ok and label.strip():
            codebook = self._host.project.codebook
            self._run(f"Add {what} {label.strip()}", lambda: codebook.add(label, kind))

    def move_entry(self, by: int) -> None:
        """Move the selected entry up or down among those of its kind."""
        code_id = self.current()
        if code_id is not None:
            codebook = self._host.project.codebook
            self._run("Move codebook entry", lambda: codebook.move(code_id, by))

    def merge(self) -> None:
        """Fold the selected entry into another of its kind, after confirming."""
        code_id = self.current()
        if code_id is None:
            return
        code = self._codes[code_id]
        others = [c for c in self._codes.values() if c.kind == code.kind and c.id != code_id]
        if not others:
            return
        names = [f"{n}. {c.label}" for n, c in enumerate(others, 1)]  # items: plain text
        # the label is a user's text: in the title (never read as rich text), not the prompt
        choice, ok = QInputDialog.getItem(
            self, f"Merge “{code.label}” into…", "Into:", names, 0, False
        )
        if not ok or choice not in names:
            return
        target = others[names.index(choice)]
        passages, records = self._host.project.codebook.deletion_impact(code_id)
        text = (f"Merge “{code.label}” into “{target.label}”?\n\n{passages} passage(s) and "
                f"{records} record(s) take “{target.label}”; “{code.label}” is removed. "
                "Edit → Undo takes it back.")  # fmt: skip
        if self._confirm("Merge codebook entries", text, "&Merge"):
            codebook = self._host.project.codebook
            self._run("Merge codebook entries", lambda: codebook.merge(code_id, target.id))

    def delete(self) -> None:
        """Delete the selected entry with its passages (and records), after confirming."""
        code_id = self.current()
        if code_id is None:
            return
        code = self._codes[code_id]
        passages, records = self._host.project.codebook.deletion_impact(code_id)
        text = (
            f"Delete “{code.label}”?\n\n• {passages} passage(s) coded with it are deleted\n"
            f"• {records} record(s) of this type are deleted\n\n"
            "Entries nested in it move up a level. Edit → Undo brings it all back."
        )
        if self._confirm("Delete codebook entry", text, "&Delete"):
            codebook = self._host.project.codebook
            self._run(f"Delete {code.label}", lambda: codebook.delete(code_id))

    def _confirm(self, title: str, text: str, verb: str) -> bool:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
        box = message_box(self, title, text, buttons)
        box.button(QMessageBox.StandardButton.Yes).setText(verb)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _run(self, text: str, step: Callable[[], StepResult | None]) -> None:
        self._host.run_step(text, step)  # the broadcast reloads this dialog
