"""Timeline speed: 20,000 dated records over 30 years in a real project file.

Usage: python benchmarks/timeline_bench.py [--items 20000] [--years 30] (runs offscreen)
Prints the time to read the items from the project, the time from showing the timeline to
its first painted frame, the paint time of each zoom and pan frame (median, 95th percentile
and worst, for lanes by event type and by person) and how much the process memory grew.
Targets: first paint <= 300 ms; frames <= 33 ms (16 ms wished); memory growth <= 200 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication
from sqlalchemy import insert, select

from benchmarks.measure import current_rss_mb
from benchmarks.synthetic import FIRST, LAST, PLACES
from ui.app import application
from ui.timeline.canvas import quantised
from ui.timeline.panel import TimelinePanel
from workbench.project import Project
from workbench.storage.models import (
    Annotation,
    Code,
    Document,
    Evidence,
    Record,
    RecordLink,
)

EVENT_TYPES = ["desertion", "detention", "injury", "medical_treatment", "combat",
               "deployment", "recruitment", "asylum", "border_crossing", "casualty_report",
               "statement", "other"]  # fmt: skip


def reading(rng: random.Random, start: date, days: int) -> dict[str, object]:
    """A date as extraction stores it: a day, a month, a season, an open interval..."""
    day = start + timedelta(days=rng.randrange(days))
    kind = rng.random()
    if kind < 0.45:
        return {"date_text": day.strftime("%B %d, %Y"), "date_edtf": day.isoformat(),
                "date_earliest": day.isoformat(), "date_latest": day.isoformat()}  # fmt: skip
    if kind < 0.75:
        first = day.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return {"date_text": first.strftime("%B %Y"), "date_edtf": first.strftime("%Y-%m"),
                "date_earliest": first.isoformat(), "date_latest": last.isoformat()}  # fmt: skip
    if kind < 0.85:
        first = day.replace(month=6, day=1)
        return {"date_text": f"summer {day.year}", "date_edtf": f"{day.year}-22",
                "date_earliest": first.isoformat(),
                "date_latest": day.replace(month=8, day=31).isoformat()}  # fmt: skip
    if kind < 0.93:
        end = min(day + timedelta(days=rng.randrange(60, 900)), start + timedelta(days=days))
        return {"date_text": f"since {day:%B %Y}", "date_edtf": f"{day:%Y-%m}/..",
                "date_earliest": day.isoformat(), "date_latest": end.isoformat()}  # fmt: skip
    return {"date_text": f"by {day:%B %Y}", "date_edtf": f"../{day:%Y-%m}",
            "date_earliest": None, "date_latest": day.isoformat()}  # fmt: skip


def build(path: Path, count: int, years: int) -> None:
    """A project with one document and ``count`` dated events, each with its passage and
    links to one or two of 200 people and one of the places."""
    rng = random.Random(11)
    start = date(2026 - years, 1, 1)
    days = years * 365
    sentence = "He said the unit left that week 🙂. "
    with Project(path, actor="bench") as project:
        with project.transaction() as session:
            codes = {c.name: c.id for c in session.scalars(select(Code))}
            doc = Document(title="Synthetic testimony", format="txt", original_name="bench.txt",
                           original_sha256="0" * 64, text_sha256="1" * 64,
                           text=sentence * count, chars=len(sentence) * count)  # fmt: skip
            session.add(doc)
            session.flush()
            doc_id = doc.id
        people = [f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}" for i in range(200)]
        with project.write_connection() as conn:
            base = count + 1
            conn.execute(insert(Record), [
                {"id": base + i, "type_id": codes["person"], "label": name, "fields": {},
                 "status": "accepted", "origin": "manual"} for i, name in enumerate(people)
            ] + [
                {"id": base + 200 + i, "type_id": codes["place"], "label": name, "fields": {},
                 "status": "accepted", "origin": "manual"} for i, name in enumerate(PLACES)
            ])  # fmt: skip
            records, annotations, evidence, links = [], [], [], []
            for i in range(1, count + 1):
                offset = (i - 1) * len(sentence)
                records.append({"id": i, "type_id": codes["event"], "label": f"Event {i}",
                                "status": "accepted" if rng.random() < 0.4 else "suggested",
                                "origin": "extracted", "confidence": rng.random(),
                                "fields": {"event_type": rng.choice(EVENT_TYPES),
                                           "date_inferred": rng.random() < 0.2},
                                **reading(rng, start, days)})  # fmt: skip
                annotations.append({"id": i, "document_id": doc_id, "start": offset,
                                    "end": offset + len(sentence) - 1,
                                    "quote": sentence[:-1], "code_id": codes["event"],
                                    "origin": "extracted", "status": "suggested"})  # fmt: skip
                evidence.append({"record_id": i, "annotation_id": i, "role": "mention"})
                for person in rng.sample(range(200), rng.choice((1, 1, 2))):
                    links.append({"source_id": i, "target_id": base + person,
                                  "role": "participant"})  # fmt: skip
                links.append({"source_id": i, "target_id": base + 200 + rng.randrange(len(PLACES)),
                              "role": "place"})  # fmt: skip
            conn.execute(insert(Record), records)
            conn.execute(insert(Annotation), annotations)
            conn.execute(insert(Evidence), evidence)
            conn.execute(insert(RecordLink), links)


def frames(
    app: QApplication, panel: TimelinePanel, steps: int
) -> tuple[list[float], list[float], list[float]]:
    """Times of zoom frames (in, then out), of the frame that recomputes the rows once
    zooming pauses, and of pan frames, in ms."""
    canvas = panel.canvas
    zoom, settle, pan = [], [], []
    for factor in [1.25] * steps + [0.8] * steps:
        started = time.perf_counter()
        canvas.zoom_by(factor, canvas.view.width * 0.4)
        canvas.viewport().repaint()
        app.processEvents()
        zoom.append((time.perf_counter() - started) * 1000)
        if len(zoom) % 5 == 0:  # the user pauses: the rows are recomputed for this zoom
            settle.append(settling(app, panel))
    for dx in [60.0] * steps + [-60.0] * steps:
        started = time.perf_counter()
        canvas.pan_by(dx)
        canvas.viewport().repaint()
        app.processEvents()
        pan.append((time.perf_counter() - started) * 1000)
    return zoom, settle, pan


def settling(app: QApplication, panel: TimelinePanel) -> float:
    """Let the rows be recomputed after a pause in zooming; the longest the event loop was
    blocked meanwhile (one slice of the work and the repaint it may cause), in ms."""
    canvas = panel.canvas
    step = quantised(canvas.view.pixels_per_day)
    longest = 0.0
    deadline = time.perf_counter() + 5.0
    while canvas.frame(settled=False).layout.pixels_per_day != step:
        if time.perf_counter() > deadline:
            raise SystemExit("the rows were never recomputed after zooming")
        started = time.perf_counter()
        app.processEvents()
        canvas.viewport().repaint()
        longest = max(longest, (time.perf_counter() - started) * 1000)
        time.sleep(0.002)
    return longest


def summary(name: str, times: list[float]) -> str:
    times = sorted(times)
    p95 = times[int(len(times) * 0.95) - 1]
    return (f"{name:<28} median {statistics.median(times):5.1f} ms  p95 {p95:5.1f} ms  "
            f"worst {times[-1]:5.1f} ms (target <= 33)")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--years", type=int, default=30)
    parser.add_argument("--steps", type=int, default=20, help="zoom and pan frames each way")
    args = parser.parse_args()
    app = application()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "timeline.twb"
        build(path, args.items, args.years)
        with Project(path, actor="bench") as project:
            before = current_rss_mb()
            started = time.perf_counter()
            items = project.timeline.items()
            read = time.perf_counter() - started
            print(f"items             {len(items):,} over {args.years} years; "
                  f"read from the project {read * 1000:.0f} ms")  # fmt: skip
            panel = TimelinePanel(lambda: items)
            panel.resize(1400, 520)
            started = time.perf_counter()
            panel.show()
            while panel.canvas.loading:  # the items are read once the window has painted
                app.processEvents()
            panel.canvas.viewport().repaint()
            first = time.perf_counter() - started
            print(f"first paint       {first * 1000:.0f} ms after show "
                  f"(+{read * 1000:.0f} ms reading) (target <= 300); "
                  f"{panel.canvas.drawn:,} shapes drawn")  # fmt: skip
            for mode in ("event_type", "person"):
                panel.set_lane_mode(mode)
                panel.canvas.fit_all()
                app.processEvents()
                zoom, settle, pan = frames(app, panel, args.steps)
                print(summary(f"zoom frames, lanes {mode}", zoom))
                print(summary(f"longest block re-stacking, {mode}", settle))
                print(summary(f"pan frames, lanes {mode}", pan))
            grown = current_rss_mb() - before
            print(f"memory growth     {grown:.0f} MB (target <= 200)")
            panel.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
