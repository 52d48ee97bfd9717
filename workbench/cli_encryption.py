"""CLI commands ``new``, ``encrypt`` and ``passphrase``, and how every command gets the
passphrase of an encrypted project (part of ``workbench.cli``; like it, they write to stdout
and stderr deliberately).

A passphrase is read from ``WORKBENCH_PASSPHRASE`` (a new one for ``passphrase`` from
``WORKBENCH_NEW_PASSPHRASE``), else typed at a prompt that does not echo when stdin is a
terminal (a new one twice); with neither, the command is refused in one line. It is never
taken from an argument: argument lists are visible to every user of the machine. Both
variables are moved out of the environment when a command starts (``take_environment``), so
no process it starts (the extraction workers) inherits them, whether the project is
encrypted or not.
"""

# ruff: noqa: T201

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path

from workbench.errors import ProjectError
from workbench.project import Project
from workbench.storage.cipher import Passphrase, PassphraseError, may_be_encrypted
from workbench.storage.encrypt import encrypt_copy, plaintext_files, remove_plaintext
from workbench.storage.lock import LockOwner
from workbench.text_safety import printable

COMMANDS = ("new", "encrypt", "passphrase")
PASSPHRASE_ENV = "WORKBENCH_PASSPHRASE"  # noqa: S105 - the variable's name
NEW_PASSPHRASE_ENV = "WORKBENCH_NEW_PASSPHRASE"  # noqa: S105
OnWait = Callable[[LockOwner | None], None]
NO_RECOVERY = (
    "keep the passphrase safe: without it the project cannot be opened, and there is no "
    "way to recover it"
)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``new``, ``encrypt`` and ``passphrase`` to the CLI's subparsers."""
    new = sub.add_parser("new", help="create a new project file (encrypted with --encrypt)")
    new.add_argument("file", type=Path, metavar="FILE")
    new.add_argument(
        "--encrypt",
        action="store_true",
        help=f"encrypt it with a passphrase (${PASSPHRASE_ENV}, or typed twice)",
    )
    enc = sub.add_parser(
        "encrypt", help="write the project encrypted with a passphrase into a new file"
    )
    enc.add_argument("output", type=Path, metavar="OUTPUT")
    enc.add_argument(
        "--remove-original",
        action="store_true",
        help="then overwrite the plain project, its -wal and its plain backups with zeros "
        "and delete them (not a guarantee on SSDs and copy-on-write file systems)",
    )
    sub.add_parser(
        "passphrase",
        help=f"change the passphrase of an encrypted project (the new one from "
        f"${NEW_PASSPHRASE_ENV}, or typed twice)",
    )


def _typed(prompt: str) -> str:
    """A line typed at the terminal without echo."""
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise PassphraseError("no passphrase was typed") from None


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


_GIVEN: dict[str, str] = {}  # this command's passphrases, taken out of the environment


def take_environment() -> None:
    """Move ``WORKBENCH_PASSPHRASE`` and ``WORKBENCH_NEW_PASSPHRASE`` out of the environment
    into this command's own keeping (what an earlier command was given is forgotten)."""
    _GIVEN.clear()
    for variable in (PASSPHRASE_ENV, NEW_PASSPHRASE_ENV):
        secret = os.environ.pop(variable, None)
        if secret:
            _GIVEN[variable] = secret


def _given(variable: str, refusal: str) -> Passphrase | None:
    """The passphrase given in ``$variable`` (removed from the environment); None when it
    is to be typed instead; ``refusal`` when it can be neither."""
    secret = _GIVEN.get(variable) or os.environ.pop(variable, None)
    if secret:
        return Passphrase(secret)
    if not _interactive():
        raise PassphraseError(refusal)
    return None


def passphrase_for(path: Path) -> Passphrase | None:
    """The passphrase of the project (or backup) at ``path`` when it may be encrypted (None
    when it is not): ``$WORKBENCH_PASSPHRASE``, else typed; refused when neither can be."""
    if not may_be_encrypted(path.expanduser()):
        return None
    refusal = (
        f"{path.name} is encrypted (or is not a Testimony Workbench project): set "
        f"{PASSPHRASE_ENV} or run the command in a terminal to type its passphrase"
    )
    given = _given(PASSPHRASE_ENV, refusal)
    return given or Passphrase(_typed(f"Passphrase for {printable(path.name)}: "))


