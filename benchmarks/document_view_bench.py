"""Document view speed: a 1,000,000-character document with 10,000 highlights.

Usage: python benchmarks/document_view_bench.py [--chars N] [--highlights N] (offscreen)
Prints the time from show_document to the first painted frame and the worst and median
paint times while scrolling through the whole document page by page.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import document
from ui.app import application
from ui.document_view import DocumentView, Highlight

COLOURS = ["#d9485f", "#2b8a3e", "#1c7ed6", "#e67700", "#7048e8"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("--highlights", type=int, default=10_000)
    args = parser.parse_args()
    app = application()
    text = document(7, args.chars)[: args.chars]
    text = "🙂 " + text[2:]  # an astral character up front, as in real messages
    rng = random.Random(3)
    highlights = []
    for i in range(args.highlights):
        start = rng.randrange(0, len(text) - 40)
        highlights.append(
            Highlight(
                i,
                start,
                start + rng.randint(3, 40),
                "person",
                COLOURS[i % 5],
                "suggested" if i % 3 else "accepted",
                record_ids=(i,),
            )
        )
    view = DocumentView()
    view.resize(1000, 800)
    view.show()
    app.processEvents()

    began = time.perf_counter()
    view.show_document(1, text, highlights)
    app.processEvents()  # runs the highlight refresh
    view.viewport().repaint()
    first_paint = time.perf_counter() - began

    bar = view.verticalScrollBar()
    frames = []
    page = max(1, bar.pageStep())
    value = 0
    while value <= bar.maximum():
        t = time.perf_counter()
        bar.setValue(value)
        app.processEvents()
        view.viewport().repaint()
        frames.append(time.perf_counter() - t)
        value += page

    print(f"document          {len(text):,} characters, {len(highlights):,} highlights")
    print(f"first paint       {first_paint * 1000:.0f} ms  (target <= 300)")
    median, worst = statistics.median(frames) * 1000, max(frames) * 1000
    print(f"scroll frames     {len(frames)} pages: median {median:.1f} ms, worst {worst:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
