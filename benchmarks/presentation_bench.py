"""Presentation mode: what hiding protected names costs on screen.

Usage: python benchmarks/presentation_bench.py [--protected 50] [--records 100000]
       [--chars 300000] [--items 20000] [--repeat 3]

Builds a real project with ``--protected`` protected people (each with a passage), then
prints the median of ``--repeat`` runs of: building the screen (the project's redactor:
the first build in a process loads the Russian analyser), masking a document of ``--chars``
characters that names them, screening ``--records`` records (what the records panel is given;
it is given one document's records, so this is the worst case) and ``--items`` timeline
items (on the worker thread). Nothing here is timed by a test.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ui.presentation import Screen, _screen_of
from workbench.domain import RecordId, RecordInfo
from workbench.project import Project
from workbench.services.documents import ImportOptions
from workbench.timeline.model import DateSpan, Passage, make_item

GIVEN = ["Daniil", "Olena", "Pavel", "Roman", "Yelena", "Andriy", "Ivan", "Marta"]
FAMILY = ["Alfyorov", "Marchenko", "Zhilyaev", "Tikhonov", "Kovalenko", "Petrov", "Sokolov"]
FILLER = "soldiers crossed the river near the village before the shelling began and "


def median(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def names(count: int) -> list[str]:
    return [
        f"{GIVEN[i % len(GIVEN)]} {FAMILY[i % len(FAMILY)]}{i // 56 or ''}" for i in range(count)
    ]


def project_with(folder: Path, people: list[str]) -> Project:
    """A project whose one document names each person once; all of them protected."""
    text = "".join(f"{name} said that {FILLER}\n" for name in people)
    (folder / "names.txt").write_text(text, encoding="utf-8")
    project = Project(folder / "bench.twb", actor="bench")
    info, _ = project.documents.import_file(folder / "names.txt", ImportOptions())
    stored, at = project.documents.text(info.id), 0
    ids: list[int] = []
    for name in people:
        start = stored.index(name, at)
        at = start + len(name)
        ids += project.review.annotate(info.id, start, at, "person").record_ids
    project.records.protect(ids)
    return project


def document(people: list[str], chars: int) -> str:
    """About ``chars`` characters of text, a name every ~400 of them (some in Cyrillic)."""
    rng, parts, size = random.Random(7), [], 0
    while size < chars:
        name = rng.choice(people)
        part = f"{FILLER * 5}{name} 🙂 told us. Алфёрова ждала. "
        parts.append(part)
        size += len(part)
    return "".join(parts)


def records(people: list[str], count: int) -> list[RecordInfo]:
    rng = random.Random(3)
    made = datetime(2024, 5, 1)
    labels = [*people, "Kharkiv", "47th Tank Division", "the shelling of the hospital"]
    return [
        RecordInfo(RecordId(i), "person", f"{rng.choice(labels)} {i}", "accepted", "manual",
                   None, rng.choice(["", f"met {rng.choice(people)} twice"]), None, None,
                   None, None, "bench", made)
        for i in range(count)
    ]  # fmt: skip


def items(people: list[str], count: int) -> list:  # type: ignore[type-arg]
    rng, today = random.Random(5), date(2026, 1, 1)
    span = DateSpan("May 4, 2024", "2024-05-04", date(2024, 5, 4), date(2024, 5, 4))
    return [
        make_item(record_id=i, record_type="event", label=f"{rng.choice(people)} crossed {i}",
                  status="accepted", date=span, today=today,
                  passages=(Passage(i, 1, "testimony", 0, 10, f"{rng.choice(people)} left"),),
                  persons=(rng.choice(people),), places=("Kazakhstan",))
        for i in range(count)
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--protected", type=int, default=50)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--chars", type=int, default=300_000)
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    people = names(args.protected)
    with tempfile.TemporaryDirectory() as folder:
        project = project_with(Path(folder), people)
        first, _ = median(lambda: _screen_of(project), 1)
        built, screen = median(lambda: _screen_of(project), args.repeat)
        project.close()
    assert isinstance(screen, Screen) and screen.hides

    def fresh() -> Screen:  # a new screen remembers nothing yet, as after each renewal
        return Screen(screen._find, {r: screen.pseudonym(r) or "" for r in screen._pseudonyms})

    text = document(people, args.chars)
    masked, shown = median(lambda: fresh().mask(text), args.repeat)
    assert isinstance(shown, str)
    assert len(shown.encode("utf-16-le")) == len(text.encode("utf-16-le"))
    rows = records(people, args.records)
    screened, _ = median(lambda: fresh().records(rows), args.repeat)
    again, _ = median(lambda: screen.records(rows), args.repeat)
    timeline = items(people, args.items)
    drawn, _ = median(lambda: fresh().timeline_items(timeline), args.repeat)
    ms = 1000
    print(f"{args.protected} protected people")
    print(
        f"screen built: {first * ms:.0f} ms the first time in a process, then {built * ms:.0f} ms"
    )
    print(f"mask a {len(text):,}-character document: {masked * ms:.0f} ms")
    print(f"screen {len(rows):,} records: {screened * ms:.0f} ms ({again * ms:.0f} ms seen before)")
    print(f"screen {len(timeline):,} timeline items: {drawn * ms:.0f} ms")


if __name__ == "__main__":
    main()
