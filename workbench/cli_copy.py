"""CLI command ``copy SOURCE DESTINATION`` and how the CLI names a project on a server
(part of ``workbench.cli``; like it, it writes to stdout and stderr deliberately).

``--project`` and ``$WORKBENCH_PROJECT`` take a file or a ``postgresql://user@host/db``
address. A server's password comes from the address, ``PGPASSWORD`` or ``~/.pgpass`` (the
driver reads them), else it is typed at a prompt that does not echo when stdin is a
terminal; it is never printed.
"""

# ruff: noqa: T201

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from workbench.cli_encryption import passphrase_for
from workbench.domain import Progress
from workbench.paths import default_project_path
from workbench.project import Project
from workbench.storage.postgres import is_server, server_url, where
from workbench.storage.transfer import copy_project
from workbench.text_safety import printable

# Commands that work on a project file only, and what a server project's user is told.
_FILE_ONLY = {
    "backup": "a project on a server is backed up by its administrator (pg_dump), or "
    "copied into a file with 'workbench copy'",
    "restore": "restore a server project by copying a file onto a new database with "
    "'workbench copy FILE postgresql://…'",
    "verify": "'verify' checks project files; the server checks its own database",
    "salvage": "'salvage' reads project files only",
    "new": "'new' makes a project file; an empty database becomes a project when first opened",
    "encrypt": "a project on a server is not encrypted by the workbench; the server and the "
    "network protect it (TLS: add ?sslmode=require to the address)",
    "passphrase": "a project on a server has no passphrase; its password is the server's",
}


def location(value: str) -> Path | str:
    """A ``--project`` value: a file path, or a ``postgresql://`` address kept as given."""
    return value if is_server(value) else Path(value).expanduser()


def default_location() -> Path | str:
    """$WORKBENCH_PROJECT (a file or an address), else the user data folder's project."""
    env = os.environ.get("WORKBENCH_PROJECT")
    return location(env) if env else default_project_path()


def file_only(command: str) -> str | None:
    """Why ``command`` cannot run on a project on a server (it works on files only)."""
    return _FILE_ONLY.get(command)


def typed_password() -> str | None:
    """The server's password typed at the terminal without echo (None without one)."""
    if sys.stdin is None or not sys.stdin.isatty():
        return None
    try:
        return getpass.getpass("password for the project's server: ")
    except EOFError:
        return None


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``copy`` to the CLI's subparsers."""
    copy = sub.add_parser(
        "copy",
        help="copy a whole project between a file and a postgresql:// database, either way",
    )
    copy.add_argument("source", type=location, metavar="SOURCE", help="a project file or address")
    copy.add_argument(
        "destination",
        type=location,
        metavar="DESTINATION",
        help="a new file, or an empty database's postgresql:// address",
    )


def _name(project: Path | str) -> str:
    return where(server_url(project)) if isinstance(project, str) else str(project)


def run(args: argparse.Namespace, progress: Progress | None = None) -> int:
    """Copy the project at ``args.source`` into a new one at ``args.destination``, telling
    ``progress`` (a bar on a terminal) how far it is."""
    source: Path | str = args.source
    destination: Path | str = args.destination
    if _same(source, destination):
        print("error: the source and the destination are the same project", file=sys.stderr)
        return 1
    passphrase = passphrase_for(source) if isinstance(source, Path) else None
    with Project(
        source, actor=args.annotator, app="the workbench command line", create=False,
        wait=args.wait, passphrase=passphrase, password=typed_password,
    ) as project:  # fmt: skip
        report = copy_project(
            project.engine, destination, app="the workbench command line",
            password=typed_password, progress=progress,
        )  # fmt: skip
    counts = ", ".join(
        f"{report.count(table)} {label}"
        for table, label in (
            ("documents", "documents"), ("records", "records"),
            ("annotations", "annotations"), ("audit_log", "audit entries"),
        )
    )  # fmt: skip
    print(f"copied {printable(_name(source))} into {printable(report.destination)}: {counts}")
    if passphrase is not None:
        print(
            "note: the copy is not encrypted (a server's protection is its own; a file can be "
            "encrypted with 'workbench --project FILE encrypt OUTPUT')",
            file=sys.stderr,
        )
    return 0


def _same(source: Path | str, destination: Path | str) -> bool:
    if isinstance(source, Path) and isinstance(destination, Path):
        return source.expanduser().resolve() == destination.expanduser().resolve()
    if isinstance(source, str) and isinstance(destination, str):
        a, b = server_url(source), server_url(destination)
        return (a.host, a.port, a.database, a.query.get("host")) == (
            b.host, b.port, b.database, b.query.get("host"),
        )  # fmt: skip
    return False
