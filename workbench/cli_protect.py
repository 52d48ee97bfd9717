"""CLI command ``protect`` (part of ``workbench.cli``; like it, it writes to stdout and
stderr deliberately): ``workbench protect RECORD_ID... [--off]``."""

# ruff: noqa: T201

from __future__ import annotations

import argparse
import sys

from sqlalchemy import select

from workbench.project import Project
from workbench.storage.models import Record
from workbench.text_safety import printable

EXIT_OK, EXIT_REFUSED = 0, 1


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``protect`` to the CLI's subparsers."""
    cmd = sub.add_parser(
        "protect",
        help="keep records out of exports under a pseudonym (Person A, Place B); "
        "--off releases them",
    )
    cmd.add_argument("record_ids", type=int, nargs="+", metavar="RECORD_ID")
    cmd.add_argument("--off", action="store_true", help="release the records (names exported)")


def run(project: Project, args: argparse.Namespace) -> int:
    """Protect (or release) the records that exist as one step; each unknown id is one line
    on stderr and the exit status 1."""
    wanted = list(dict.fromkeys(args.record_ids))
    with project.session() as session:
        found = set(session.scalars(select(Record.id).where(Record.id.in_(wanted))))
    for missing in (i for i in wanted if i not in found):
        print(f"error: no record with id {missing}", file=sys.stderr)
    known = [i for i in wanted if i in found]
    if known:
        project.records.protect(known, protected=not args.off)
        for info in project.records.list(record_ids=known):
            state = f"protected as {info.pseudonym}" if info.protected else "not protected"
            if not info.protected and info.pseudonym:
                state += f" (keeps {info.pseudonym} for the next time)"
            print(f"record {info.id}\t{printable(info.label)}\t{state}")
    return EXIT_REFUSED if len(known) < len(wanted) else EXIT_OK
