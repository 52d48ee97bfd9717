"""CLI command ``export`` (part of ``workbench.cli``; like it, it writes to stderr
deliberately): ``workbench export WHAT --format F --output FILE`` with the selection and
options of the window's Export dialog."""

# ruff: noqa: T201

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from workbench.cli_options import add_redaction
from workbench.domain import STATUSES, as_status
from workbench.errors import InvalidInputError
from workbench.export import registry
from workbench.export.model import ExportRequest, Selection, WriteOptions
from workbench.project import Project
from workbench.text_safety import printable

EXIT_OK = 0
WHATS = ("records", "annotations", "timeline", "documents", "codebook", "project", "report")
IMAGE_FORMATS = ("png", "svg")
ImageExport = Callable[[Project, argparse.Namespace], int]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``export`` to the CLI's subparsers."""
    exp = sub.add_parser("export", help="export records, annotations, the timeline, documents, "
                         "the codebook, the whole project or a report")  # fmt: skip
    exp.add_argument("what", choices=WHATS)
    # every registered format (main.py names the ones Qt draws before the parser is built)
    formats = tuple(dict.fromkeys([*registry.formats(), *IMAGE_FORMATS]))
    exp.add_argument("--format", required=True, choices=formats)
    exp.add_argument("--output", required=True, type=Path, metavar="FILE")
    exp.add_argument("--type", help="only records (or passages) of this type or code")
    exp.add_argument("--status", choices=STATUSES, help="only records in this state")
    exp.add_argument("--document", type=int, action="append", metavar="ID",
                     help="only what these documents hold (repeat for several)")  # fmt: skip
    exp.add_argument("--bom", action="store_true", help="UTF-8 with a byte order mark (Excel)")
    exp.add_argument("--force", action="store_true", help="replace FILE if it exists")
    exp.add_argument(
        "--no-neutralise",
        action="store_true",
        help="keep cells starting with = + - @ as they are (unsafe in spreadsheets)",
    )
    exp.add_argument(
        "--no-text",
        action="store_true",
        help="leave documents' full text out of a whole-project export",
    )
    add_redaction(
        exp,
        redact="protected records under their pseudonyms (the default when there are any)",
        no_redact="export protected records' real names (a warning says so)",
    )
    exp.add_argument("--width", type=int, default=1600, help="image width in pixels (png, svg)")
    exp.add_argument("--height", type=int, default=900,
                     help="least image height in pixels (png, svg): taller when the lanes, "
                     "the records without a year and the legend need it")  # fmt: skip
    exp.add_argument("--lanes", choices=("event_type", "person", "place", "document"),
                     default="event_type", help="timeline image lanes (png, svg)")  # fmt: skip


def request_of(args: argparse.Namespace) -> ExportRequest:
    """The export the arguments describe."""
    statuses = frozenset({as_status(args.status)}) if args.status else frozenset(STATUSES)
    documents = frozenset(args.document) if args.document else None
    selection = Selection(document_ids=documents, type_name=args.type, statuses=statuses)
    options = WriteOptions(
        neutralise=not args.no_neutralise, bom=args.bom, include_text=not args.no_text
    )
    return ExportRequest(args.what, args.format, args.output, selection, options, args.force,
                         args.redact)  # fmt: skip


REAL_NAMES_WARNING = "warning: --no-redact: protected records are exported under their real names"


UNENCRYPTED_WARNING = (
    "warning: the project is encrypted, but the exported file is not: keep it as safe as "
    "the project"
)


def run(project: Project, args: argparse.Namespace, images: ImageExport | None) -> int:
    """Carry out one export and say what was written (and, for an encrypted project, that
    the file written is not encrypted)."""
    if project.encrypted:
        print(UNENCRYPTED_WARNING, file=sys.stderr)
    if args.redact is False and project.exports.redacts():
        print(REAL_NAMES_WARNING, file=sys.stderr)
    if args.format in IMAGE_FORMATS:
        if args.what != "timeline":
            raise InvalidInputError(f"only the timeline exports as {args.format}")
        if images is None:
            raise InvalidInputError(
                "image export needs the desktop application's libraries; run 'workbench' or "
                "'python main.py'"
            )
        project.exports.check_output(args.output, force=args.force)
        drawn = images(project, args)
        print(f"drew {drawn} dated record(s) into {printable(str(args.output))}", file=sys.stderr)
        return EXIT_OK
    rows = project.exports.run(request_of(args))
    print(f"wrote {rows} row(s) to {printable(str(args.output))}", file=sys.stderr)
    return EXIT_OK
