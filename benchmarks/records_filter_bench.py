"""Records panel: filtering 100,000 records.

Usage: python benchmarks/records_filter_bench.py [--records 100000] [--repeat 3] (offscreen)
Prints the time to load the records, and for each filter, sort and scroll step the time from
the change to the end of the event loop's work, the view painted (each step checks that the
tree's viewport was repainted, so no figure leaves the painting out). Each step is repeated
and the median printed; the target is <= 100 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView

from ui.app import application
from ui.records_panel import RecordsPanel
from workbench.domain import RecordInfo

TYPES = ["person", "place", "organization", "event", "figure"]
WORDS = ["Kharkiv", "Alfyorov", "Storm-Z", "deserted", "wounded", "Astana", "Olena", "brigade"]


class PaintCounter(QObject):
    """Counts paint events of the watched widget."""

    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return super().eventFilter(watched, event)


def make_records(count: int) -> list[RecordInfo]:
    """``count`` records, a fifth of each type, labels of two of WORDS and the id."""
    rng = random.Random(5)
    now = datetime(2024, 5, 1)
    return [
        RecordInfo(
            id=i,
            type=TYPES[i % 5],
            label=f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i}",
            status=rng.choice(["suggested", "accepted", "rejected"]),
            origin="extracted",
            confidence=rng.random(),
            note="",
            date_text=None,
            date_edtf=None,
            date_earliest=None,
            date_latest=None,
            created_by="bench",
            created_at=now,
            evidence_count=rng.randint(1, 5),
            document_ids=(1,),
        )
        for i in range(count)
    ]


def timed(app: QCoreApplication, counter: PaintCounter, change: Callable[[], object]) -> float:
    """Seconds from ``change`` until the event loop has handled it and painted the view."""
    counter.paints = 0
    start = time.perf_counter()
    change()
    for attempt in range(1000):  # a paint can wait for a later pass (layouts run on a timer)
        app.processEvents()
        if counter.paints:
            return time.perf_counter() - start
        if attempt >= 20:  # a real timer is pending: wait for it without spinning
            time.sleep(0.002)
    raise SystemExit("the records view was not repainted: the figure would mean nothing")


def settle(app: QCoreApplication) -> None:
    """Let the event loop finish what is pending (not timed)."""
    for _ in range(5):
        app.processEvents()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    app = application()
    records = make_records(args.records)
    panel = RecordsPanel()
    panel.resize(500, 900)
    panel.show()
    app.processEvents()
    counter = PaintCounter()
    panel.tree.viewport().installEventFilter(counter)
    load = timed(app, counter, lambda: panel.set_records(records, 1))
    print(f"records           {len(records):,}; load and first paint {load * 1000:.0f} ms")

    def report(name: str, change: Callable[[], object], undo: Callable[[], object]) -> None:
        times, shown = [], 0
        undo()  # the state the change starts from
        for _ in range(args.repeat):
            settle(app)
            times.append(timed(app, counter, change))
            shown = sum(panel.model.matches(t) for t in panel.model.types())
            undo()
            settle(app)
        print(
            f"{name:<26} {statistics.median(times) * 1000:6.1f} ms"
            f"  (max {max(times) * 1000:5.1f}; {shown:,} rows match; target <= 100)"
        )

    def set_text(text: str) -> Callable[[], None]:
        return lambda: panel.filter.setText(text)

    for query in ("abc", "kharkiv 12", "olena", "777", "a"):
        report(f"filter {query!r}", set_text(query), set_text(""))
    report("clear filter 'a' -> ''", set_text(""), set_text("a"))
    typing = ["o", "ol", "ole", "olen", "olena"]
    times = []
    for _ in range(args.repeat):
        settle(app)
        for text in typing:
            times.append(timed(app, counter, set_text(text)))
        panel.filter.setText("")
    print(
        f"typing 'olena', per key    {statistics.median(times) * 1000:6.1f} ms"
        f"  (max {max(times) * 1000:5.1f})"
    )
    status = panel.status_filter
    report(
        "status 'accepted'",
        lambda: status.setCurrentIndex(status.findData("accepted")),
        lambda: status.setCurrentIndex(0),
    )
    header = panel.tree.header()
    report(
        "sort by label",
        lambda: panel.tree.sortByColumn(0, Qt.SortOrder.AscendingOrder),
        lambda: header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder),
    )
    bar, times = panel.tree.verticalScrollBar(), []
    for _ in range(args.pages):  # more rows are exposed as their end comes near
        times.append(timed(app, counter, lambda: bar.setValue(bar.value() + bar.pageStep())))
    rows = bar.value()  # the first row shown, unless the view scrolls by pixels
    if panel.tree.verticalScrollMode() == QAbstractItemView.ScrollMode.ScrollPerPixel:
        rows //= max(1, panel.tree.sizeHintForRow(0))
    print(
        f"scroll down a page        {statistics.median(times) * 1000:6.1f} ms"
        f"  (max {max(times) * 1000:5.1f}; {args.pages} pages, to about row {rows:,})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
