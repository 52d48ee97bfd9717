"""Encrypted projects: SQLCipher 4, how a connection is keyed, and the errors of both drivers.

An encrypted project is an SQLCipher database: every page of the file, its first page and
header included, every page of its ``-wal`` and every backup of it are encrypted (AES-256 in
CBC mode with a random IV per page, each page authenticated by HMAC-SHA512). The key is
derived from the passphrase and the file's random 16-byte salt by PBKDF2-HMAC-SHA512 with
256,000 iterations. Those are SQLCipher 4's defaults; ``PRAGMA cipher_compatibility = 4``
on every keyed connection pins them, so a later library whose defaults differ still opens
the file (and a future version changes them only through an explicit migration).

A plain project is opened with the standard ``sqlite3`` driver as ever; an encrypted one with
``sqlcipher3`` (its own SQLite with FTS5 and JSON, the same API). ``PRAGMA key`` is the very
first statement of every keyed connection. The passphrase lives in a ``Passphrase``, whose
``repr`` and ``str`` never show it; it is sent to SQLite only, never logged, never put in an
error, an argument list or the environment of a child process.
"""

from __future__ import annotations

import hmac
import sqlite3
from pathlib import Path
from typing import Any, NoReturn, cast

from sqlcipher3 import dbapi2 as sqlcipher

from workbench.errors import InvalidInputError, ProjectError

SQLITE_MAGIC = b"SQLite format 3\x00"
COMPATIBILITY = 4  # SQLCipher 4: PBKDF2-HMAC-SHA512, 256,000 iterations, 4096-byte pages
NOT_A_DATABASE = 26  # SQLITE_NOTADB: what a wrong key gives on the first read

# Errors and connections of either driver (``sqlite3`` for plain files, ``sqlcipher3``).
DRIVER_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, sqlcipher.Error)
DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.DatabaseError, sqlcipher.DatabaseError)
DRIVER_CONNECTIONS: tuple[type[Any], ...] = (sqlite3.Connection, sqlcipher.Connection)
DRIVER_MODULE: Any = sqlcipher  # the DB-API module SQLAlchemy is given for encrypted files


class PassphraseError(ProjectError):
    """A project needs a passphrase it was not given, or the one given does not open it."""


class Passphrase:
    """A project's passphrase: shown nowhere (``repr`` and ``str`` hide it), never pickled."""

    __slots__ = ("_secret",)

    def __init__(self, secret: str) -> None:
        if not secret:
            raise InvalidInputError("the passphrase is empty")
        if "\x00" in secret:
            raise InvalidInputError("a passphrase cannot hold the NUL character")
        self._secret = secret

    def reveal(self) -> str:
        """The passphrase itself, for SQLite only."""
        return self._secret

    def __repr__(self) -> str:
        return "Passphrase(hidden)"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Passphrase) and hmac.compare_digest(
            other._secret.encode(), self._secret.encode()
        )

    def __hash__(self) -> int:
        return hash((Passphrase, self._secret))

    def __reduce__(self) -> NoReturn:
        raise TypeError("a passphrase is not pickled")


def _literal(key: Passphrase) -> str:
    """The passphrase as an SQL string literal (PRAGMA takes no bound parameters)."""
    return "'" + key.reveal().replace("'", "''") + "'"


def apply_key(connection: Any, key: Passphrase, *, pragma: str = "key") -> None:
    """Key a fresh ``sqlcipher3`` connection: ``PRAGMA key`` first, then the pinned settings
    (SQLCipher's own log lines, which name pages that did not decrypt, are silenced)."""
    connection.execute(f"PRAGMA {pragma} = {_literal(key)}")
    connection.execute(f"PRAGMA cipher_compatibility = {COMPATIBILITY}")
    connection.execute("PRAGMA cipher_log_level = NONE")


def connect(
    target: str, key: Passphrase, *, uri: bool = False, **options: Any
) -> sqlite3.Connection:
    """A ``sqlcipher3`` connection keyed with ``key`` before anything else runs on it, then
    ``trusted_schema=OFF`` (as every connection of the application)."""
    connection = sqlcipher.connect(target, uri=uri, **options)
    try:
        apply_key(connection, key)
        connection.execute("PRAGMA trusted_schema = OFF")
    except BaseException:
        connection.close()
        raise
    return cast(sqlite3.Connection, connection)


def rekey(connection: Any, new: Passphrase) -> None:
    """Re-encrypt the database of a keyed connection under ``new`` (``PRAGMA rekey``)."""
    connection.execute(f"PRAGMA rekey = {_literal(new)}")


def export_encrypted(source: Path, target: Path, key: Passphrase, application_id: int) -> None:
    """Write an encrypted copy of the plain database ``source`` into the new file ``target``
    with SQLCipher's ``sqlcipher_export`` (every table, index and the full-text index; the
    application id, which it does not copy, is set after). ``source`` is only read (on a
    connection that could write, so that closing it removes the ``-wal`` it opened)."""
    connection = sqlcipher.connect(source.absolute().as_uri(), uri=True)
    try:
        connection.isolation_level = None
        connection.execute("PRAGMA trusted_schema = OFF")
        connection.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(target), key.reveal()))
        connection.execute(f"PRAGMA encrypted.cipher_compatibility = {COMPATIBILITY}")
        connection.execute("BEGIN")
        connection.execute("SELECT sqlcipher_export('encrypted')")
        connection.execute(f"PRAGMA encrypted.application_id = {int(application_id)}")
        connection.execute("COMMIT")
        connection.execute("DETACH DATABASE encrypted")
    finally:
        connection.close()


def error_code(exc: BaseException) -> int | None:
    """SQLite's result code of a driver error (either driver), if it has one."""
    code = getattr(exc, "sqlite_errorcode", None) if isinstance(exc, DRIVER_ERRORS) else None
    return code if isinstance(code, int) else None


def is_plain_header(head: bytes) -> bool:
    """Whether the first bytes of a file are those of a plain SQLite database."""
    return head == SQLITE_MAGIC


def may_be_encrypted(path: Path) -> bool:
    """Whether ``path`` could be an encrypted project (only its passphrase tells): not a
    plain SQLite file, whole pages long (as every SQLite file is) and starting with a salt,
    not with zeros (a plain file that lost its first page)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
        size = path.stat().st_size
    except OSError:
        return False
    return (
        len(head) == len(SQLITE_MAGIC)
        and not is_plain_header(head)
        and head.strip(b"\x00") != b""
        and size % 512 == 0
    )


def needs_passphrase(path: Path) -> PassphraseError:
    """The refusal of an encrypted file opened without a passphrase."""
    return PassphraseError(
        f"{path.name} is encrypted (or is not a Testimony Workbench project): "
        "it opens with its passphrase"
    )


def wrong_passphrase(path: Path) -> PassphraseError:
    """The refusal of a passphrase that does not decrypt the file."""
    return PassphraseError(f"{path.name}: wrong passphrase (or not a Testimony Workbench project)")


def not_encrypted(path: Path) -> PassphraseError:
    """The refusal of a passphrase given for a file that is not encrypted."""
    return PassphraseError(f"{path.name} is not encrypted: open it without a passphrase")
