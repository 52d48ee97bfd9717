"""CLI command ``agreement`` (part of ``workbench.cli``; like it, it writes to stdout and
stderr deliberately): ``workbench agreement [--document ID ...] [--format csv|xlsx]
[--output FILE]``, a readable table without ``--output``."""

# ruff: noqa: T201

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from pathlib import Path

from workbench.agreement.report import ALL_CODES, COLUMNS, Report, Row
from workbench.cli_options import add_redaction
from workbench.errors import InvalidInputError
from workbench.export.safe_csv import cell_text
from workbench.project import Project
from workbench.services.agreement import FORMATS, AgreementService
from workbench.text_safety import printable

EXIT_OK = 0
UNENCRYPTED_WARNING = (
    "warning: the project is encrypted, but the written file is not: keep it as safe as the project"
)
REAL_NAMES_WARNING = "warning: --no-redact: protected records' real names are shown"
CODE_WIDTH = 28


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``agreement`` to the CLI's subparsers."""
    cmd = sub.add_parser(
        "agreement",
        help="agreement between annotators: percentage, Cohen's kappa and Krippendorff's "
        "unitized alpha, per code and document",
    )
    cmd.add_argument(
        "--document", type=int, action="append", metavar="ID",
        help="only these documents (repeat for several; default: all)",
    )  # fmt: skip
    cmd.add_argument(
        "--compare", action="append", metavar="NAME",
        help="only these annotators (repeat; default: everyone with passages)",
    )  # fmt: skip
    cmd.add_argument(
        "--format", choices=FORMATS,
        help="write the table as CSV or XLSX (default: from the --output name)",
    )  # fmt: skip
    cmd.add_argument("--output", type=Path, metavar="FILE", help="the file to write")
    cmd.add_argument("--force", action="store_true", help="replace FILE if it exists")
    cmd.add_argument(
        "--no-neutralise", action="store_true",
        help="keep cells starting with = + - @ as they are (unsafe in spreadsheets)",
    )  # fmt: skip
    add_redaction(
        cmd,
        redact="protected records' names in titles as pseudonyms (the default when there are any)",
        no_redact="show protected records' real names (a warning says so)",
    )


def run(project: Project, args: argparse.Namespace) -> int:
    """Compute the agreement table and print or write it."""
    fmt = args.format or (_format_of(args.output) if args.output else None)
    if fmt == "xlsx" and args.output is None:
        raise InvalidInputError("an XLSX table needs --output FILE")
    service = AgreementService(project)
    if args.output is not None:
        project.exports.check_output(args.output, force=args.force)  # before the work
    report = service.redacted(service.compute(args.compare, args.document), args.redact)
    if args.redact is False and project.exports.redacts():
        print(REAL_NAMES_WARNING, file=sys.stderr)
    if args.output is not None:
        if project.encrypted:
            print(UNENCRYPTED_WARNING, file=sys.stderr)
        rows = service.write(report, fmt or "csv", args.output, force=args.force,
                             neutralise=not args.no_neutralise, redact=False)  # fmt: skip
        print(f"wrote {rows} row(s) to {printable(str(args.output))}", file=sys.stderr)
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        safe = not args.no_neutralise
        writer.writerows([cell_text(v, safe=safe) for v in r.cells()] for r in report.rows)
    else:
        print("\n".join(readable(report)))
    return EXIT_OK


def _format_of(output: Path) -> str:
    return "xlsx" if output.suffix.lower() == ".xlsx" else "csv"


def readable(report: Report) -> list[str]:
    """The table as text: a block per scope and set of annotators, reasons for n/a under
    each block."""
    lines: list[str] = []
    block: list[Row] = []
    for row in report.rows:
        if block and (row.document_id, row.annotators) != (block[0].document_id,
                                                           block[0].annotators):  # fmt: skip
            lines += [*_block(block), ""]
            block = []
        block.append(row)
    if block:
        lines += _block(block)
    return lines


def _block(rows: Sequence[Row]) -> list[str]:
    first = rows[0]
    who = " + ".join(printable(name) for name in first.annotators) or "nobody"
    if first.document_id is None:
        title = f"Corpus ({printable(first.document_title)})" if first.document_title else "Corpus"
    else:
        title = f"Document {first.document_id} “{printable(first.document_title)}”"
    width = min(CODE_WIDTH, max(len(ALL_CODES), *(len(printable(r.code or "")) for r in rows)))
    lines = [f"{title} — {who}",
             f"  {'code':<{width}}  {'code points':>12}  {'agreement':>9}  {'kappa':>7}  "
             f"{'alpha_u':>7}"]  # fmt: skip
    for row in rows:
        code = printable(row.code) if row.code else ALL_CODES
        code = code if len(code) <= width else code[: width - 1] + "…"
        percent = "n/a" if row.agreement.value is None else f"{row.agreement.value:.1f} %"
        lines.append(f"  {code:<{width}}  {row.code_points:>12,}  {percent:>9}  "
                     f"{row.kappa.text():>7}  {row.alpha_u.text():>7}")  # fmt: skip
    reasons = dict.fromkeys(reason for row in rows for reason in row.note.split("; ") if reason)
    lines += [f"  n/a: {reason}" for reason in reasons]
    return lines
