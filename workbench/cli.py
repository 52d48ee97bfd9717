"""The command-line interface: ``workbench [--project FILE] <command> ...``."""

from __future__ import annotations

import argparse
import logging
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from workbench import (
    cli_agreement,
    cli_backup,
    cli_copy,
    cli_documents,
    cli_encryption,
    cli_export,
    cli_import_project,
    cli_merge,
    cli_protect,
    cli_roles,
)
from workbench.domain import Progress
from workbench.errors import WorkbenchError
from workbench.importers import ImportLimits
from workbench.project import Project
from workbench.services.documents import ImportOptions, ImportReport
from workbench.services.extraction import describe_counts
from workbench.storage.lock import LockOwner
from workbench.text_safety import printable

passphrase_for = cli_encryption.passphrase_for

GuiLauncher = Callable[[Path | str], int]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImageRequest:
    """A timeline image to draw: ``workbench export timeline --format png|svg``."""

    fmt: str
    output: Path
    width: int
    height: int
    lanes: str
    redact: bool | None = None  # as ``ExportRequest.redact``


# Draws the timeline image; returns how many dated records it drew.
ImageRenderer = Callable[[Project, ImageRequest], int]
EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
DEFAULT_WAIT = 10.0  # seconds a command waits for a project open elsewhere
BUSY_WAIT = 5.0  # at least this long for another program writing to the file


def _iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date as YYYY-MM-DD") from None


