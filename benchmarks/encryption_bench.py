"""Encrypted (SQLCipher 4) versus plain projects, in one run: import, open, records filter.

Usage: python benchmarks/encryption_bench.py [--documents 200] [--size 20000]
       [--records 100000] [--repeat 3]
For each kind of project, alternating: the import of --documents synthetic text files of
--size characters through the real import service (MB/s, best of --repeat fresh projects);
opening the project (the passphrase's key derivation included; median of 5 opens); and the
records service's filter the records panel reads (all records, one type, one status, one
document's records) over --records records with a passage each (median of --repeat).
Prints each figure and the ratio encrypted / plain.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

from benchmarks.synthetic import write_corpus
from workbench.project import Project
from workbench.services.documents import ImportOptions
from workbench.storage.cipher import Passphrase
from workbench.storage.models import Annotation, Code, Document, Evidence, Record

KEY = Passphrase("a passphrase of the benchmark")
KINDS = ("plain", "encrypted")
TYPES = ("person", "place", "organization", "event", "figure")
STATUSES = ("suggested", "accepted", "rejected")


def _key(kind: str) -> Passphrase | None:
    return KEY if kind == "encrypted" else None


def import_mb_s(kind: str, files: list[Path], folder: Path, run: int) -> float:
    """MB/s of importing ``files`` into a fresh project of ``kind``."""
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    with Project(folder / f"import-{kind}-{run}.twb", passphrase=_key(kind)) as project:
        start = time.perf_counter()
        report = project.documents.import_paths(files, ImportOptions(detect_published=False))
        seconds = time.perf_counter() - start
    assert len(report.imported) == len(files), report.refused
    return megabytes / seconds


def fill_records(project: Project, count: int) -> None:
    """``count`` records, each with one passage in one of the project's documents."""
    rng = random.Random(7)
    now = datetime.now(UTC).replace(tzinfo=None)
    with project.write_connection() as conn:
        codes = dict(conn.execute(select(Code.name, Code.id)).all())
        documents = list(conn.execute(select(Document.id)).scalars())
        records, annotations, evidence = [], [], []
        for i in range(1, count + 1):
            kind = TYPES[i % len(TYPES)]
            status = rng.choice(STATUSES)
            records.append({
                "id": i, "type_id": codes[kind], "label": f"Name {rng.randrange(50_000)} {i}",
                "fields": {}, "status": status, "origin": "extracted", "confidence": 0.5,
                "note": "", "created_at": now, "updated_at": now, "protected": False,
            })  # fmt: skip
            annotations.append({
                "id": i, "document_id": documents[i % len(documents)], "start": 0, "end": 4,
                "quote": "Name", "code_id": codes[kind], "origin": "extracted",
                "status": status, "note": "", "created_at": now, "updated_at": now,
            })  # fmt: skip
            evidence.append({"record_id": i, "annotation_id": i, "role": "mention",
                             "created_at": now})  # fmt: skip
        conn.execute(Record.__table__.insert(), records)
        conn.execute(Annotation.__table__.insert(), annotations)
        conn.execute(Evidence.__table__.insert(), evidence)


def open_seconds(path: Path, kind: str, times: int = 5) -> float:
    """Median seconds from ``Project(...)`` to the first list of documents."""
    spans = []
    for _ in range(times):
        start = time.perf_counter()
        with Project(path, passphrase=_key(kind)) as project:
            project.documents.list()
            spans.append(time.perf_counter() - start)
    return statistics.median(spans)


def filter_seconds(project: Project, repeat: int) -> dict[str, float]:
    """Median seconds of each filter the records panel asks the records service for."""
    document = project.documents.list()[0].id
    filters: dict[str, Callable[[], object]] = {
        "all records": project.records.list,
        "one type (person)": lambda: project.records.list(type_name="person"),
        "one status (accepted)": lambda: project.records.list(status="accepted"),
        "one document's records": lambda: project.records.list(document_id=document),
    }
    result = {}
    for name, run in filters.items():
        spans = []
        for _ in range(repeat):
            start = time.perf_counter()
            run()
            spans.append(time.perf_counter() - start)
        result[name] = statistics.median(spans)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = list(write_corpus(folder / "corpus", args.documents, args.size))
        megabytes = sum(p.stat().st_size for p in files) / 1e6
        imports: dict[str, list[float]] = {kind: [] for kind in KINDS}
        for run in range(args.repeat):
            for kind in KINDS if run % 2 == 0 else reversed(KINDS):
                imports[kind].append(import_mb_s(kind, files, folder, run))
        opens, filters = {}, {}
        for kind in KINDS:
            path = folder / f"import-{kind}-0.twb"
            with Project(path, passphrase=_key(kind)) as project:
                fill_records(project, args.records)
            opens[kind] = open_seconds(path, kind)
            with Project(path, passphrase=_key(kind)) as project:
                filters[kind] = filter_seconds(project, args.repeat)
    print(f"{args.documents} documents (~{megabytes:.1f} MB), {args.records:,} records")
    print(f"{'':34}{'plain':>10}{'encrypted':>12}{'ratio':>8}")
    best = {kind: max(imports[kind]) for kind in KINDS}
    rows = [("import, MB/s (best)", best["plain"], best["encrypted"], "MB/s")]
    rows.append(("open, s (median of 5)", opens["plain"], opens["encrypted"], "s"))
    for name in filters["plain"]:
        rows.append((f"filter: {name}, s", filters["plain"][name],
                     filters["encrypted"][name], "s"))  # fmt: skip
    for name, plain, encrypted, _unit in rows:
        print(f"{name:34}{plain:>10.3f}{encrypted:>12.3f}{encrypted / plain:>8.2f}")


if __name__ == "__main__":
    main()
