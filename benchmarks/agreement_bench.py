"""Agreement speed: 1,000 documents annotated by three annotators (issue #15: <= 2 s).

Usage: python benchmarks/agreement_bench.py [--documents 1000] [--annotators 3]
Builds a project with bulk inserts, not timed: each document 5,000 code points (Cyrillic,
emoji), each annotator 30 passages a document over five codes, from a shared set of places
to mark with their boundaries moved by a few code points, some left out and some of their
own. Then prints the time of the whole agreement table (reading the passages and every
figure for the corpus, each document, the three annotators together and each pair), its
rows, the corpus figures, and the time of writing it as CSV.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select

from workbench.project import Project
from workbench.services.agreement import AgreementService
from workbench.storage.models import Annotation, Code, Document

SENTENCE = "Олена 🙂 saw the column pass Kherson in «late March»; the 36th brigade left.\n"
LENGTH = 5_000  # code points a document
PASSAGES = 30  # an annotator's passages in a document
TYPES = ("person", "place", "event", "organization", "figure")


def build(path: Path, documents: int, annotators: int) -> None:
    """A project of ``documents`` documents, each annotated by ``annotators`` people."""
    rng = random.Random(15)
    text = (SENTENCE * (LENGTH // len(SENTENCE) + 1))[:LENGTH]
    now = datetime(2026, 12, 7, 12, 0)
    with Project(path, actor="bench") as project:
        with project.transaction() as session:
            codes = [session.scalar(select(Code.id).where(Code.name == t)) for t in TYPES]
        with project.write_connection() as conn:
            conn.execute(insert(Document), [{
                "id": d, "title": f"Testimony {d}", "format": "txt", "original_name": f"{d}.txt",
                "original_sha256": f"{d:064x}", "text_sha256": f"{d:064x}", "text": text,
                "chars": len(text), "imported_at": now, "extra": {},
            } for d in range(1, documents + 1)])  # fmt: skip
            rows = []
            for d in range(1, documents + 1):
                shared = [(rng.randrange(LENGTH - 60), rng.randint(5, 50), rng.choice(codes))
                          for _ in range(PASSAGES)]  # fmt: skip
                for a in range(annotators):
                    for place, size, code in shared:
                        start, width = place, size
                        if rng.random() < 0.15:  # left out, or one of the annotator's own
                            start, width = rng.randrange(LENGTH - 60), rng.randint(5, 50)
                        start = max(0, start + rng.randint(-3, 3))
                        end = min(LENGTH, start + width + rng.randint(-3, 3))
                        rows.append({
                            "document_id": d, "start": start, "end": end,
                            "quote": text[start:end], "code_id": code,
                            "author": f"Annotator {a + 1}", "origin": "manual",
                            "status": "accepted", "confidence": None, "note": "",
                            "created_at": now, "updated_at": now,
                        })  # fmt: skip
            conn.execute(insert(Annotation), rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--annotators", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "agreement-bench.twb"
        build(path, args.documents, args.annotators)
        with Project(path, actor="bench") as project:
            service = AgreementService(project)
            started = time.perf_counter()
            report = service.compute()
            took = time.perf_counter() - started
            corpus = report.rows[0]
            print(f"agreement over {report.documents:,} documents, "
                  f"{len(report.annotators)} annotators: {took:.2f} s (target <= 2 s), "
                  f"{len(report.rows):,} rows")  # fmt: skip
            print(f"corpus, all codes: {corpus.agreement.text(1)} % agreement, "
                  f"alpha_u {corpus.alpha_u.text()}; per pair:")  # fmt: skip
            for row in report.rows:
                if row.document_id is None and row.code is None and len(row.annotators) == 2:
                    print(f"  {' + '.join(row.annotators)}: kappa {row.kappa.text()}, "
                          f"alpha_u {row.alpha_u.text()}")  # fmt: skip
            started = time.perf_counter()
            service.write(report, "csv", Path(folder) / "agreement.csv")
            print(f"CSV of the table: {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
