"""Extraction speed: our whole extraction (storing included) against spaCy's bare NER.

Usage: python benchmarks/extract_bench.py [--count 60] [--size 20000]
Uses the synthetic corpus of the import benchmark. Both sides run on the same texts in the
same process, with their models loaded before timing. Prints KB/s, peak RSS and the ratio,
then the time of the date and figure finders on the long inputs the unit tests read through.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.measure import peak_rss_mb
from benchmarks.synthetic import write_corpus
from workbench.extraction.dates import find_dates
from workbench.extraction.figures import find_figures
from workbench.extraction.nlp import MODEL, load_pipeline
from workbench.project import Project

# The long inputs of tests/core/test_dates_phrase.py and tests/core/test_figures_negatives.py.
PARAGRAPH = (
    "Roman Tikhonov, 27, crossed into Kazakhstan on May 4, 2024. Two days later he was "
    "detained in Astana; a court released him on May 8. He signed a contract in early "
    "2023 and was sent to the Kharkiv region in the summer of 2023, where units have "
    "fought since the fall of 2022. About 1,740 names were added, 24/7, by the 47th "
    "Division. In late March he left the hospital and by September a ruling is due.\n\n"
)
NUMBER_RUNS = "1 - 2 - 3 " * 2000 + "and 12 000 000 000 " * 300 + "more than 30 men. " * 500


def long_inputs(nlp: Any) -> None:
    """Print how long the date finder takes on a 20,000-character document (best of 5, after
    one warm-up run) and the figure finder on long runs of numbers (once, parsing excluded)."""
    text = (PARAGRAPH * 60)[:20_000]
    published = date(2024, 5, 20)
    find_dates(text, published)
    dates_s = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        mentions = find_dates(text, published)
        dates_s = min(dates_s, time.perf_counter() - start)
    doc = nlp(NUMBER_RUNS)
    start = time.perf_counter()
    figures = find_figures(doc)
    figures_s = time.perf_counter() - start
    print(f"dates, 20,000 chars {dates_s * 1000:6.1f} ms  [{len(mentions)} dates]  (target < 1 s)")
    print(f"figures, long runs  {figures_s:6.2f} s   [{len(figures)} figures]  (target < 5 s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--size", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = list(write_corpus(root / "corpus", args.count, args.size))
        texts = [p.read_text(encoding="utf-8") for p in paths]
        kilobytes = sum(len(t.encode("utf-8")) for t in texts) / 1000
        with Project(root / "bench.twb", actor="bench") as project:
            project.documents.import_paths([root / "corpus"])
            load_pipeline()
            rss_loaded = peak_rss_mb()
            start = time.perf_counter()
            report = project.extraction.run()
            ours_s = time.perf_counter() - start
        rss_ours = peak_rss_mb()

        import spacy  # noqa: PLC0415

        bare = spacy.load(MODEL, enable=["tok2vec", "ner"], disable=[])
        list(bare.pipe(texts[:1]))
        start = time.perf_counter()
        entities = sum(len(doc.ents) for doc in bare.pipe(texts, batch_size=16))
        bare_s = time.perf_counter() - start

    added = ", ".join(f"{n} {t}" for t, n in sorted(report.added.items()))
    print(f"documents         {args.count} x ~{args.size:,} chars = {kilobytes:,.0f} KB")
    print(f"ours (stored)     {ours_s:6.1f} s  {kilobytes / ours_s:6.1f} KB/s  [{added}]")
    print(
        f"bare spaCy NER    {bare_s:6.1f} s  {kilobytes / bare_s:6.1f} KB/s  [{entities} entities]"
    )
    print(f"ratio ours/bare   {ours_s / bare_s:.2f}  (target <= 1.5)")
    print(f"peak RSS          {rss_ours:.0f} MB after our run (model loaded: {rss_loaded:.0f} MB; "
          "target <= 800)")  # fmt: skip
    long_inputs(load_pipeline())
    return 0


if __name__ == "__main__":
    sys.exit(main())
