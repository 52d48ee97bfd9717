"""Annotation speed: each annotation its own transaction, as the window and CLI make them.

Usage: python benchmarks/annotate_bench.py [--count 2000] [--repeat 3]
Runs the real service (`project.annotations.annotate`, one transaction with its record,
evidence and audit row) against a raw sqlite3 floor that inserts one row per committed
transaction into the same WAL file set-up, alternating, best of --repeat. Prints
annotations per second and the ratio; the cost of the durability choices (the project
lock, BEGIN IMMEDIATE, the error translation) shows here.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.project import Project

TEXT = "Daniil Alfyorov 🙂 left the 47th Tank Division near Бахмут in late March 2024. " * 400


def floor(db: Path, count: int) -> float:
    """Seconds for ``count`` committed one-row transactions on a bare WAL database."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE spans (id INTEGER PRIMARY KEY, a INT, b INT, quote TEXT)")
    start = time.perf_counter()
    for i in range(count):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO spans (a, b, quote) VALUES (?, ?, ?)", (i, i + 15, TEXT[i : i + 15])
        )
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def ours(root: Path, run: int, count: int) -> float:
    """Seconds for ``count`` annotations through the service, each its own transaction."""
    source = root / f"doc-{run}.txt"
    source.write_text(TEXT, encoding="utf-8")
    with Project(root / f"bench-{run}.twb", actor="bench") as project:
        project.documents.import_paths([source])
        start = time.perf_counter()
        for i in range(count):
            offset = (i * 7) % (len(TEXT) - 20)
            project.annotations.annotate(1, offset, offset + 15, "person")
        return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    floor_s = ours_s = float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for run in range(args.repeat):
            floor_s = min(floor_s, floor(root / f"floor-{run}.db", args.count))
            ours_s = min(ours_s, ours(root, run, args.count))
    print(f"annotations         {args.count}, one transaction each")
    print(f"ours                {ours_s:.2f} s  {args.count / ours_s:.0f} annotations/s")
    print(f"floor (raw sqlite3) {floor_s:.2f} s  {args.count / floor_s:.0f} rows/s")
    print(f"ratio ours/floor    {ours_s / floor_s:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
