"""Project: the one entry object that owns a project's engine, sessions and services (a
project file, or a project in a PostgreSQL database named by a ``postgresql://`` address)."""

from __future__ import annotations

import getpass
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from workbench.errors import ProjectError
from workbench.services.annotations import AnnotationService
from workbench.services.audit import AuditService
from workbench.services.codebook import CodebookService, seed_codebook
from workbench.services.documents import DocumentService
from workbench.services.exports import ExportService
from workbench.services.extraction import ExtractionService
from workbench.services.memos import MemoService
from workbench.services.project_import import ProjectImportService
from workbench.services.records import RecordService
from workbench.services.review import ReviewService
from workbench.services.search import SearchService
from workbench.services.steps import StepService
from workbench.services.timeline import TimelineService
from workbench.storage.cipher import DRIVER_ERRORS, Passphrase, rekey
from workbench.storage.database import (
    WRITE_OPTIONS,
    OpenedDatabase,
    make_engine,
    open_database,
    open_server_database,
    prepare_folder,
)
from workbench.storage.files import connect_file
from workbench.storage.lock import LockOwner, ProjectLock
from workbench.storage.postgres import (
    ChangeListener,
    announce,
    is_server,
    server_url,
    where,
)


def _opens_with(path: Path, key: Passphrase) -> bool:
    """Whether ``key`` decrypts the file at ``path`` now."""
    try:
        connection = connect_file(path, read_only=True, key=key)
    except DRIVER_ERRORS:
        return False
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DRIVER_ERRORS:
        return False
    finally:
        connection.close()
    return True


def default_actor() -> str:
    """The annotator name: $WORKBENCH_ANNOTATOR, else the login name."""
    name = os.environ.get("WORKBENCH_ANNOTATOR")
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


class Project:
    """An open project; services hang off it (``project.documents.import_paths(...)``)."""

    def __init__(
        self,
        path: Path | str,
        *,
        actor: str | None = None,
        create: bool = True,
        app: str = "Testimony Workbench",
        wait: float = 0.0,
        on_wait: Callable[[LockOwner | None], None] | None = None,
        busy_wait: float | None = None,
        passphrase: Passphrase | None = None,
        password: Callable[[], str | None] | None = None,
    ) -> None:
        """Own and open the project at ``path``; if another program owns it, wait up to
        ``wait`` seconds (``on_wait`` is told who) before ``ProjectLockedError``. A write
        waits ``busy_wait`` seconds (default 5) for another program writing to the file.
        ``passphrase``: the project is encrypted with it (a new one is created so);
        ``PassphraseError`` when it is wrong, or missing for an encrypted file.

        ``path`` may be a ``postgresql://`` address: the project in that database, shared
        with whoever else opens it (no lock; the server orders the writes). ``password`` is
        asked when the server wants one the address and libpq's files did not give."""
        self.key = passphrase
        self._busy_ms = None if busy_wait is None else int(busy_wait * 1000)
        self.actor = actor or default_actor()
        self.server = server_url(path) if isinstance(path, str) and is_server(path) else None
        self.origin = uuid.uuid4().hex  # this open project, among others on a server
        self.lock: ProjectLock | None = None
        seed = lambda conn: seed_codebook(conn, self.actor)  # noqa: E731
        opened: OpenedDatabase
        if self.server is not None:
            # no file: the database's name stands for it where a name is shown
            self.path = Path(self.server.database or "project")
            self.location = where(self.server)
            opened = open_server_database(self.server, create=create, seed=seed, password=password)
        else:
            self.path = Path(path).expanduser().resolve()
            self.location = str(self.path)
            prepare_folder(self.path, create=create)  # the lock file lives beside the project
            self.lock = ProjectLock.acquire(self.path, app=app, wait=wait, on_wait=on_wait)
            try:
                opened = open_database(
                    self.path, create=create, seed=seed, busy_ms=self._busy_ms, key=passphrase
                )
            except BaseException:
                self.lock.release()
                raise
        self._closed = False
        self._bind(opened.engine)
        self.created = opened.created
        self.backup = opened.backup
        self.steps = StepService(self)
        self.codebook = CodebookService(self)
        self.documents = DocumentService(self)
        self.annotations = AnnotationService(self)
        self.records = RecordService(self)
        self.exports = ExportService(self)
        self.extraction = ExtractionService(self)
        self.review = ReviewService(self)
        self.search = SearchService(self)
        self.timeline = TimelineService(self)
        self.audit = AuditService(self)
        self.memos = MemoService(self)
        self.project_import = ProjectImportService(self)

    def _bind(self, engine: Engine) -> None:
        """Use ``engine`` for every session and connection from now on."""
        self.engine = engine
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = self.engine.execution_options(**WRITE_OPTIONS)
        self._write_sessions = sessionmaker(self._writer, expire_on_commit=False)

    @property
    def encrypted(self) -> bool:
        """Whether the project file is encrypted (opened with a passphrase)."""
        return self.key is not None

    def change_passphrase(self, new: Passphrase) -> None:
        """Re-encrypt the project under ``new`` (``PRAGMA rekey``, one transaction: a crash
        leaves the old passphrase). Its backups keep the passphrase they were made with."""
        if self.server is not None:
            raise ProjectError(f"{self.location} is on a server: passphrases are for files")
        if self.key is None:
            raise ProjectError(
                f"{self.path.name} is not encrypted: encrypt it into a new file instead"
            )
        self.engine.dispose()  # every connection of the old key is closed first
        try:
            connection = connect_file(self.path, key=self.key)
            try:
                rekey(connection, new)
            finally:
                connection.close()
        finally:
            key = new if _opens_with(self.path, new) else self.key
            self.key = key
            self._bind(make_engine(self.path, busy_ms=self._busy_ms, key=key))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A read-only session; closing it rolls back anything changed, and loaded objects stay
        readable (detached, not expired) after the block."""
        session = self._sessions()
        try:
            yield session
        finally:
            session.close()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits as one transaction, or rolls back entirely."""
        with self._write_sessions.begin() as session:
            yield session
            self._announce(session.connection())

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """A Core connection in one transaction, for hot paths where the ORM only costs time."""
        with self._writer.begin() as connection:
            yield connection
            self._announce(connection)

    def _announce(self, connection: Connection) -> None:
        """On a server, let the others who have the project open know of the change when
        it commits (``listen``)."""
        if self.server is not None:
            announce(connection, self.actor, self.origin)

    def listen(self) -> ChangeListener:
        """Others' committed changes to this project on a server, as they come."""
        if self.server is None:
            raise ProjectError(f"{self.path.name} is a file: only its owner changes it")
        return ChangeListener(self.engine.url, self.origin)

    def close(self) -> None:
        """Release the file (checkpointing the WAL), then give up ownership; on a server,
        close the connections."""
        if self._closed or (self.lock is not None and not self.lock.held):
            return
        self._closed = True
        try:
            self.engine.dispose()
        finally:
            if self.lock is not None:
                self.lock.release()

    def __enter__(self) -> Project:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
