"""Cancel latency of extraction: from Cancel to the end of the run, inside a long document.

Usage: python benchmarks/cancel_extraction_bench.py [--size 300000] [--runs 5] [--full]
Each run extracts a short document and a long one through the real owner side (the
window's BackgroundRunner, a worker process, the feed storing results); once the short one
is stored, the worker is inside the long one, and Cancel is pressed. Prints the time from
Cancel to the run's end (worker process gone, every result stored); with ``--full``, also
how long the long document takes when not cancelled, which a cancel acting only between
documents would wait for. Target: under one second.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication, QWidget

from ui.background import BackgroundRunner
from workbench.domain import DocumentId
from workbench.project import Project
from workbench.services.extraction_feed import ExtractionFeed

SHORT = "Pavel Zhilyaev deserted near Kherson in March 2023.\n"
PARAGRAPH = (
    "Sergeant Ivan Petrov{n} of the 47th Tank Division said he left Kharkiv on May 4, 2024. "
    "His mother, Olena Petrova, wrote that more than 30 men had deserted in late March.\n\n"
)


def run(app: QApplication, runner: BackgroundRunner, project: Project, cancel: bool) -> float:
    """One extraction of every document; seconds from Cancel (or from the start) to its end."""
    feed = ExtractionFeed(project.extraction, None)
    short = DocumentId(1)
    begin = time.perf_counter()
    runner.start_process(
        "Extracting", ["-m", "workbench.worker", "extract"], feed, lambda _r: None, print
    )
    while cancel and not project.records.list(document_id=short):
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    if cancel:
        begin = time.perf_counter()
        runner.cancel()
    while runner.busy:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    return time.perf_counter() - begin


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=300_000, help="long document, characters")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--full", action="store_true", help="also time the uncancelled run")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    parent = QWidget()
    runner = BackgroundRunner(parent)
    text = ""
    while len(text) < args.size:
        text += PARAGRAPH.format(n=len(text))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "short.txt").write_text(SHORT, encoding="utf-8")
        (root / "long.txt").write_text(text, encoding="utf-8")
        times: list[float] = []
        full = None
        for number in range(args.runs + args.full):
            with Project(root / f"run{number}.twb", actor="bench") as project:
                project.documents.import_paths([root / "short.txt", root / "long.txt"])
                if number < args.runs:
                    times.append(run(app, runner, project, cancel=True))
                else:
                    full = run(app, runner, project, cancel=False)
        print(
            f"cancel inside a {len(text):,}-character document: "
            f"median {statistics.median(times) * 1000:.0f} ms, "
            f"max {max(times) * 1000:.0f} ms over {args.runs} runs (target < 1000 ms)"
        )
        if full is not None:
            print(f"the same run, not cancelled: {full:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
