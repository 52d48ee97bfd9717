"""Redacted exports: what replacing protected names costs against the same export unredacted.

Usage: python benchmarks/redaction_bench.py [--rows 100000] [--chars 20000000]

Builds the project of ``benchmarks/export_bench.py`` (``--rows`` annotations over ten
documents, not timed) and protects one person named "Olena Petrenko" whose passage is the
"Olena" every annotated sentence starts with: every row and every sentence of every text
holds a name to replace, the worst case. Then prints, each once: building the redactor (the
Russian forms of the names: the first build in a process loads the analyser), the CSV of
every annotation and the whole-project JSON with and without redaction (each with the ratio
of the two), and the redactor finding the names in a text of ``--chars`` characters (with a
name every ~70). Nothing here is timed by a test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select, update

from benchmarks.export_bench import SENTENCE, build, timed
from workbench.export.model import ExportRequest
from workbench.project import Project
from workbench.services.redaction import build_redactor
from workbench.storage.models import Annotation, Code, Record


def protect_olena(project: Project) -> None:
    """Record 1 becomes the person "Olena Petrenko", its passages the "Olena" of their
    sentence, and is protected."""
    with project.transaction() as session:
        person = session.scalar(select(Code.id).where(Code.name == "person"))
        session.execute(
            update(Record).where(Record.id == 1).values(label="Olena Petrenko", type_id=person)
        )
        passages = select(Annotation.id).where(Annotation.id <= 5)
        session.execute(update(Annotation).where(Annotation.id.in_(passages)).values(quote="Olena"))
        session.execute(
            update(Annotation)
            .where(Annotation.id.in_(passages))
            .values(end=Annotation.start + len("Olena"))
        )
    project.records.protect([1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--chars", type=int, default=20_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build(folder / "bench.twb", args.rows)
        with Project(folder / "bench.twb", actor="bench") as project:
            protect_olena(project)
            seconds, redactor = timed(lambda: build_redactor(project))
            assert redactor is not None
            print(f"redactor built in {seconds:.2f} s")
            for what, fmt in (("annotations", "csv"), ("project", "json")):
                times = []
                for redact in (False, True):
                    output = folder / f"{what}.{redact}.{fmt}"
                    request = ExportRequest(what, fmt, output, redact=redact, force=True)
                    seconds, rows = timed(partial(project.exports.run, request))
                    times.append(seconds)
                plain, redacted = times
                print(f"{what} {fmt}, {rows:,} rows: {plain:.2f} s, redacted {redacted:.2f} s "
                      f"({redacted / plain:.1f}x)")  # fmt: skip
        text = (SENTENCE * (args.chars // len(SENTENCE) + 1))[: args.chars]
        started = time.perf_counter()
        found = redactor.find(text)
        seconds = time.perf_counter() - started
        print(f"found {len(found):,} names in {len(text):,} characters in {seconds:.2f} s "
              f"({len(text) / seconds / 1e6:.1f} M characters/s)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
