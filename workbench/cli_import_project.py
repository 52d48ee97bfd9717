"""CLI command ``import-project`` (part of ``workbench.cli``; like it, it writes to stdout and
stderr deliberately): another project's work from a JSON export, a ``.qdpx`` or a ``.qdc``."""

# ruff: noqa: T201

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.project import Project
from workbench.text_safety import printable

EXIT_OK = 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``import-project`` to the CLI's subparsers."""
    cmd = sub.add_parser(
        "import-project",
        help="bring in a whole-project JSON export, a REFI-QDA project (.qdpx) or codebook (.qdc)",
    )
    cmd.add_argument("file", type=Path, metavar="FILE")


def run(project: Project, args: argparse.Namespace) -> int:
    """Import the file and say what came in."""
    report = project.project_import.import_file(args.file)
    users = ", ".join(printable(u) for u in report.users) or "none"
    print(
        f"imported {report.documents} document(s), {report.annotations} annotation(s), "
        f"{report.records} record(s) and {report.codes} code(s); annotators: {users}"
    )
    for note in report.notes:
        print(f"{printable(str(args.file))}: note: {printable(note)}", file=sys.stderr)
    return EXIT_OK
