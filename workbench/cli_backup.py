"""CLI commands ``backup``, ``restore``, ``verify`` and ``salvage`` (part of
``workbench.cli``; like it, they write to stdout and stderr deliberately)."""

# ruff: noqa: T201

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from workbench.cli_encryption import passphrase_for
from workbench.project import Project, default_actor
from workbench.services.backups import BackupService
from workbench.services.codebook import seed_codebook
from workbench.storage.backup import MAX_KEEP, backups_folder
from workbench.storage.lock import LockOwner
from workbench.storage.restore import restore_backup
from workbench.storage.salvage import salvage, salvage_path
from workbench.storage.verify import verify_file
from workbench.text_safety import printable

COMMANDS = ("backup", "restore", "verify", "salvage")
OnWait = Callable[[LockOwner | None], None]


def _keep(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= MAX_KEEP:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number from 1 to {MAX_KEEP}")
    return int(value)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the three commands to the CLI's subparsers."""
    backup = sub.add_parser("backup", help="back up the project (into NAME.twb-backups/)")
    backup.add_argument(
        "--output", type=Path, metavar="FILE", help="write the backup to this new file instead"
    )
    backup.add_argument(
        "--keep",
        type=_keep,
        metavar="N",
        help="rolling backups to keep (default: $WORKBENCH_BACKUPS_KEEP, else 10)",
    )
    restore = sub.add_parser("restore", help="restore a backup into a new project file")
    restore.add_argument("backup", type=Path, metavar="BACKUP")
    restore.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="a new file (default: NAME-restored-TIME.twb beside the project), or the "
        "project itself when nothing has it open",
    )
    sub.add_parser("verify", help="check the project file for damage, one line per problem")
    salvage_cmd = sub.add_parser(
        "salvage", help="copy what can still be read of a damaged project into a new file"
    )
    salvage_cmd.add_argument(
        "--output", type=Path, metavar="FILE",
        help="the new project file (default: NAME-salvaged-TIME.twb beside the project)",
    )  # fmt: skip


def run(path: Path, args: argparse.Namespace, on_wait: OnWait) -> int:
    """Run one of ``COMMANDS``; ``WorkbenchError`` is left to the caller's one-line report."""
    if args.command == "backup":
        return _backup(path, args, on_wait)
    if args.command == "restore":
        return _restore(path, args, on_wait)
    if args.command == "salvage":
        return _salvage(path, args)
    return _verify(path, args, on_wait)


def _salvage(path: Path, args: argparse.Namespace) -> int:
    source = path.expanduser().absolute()
    target = args.output or salvage_path(source)
    actor = args.annotator or default_actor()
    key = passphrase_for(source)
    report = salvage(source, target, seed=lambda conn: seed_codebook(conn, actor), key=key)
    print(f"{printable(report.summary())} into {printable(str(target))}")
    for line in report.unreadable:
        print(f"{printable(path.name)}: {printable(line)}", file=sys.stderr)
    return 0 if report.complete else 1


def _backup(path: Path, args: argparse.Namespace, on_wait: OnWait) -> int:
    with Project(
        path, actor=args.annotator, create=False, app="the workbench command line",
        wait=args.wait, on_wait=on_wait, passphrase=passphrase_for(path),
    ) as project:  # fmt: skip
        info = BackupService(project, keep=args.keep).back_up(args.output)
    print(f"backed up {printable(project.path.name)} to {printable(str(info.path))}")
    return 0


def _restore(path: Path, args: argparse.Namespace, on_wait: OnWait) -> int:
    backup: Path = args.backup
    in_folder = backups_folder(path.expanduser().absolute()) / backup.name
    if not backup.exists() and backup.name == str(backup) and in_folder.exists():
        backup = in_folder  # a bare name from the project's backups folder
    key = passphrase_for(backup)
    restored = restore_backup(backup, path, args.output, wait=args.wait, on_wait=on_wait, key=key)
    print(f"restored {printable(backup.name)} into {printable(str(restored.path))}")
    if restored.replaced is not None:
        kept = printable(str(restored.replaced))
        print(f"the project file it replaced is kept as {kept}", file=sys.stderr)
    return 0


def _verify(path: Path, args: argparse.Namespace, on_wait: OnWait) -> int:
    checks = verify_file(path, wait=args.wait, on_wait=on_wait, key=passphrase_for(path))
    name = printable(path.name)
    for check in checks:
        if not check.problems:
            print(f"ok: {printable(check.ok)}")
        for problem in check.problems:
            print(f"{name}: {printable(problem)}", file=sys.stderr)
    failed = sum(1 for check in checks if check.problems)
    if failed:
        print(f"verify: {failed} of {len(checks)} checks found problems", file=sys.stderr)
        return 1
    return 0
