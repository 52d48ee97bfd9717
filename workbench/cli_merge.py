"""CLI command ``merge`` (part of ``workbench.cli``; like it, it writes to stdout and stderr
deliberately): ``workbench merge OTHER_PROJECT`` brings in another annotator's copy."""

# ruff: noqa: T201

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from workbench.cli_encryption import passphrase_for
from workbench.project import Project
from workbench.services.merge_conflicts import ConflictInfo, ConflictService
from workbench.services.merge_projects import MergeReport, merge_project
from workbench.services.merge_source import MergePassphraseError
from workbench.text_safety import printable

EXIT_OK = 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``merge`` to the CLI's subparsers."""
    cmd = sub.add_parser(
        "merge",
        help="bring in another annotator's copy of this project (it is only read); records "
        "edited differently on both sides are listed as conflicts for the lead",
    )
    cmd.add_argument("other", type=Path, metavar="OTHER_PROJECT")


def _merge(project: Project, other: Path) -> MergeReport:
    """Merge, opening an encrypted copy with this project's passphrase, else with
    ``$WORKBENCH_PASSPHRASE`` or one typed (one line when there is neither)."""
    try:
        return merge_project(project, other)
    except MergePassphraseError:
        asked = passphrase_for(other)
        if asked is None or asked == project.key:
            raise
        return merge_project(project, other, passphrase=asked)


def _value(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return printable(text if len(text) <= 60 else text[:59] + "…")


def describe(conflict: ConflictInfo) -> str:
    """One line: the conflict's id, record, field, our value and the copy's."""
    return (
        f"conflict {conflict.id}\trecord {conflict.record_id}\t{printable(conflict.record_label)}"
        f"\t{conflict.field}: ours {_value(conflict.ours)} | theirs {_value(conflict.theirs)}"
        f" ({printable(conflict.source)})"
    )


def run(project: Project, args: argparse.Namespace) -> int:
    """Merge the copy, say what came in, and list the conflicts left open."""
    report = _merge(project, args.other)
    print(printable(report.summary()))
    if report.actors:
        print(f"annotators of the copy: {', '.join(printable(a) for a in report.actors)}")
    waiting = ConflictService(project).list()
    if waiting:
        print(
            f"{len(waiting)} conflict(s) wait for the lead (Review → Merge conflicts… in the "
            "window):",
            file=sys.stderr,
        )
        for conflict in waiting:
            print(describe(conflict), file=sys.stderr)
    return EXIT_OK