def new_passphrase(variable: str, what: str) -> Passphrase:
    """A new passphrase: ``$variable``, else typed twice (the same both times)."""
    refusal = (
        f"{what} needs a new passphrase: set {variable} or run the command in a terminal to type it"
    )
    given = _given(variable, refusal)
    if given is not None:
        return given
    first = Passphrase(_typed("New passphrase: "))
    if Passphrase(_typed("The same passphrase again: ")) != first:
        raise PassphraseError("the two passphrases differ; nothing was changed")
    return first


def run(path: Path, args: argparse.Namespace, on_wait: OnWait) -> int:
    """Run one of ``COMMANDS``; ``WorkbenchError`` is left to the caller's one-line report."""
    if args.command == "new":
        return _new(args)
    if args.command == "encrypt":
        return _encrypt(path, args, on_wait)
    return _passphrase(path, args, on_wait)


def _new(args: argparse.Namespace) -> int:
    path: Path = args.file.expanduser()
    if path.exists() and path.stat().st_size > 0:
        raise ProjectError(f"{path} exists; open it with --project, or name a new file")
    key = new_passphrase(PASSPHRASE_ENV, f"encrypting {path.name}") if args.encrypt else None
    with Project(
        path, actor=args.annotator, app="the workbench command line", passphrase=key
    ) as project:
        kind = "encrypted project" if project.encrypted else "project"
    print(f"created {kind} {printable(str(project.path))}")
    if key is not None:
        print(NO_RECOVERY, file=sys.stderr)
    return 0


def _encrypt(path: Path, args: argparse.Namespace, on_wait: OnWait) -> int:
    if may_be_encrypted(path.expanduser()):
        raise ProjectError(
            f"{path.name} is encrypted already: change its passphrase with 'workbench passphrase'"
        )
    output: Path = args.output.expanduser().absolute()
    if output.exists():
        raise ProjectError(f"{output} exists; choose a new file for the encrypted project")
    with Project(
        path, actor=args.annotator, create=False, app="the workbench command line",
        wait=args.wait, on_wait=on_wait,
    ) as project:  # fmt: skip
        key = new_passphrase(PASSPHRASE_ENV, f"encrypting {path.name}")
        project.engine.dispose()  # the WAL is checkpointed into the file; the lock stays
        copy = encrypt_copy(project.path, output, key)
        print(f"encrypted {printable(project.path.name)} into {printable(str(copy.path))}")
        print(NO_RECOVERY, file=sys.stderr)
        if args.remove_original:
            removed = remove_plaintext(project.path)  # still under the project's lock
            print(
                f"overwrote with zeros and deleted {len(removed)} plain file(s): "
                + ", ".join(printable(p.name) for p in removed),
                file=sys.stderr,
            )
            return 0
        left = plaintext_files(project.path)
    print(
        f"the plain original still exists: {printable(str(path))}"
        + (f" and {len(left) - 1} plain backup or journal file(s)" if len(left) > 1 else "")
        + "; run 'encrypt' with --remove-original to have the plain files overwritten with "
        "zeros and deleted",
        file=sys.stderr,
    )
    return 0


def _passphrase(path: Path, args: argparse.Namespace, on_wait: OnWait) -> int:
    old = passphrase_for(path)
    if old is None:
        raise ProjectError(
            f"{path.name} is not encrypted: write an encrypted copy with 'workbench encrypt'"
        )
    with Project(
        path, actor=args.annotator, create=False, app="the workbench command line",
        wait=args.wait, on_wait=on_wait, passphrase=old,
    ) as project:  # fmt: skip
        new = new_passphrase(NEW_PASSPHRASE_ENV, f"changing the passphrase of {path.name}")
        project.change_passphrase(new)
    print(f"changed the passphrase of {printable(project.path.name)}")
    print("its backups made before keep the old passphrase", file=sys.stderr)
    return 0
