"""Records whose year could not be worked out stay on the timeline, listed apart."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from tests.conftest import import_text
from workbench.cli import main as cli_main
from workbench.export.columns import TIMELINE_COLUMNS
from workbench.project import Project
from workbench.timeline.filters import TimelineFilter, summary_line
from workbench.timeline.model import DateSpan, Passage, TimelineItem, make_item

UNDATED = "Ivan crossed the border on March 10, his lawyer said. He was caught in late May.\n"
DATED = "Pavel deserted on May 4, 2024.\n"


def year_unknown_project(project: Project, folder: Path) -> list[int]:
    """Two events from a document without a published date, then one from a dated one:
    their record ids."""
    undated = import_text(project, folder, "undated.txt", UNDATED)
    dated = import_text(project, folder, "dated.txt", DATED, published="2024-05-20")
    assert undated.published is None
    made = []
    for document, said, when in ((undated, "Ivan crossed the border", "March 10"),
                                 (undated, "He was caught", "late May"),
                                 (dated, "Pavel deserted", "May 4, 2024")):  # fmt: skip
        start = project.documents.text(document.id).index(said)
        step = project.review.annotate(document.id, start, start + len(said), "event")
        made.append(step.record_ids[0])
        project.review.edit(made[-1], date_text=when)
    return made


def test_year_unknown_records_come_after_the_dated_ones_in_month_order(
    project: Project, tmp_path: Path
) -> None:
    march, may, known = year_unknown_project(project, tmp_path)
    items = project.timeline.items()
    assert [i.record_id for i in items] == [known, march, may]
    assert [i.year_unknown for i in items] == [False, True, True]
    assert [i.date.edtf for i in items[1:]] == ["XXXX-03-10", "XXXX-05-21/XXXX-05-31"]
    assert (items[1].start, items[1].end) == (0.0, 0.0)  # no place on the axis
    assert [i.record_id for i in project.timeline.items(record_ids=[may])] == [may]


def test_the_csv_lists_them_after_the_dated_ones_with_empty_bounds(
    project: Project, tmp_path: Path
) -> None:
    march, may, known = year_unknown_project(project, tmp_path)
    project.close()  # the command opens the project itself
    out = tmp_path / "timeline.csv"
    command = ["export", "timeline", "--format", "csv", "--output", str(out)]
    assert cli_main(["--project", str(project.path), *command]) == 0
    with out.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [dict(zip(header, row, strict=True)) for row in reader]
    assert tuple(header) == TIMELINE_COLUMNS
    assert [int(r["record_id"]) for r in rows] == [known, march, may]
    assert [(r["date_text"], r["date_edtf"], r["date_earliest"], r["date_latest"])
            for r in rows[1:]] == [("March 10", "XXXX-03-10", "", ""),
                                   ("late May", "XXXX-05-21/XXXX-05-31", "", "")]  # fmt: skip
    assert rows[1]["document_title"] == "undated" and rows[1]["quote"] == "Ivan crossed the border"


def item(
    record_id: int, low: str | None, high: str | None, documents: tuple[int, ...] = ()
) -> TimelineItem:
    return make_item(
        record_id=record_id,
        record_type="event",
        label=f"event {record_id}",
        status="accepted",
        date=DateSpan(
            "",
            "XXXX-03" if low is None else low,
            date.fromisoformat(low) if low else None,
            date.fromisoformat(high) if high else None,
        ),
        today=date(2026, 11, 23),
        passages=tuple(Passage(1, d, f"doc {d}", 0, 1, "x") for d in documents),
    )


def test_a_date_range_filter_leaves_year_unknown_items_out() -> None:
    unknown = item(1, None, None)
    assert TimelineFilter().matches(unknown)
    assert TimelineFilter(record_types=frozenset({"event"})).matches(unknown)
    assert not TimelineFilter(date_from=date(2024, 1, 1)).matches(unknown)
    assert not TimelineFilter(date_to=date(2024, 12, 31)).matches(unknown)


def test_the_summary_counts_both_and_names_the_documents_to_date() -> None:
    dated = [item(i, "2024-05-04", "2024-05-04") for i in range(25)]
    unknown = [item(100 + i, None, None, documents=(i % 3 + 1,)) for i in range(28)]
    assert summary_line(dated, unknown, (25, 28)) == (
        "25 dated, 28 without a year — set the published date of 3 documents"
    )
    assert summary_line(dated[:4], unknown[:1], (25, 28), "type: event") == (
        "Showing 4 of 25 dated, 1 of 28 without a year — set the published date of 1 "
        "document — type: event"
    )
    assert summary_line(dated, [], (25, 0)) == "Showing all 25 dated records"
    no_passage = [item(200, None, None)]
    assert summary_line([], no_passage, (0, 1)) == "0 dated, 1 without a year"
