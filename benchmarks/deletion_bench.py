"""Deleting for real: how long deleting one document takes in a large project, and the bytes
that prove nothing of it is left.

Usage: python benchmarks/deletion_bench.py [--count 1000] [--size 20000] [--audit 100000]
       [--runs 5]
Builds a project of --count synthetic documents (each with 300 words of its own, so the search
index is as varied as real text), adds --audit entries to its audit log, then deletes one
document --runs times (a different one each time, with a record only it supports) and prints,
best and median: the whole ``documents.delete`` step and what it spends on merging the search
index (FTS5 'optimize'), on the audit log, and on the checkpoint after it. Then the proof by
bytes: the words only the deleted documents had, looked for in the closed file; the same
deletion with the index merged by 'merge' instead of 'optimize' (the cheaper way, which leaves
words behind); and whether every free page of the file is zeros (so auto_vacuum is not needed
to erase)."""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import string
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import document
from workbench.domain import DocumentId
from workbench.project import Project
from workbench.services import steps
from workbench.services.audit import audit
from workbench.storage import erase

TIMES: dict[str, list[float]] = {}


def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn``, adding the milliseconds of each call to TIMES[name]."""

    def call(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            TIMES.setdefault(name, []).append((time.perf_counter() - start) * 1000)

    return call


def own_words(rng: random.Random) -> list[str]:
    """300 made-up words of 8 to 12 letters: a document's own names and rare words."""
    letters = string.ascii_lowercase
    return ["".join(rng.choices(letters, k=rng.randint(8, 12))) for _ in range(300)]


def build(folder: Path, count: int, size: int, entries: int) -> tuple[Path, list[list[str]]]:
    """A project of ``count`` documents and ``entries`` more audit entries; each document's
    own words."""
    rng = random.Random(7)
    corpus = folder / "corpus"
    corpus.mkdir()
    words = []
    for i in range(count):
        mine = own_words(rng)
        words.append(mine)
        text = document(i, size) + "\n\n" + " ".join(w.capitalize() for w in mine) + "\n"
        (corpus / f"doc-{i:05d}.txt").write_text(text, encoding="utf-8")
    path = folder / "big.twb"
    with Project(path, actor="bench") as project:
        start = time.perf_counter()
        report = project.documents.import_paths(sorted(corpus.glob("*.txt")))
        took = time.perf_counter() - start
        with project.write_connection() as conn:
            for i in range(entries):
                audit(conn, "bench", "record.edit", "record", i + 1, records=[i + 1],
                      label=f"label {i}", type=None, date_text=None)  # fmt: skip
    print(f"{len(report.imported)} documents imported in {took:.1f} s, "
          f"{entries:,} audit entries added: {path.stat().st_size / 1e6:.1f} MB")  # fmt: skip
    return path, words


def unique(words: list[list[str]], chosen: list[int]) -> list[str]:
    """The words of the chosen documents that no other document has, even inside a longer
    word (each is looked for without its first two letters)."""
    others = " ".join(w for i, ws in enumerate(words) if i not in chosen for w in ws)
    return sorted({w for i in chosen for w in words[i] if w[2:] not in others})


def left(path: Path, words: list[str]) -> int:
    """How many of the words are in the file (after the two letters an index page may share
    with the word before, see tests/core/test_real_deletion.py)."""
    data = path.read_bytes()
    return sum(1 for w in words if w[2:].encode() in data)


def _say(what: str, values: list[float]) -> None:
    print(f"{what:<48} best {min(values):7.1f} ms   median {statistics.median(values):7.1f} ms")


def delete_in_project(path: Path, runs: int) -> list[int]:
    """Delete one document per run through the service, timing its parts."""
    steps.forget_removed = timed("  merging the search index", steps.forget_removed)  # type: ignore[attr-defined]
    steps.forget = timed("  older audit entries", steps.forget)  # type: ignore[attr-defined]
    erase.Erasure.request = timed("  checkpoint after the step", erase.Erasure.request)  # type: ignore[method-assign]
    chosen = []
    with Project(path, actor="bench") as project:
        ids = [d.id for d in project.documents.list()]
        for run in range(runs):
            doc = ids[(run + 1) * len(ids) // (runs + 1)]
            chosen.append(ids.index(doc))
            project.review.annotate(DocumentId(doc), 0, 12, "person")  # a record it takes along
            start = time.perf_counter()
            project.documents.delete([DocumentId(doc)])
            TIMES.setdefault("delete one document (the whole step)", []).append(
                (time.perf_counter() - start) * 1000
            )
    for name in ("delete one document (the whole step)", *sorted(set(TIMES) - {
            "delete one document (the whole step)"})):  # fmt: skip
        _say(name, TIMES[name])
    return chosen


def delete_with_merge(path: Path, doc_index: int) -> tuple[float, float]:
    """The same deletion with secure_delete and a checkpoint, once with FTS5 'merge' (all
    levels) and once with 'optimize': milliseconds of each."""
    spent: list[float] = []
    for command in ("INSERT INTO documents_fts (documents_fts, rank) VALUES ('merge', -16)",
                    "INSERT INTO documents_fts (documents_fts) VALUES ('optimize')"):  # fmt: skip
        copy = path.with_name(f"copy-{len(spent)}.twb")
        shutil.copyfile(path, copy)
        conn = sqlite3.connect(copy, isolation_level=None)
        conn.execute("PRAGMA secure_delete=ON")
        conn.execute("PRAGMA foreign_keys=ON")
        doc_id, title, body = conn.execute(
            "SELECT id, title, text FROM documents ORDER BY id LIMIT 1 OFFSET ?", (doc_index,)
        ).fetchone()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO documents_fts (documents_fts, rowid, title, text) "
                     "VALUES ('delete', ?, ?, ?)", (doc_id, title, body))  # fmt: skip
        conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        start = time.perf_counter()
        conn.execute(command)
        spent.append((time.perf_counter() - start) * 1000)
        conn.execute("COMMIT")
        conn.close()
    return spent[0], spent[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--audit", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path, words = build(Path(tmp), args.count, args.size, args.audit)
        pristine = path.with_name("pristine.twb")
        shutil.copyfile(path, pristine)
        chosen = delete_in_project(path, args.runs)
        gone = unique(words, chosen)
        print(f"their own words in the file: {left(pristine, gone)} of {len(gone)} before, "
              f"{left(path, gone)} after (the project closed)")  # fmt: skip
        merge_ms, optimize_ms = delete_with_merge(pristine, chosen[0])
        gone = unique(words, chosen[:1])
        for name, ms, copy in (("'merge', -16", merge_ms, "copy-0.twb"),
                               ("'optimize'", optimize_ms, "copy-1.twb")):  # fmt: skip
            print(f"index merged by {name:<13} {ms:7.1f} ms: {left(path.with_name(copy), gone)}"
                  f" of the document's {len(gone)} own words left in the file")  # fmt: skip
        pages, dirty = erase.free_pages(path.read_bytes())
        print(f"free pages after the deletions: {pages}, of which {dirty} hold anything but "
              f"zeros; file {path.stat().st_size / 1e6:.1f} MB")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
