"""Extraction in a process of its own, so the window's thread never waits on spaCy.

``python -m workbench.worker extract --project FILE --annotator NAME [--document ID ...]``
prints one JSON object per line: ``{"progress": [done, total, label]}`` while it works and
``{"report": {...}}`` at the end (or ``{"error": "..."}``). SIGTERM stops it after the
current document; what was committed stays.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.project import Project


def _emit(message: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """Run one extraction and report it as JSON lines on stdout."""
    parser = argparse.ArgumentParser(prog="python -m workbench.worker")
    parser.add_argument("command", choices=("extract",))
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--annotator", required=True)
    parser.add_argument("--document", type=int, action="append")
    args = parser.parse_args(argv)
    cancel = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: cancel.set())
    try:
        with Project(args.project, actor=args.annotator, create=False) as project:
            report = project.extraction.run(
                args.document,
                progress=lambda done, total, label: _emit({"progress": [done, total, label]}),
                cancel=cancel,
            )
    except WorkbenchError as exc:
        _emit({"error": str(exc)})
        return 1
    _emit(
        {
            "report": {
                "documents": report.documents,
                "added": dict(report.added),
                "notes": [[doc, note] for doc, note in report.notes],
                "cancelled": report.cancelled,
            }
        }
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
