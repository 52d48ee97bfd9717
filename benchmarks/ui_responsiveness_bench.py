"""UI responsiveness: the longest gap in the event loop while import and extraction run.

Usage: python benchmarks/ui_responsiveness_bench.py [--import-count 200] [--extract-count 20]
A 5 ms timer records when the event loop gets to run; the longest gap between ticks is
how long the UI could not react. Runs offscreen with the real window and worker thread.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEventLoop, QTimer

from benchmarks.synthetic import write_corpus
from ui.app import application
from ui.main_window import MainWindow
from workbench.project import Project


def measure(window: MainWindow, start: object) -> tuple[float, float]:
    """Run a background job to its end; return (seconds, longest event-loop gap in ms)."""
    ticks: list[float] = []
    timer = QTimer(interval=5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    loop = QEventLoop()

    def on_busy(busy: bool) -> None:
        if not busy:
            loop.quit()

    window.background.busyChanged.connect(on_busy)
    timer.start()
    begin = time.perf_counter()
    start()  # type: ignore[operator]
    loop.exec()
    timer.stop()
    window.background.busyChanged.disconnect(on_busy)
    gaps = [b - a for a, b in pairwise(ticks)]
    return time.perf_counter() - begin, max(gaps, default=0.0) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--import-count", type=int, default=200)
    parser.add_argument("--extract-count", type=int, default=20)
    args = parser.parse_args()
    app = application()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = list(write_corpus(root / "corpus", args.import_count, 20_000))
        with Project(root / "bench.twb", actor="bench") as project:
            window = MainWindow(project, remember_layout=False)
            window.show()
            settle = time.perf_counter() + 1.0  # the window's first paint is not the import's
            while window.timeline.loading or time.perf_counter() < settle:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            seconds, gap = measure(window, lambda: window.import_paths(paths))
            print(
                f"import {args.import_count} docs   {seconds:6.1f} s, longest UI gap {gap:6.1f} ms"
            )
            ids = [d.id for d in project.documents.list()][: args.extract_count]
            project.documents.update_metadata(ids, language="en")
            others = [d.id for d in project.documents.list()][args.extract_count :]
            if others:  # keep the run short: only the first documents are in English
                project.documents.update_metadata(others, language="xx")
            seconds, gap = measure(window, lambda: window.extract(all_documents=True))
            print(f"extract {len(ids)} docs    {seconds:6.1f} s, longest UI gap {gap:6.1f} ms")
            print("target             longest gap <= 100 ms")
            window.close()
            window.deleteLater()
            app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
