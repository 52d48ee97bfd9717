"""RecordTreeModel: records grouped by type, filtered and sorted in bulk, shown a page at a time.

A QTreeView lays out every row its model exposes, calling ``index()`` and ``flags()`` in Python
for each, after every filter or sort: about 6 µs a row, 0.6 s for 100,000 records. So each type
exposes a first page of its matching rows (``page_size``) and more as the view scrolls to
them (``show_more``); the type row still counts all matches.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QPalette

from ui.icons import PROTECTED_TIP, lock_icon, memo_icon
from ui.models.list_table_model import Index, header_data
from ui.models.record_rows import (
    CONFIDENCE,
    DATE,
    EVIDENCE,
    LABEL,
    STATUS,
    RecordRows,
    type_ranker,
)
from ui.plain import tooltip
from workbench.domain import RecordId, RecordInfo, type_title

PAGE = 200  # rows of a type exposed at first: a QTreeView lays out each, ~6 µs a row
_DISPLAY, _FONT = Qt.ItemDataRole.DisplayRole.value, Qt.ItemDataRole.FontRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_TOOLTIP, _ALIGN = Qt.ItemDataRole.ToolTipRole.value, Qt.ItemDataRole.TextAlignmentRole.value
_DESCRIPTION = Qt.ItemDataRole.AccessibleDescriptionRole.value
_ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole.value
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_BULK = 50  # more changed records than this: one layout change instead of row signals
_GROUP_FLAGS = Qt.ItemFlag.ItemIsEnabled
_RECORD_FLAGS = _GROUP_FLAGS | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class RecordTreeModel(QAbstractItemModel):
    """Type rows holding record rows; filter and sort run over whole Python lists, not per row.

    Each type exposes a prefix of its matching rows (``rowCount``), at least a page; rows a
    persistent index points at (the selection, the current row) stay exposed across changes.
    """

    HEADERS = ("Label", "Status", "Confidence", "Evidence", "Date")
    HEADER_TIPS = (
        "Record label",
        "Review status: suggested, accepted or rejected",
        "Confidence of the suggestion (0–1)",
        "Evidence passages, and in how many documents",
        "Date as written; EDTF form and bounds in the tooltip",
    )
    RecordIdRole = Qt.ItemDataRole.UserRole + 1
    StatusRole = Qt.ItemDataRole.UserRole + 2
    TypeRole = Qt.ItemDataRole.UserRole + 3
    ConfidenceRole = Qt.ItemDataRole.UserRole + 4
    OtherDocumentsRole = Qt.ItemDataRole.UserRole + 5

    def __init__(self, parent: Any = None, page_size: int = PAGE) -> None:
        super().__init__(parent)
        self.page_size = max(1, page_size)
        self._all = RecordRows()
        self._types: list[str] = []  # the type rows shown, in order
        self._rows: dict[str, list[RecordInfo]] = {}  # the records matching per type, in order
        self._exposed: dict[str, int] = {}  # how many of those the view has (the first ones)
        self._row_of: dict[str, dict[int, int]] = {}  # built on demand, dropped on change
        self._type_key: dict[str, int] = {}  # internalId of a type's record rows, never reused
        self._key_type: dict[int, str] = {}
        self._current_document_id: int | None = None
        self._group_font, self._muted, self._fonts = QFont(), QBrush(), dict[str, QFont]()
        self.set_appearance(QGuiApplication.palette(), QGuiApplication.font())

    def set_type_order(self, order: Sequence[str]) -> None:
        """Show record types in this order (the codebook's), others after them."""
        self._all.rank = type_ranker(order)

    def set_records(self, records: Iterable[RecordInfo], current_document_id: int | None) -> None:
        """Replace all records; evidence outside ``current_document_id`` is pointed out."""
        self.beginResetModel()
        self._all.clear()
        self._current_document_id = current_document_id
        for record in records:
            self._store(record)
        self._rebuild(keep_exposed=False)
        self.endResetModel()

    def update_records(self, records: Iterable[RecordInfo], *, complete: bool = False) -> None:
        """Insert new and refresh changed records row by row; ``complete``: drop all others."""
        incoming = {record.id: record for record in records}
        if complete:
            self.remove_records([i for i in self._all.records if i not in incoming])
        changed = [r for r in incoming.values() if self._all.records.get(r.id) != r]
        if len(changed) > _BULK:
            for record in changed:
                self._store(record)
            self._relayout(keep_exposed=True)
            return
        for record in changed:
            self._upsert(self._all.records.get(record.id), record)

    def remove_records(self, ids: Iterable[int]) -> None:
        """Remove records (unknown ids are ignored), one run of rows at a time."""
        gone = [self._all.records[i] for i in set(ids) if i in self._all.records]
        types = {record.type for record in gone}
        for record_type in types:
            rows = (self._row(record) for record in gone if record.type == record_type)
            for first, last in _runs(sorted((r for r in rows if r is not None), reverse=True)):
                self._take(record_type, first, last)
        for record in gone:
            self._all.forget(record)
        for record_type in types:
            self._refresh_group(record_type)

    def set_filter(self, text: str = "", status: str = "", record_type: str = "") -> None:
        """Show records whose label contains ``text`` (any case) and match status and type."""
        if self._all.set_filter(text.strip().casefold(), status, record_type):
            self._relayout(keep_exposed=False)

    def set_only(self, record_ids: frozenset[int] | None) -> None:
        """Show only these records, whatever the other filters (None: no such limit)."""
        if self._all.set_only(record_ids):
            self._relayout(keep_exposed=False)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort records within each type (column -1: arrival order); type rows keep their order."""
        column = column if 0 <= column < len(self.HEADERS) else -1
        descending = column >= 0 and order == Qt.SortOrder.DescendingOrder
        if self._all.set_sort(column, descending):
            self._relayout(keep_exposed=False)

    def set_appearance(self, palette: QPalette, font: QFont) -> None:
        """Derive the status fonts and the muted colour from the view's palette and font."""
        self._group_font, italic, struck = QFont(font), QFont(font), QFont(font)
        self._group_font.setBold(True)
        italic.setItalic(True)
        struck.setStrikeOut(True)
        self._fonts = {"suggested": italic, "rejected": struck}
        text, base = palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)
        pairs = zip(
            (text.redF(), text.greenF(), text.blueF()),
            (base.redF(), base.greenF(), base.blueF()),
            strict=True,
        )
        self._muted = QBrush(QColor.fromRgbF(*(0.55 * t + 0.45 * b for t, b in pairs)))
        last = len(self.HEADERS) - 1
        for row, record_type in enumerate(self._types):
            group = self.index(row, 0)
            self.dataChanged.emit(group, group.siblingAtColumn(last), [_FONT, _FOREGROUND])
            end = self.index(self._exposed[record_type] - 1, last, group)
            self.dataChanged.emit(self.index(0, 0, group), end, [_FONT, _FOREGROUND])

    def record(self, index: Index) -> RecordInfo | None:
        """The record of a row, or None for a type row or an invalid index."""
        key = index.internalId() if index.isValid() else 0
        return self._rows[self._key_type[key]][index.row()] if key else None

    def record_of(self, record_id: int) -> RecordInfo | None:
        """A loaded record by id (as shown), whether the filter shows it or not."""
        return self._all.records.get(record_id)

    def has_record(self, record_id: int) -> bool:
        """Whether the record is loaded (the filter may hide it)."""
        return record_id in self._all.records

    def index_of(self, record_id: int, column: int = 0) -> QModelIndex:
        """The index of an exposed record; invalid if unknown, filtered out or not exposed yet."""
        found = self._find(record_id)
        if found is not None:
            record_type, row = found
            if row < self._exposed[record_type]:
                return self.createIndex(row, column, self._type_key[record_type])
        return QModelIndex()

    def reveal(self, record_id: int) -> QModelIndex:
        """Expose a record the filter shows (and the rows before it); its index, or invalid."""
        found = self._find(record_id)
        if found is not None:
            record_type, row = found
            self._expose(record_type, row + 1)
        return self.index_of(record_id)

    def types(self) -> list[str]:
        """All loaded record types in display order, whatever the filter."""
        return self._all.types()

    def matches(self, record_type: str) -> int:
        """How many records of a type the filter shows, exposed or not."""
        return len(self._rows.get(record_type, ()))

    def matching_ids(self) -> list[RecordId]:
        """Every record the filter shows, exposed or not, in display order."""
        return [record.id for t in self._types for record in self._rows.get(t, ())]

    def unexposed(self, group: Index) -> int:
        """How many matching records of a type row are not exposed yet (0 for other rows)."""
        if not group.isValid() or group.internalId() or group.row() >= len(self._types):
            return 0
        record_type = self._types[group.row()]
        return len(self._rows[record_type]) - self._exposed[record_type]

    def show_more(self, group: Index) -> None:
        """Expose more records of a type row: as many again as it has, at least a page."""
        if self.unexposed(group):
            record_type = self._types[group.row()]
            exposed = self._exposed[record_type]
            self._expose(record_type, exposed + max(exposed, self.page_size))

    def show_all(self) -> None:
        """Expose every matching record (before selecting all of them, say)."""
        for record_type in list(self._types):
            self._expose(record_type, len(self._rows[record_type]))

    # QAbstractItemModel

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        # Called for every exposed row on each tree layout, so written for speed.
        if 0 <= column < len(self.HEADERS) and row >= 0:
            if not parent.isValid():
                if row < len(self._types):
                    return self.createIndex(row, column, 0)
            elif not (parent.internalId() or parent.column()) and parent.row() < len(self._types):
                record_type = self._types[parent.row()]
                if row < self._exposed[record_type]:
                    return self.createIndex(row, column, self._type_key[record_type])
        return QModelIndex()

    def parent(self, child: Index | None = None) -> Any:
        if child is None:
            return super().parent()  # QObject.parent()
        record_type = self._key_type.get(child.internalId() if child.isValid() else 0)
        if record_type is None or record_type not in self._types:
            return QModelIndex()
        return self.createIndex(self._types.index(record_type), 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        if not parent.isValid():
            return len(self._types)
        if parent.internalId() or parent.column() or parent.row() >= len(self._types):
            return 0
        return self._exposed[self._types[parent.row()]]

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return self.rowCount(parent) > 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, ARG002, N802
        return len(self.HEADERS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if index.internalId():  # called for every row on each tree layout: keep it short
            return _RECORD_FLAGS
        return _GROUP_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        key, row, column = index.internalId(), index.row(), index.column()
        if not key:
            return self._group_data(row, column, role) if row < len(self._types) else None
        record = self._rows[self._key_type[key]][row]
        if role == _DISPLAY:
            return self._display(record, column)
        if role == _FONT:
            return self._fonts.get(record.status)
        if role == _FOREGROUND:
            return self._muted if record.status == "rejected" else None
        if role == _ALIGN:
            return _RIGHT if column in (CONFIDENCE, EVIDENCE) else None
        if role == _TOOLTIP:
            return self._tooltip(record, column)
        if role == self.RecordIdRole:
            return record.id
        if role == Qt.ItemDataRole.DecorationRole and column == LABEL:
            return lock_icon() if record.protected else memo_icon() if record.note else None
        if role == _DESCRIPTION:
            return PROTECTED_TIP if record.protected else None
        if role == _ACCESSIBLE and column == LABEL and record.protected:
            return f"{record.label}, protected"  # what a screen reader says for the lock
        if role == self.StatusRole:
            return record.status
        if role == self.TypeRole:
            return record.type
        if role == self.ConfidenceRole:
            return record.confidence
        return self._other_documents(record) if role == self.OtherDocumentsRole else None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY
    ) -> Any:
        return header_data(self.HEADERS, self.HEADER_TIPS, section, orientation, role)

    # Cell contents

    def _group_data(self, row: int, column: int, role: int) -> Any:
        record_type = self._types[row]
        if role == self.TypeRole:
            return record_type
        if column != LABEL or role not in (_DISPLAY, _FONT, _TOOLTIP):
            return None
        shown, total = len(self._rows[record_type]), len(self._all.by_type[record_type])
        count = f"{shown} of {total}" if shown != total else str(total)
        if role == _DISPLAY:
            return f"{type_title(record_type)} ({count})"
        return self._group_font if role == _FONT else tooltip(f"{count} {record_type} records")

    def _display(self, record: RecordInfo, column: int) -> str:
        if column == LABEL:
            return record.label
        if column == STATUS:
            return record.status
        if column == CONFIDENCE:
            return "" if record.confidence is None else f"{record.confidence:.2f}"
        if column == EVIDENCE:
            docs = len(record.document_ids)
            if docs > 1 or self._other_documents(record):
                return f"{record.evidence_count} · {docs} doc{'s' if docs != 1 else ''}"
            return str(record.evidence_count)
        return record.date_text or ""

    def _tooltip(self, record: RecordInfo, column: int) -> str | None:
        lines: list[object]
        if column == DATE:
            lines = [record.date_text, record.date_edtf and f"EDTF: {record.date_edtf}"]
            if record.date_earliest or record.date_latest:
                lines.append(f"From {record.date_earliest or '?'} to {record.date_latest or '?'}")
        elif column == EVIDENCE:
            others = len(self._other_documents(record))
            lines = [
                f"{record.evidence_count} evidence passages in "
                f"{len(record.document_ids)} documents",
                others and f"{others} not this one",
            ]
        else:
            by = f" by {record.created_by}" if record.created_by else ""
            added = (
                f"{type_title(record.type)} · {record.origin}{by} · {record.created_at:%Y-%m-%d}"
            )
            lines = [record.label, record.protected and PROTECTED_TIP, added, record.note]
        return tooltip("\n".join(str(line) for line in lines if line)) or None

    def _other_documents(self, record: RecordInfo) -> tuple[int, ...]:
        return tuple(d for d in record.document_ids if d != self._current_document_id)

    # Bookkeeping

    def _store(self, record: RecordInfo) -> None:
        if record.type not in self._type_key:
            key = len(self._type_key) + 1
            self._type_key[record.type], self._key_type[key] = key, record.type
        self._all.store(record)

    def _rebuild(self, *, keep_exposed: bool) -> None:
        """Recompute the shown types and rows with whole-list operations (no per-row Qt calls)."""
        before = self._exposed if keep_exposed else {}
        self._rows, self._row_of = self._all.rows(), {}
        self._types = sorted(self._rows, key=self._all.rank)
        self._exposed = {
            record_type: min(len(rows), max(self.page_size, before.get(record_type, 0)))
            for record_type, rows in self._rows.items()
        }

    def _relayout(self, *, keep_exposed: bool) -> None:
        """Rebuild inside a layout change, carrying persistent indexes (the selection) across."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        keys = [(self.data(i, self.RecordIdRole), self.data(i, self.TypeRole)) for i in old]
        self._rebuild(keep_exposed=keep_exposed)
        held = {record_id for record_id, _ in keys if record_id is not None}
        for record_type, row in filter(None, map(self._find, held)):
            if row >= self._exposed[record_type]:
                self._exposed[record_type] = row + 1  # a selected row stays in the view
        new = [
            self.index_of(record_id, index.column())
            if record_id is not None
            else self.index(self._types.index(t) if t in self._types else -1, index.column())
            for index, (record_id, t) in zip(old, keys, strict=True)
        ]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _find(self, record_id: int) -> tuple[str, int] | None:
        """The type and row of a loaded record the filter shows (exposed or not), else None."""
        record = self._all.records.get(record_id)
        row = self._row(record) if record is not None else None
        return None if record is None or row is None else (record.type, row)

    def _row(self, record: RecordInfo) -> int | None:
        """The row of a record among the matching ones of its type (exposed or not)."""
        rows = self._row_of.get(record.type)
        if rows is None:
            shown = self._rows.get(record.type, [])
            rows = self._row_of[record.type] = {r.id: row for row, r in enumerate(shown)}
        return rows.get(record.id)

    def _group_index(self, record_type: str) -> QModelIndex:
        return self.createIndex(self._types.index(record_type), 0, 0)

    def _position(self, record: RecordInfo) -> int:
        """Where ``record`` goes among the matching rows of its type (after equal keys)."""
        return self._all.position(record, self._rows.get(record.type, []))

    def _expose(self, record_type: str, count: int) -> None:
        """Let the view have the first ``count`` matching rows of a type (or all there are)."""
        rows, exposed = self._rows[record_type], self._exposed[record_type]
        count = min(count, len(rows))
        if count > exposed:
            self.beginInsertRows(self._group_index(record_type), exposed, count - 1)
            self._exposed[record_type] = count
            self.endInsertRows()

    def _take(self, record_type: str, first: int, last: int) -> None:
        """Remove matching rows ``first..last`` of a type; only exposed ones are signalled."""
        rows, exposed = self._rows[record_type], self._exposed[record_type]
        self._row_of.pop(record_type, None)
        if last >= exposed:
            del rows[max(first, exposed) : last + 1]
            last = exposed - 1
        if first <= last:
            self.beginRemoveRows(self._group_index(record_type), first, last)
            del rows[first : last + 1]
            self._exposed[record_type] -= last - first + 1
            self.endRemoveRows()

    def _put(self, record_type: str, position: int, record: RecordInfo) -> None:
        """Insert a matching record; exposed if it lands among the exposed rows or after all."""
        rows, exposed = self._rows[record_type], self._exposed[record_type]
        self._row_of.pop(record_type, None)
        if position < exposed or exposed == len(rows):
            self.beginInsertRows(self._group_index(record_type), position, position)
            rows.insert(position, record)
            self._exposed[record_type] += 1
            self.endInsertRows()
        else:
            rows.insert(position, record)

    def _ensure_group(self, record_type: str) -> None:
        if record_type not in self._types:
            rank = self._all.rank
            row = sum(1 for t in self._types if rank(t) < rank(record_type))
            self.beginInsertRows(QModelIndex(), row, row)
            self._types.insert(row, record_type)
            self._rows[record_type], self._exposed[record_type] = [], 0
            self.endInsertRows()

    def _refresh_group(self, record_type: str) -> None:
        """Drop a type row left empty, or top its exposed rows up to a page and repaint it."""
        if record_type in self._types and self._rows[record_type]:
            self._expose(record_type, self.page_size)
            index = self._group_index(record_type)
            self.dataChanged.emit(index, index, [_DISPLAY, _TOOLTIP])
        elif record_type in self._types:
            row = self._types.index(record_type)
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._types[row], self._rows[record_type], self._exposed[record_type]
            self._row_of.pop(record_type, None)
            self.endRemoveRows()

    def _upsert(self, old: RecordInfo | None, record: RecordInfo) -> None:
        row = self._row(old) if old is not None else None
        self._store(record)
        if old is not None and row is not None and not self._all.accepts(record):
            self._take(old.type, row, row)
        elif old is not None and row is not None:
            self._move(old, row, record)
        elif self._all.accepts(record):
            self._ensure_group(record.type)
            self._put(record.type, self._position(record), record)
        for record_type in {record.type, old.type if old else record.type}:
            self._refresh_group(record_type)

    def _move(self, old: RecordInfo, row: int, record: RecordInfo) -> None:
        """Refresh a matching record in place, or move it (to another type too) to its new place.

        An exposed record stays exposed (it may be selected); one that is not goes like a new one.
        """
        self._ensure_group(record.type)
        source, same_type = self._rows[old.type], old.type == record.type
        position = self._position(record)
        if same_type and row < position:
            position -= 1  # its place among the other rows: its old row no longer counts
        if row >= self._exposed[old.type]:
            del source[row]
            self._row_of.pop(old.type, None)
            self._put(record.type, position, record)
            return
        if same_type and position == row:
            source[row] = record
        else:
            self._expose(record.type, position + 1 if same_type else position)
            target = position + 1 if same_type and position > row else position
            target_parent = self._group_index(record.type)
            self.beginMoveRows(self._group_index(old.type), row, row, target_parent, target)
            del source[row]
            self._rows[record.type].insert(position, record)
            if not same_type:
                self._exposed[old.type] -= 1
                self._exposed[record.type] += 1
            self._row_of.pop(old.type, None)
            self._row_of.pop(record.type, None)
            self.endMoveRows()
        first = self.index_of(record.id)
        self.dataChanged.emit(first, first.siblingAtColumn(len(self.HEADERS) - 1))


def _runs(rows_descending: list[int]) -> list[tuple[int, int]]:
    """Contiguous (first, last) runs of rows, the last run first so removals keep rows valid."""
    runs: list[tuple[int, int]] = []
    for row in rows_descending:
        if runs and runs[-1][0] == row + 1:
            runs[-1] = (row, runs[-1][1])
        else:
            runs.append((row, row))
    return runs
