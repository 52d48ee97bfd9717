"""TeamWatch: a window on a team project hears the others' commits and refreshes what
they changed.

``project.listen()`` holds a connection of its own that LISTENs; a QTimer asks it every
second without waiting (``pending()``: a non-blocking read of what the server already
sent). A timer rather than a QSocketNotifier on the connection's socket: the driver reads
and buffers notifications on that socket itself (also while it answers other statements),
so a notifier could stay silent over notices already read; one poll a second costs one
non-blocking read and keeps the latency within the second. The window's own writes are
never heard (the listener leaves out its own origin), so a refresh never starts another.

What came in is read from the audit log (the entries not seen yet, among the newest): the
ids they name become the ``ChangeSet`` the window's views refresh after, as after the
user's own steps (an entry that names nothing refreshes everything), and the status bar
says who did what ("Vera added 3 passages"), through presentation mode's screening.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from ui.presentation import screen_of
from workbench.changes import ChangeSet, Entity
from workbench.domain import AuditInfo
from workbench.errors import WorkbenchError
from workbench.storage.postgres import ChangeListener

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)
POLL_MS = 1000
RECENT = 500  # audit entries looked at a time: out-of-order commits among them are caught
_ENTITIES: tuple[Entity, ...] = ("document", "annotation", "record", "code", "memo")
_ADDED = ("create", "import", "suggested", "split")
_REMOVED = ("delete",)
# (action, what the status bar says was done, one thing, many things)
_SAID = {
    "annotation.create": ("added", "passage", "passages"),
    "annotation.attach": ("attached", "passage", "passages"),
    "document.import": ("imported", "document", "documents"),
    "document.delete": ("deleted", "document", "documents"),
    "record.create": ("added", "record", "records"),
    "record.suggested": ("suggested", "record", "records"),
    "record.accepted": ("accepted", "record", "records"),
    "record.rejected": ("rejected", "record", "records"),
    "record.edit": ("edited", "record", "records"),
    "record.delete": ("deleted", "record", "records"),
    "record.merge": ("merged", "record", "records"),
    "memo.write": ("wrote", "memo", "memos"),
}


def changes_of(entries: list[AuditInfo]) -> ChangeSet | None:
    """What ``entries`` changed, by id; None (everything) when one names no row of a kind
    the views know."""
    changes = ChangeSet()
    for entry in entries:
        entity = next((e for e in _ENTITIES if e == entry.entity), None)
        if entity is None or entry.entity_id is None:
            return None
        verb = entry.action.rsplit(".", 1)[-1]
        if verb in _REMOVED:
            changes.remove(entity, entry.entity_id)
        elif verb in _ADDED:
            changes.add(entity, entry.entity_id)
        else:
            changes.change(entity, entry.entity_id)
    return changes


def summary(entries: list[AuditInfo], actors: list[str]) -> str:
    """Who did what, oldest first: ``Vera added 3 passages and 3 records; Ben accepted 1
    record``."""
    done: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for entry in entries:
        done[entry.actor or "someone"][entry.action] += 1
    parts = []
    for actor in dict.fromkeys([*actors, *done]):
        counts = done.get(actor)
        if not counts:
            parts.append(f"{actor} changed the project")
            continue
        by_verb: dict[str, list[str]] = {}
        for action, (verb, one, many) in _SAID.items():  # passages before records
            count = counts.pop(action, 0)
            if count:
                by_verb.setdefault(verb, []).append(f"{count} {one if count == 1 else many}")
        said = [f"{verb} {' and '.join(things)}" for verb, things in by_verb.items()]
        others = sum(counts.values())
        if others:
            said.append(f"made {others} other change{'' if others == 1 else 's'}")
        parts.append(f"{actor} {', '.join(said)}")
    return "; ".join(parts)


class TeamWatch(QObject):
    """Polls the window's project for others' commits and refreshes the window after them."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("teamWatch")
        self._window = window
        self._listener: ChangeListener | None = None
        self._seen = {entry.id for entry in window.project.audit.list(limit=RECENT)}
        self.last_message = ""
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self._connect()
        self.timer.start()

    def _connect(self) -> bool:
        """Listen again (after a lost connection); False while the server cannot be reached."""
        try:
            self._listener = self._window.project.listen()
        except WorkbenchError as exc:
            log.debug("cannot listen: %s", exc)
            self._listener = None
            return False
        return True

    def poll(self) -> bool:
        """Take in the others' changes that arrived; True if the window was refreshed."""
        if self._listener is None:
            if not self._connect():
                return False
            actors: list[str] = []  # changes may have been missed meanwhile: read them all
        else:
            try:
                notices = self._listener.pending()
            except Exception:  # the driver's error: the connection is lost
                log.debug("lost the listening connection", exc_info=True)
                self._listener.close()
                self._listener = None
                return False
            if not notices:
                return False
            actors = [notice.by for notice in notices]
        self._take_in(actors)
        return True

    def _take_in(self, actors: list[str]) -> None:
        window = self._window
        try:
            recent = window.project.audit.list(limit=RECENT)
        except WorkbenchError as exc:
            window.statusBar().showMessage(str(exc), 8000)
            return
        new = [entry for entry in reversed(recent) if entry.id not in self._seen]
        self._seen = {entry.id for entry in recent}
        if actors:
            theirs = [entry for entry in new if entry.actor in actors]
        else:  # heard nothing (listening again): all but one's own
            theirs = [entry for entry in new if entry.actor != window.project.actor]
        window.apply_changes(changes_of(theirs) if theirs else None, self)
        if theirs or actors:
            message = summary(theirs, actors)
            self.last_message = screen_of(window).text(message)
            window.statusBar().showMessage(self.last_message, 10_000)

    def stop(self) -> None:
        """Stop listening (the window closes)."""
        self.timer.stop()
        if self._listener is not None:
            self._listener.close()
            self._listener = None
