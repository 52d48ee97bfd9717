"""Layers and compare speed: the layers bar's reads over a project of three annotators, and
the compare view's reading of a long document.

Usage: python benchmarks/layers_bench.py [--documents 1000] [--passages 3000]
Builds (not timed) the agreement benchmark's project (1,000 documents of 5,000 code points,
three annotators, 30 passages each a document: 90,000 passages) and one more document of
300,000 code points that each annotator marked ``--passages`` times. Prints the time of the
layers bar's reads after a change (everyone who annotated, the records of one annotator),
of comparing the long document and of one decision on it (a step, audited).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select

from benchmarks.agreement_bench import SENTENCE, TYPES, build
from workbench.domain import DocumentId
from workbench.project import Project
from workbench.services.adjudication import AdjudicationService
from workbench.services.layers import LayerService
from workbench.storage.models import Annotation, Code, Document

LONG = 300_000
NAMES = ("Annotator 1", "Annotator 2", "Annotator 3")
T = TypeVar("T")


def add_long(project: Project, passages: int) -> DocumentId:
    """A document of ``LONG`` code points each annotator marked ``passages`` times."""
    rng = random.Random(15)
    text = (SENTENCE * (LONG // len(SENTENCE) + 1))[:LONG]
    now = datetime(2026, 12, 7, 12, 0)
    with project.transaction() as session:
        codes: list[int] = list(session.scalars(select(Code.id).where(Code.name.in_(TYPES))))
        document_id = DocumentId(int(session.scalar(select(func.max(Document.id))) or 0) + 1)
    with project.write_connection() as conn:
        conn.execute(insert(Document), [{
            "id": document_id, "title": "Long", "format": "txt", "original_name": "long.txt",
            "original_sha256": "f" * 64, "text_sha256": "f" * 64, "text": text,
            "chars": LONG, "imported_at": now, "extra": {},
        }])  # fmt: skip
        shared = [(rng.randrange(LONG - 60), rng.randint(5, 50), rng.choice(codes))
                  for _ in range(passages)]  # fmt: skip
        same = {"document_id": document_id, "origin": "manual", "status": "accepted",
                "confidence": None, "note": "", "created_at": now, "updated_at": now}  # fmt: skip
        rows = [
            {**same, "author": name, "start": start, "end": end, "quote": text[start:end],
             "code_id": code}
            for name in NAMES
            for start, end, code in (_moved(rng, passage) for passage in shared)
        ]  # fmt: skip
        conn.execute(insert(Annotation), rows)
    return document_id


def _moved(rng: random.Random, passage: tuple[int, int, int]) -> tuple[int, int, int]:
    """An annotator's version of a shared passage: its ends a few code points off, or
    (one time in seven) a passage of their own instead."""
    start, width, code = passage
    if rng.random() < 0.15:
        start, width = rng.randrange(LONG - 60), rng.randint(5, 50)
    start = max(0, start + rng.randint(-3, 3))
    return start, min(LONG, start + width + rng.randint(-3, 3)), code


def timed(label: str, call: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = call()
    print(f"{label}: {(time.perf_counter() - started) * 1000:.0f} ms")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--passages", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "layers-bench.twb"
        build(path, args.documents, len(NAMES))
        with Project(path, actor="lead") as project:
            long = add_long(project, args.passages)
            with project.session() as session:
                count = session.scalar(select(func.count()).select_from(Annotation))
            print(f"{count:,} passages in {args.documents + 1:,} documents")
            layers, service = LayerService(project), AdjudicationService(project)
            timed("everyone who annotated (the layers bar, after a change)", layers.annotators)
            timed("records of one annotator", lambda: layers.records_by([NAMES[0]]))
            comparison = timed(
                f"compare {len(NAMES)} annotators over {LONG:,} code points",
                lambda: service.compare(long, NAMES),
            )
            items = comparison.items
            print(f"  {len(items):,} rows, {comparison.undecided():,} undecided")
            first = next(i for i in items if i.difference.kind != "agreement")
            timed("one decision (a step)", lambda: service.decide(long, NAMES, first.difference.ids,
                                                                  [NAMES[0]]))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
