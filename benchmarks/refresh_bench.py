"""The window's refresh after a review step on a long document: patched in place vs read whole.

Usage: python benchmarks/refresh_bench.py [--passages 9000] [--repeat 7] (offscreen)
Makes one document of about 300,000 code points (Cyrillic names, an emoji in two of three)
with --passages suggested records, each with one passage, opens the real window on it and
times, in one run, the window's refresh after accepting one record and after undoing that:
the new way (the records and passages the step names are read back and patched in) and the
old way (every record and passage of the document read again, every highlight rebuilt). Then
the same for bulk accepts of more records at once, which is where a full read becomes as
cheap (``ui/shown_document.py: PATCH_LIMIT``). Prints medians and the ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ui import shown_document
from ui.app import application
from ui.main_window import MainWindow
from workbench.domain import Passage
from workbench.project import Project

TYPES = ("person", "place", "organization")
FILLER = " was seen there, "


def build(folder: Path, count: int) -> Path:
    """A project file with one long document and ``count`` suggested records in it."""
    parts, by_type, at = [], {t: list[tuple[int, int]]() for t in TYPES}, 0
    for i in range(count):
        name = f"Марченко 🙂{i:05d}" if i % 3 else f"Іван Петренко {i:05d}"
        by_type[TYPES[i % 3]].append((at, at + len(name)))
        parts.append(name + FILLER)
        at += len(name) + len(FILLER)
    source = folder / "long.txt"
    source.write_text("".join(parts), encoding="utf-8")
    path = folder / "bench.twb"
    with Project(path, create=True, actor="bench") as project:
        (document,) = project.documents.import_paths([source]).imported
        records: list[int] = []
        for type_name, spans in by_type.items():
            passages = [Passage(document.id, s, e) for s, e in spans]
            records += project.review.annotate_many(passages, type_name).record_ids
        project.review.set_status(records, "suggested")
    return path


class Timed:
    """Times each run of the window's refresh (the step's own writes are left out)."""

    def __init__(self, window: MainWindow) -> None:
        self.window, self.last = window, 0.0
        self._refresh = window.refresh

        def refresh(changes: object = None) -> None:
            start = time.perf_counter()
            self._refresh(changes)  # type: ignore[arg-type]
            application().processEvents()  # the highlights in view are drawn again
            self.last = time.perf_counter() - start

        window.refresh = refresh  # type: ignore[method-assign]

    def step(self, do: Callable[[], object]) -> float:
        do()
        return self.last


def compare(
    window: MainWindow, timed: Timed, ids: list[int], repeat: int
) -> dict[str, tuple[float, float]]:
    """Median refresh after accepting ``ids`` and after undoing it: (new way, old way)."""
    found: dict[str, tuple[float, float]] = {}
    times: dict[tuple[str, bool], list[float]] = {}
    whole = window.shown.patch
    for patched in (True, False):
        window.shown.patch = whole if patched else (lambda *_: None)  # type: ignore[method-assign]
        for _ in range(repeat):
            accept = timed.step(lambda: window.set_record_status(ids, "accepted"))
            undo = timed.step(window.undo_stack.undo)
            times.setdefault(("accept", patched), []).append(accept)
            times.setdefault(("undo", patched), []).append(undo)
    window.shown.patch = whole  # type: ignore[method-assign]
    for name in ("accept", "undo"):
        found[name] = (
            statistics.median(times[name, True]),
            statistics.median(times[name, False]),
        )
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--passages", type=int, default=9000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    app = application()
    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        path = build(Path(tmp), args.passages)
        made = time.perf_counter() - began
        with Project(path, actor="bench") as project:
            window = MainWindow(project, remember_layout=False)
            window.resize(1400, 860)
            window.show()
            app.processEvents()
            document = project.documents.list()[0]
            records = [r.id for r in project.records.list(document_id=document.id)]
            timed = Timed(window)
            print(f"document        {document.chars:,} code points, {len(records):,} passages "
                  f"and records (made in {made:.0f} s)")  # fmt: skip
            print(f"patch limit     {window.shown.patch_limit():,} records and passages named")
            one = compare(window, timed, records[len(records) // 2 : len(records) // 2 + 1],
                          args.repeat)  # fmt: skip
            for name, (new, old) in one.items():
                print(f"{name:<6} 1 record  new {new * 1000:6.1f} ms   old {old * 1000:6.1f} ms "
                      f"  {old / new:5.1f}x faster")  # fmt: skip
            for count in (100, 1000, 4000, 6000, 8000):
                ids = records[:count]
                limits = shown_document.PATCH_LIMIT, shown_document.PATCH_FLOOR
                shown_document.PATCH_LIMIT = shown_document.PATCH_FLOOR = len(records) * 3
                bulk = compare(window, timed, ids, max(1, args.repeat // 3))
                shown_document.PATCH_LIMIT, shown_document.PATCH_FLOOR = limits
                for name, (new, old) in bulk.items():
                    print(f"{name:<6} {count:>5} records  patched {new * 1000:6.0f} ms   "
                          f"whole {old * 1000:6.0f} ms  ({old / new:4.1f}x)")  # fmt: skip
            window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
