"""CLI command ``document delete|rename|set`` (part of ``workbench.cli``; like it, it writes
to stdout and stderr deliberately)."""

# ruff: noqa: T201

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from workbench.domain import DocumentId
from workbench.errors import InvalidInputError
from workbench.project import Project
from workbench.text_safety import printable

EXIT_OK = 0


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    iso_date: Callable[[str], str],
) -> None:
    """Add ``document`` and its three actions to the CLI's subparsers."""
    document = sub.add_parser("document", help="delete, rename or describe documents")
    actions = document.add_subparsers(dest="action", required=True, metavar="ACTION")
    delete = actions.add_parser(
        "delete", help="delete documents with their annotations (records found elsewhere stay)"
    )
    delete.add_argument("ids", nargs="+", type=int, metavar="ID")
    rename = actions.add_parser("rename", help="give a document a new title")
    rename.add_argument("id", type=int, metavar="ID")
    rename.add_argument("title", metavar="TITLE")
    describe = actions.add_parser(
        "set", help="set documents' published date, title, source or outlet"
    )
    describe.add_argument("ids", nargs="+", type=int, metavar="ID")
    describe.add_argument(
        "--published",
        type=iso_date,
        help="publication date, YYYY-MM-DD (year-less dates of its records are read again)",
    )
    describe.add_argument("--title")
    describe.add_argument("--source", help="source URL or reference")
    describe.add_argument("--outlet", help="publication or site")
    describe.add_argument(
        "--redate-accepted",
        action="store_true",
        help="with --published: re-date accepted records too (suggestions always are)",
    )


def run(project: Project, args: argparse.Namespace) -> int:
    """Carry out one ``document`` action."""
    return {"delete": _delete, "rename": _rename, "set": _set}[args.action](project, args)


def _delete(project: Project, args: argparse.Namespace) -> int:
    ids = [DocumentId(i) for i in dict.fromkeys(args.ids)]
    impact = project.documents.deletion_impact(ids)
    titles = [project.documents.get(i).title for i in ids]
    project.documents.delete(ids)
    for doc_id, title in zip(ids, titles, strict=True):
        print(f"deleted {doc_id}\t“{printable(title)}”")
    print(
        f"deleted {impact.documents} document(s), {impact.annotations} annotation(s) and "
        f"{impact.records_removed} record(s) found nowhere else; "
        f"{impact.records_kept} record(s) keep their other passages\n"
        "their text is erased from the project file; backups made before still hold it",
        file=sys.stderr,
    )
    return EXIT_OK


def _rename(project: Project, args: argparse.Namespace) -> int:
    project.documents.rename(DocumentId(args.id), args.title)
    print(f"renamed {args.id}\t“{printable(project.documents.get(DocumentId(args.id)).title)}”")
    return EXIT_OK


def _set(project: Project, args: argparse.Namespace) -> int:
    values = {
        key: getattr(args, key)
        for key in ("published", "title", "source", "outlet")
        if getattr(args, key) is not None
    }
    if not values:
        raise InvalidInputError("say what to set: --published, --title, --source or --outlet")
    if args.redate_accepted and "published" not in values:
        raise InvalidInputError("--redate-accepted goes with --published")
    ids = [DocumentId(i) for i in dict.fromkeys(args.ids)]
    changes = project.documents.redatings(ids, values["published"]) if "published" in values else []
    project.documents.update_metadata(ids, redate_accepted=args.redate_accepted, **values)
    for doc_id in ids:
        print(f"set {doc_id}\t" + "\t".join(f"{k}={printable(v)}" for k, v in values.items()))
    redated = [c for c in changes if args.redate_accepted or c.status != "accepted"]
    kept = [c for c in changes if c not in redated]
    for change in redated:
        label = printable(change.label)
        print(f"re-dated record {change.record_id}\t“{label}”\t{change.before} → {change.after}")
    if kept:
        print(
            f"{len(kept)} accepted record(s) keep their dates "
            f"({', '.join(str(c.record_id) for c in kept)}); add --redate-accepted to re-date "
            "them too",
            file=sys.stderr,
        )
    return EXIT_OK
