"""Undo and redo of a large step: accepting every record of a document at once.

Usage: python benchmarks/undo_bench.py [--records 2500] [--repeat 5]
Makes --records person records on one project file (one passage each), accepts them all as
one step, then undoes and redoes it --repeat times as the undo stack does (each restore given
the state the step left, so it compares every row of the step's scope before writing back,
and counts one write on each record). Prints the median undo and redo.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.domain import Passage
from workbench.project import Project


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=2500)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    names = [f"Марченко{i:05d}" for i in range(args.records)]  # Cyrillic, one a passage
    text = " ".join(names) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "names.txt"
        source.write_text(text, encoding="utf-8")
        with Project(Path(tmp) / "bench.twb", actor="bench") as project:
            (document,) = project.documents.import_paths([source]).imported
            passages, at = [], 0
            for name in names:
                passages.append(Passage(document.id, at, at + len(name)))
                at += len(name) + 1
            records = list(project.review.annotate_many(passages, "person").record_ids)
            step = project.review.set_status(records, "accepted")
            undo, redo = [], []
            for _ in range(args.repeat):
                start = time.perf_counter()
                project.steps.restore(step.before, step.after)
                undo.append(time.perf_counter() - start)
                start = time.perf_counter()
                project.steps.restore(step.after, step.before)
                redo.append(time.perf_counter() - start)
    print(f"records  {len(records)}, accepted as one step")
    print(f"undo     {statistics.median(undo) * 1000:.0f} ms (median of {args.repeat})")
    print(f"redo     {statistics.median(redo) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