def _language(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
        raise argparse.ArgumentTypeError(f"'{value}' is not a language code such as 'en' or 'uk'")
    return value.lower()


def _megabytes(value: str) -> int:
    try:
        size = float(value)
    except ValueError:
        size = -1
    if size <= 0:
        raise argparse.ArgumentTypeError(f"'{value}' is not a positive size in MB")
    return int(size * 1024 * 1024)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1
    if not 0 <= seconds <= 86_400:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of seconds (0 to 86400)")
    return seconds


def _waiting(path: Path, wait: float) -> Callable[[LockOwner | None], None]:
    """Say once, on stderr, that the command waits for the project's owner."""

    def say(owner: LockOwner | None) -> None:
        who = owner.describe() if owner else "another program"
        print(f"waiting up to {wait:g} s for {printable(who)} to close {printable(path.name)} …",
              file=sys.stderr)  # fmt: skip

    return say


def _nonnegative(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number >= 0")
    return int(value)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the CLI contract in ARCHITECTURE.md."""
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Testimony Workbench: turn testimonies and reports into evidence records.",
    )
    parser.add_argument(
        "--project",
        type=cli_copy.location,
        help="project file or postgresql://user@host/database address "
        "(default: $WORKBENCH_PROJECT or the user data folder)",
    )
    parser.add_argument("--annotator", help="name recorded with your changes")
    parser.add_argument(
        "--wait",
        type=_seconds,
        default=DEFAULT_WAIT,
        metavar="SECONDS",
        help=f"if the project is open elsewhere, wait this long for it (default: {DEFAULT_WAIT:g})",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    imp = sub.add_parser("import", help="import files or folders (txt, md, html, docx, pdf)")
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    imp.add_argument("--published", type=_iso_date, help="publication date, YYYY-MM-DD")
    imp.add_argument("--title", help="document title (default: from the file)")
    imp.add_argument("--source", help="source URL or reference")
    imp.add_argument("--outlet", help="publication or site the documents come from")
    imp.add_argument(
        "--no-detect-date",
        dest="detect_published",
        action="store_false",
        help="do not read the published date from the text's dateline or byline",
    )
    imp.add_argument("--language", type=_language, help="language code (default: detected)")
    imp.add_argument(
        "--max-size",
        type=_megabytes,
        default=ImportLimits().max_bytes,
        metavar="MB",
        help="refuse files larger than this (default: 100)",
    )

    ext = sub.add_parser("extract", help="suggest records from documents")
    ext.add_argument("--document", type=int, action="append", metavar="ID")

    ann = sub.add_parser("annotate", help="annotate a span of a document")
    ann.add_argument("document_id", type=int, metavar="DOCUMENT_ID")
    ann.add_argument("start", type=_nonnegative, metavar="START")
    ann.add_argument("end", type=_nonnegative, metavar="END")
    ann.add_argument("--type", required=True, help="record type or code, e.g. person")
    ann.add_argument("--label", help="record label (default: the quoted text)")
    ann.add_argument("--note", default="", help="note on the annotation")

    lst = sub.add_parser("list", help="list documents or records")
    lst.add_argument("what", choices=("documents", "records"))
    lst.add_argument("--type", help="only records of this type")
    lst.add_argument("--status", choices=("suggested", "accepted", "rejected"))

    cli_export.add_parser(sub)
    cli_import_project.add_parser(sub)
    cli_documents.add_parser(sub, _iso_date)
    cli_protect.add_parser(sub)
    cli_merge.add_parser(sub)
    cli_agreement.add_parser(sub)
    cli_backup.add_parsers(sub)
    cli_copy.add_parser(sub)
    cli_roles.add_parser(sub)
    cli_encryption.add_parsers(sub)
    sub.add_parser("gui", help="open the desktop application")
    return parser


def _print_import(report: ImportReport) -> None:
    for info in report.imported:
        lang = printable(info.language or "language unknown")
        size = f"{info.chars:,} characters, {lang}"
        name, title = printable(info.original_name), printable(info.title)
        print(f"imported {info.id}\t{name}\t“{title}” ({size})")
    for note in report.notes:
        print(f"{printable(str(note.path))}: note: {printable(note.message)}", file=sys.stderr)
    for refusal in report.refused:
        path, message = printable(str(refusal.path)), printable(refusal.message)
        print(f"{path}: refused: {message}", file=sys.stderr)
    tried = len(report.imported) + len(report.refused)
    summary = f"imported {len(report.imported)} of {tried}; {len(report.refused)} refused"
    if report.skipped:
        summary += f"; {report.skipped} unsupported file(s) in folders skipped"
    if report.cancelled:
        summary += "; stopped before the end"
    print(summary, file=sys.stderr)


@contextmanager
def _progress_bar(unit: str) -> Iterator[Progress]:
    """A progress bar on stderr (only on a terminal) fed by the core's progress callback."""
    from tqdm import tqdm  # noqa: PLC0415 - only the long commands need it

    with tqdm(unit=unit, file=sys.stderr, disable=None, leave=False) as bar:

        def progress(done: int, total: int, label: str) -> None:
            bar.total = total
            bar.n = done
            bar.set_postfix_str(label[:40], refresh=True)

        yield progress


def _run_import(project: Project, args: argparse.Namespace) -> int:
    options = ImportOptions(
        published=args.published,
        title=args.title,
        source=args.source,
        outlet=args.outlet,
        language=args.language,
        detect_published=args.detect_published,
        limits=ImportLimits(max_bytes=args.max_size),
    )
    with _progress_bar("file") as progress:
        report = project.documents.import_paths(args.paths, options, progress=progress)
    _print_import(report)
    return EXIT_REFUSED if report.refused else EXIT_OK


def _run_extract(project: Project, args: argparse.Namespace) -> int:
    cancel = threading.Event()

    def on_interrupt(_signum: int, _frame: object) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt  # every piece stored so far is committed: it stays
        cancel.set()
        print("\nstopping; every piece stored so far is kept", file=sys.stderr)

    from workbench.services.extraction_processes import run_in_processes  # noqa: PLC0415

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        with _progress_bar("doc") as progress:
            report = run_in_processes(project.extraction, args.document, progress, cancel)
    finally:
        signal.signal(signal.SIGINT, previous)
    for doc_id, note in report.notes:
        print(f"document {doc_id}: note: {printable(note)}", file=sys.stderr)
    counts = describe_counts(report.added)
    state = "stopped early; kept" if report.cancelled else "done"
    pieces = f" and {report.pieces_kept} piece(s) of others" if report.pieces_kept else ""
    print(f"extract {state}: {report.documents} document(s){pieces}; suggested {counts}")
    return EXIT_OK


def _run_list(project: Project, args: argparse.Namespace) -> int:
    if args.what == "documents":
        if args.type or args.status:
            raise WorkbenchError("--type and --status apply to 'list records' only")
        for d in project.documents.list():
            columns = (d.published or "-", d.language or "-", str(d.chars), d.title)
            print("\t".join([str(d.id), *map(printable, columns)]))
        return EXIT_OK
    for r in project.records.list(type_name=args.type, status=args.status):
        fields = (r.type, r.status, str(r.evidence_count), r.label, r.date_edtf or "")
        print("\t".join([str(r.id), *map(printable, fields)]).rstrip())
    return EXIT_OK


def _run_annotate(project: Project, args: argparse.Namespace) -> int:
    # the window's entry point too: one way to annotate, whoever asks
    result = project.review.annotate(
        args.document_id, args.start, args.end, args.type, label=args.label, note=args.note
    )
    added = result.changes.added["annotation"]
    for info in project.annotations.for_document(args.document_id):
        if info.id in added:
            records = ", ".join(str(r) for r in info.record_ids) or "none"
            span = f"{info.start}-{info.end}"
            quote = printable(info.quote)  # document text: a crafted one could drive the terminal
            code = printable(info.code)
            print(f"annotation {info.id}\t{code}\t{span}\trecord {records}\t“{quote}”")
    return EXIT_OK


def _image_export(render: ImageRenderer | None) -> cli_export.ImageExport | None:
    """The timeline image export, when the application gave its renderer."""
    if render is None:
        return None

    def draw(project: Project, args: argparse.Namespace) -> int:
        request = ImageRequest(args.format, args.output, args.width, args.height, args.lanes,
                               args.redact)  # fmt: skip
        return render(project, request)

    return draw


def main(
    argv: Sequence[str] | None = None,
    launch_gui: GuiLauncher | None = None,
    render_image: ImageRenderer | None = None,
) -> int:
    """Run one CLI command; ``launch_gui`` and ``render_image`` (timeline PNG/SVG) are given
    by the application entry point, which may load Qt."""
    args = build_parser().parse_args(argv)
    cli_encryption.take_environment()  # no process this one starts inherits them
    path: Path | str = args.project or cli_copy.default_location()
    if args.command == cli_roles.COMMAND:  # prints SQL; opens no project
        return cli_roles.run(args)
    if isinstance(path, str) and (refusal := cli_copy.file_only(args.command)):
        print(f"error: {refusal}", file=sys.stderr)
        return EXIT_REFUSED
    if args.command == "gui":
        if launch_gui is None:
            print(
                "the desktop application is not available here; run 'python main.py'",
                file=sys.stderr,
            )
            return EXIT_REFUSED
        return launch_gui(path)
    try:
        if args.command == "copy":
            with _progress_bar("row") as progress:
                return cli_copy.run(args, progress)
        if args.command in cli_backup.COMMANDS:
            return cli_backup.run(Path(path), args, _waiting(Path(path), args.wait))
        if args.command in cli_encryption.COMMANDS:
            return cli_encryption.run(Path(path), args, _waiting(Path(path), args.wait))
        with Project(
            path, actor=args.annotator, app="the workbench command line",
            wait=args.wait, on_wait=_waiting(Path(path), args.wait),
            busy_wait=max(args.wait, BUSY_WAIT),
            passphrase=passphrase_for(path) if isinstance(path, Path) else None,
            password=cli_copy.typed_password,
        ) as project:  # fmt: skip
            handler = {
                "import": _run_import,
                "list": _run_list,
                "annotate": _run_annotate,
                "export": lambda p, a: cli_export.run(p, a, _image_export(render_image)),
                "extract": _run_extract,
                "document": cli_documents.run,
                "import-project": cli_import_project.run,
                "agreement": cli_agreement.run,
                "protect": cli_protect.run,
                "merge": cli_merge.run,
            }[args.command]
            return handler(project, args)
    except WorkbenchError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("interrupted; everything finished before the interruption is kept", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # the last line of defence: never a traceback
        if os.environ.get("WORKBENCH_DEBUG"):
            raise
        log.debug("unexpected failure", exc_info=True)
        print(
            f"error: an unexpected {type(exc).__name__} stopped the command; what it finished "
            "is kept (set WORKBENCH_DEBUG=1 to see the details)",
            file=sys.stderr,
        )
        return EXIT_REFUSED


if __name__ == "__main__":
    sys.exit(main())
