"""Merge speed: another annotator's copy with 10,000 new passages (issue #15: <= 10 s).

Usage: python benchmarks/merge_bench.py [--documents 200] [--passages 10000]
Builds, not timed, a lead's project of ``documents`` documents (5,000 code points each,
Cyrillic and emoji) with 5,000 passages and their records, and a copy of it in which an
annotator added ``passages`` passages, each the evidence of a record of its own, accepted
half of the shared records (an audited decision each) and imported 20 documents of their
own. Then prints the time of merging the copy into the project (reading it from its
private copy, matching and writing, one transaction), what came in, and the time of
merging it a second time, which adds nothing.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, update

from workbench.project import Project
from workbench.services.audit import audit
from workbench.services.merge_projects import merge_project
from workbench.storage.fts import index_document
from workbench.storage.models import Annotation, Code, Document, Evidence, Record

SENTENCE = "Олена 🙂 saw the column pass Kherson in «late March»; the 36th brigade left.\n"
LENGTH = 5_000
TYPES = ("person", "place", "event", "organization", "figure")
NOW = datetime(2026, 12, 7, 12, 0)


def _documents(conn: Any, first: int, count: int, text: str) -> list[int]:
    rows: list[dict[str, Any]] = [{
        "title": f"Testimony {d}", "format": "txt", "original_name": f"{d}.txt",
        "original_sha256": f"{d:064x}", "text_sha256": f"{d:064x}", "text": text + str(d),
        "chars": len(text + str(d)), "imported_at": NOW, "extra": {},
    } for d in range(first, first + count)]  # fmt: skip
    ids = _inserted(conn, Document, rows)
    for doc_id, row in zip(ids, rows, strict=True):
        index_document(conn, doc_id, row["title"], row["text"])
    return ids


def _passages(
    conn: Any, rng: random.Random, documents: list[int], count: int, *, author: str,
    codes: list[Any], text: str, offset: timedelta,
) -> list[int]:  # fmt: skip
    """``count`` passages, each the evidence of a record of its own; the records' ids."""
    spans = []
    for n in range(count):
        start = rng.randrange(LENGTH - 60)
        end = start + rng.randint(5, 50)
        spans.append((documents[n % len(documents)], start, end, codes[n % len(codes)]))
    anns = [{"document_id": d, "start": s, "end": e, "quote": text[s:e], "code_id": c,
             "author": author, "origin": "manual", "status": "suggested", "note": "",
             "created_at": NOW, "updated_at": NOW} for d, s, e, c in spans]  # fmt: skip
    ann_ids = _inserted(conn, Annotation, anns)
    recs = [{"type_id": c, "label": text[s:e].strip() or "x", "fields": {}, "status": "suggested",
             "origin": "manual", "note": "", "created_by": author,
             "created_at": NOW + offset + timedelta(microseconds=n), "updated_at": NOW}
            for n, (_d, s, e, c) in enumerate(spans)]  # fmt: skip
    rec_ids = _inserted(conn, Record, recs)
    links = zip(rec_ids, ann_ids, strict=True)
    conn.execute(insert(Evidence), [{"record_id": r, "annotation_id": a, "role": "mention",
                                     "created_at": NOW} for r, a in links])  # fmt: skip
    return rec_ids


def _inserted(conn: Any, model: Any, values: list[dict[str, Any]]) -> list[int]:
    """Insert the rows; their new ids, in order."""
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(conn.execute(statement, values).scalars())


def build(folder: Path, documents: int, passages: int) -> tuple[Path, Path]:
    """The lead's project and an annotator's copy of it with ``passages`` new passages."""
    rng = random.Random(15)
    text = (SENTENCE * (LENGTH // len(SENTENCE) + 1))[:LENGTH]
    lead, copy = folder / "lead.twb", folder / "annotator.twb"
    with Project(lead, actor="lead") as project:
        with project.session() as session:
            codes = [session.scalar(select(Code.id).where(Code.name == t)) for t in TYPES]
        with project.write_connection() as conn:
            docs = _documents(conn, 1, documents, text)
            _passages(conn, rng, docs, 5_000, author="lead", codes=codes, text=text,
                      offset=timedelta(0))  # fmt: skip
    shutil.copyfile(lead, copy)
    with Project(copy, actor="olena") as project, project.write_connection() as conn:
        shared = list(conn.scalars(select(Record.id)))
        docs += _documents(conn, documents + 1, 20, text)
        _passages(conn, rng, docs, passages, author="olena", codes=codes, text=text,
                  offset=timedelta(days=1))  # fmt: skip
        decided = shared[::2]
        conn.execute(update(Record).where(Record.id.in_(decided)).values(status="accepted"))
        for record in decided:
            audit(conn, "olena", "record.accepted", "record", record, records=[record],
                  status="accepted")  # fmt: skip
    return lead, copy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--passages", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        lead, copy = build(Path(tmp), args.documents, args.passages)
        size = copy.stat().st_size / 2**20
        with Project(lead, actor="lead") as project:
            began = time.perf_counter()
            report = merge_project(project, copy)
            first = time.perf_counter() - began
            began = time.perf_counter()
            again = merge_project(project, copy)
            second = time.perf_counter() - began
    print(f"copy: {args.documents + 20} documents, {5_000 + args.passages} passages, "
          f"{size:.1f} MB")  # fmt: skip
    print(f"merge: {first:.2f} s (target <= 10 s): {report.summary()}")
    print(f"merge again: {second:.2f} s, added nothing: {again.added_nothing}")


if __name__ == "__main__":
    main()
