"""Export speed: CSV of 1,000,000 annotation rows and XLSX of 100,000, from a real project file.

Usage: python benchmarks/export_bench.py [--rows 1000000]
Builds a project of ``--rows`` annotations (ten documents; each annotation the evidence of a
record, five per record, most records with a fuzzy date) with bulk inserts, not timed. Then
prints:
- the XLSX export of one document's annotations (a tenth of the rows, 100,000 by default):
  time (target <= 20 s); the process's resident memory (RSS, /proc/self/statm) before it and
  as sampled at each progress report (every 5,000 rows): after the first report, the highest
  and the last; and tracemalloc's peak of Python allocations for a tenth of the rows and for
  all of them, in a separate untimed run each. Flat memory: the RSS samples stay level and
  the two peaks are about equal;
- the CSV export of every annotation row: time (target <= 5 s) and its ratio (target <= 2x)
  to Python's csv module alone writing the same cells, already read and in memory as text,
  to a file in the same folder in the same run.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select

from benchmarks.measure import current_rss_mb
from benchmarks.synthetic import FIRST, LAST, PLACES
from workbench.export.model import Selection
from workbench.export.safe_csv import cell_text
from workbench.project import Project
from workbench.services.exports import ExportService
from workbench.storage.models import Annotation, Code, Document, Evidence, Record

DOCUMENTS = 10
PREVIEW_ROWS = 20  # as ui/export_dialog.py shows
PER_RECORD = 5  # annotations (evidence spans) of each record
CHUNK = 50_000  # rows per bulk insert
SENTENCE = 'Olena 🙂 said =SUM(A1) and «Я не хотел» near Kherson, "late March".\n'
T = TypeVar("T")
TYPES = ("person", "place", "event", "organization", "figure")


def _record(rng: random.Random, record_id: int, codes: Mapping[str, int]) -> dict[str, object]:
    """A record as extraction stores it: a label, a status and, for some, a fuzzy date."""
    day = date(2022, 1, 1) + timedelta(days=rng.randrange(900))
    dated = rng.random() < 0.6
    return {
        "id": record_id, "type_id": codes[TYPES[record_id % 5]], "fields": {},
        "label": f"{rng.choice(FIRST)} {rng.choice(LAST)} in {rng.choice(PLACES)}",
        "status": rng.choice(("suggested", "accepted", "rejected")), "origin": "extracted",
        "confidence": round(rng.random(), 3), "created_by": "bench",
        "date_text": day.strftime("%B %Y") if dated else None,
        "date_edtf": day.strftime("%Y-%m") if dated else None,
        "date_earliest": day.replace(day=1).isoformat() if dated else None,
        "date_latest": day.replace(day=28).isoformat() if dated else None,
    }  # fmt: skip


def build(path: Path, rows: int) -> None:
    """A project of ``rows`` annotations over DOCUMENTS documents, PER_RECORD per record."""
    rng = random.Random(7)
    per_document = rows // DOCUMENTS
    now = datetime(2024, 5, 4, 12, 30)
    with Project(path, actor="bench") as project:
        with project.transaction() as session:
            codes = {c.name: c.id for c in session.scalars(select(Code))}
            for n in range(DOCUMENTS):
                session.add(Document(
                    title=f"Testimony {n + 1}", format="txt", original_name=f"t{n + 1}.txt",
                    original_sha256=f"{n:064x}", text_sha256=f"{n:064x}", published="2024-05-04",
                    text=SENTENCE * per_document, chars=len(SENTENCE) * per_document,
                ))  # fmt: skip
            session.flush()
            documents = [d.id for d in session.scalars(select(Document).order_by(Document.id))]
        with project.write_connection() as conn:
            records = [_record(rng, i, codes) for i in range(1, rows // PER_RECORD + 1)]
            for start in range(0, len(records), CHUNK):
                conn.execute(insert(Record), records[start : start + CHUNK])
            del records
            for start in range(0, rows, CHUNK):
                annotations, evidence = [], []
                for i in range(start + 1, min(start + CHUNK, rows) + 1):
                    offset = ((i - 1) % per_document) * len(SENTENCE)
                    annotations.append({
                        "id": i, "document_id": documents[(i - 1) // per_document],
                        "start": offset, "end": offset + len(SENTENCE) - 1,
                        "quote": SENTENCE[:-1], "code_id": codes[TYPES[i % 5]],
                        "author": "bench", "origin": "extracted", "status": "suggested",
                        "confidence": 0.5, "note": "", "created_at": now, "updated_at": now,
                    })  # fmt: skip
                    evidence.append({"record_id": (i - 1) % (rows // PER_RECORD) + 1,
                                     "annotation_id": i, "role": "mention"})  # fmt: skip
                conn.execute(insert(Annotation), annotations)
                conn.execute(insert(Evidence), evidence)


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def traced_peak_mb(fn: Callable[[], object]) -> float:
    """Peak of Python allocations while ``fn`` runs, in MB (tracemalloc; slows it down)."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        path = tmp / "export-bench.twb"
        seconds, _ = timed(lambda: build(path, args.rows))
        print(f"built {args.rows:,} annotations in {seconds:.1f} s (not part of the figures)")
        with Project(path, actor="bench") as project:
            exports = project.exports
            # XLSX first, while nothing else big is held, so peak RSS growth is its own.
            part = Selection(document_ids=frozenset({1}))
            out = tmp / "part.xlsx"
            rss = [current_rss_mb()]
            seconds, count = timed(lambda: exports.export(
                "annotations", "xlsx", out, selection=part,
                progress=lambda *_: rss.append(current_rss_mb())))  # fmt: skip
            print(f"XLSX  {count:,} rows        {seconds:6.2f} s (target <= 20)   "
                  f"{out.stat().st_size / 1e6:.0f} MB file")  # fmt: skip
            print(f"XLSX  RSS {rss[0]:.0f} MB before; at the first report {rss[1]:.0f} MB, "
                  f"highest {max(rss):.0f} MB, last {rss[-1]:.0f} MB")  # fmt: skip
            # document 1 holds one passage of each of the records 1 to rows / 10
            tenth = frozenset(range(1, count // 10 + 1))
            small = Selection(document_ids=part.document_ids, record_ids=tenth)
            peaks = []
            traced = tmp / "traced.xlsx"
            for chosen in (small, part):
                peaks.append(traced_peak_mb(partial(exports.export,
                    "annotations", "xlsx", traced, selection=chosen, force=True)))  # fmt: skip
            print(f"XLSX  tracemalloc peak: {peaks[0]:.1f} MB for a tenth of the rows, "
                  f"{peaks[1]:.1f} MB for all (flat if about equal)")  # fmt: skip

            out = tmp / "all.csv"
            seconds, count = timed(lambda: exports.export("annotations", "csv", out))
            table = exports.dataset(Selection()).table("annotations")
            cells = [[cell_text(v, safe=True) for v in row] for row in table.rows()]
            baseline, _ = timed(lambda: _csv_alone(tmp / "baseline.csv", table.columns, cells))
            assert (tmp / "baseline.csv").read_bytes() == out.read_bytes()
            print(f"CSV   {count:,} rows    {seconds:6.2f} s (target <= 5)    "
                  f"csv module alone {baseline:.2f} s: {seconds / baseline:.2f}x "
                  f"(target <= 2)")  # fmt: skip
            previews = [_preview(exports, what) for what in ("records", "annotations", "timeline")
                        for _ in range(3)]  # fmt: skip
            print(f"Preview of the Export dialog (first {PREVIEW_ROWS} rows of a table over "
                  f"{args.rows:,} annotations): median {sorted(previews)[len(previews) // 2]:.0f}"
                  f" ms, worst {max(previews):.0f} ms (target <= 100)")  # fmt: skip
    return 0


def _preview(exports: ExportService, what: str) -> float:
    """Milliseconds the dialog's preview takes to read its rows (the widget fill is ~1 ms)."""
    started = time.perf_counter()
    rows = exports.dataset(Selection(statuses=frozenset({"accepted", "suggested"})))
    rows.table(what).head(PREVIEW_ROWS)
    return (time.perf_counter() - started) * 1000


def _csv_alone(path: Path, columns: tuple[str, ...], cells: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows(cells)


if __name__ == "__main__":
    sys.exit(main())
