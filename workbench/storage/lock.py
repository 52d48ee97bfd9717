"""One owner per project file: a lock file beside the project, held for as long as it is open.

SQLite's own locks on Linux and macOS are POSIX advisory locks, which belong to the process:
any other open and close of the database file in that process (a file dialog sniffing the
files it lists does exactly that) silently drops them, and a second process may then
checkpoint and delete the WAL under the first. This lock does not depend on them. It is an
``flock`` on ``NAME.twb.lock`` (tied to the open file description, so other opens of the
same file leave it alone), taken before the database file is touched at all, and released
when the project closes. The lock file names its owner (host, pid, user, since) and its
modification time is refreshed every ``HEARTBEAT`` seconds, so an owner on another machine
sharing the folder is recognised while alive and taken over once stale; on one machine a
lock whose process died is free at once (the kernel drops the ``flock``).
"""

from __future__ import annotations

import contextlib
import getpass
import json
import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from workbench.errors import ProjectError

log = logging.getLogger(__name__)

HEARTBEAT = 20.0  # seconds between refreshes of the lock file's modification time
STALE = 120.0  # a lock from another host not refreshed for this long is abandoned
POLL = 0.2  # seconds between attempts while waiting


class ProjectLockedError(ProjectError):
    """Another process (or window) owns the project."""

    def __init__(self, message: str, owner: LockOwner | None) -> None:
        super().__init__(message)
        self.owner = owner


@dataclass(frozen=True)
class LockOwner:
    """Who holds a project: written into the lock file."""

    host: str
    pid: int
    user: str
    app: str
    since: str  # ISO 8601, UTC

    def describe(self) -> str:
        """ "the CLI (pid 12 on laptop, user anna, since 10:32 UTC)" for messages."""
        since = self.since[11:16] + " UTC" if len(self.since) >= 16 else self.since
        return f"{self.app} (pid {self.pid} on {self.host}, user {self.user}, since {since})"


def lock_path(project: Path) -> Path:
    """Where the lock of a project file lives: beside it, named after it."""
    return project.with_name(project.name + ".lock")


def _me(app: str) -> LockOwner:
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "unknown"
    since = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return LockOwner(socket.gethostname(), os.getpid(), user, app, since)


def _read_owner(fd: int) -> LockOwner | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        raw = os.read(fd, 4096)
        data = json.loads(raw.decode("utf-8")) if raw.strip() else None
        if not isinstance(data, dict):
            return None
        return LockOwner(
            str(data["host"]), int(data["pid"]), str(data["user"]),
            str(data["app"]), str(data["since"]),
        )  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _try_lock(fd: int) -> bool:
    """Take an exclusive lock on the open lock file without waiting."""
    if sys.platform == "win32":  # pragma: no cover - Windows has no flock
        import msvcrt  # noqa: PLC0415

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl  # noqa: PLC0415

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:  # a file system without locks (some network shares)
        raise ProjectError(
            f"cannot lock the project here ({exc.strerror}); copy it to a local folder"
        ) from exc
    return True


class ProjectLock:
    """An acquired project lock; ``release()`` (or closing the project) gives it up."""

    def __init__(self, path: Path, fd: int, owner: LockOwner) -> None:
        self.path = path
        self.owner = owner
        self._fd: int | None = fd
        self._stop = threading.Event()
        self._beat = threading.Thread(target=self._heartbeat, name="project-lock", daemon=True)
        self._beat.start()

    @classmethod
    def acquire(
        cls,
        project: Path,
        *,
        app: str = "Testimony Workbench",
        wait: float = 0.0,
        on_wait: Callable[[LockOwner | None], None] | None = None,
    ) -> ProjectLock:
        """Own ``project``, waiting up to ``wait`` seconds for its owner to close it
        (``on_wait(owner)`` is called once when waiting starts)."""
        path = lock_path(project)
        deadline = time.monotonic() + wait
        told = False
        while True:
            held_by, fd = cls._attempt(path)
            if fd is not None:
                owner = _me(app)
                cls._write_owner(fd, owner)
                return cls(path, fd, owner)
            if time.monotonic() >= deadline:
                who = held_by.describe() if held_by else "another program"
                raise ProjectLockedError(
                    f"{project.name} is open in {who}; close it there first", held_by
                )
            if not told and on_wait is not None:
                on_wait(held_by)
                told = True
            time.sleep(POLL)

    @staticmethod
    def _attempt(path: Path) -> tuple[LockOwner | None, int | None]:
        """One try: (None, fd) when taken, else (who holds it, None)."""
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        while True:
            try:
                fd = os.open(path, flags, 0o600)
            except OSError as exc:
                raise ProjectError(f"cannot lock {path.name}: {exc.strerror}") from exc
            try:
                if not _try_lock(fd):
                    owner = _read_owner(fd)
                    _close(fd)
                    return owner, None
                if not _still_at(fd, path):  # released and removed before our lock: again
                    _close(fd)
                    continue
                previous = _read_owner(fd)
                if previous is not None and previous.host != socket.gethostname():
                    if time.time() - os.fstat(fd).st_mtime < STALE:
                        _close(fd)
                        return previous, None
                    log.warning("taking over a stale lock of %s", previous.describe())
            except BaseException:
                _close(fd)
                raise
            return None, fd

    @staticmethod
    def _write_owner(fd: int, owner: LockOwner) -> None:
        data = json.dumps(owner.__dict__).encode("utf-8")
        os.ftruncate(fd, 0)
        os.pwrite(fd, data, 0)
        os.fsync(fd)

    def _heartbeat(self) -> None:
        """Refresh the lock file's time, so another host can tell this owner is alive."""
        while not self._stop.wait(HEARTBEAT):
            fd = self._fd
            if fd is None:
                return
            with contextlib.suppress(OSError):
                os.utime(fd)

    @property
    def held(self) -> bool:
        """Whether this lock is still held."""
        return self._fd is not None

    def release(self) -> None:
        """Give the project up: the lock file is removed while still held, then closed."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        self._stop.set()
        with contextlib.suppress(OSError):
            if _still_at(fd, self.path):
                self.path.unlink()
        _close(fd)


def _close(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)


def _still_at(fd: int, path: Path) -> bool:
    """Whether the open lock file is still the one named ``path`` (not removed or replaced)."""
    try:
        return os.path.samestat(os.fstat(fd), path.lstat())
    except FileNotFoundError:
        return False
