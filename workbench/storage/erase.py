"""Erasing for real: after a deletion commits, the WAL's older page images go too.

Every connection runs with ``PRAGMA secure_delete`` (``database.py``): the cells and pages a
deletion frees are overwritten with zeros. In WAL mode those zeros are new frames, though: the
project file keeps its old pages and the WAL keeps the old frames beside the new ones until a
checkpoint copies the frames into the file and the WAL is emptied. A checkpoint cannot pass a
reader still reading an older snapshot (an export running on the window's worker, another
connection's open transaction), so ``Erasure`` tries without waiting and, while one is due,
tries again whenever a connection comes back to the engine's pool (a reader of ours has just
finished). The window never waits behind a reader; closing the project checkpoints as well.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError

from workbench.errors import StorageError

log = logging.getLogger(__name__)


class Erasure:
    """Checkpoints the WAL into the project file and empties it after a deletion, as soon as
    no reader needs the older pages. ``engine`` gives the project's engine of the moment (a
    new passphrase gives the project a new one)."""

    def __init__(self, engine: Callable[[], Engine]) -> None:
        self._engine = engine
        self._due = False
        self._trying = threading.Lock()

    @property
    def pending(self) -> bool:
        """Whether removed text may still be in the file or its WAL (a reader holds an older
        snapshot); it goes at the next checkpoint that succeeds."""
        return self._due

    def request(self) -> bool:
        """After a deletion committed: checkpoint and empty the WAL now if no reader needs
        it (True), else as soon as a connection comes back with none left (False). On a
        server there is no WAL of ours to empty: PostgreSQL's (auto)vacuum reclaims the
        removed rows (False)."""
        engine = self._engine()
        if engine.dialect.name != "sqlite":
            return False
        self._due = True
        if not event.contains(engine, "checkin", self._on_checkin):
            event.listen(engine, "checkin", self._on_checkin)
        try:
            connection = engine.raw_connection()
        except (DBAPIError, StorageError) as exc:  # the deletion stands; a later attempt will do
            log.warning("checkpoint after a deletion postponed: %s", exc)
            return False
        try:
            self._attempt(connection.driver_connection)
        finally:
            connection.close()
        return not self._due

    def _on_checkin(self, dbapi_connection: Any, _record: Any) -> None:
        if self._due and dbapi_connection is not None:
            self._attempt(dbapi_connection)

    def _attempt(self, dbapi_connection: Any) -> None:
        if not self._trying.acquire(blocking=False):  # another thread is at it
            return
        try:
            driver = self._engine().dialect.dbapi
            errors = driver.Error if driver is not None else DBAPIError
            if self._due and checkpoint(dbapi_connection, errors):
                self._due = False
        finally:
            self._trying.release()


def checkpoint(
    dbapi_connection: Any, errors: type[Exception] | tuple[type[Exception], ...]
) -> bool:
    """``wal_checkpoint(TRUNCATE)`` without waiting for readers or a writer: every frame is
    copied into the file and the WAL is cut to nothing; False when something held it back.
    On a file in rollback-journal mode there is no WAL and nothing to do (True)."""
    (timeout,) = dbapi_connection.execute("PRAGMA busy_timeout").fetchone()
    dbapi_connection.execute("PRAGMA busy_timeout=0")
    try:
        (busy, _frames, _copied) = dbapi_connection.execute(
            "PRAGMA wal_checkpoint(TRUNCATE)"
        ).fetchone()
    except errors as exc:  # a lock held elsewhere: the next attempt will do
        log.info("checkpoint after a deletion postponed: %s", exc)
        return False
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout={int(timeout)}")
    return bool(busy == 0)


def free_pages(data: bytes) -> tuple[int, int]:
    """The free pages of a database file's bytes, and how many of them hold anything but
    zeros (a trunk page's list of the others aside): what deleted rows could have left."""
    size = int.from_bytes(data[16:18], "big") or 65536  # 1 stands for 65,536
    trunk, pages, holding = int.from_bytes(data[32:36], "big"), 0, 0
    while trunk:
        page = data[(trunk - 1) * size : trunk * size]
        count = int.from_bytes(page[4:8], "big")
        holding += any(page[8 + 4 * count :])
        for at in range(8, 8 + 4 * count, 4):
            leaf = int.from_bytes(page[at : at + 4], "big")
            holding += any(data[(leaf - 1) * size : leaf * size])
        pages += 1 + count
        trunk = int.from_bytes(page[0:4], "big")
    return pages, holding
