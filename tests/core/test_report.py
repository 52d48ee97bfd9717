"""The report page: events with their phrase and bounds and cited quotes, figures in a table,
people and places, every piece of text escaped."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import import_text
from workbench.domain import DocumentId, RecordId
from workbench.export.model import Selection, WriteOptions
from workbench.export.report import HtmlReportWriter
from workbench.project import Project

TEXT = (
    "On March 10 Olena <b>Marchenko</b> 🙂 treated more than 40 wounded in Kherson.\n"
    "=cmd|' /C calc'!A0 was written on the wall.\n"
)


@pytest.fixture
def reported(project: Project, tmp_path: Path) -> tuple[Project, DocumentId]:
    doc = import_text(project, tmp_path, "a.txt", TEXT, published="2024-05-20").id
    project.documents.update_metadata([doc], outlet="Radio <Liberty>")
    for phrase, code in (("Olena <b>Marchenko</b>", "person"), ("Kherson", "place"),
                         ("=cmd|' /C calc'!A0", "person")):  # fmt: skip
        start = TEXT.index(phrase)
        project.review.annotate(doc, start, start + len(phrase), code)
    start = TEXT.index("On March 10")
    event = project.review.annotate(doc, start, start + 60, "event").record_ids[0]
    project.review.edit(event, date_text="March 10", label="Olena treated the wounded")
    start = TEXT.index("more than 40 wounded")
    figure = project.review.annotate(doc, start, start + 20, "figure").record_ids[0]
    project.review.edit(figure, fields={"min": 41, "unit": "wounded", "qualifier": "more than"})
    return project, doc


class _Text(HTMLParser):
    """The page's visible text and its tags."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _page(project: Project, out: Path, selection: Selection | None = None) -> _Text:
    project.exports.export("report", "html", out, selection=selection)
    parsed = _Text()
    parsed.feed(out.read_text(encoding="utf-8"))
    return parsed


def test_the_report_cites_every_quote_and_escapes_all_text(
    reported: tuple[Project, DocumentId], tmp_path: Path
) -> None:
    project, _ = reported
    page = _page(project, tmp_path / "report.html")
    text = "".join(page.text)
    assert "March 10 — Olena treated the wounded" in text
    assert "2024-03-10 to 2024-03-10 · EDTF 2024-03-10" in text
    assert "Olena <b>Marchenko</b>" in text  # a label with markup, shown as written
    assert "“a”, Radio <Liberty>, 2024-05-20" in text
    assert "=cmd|' /C calc'!A0" in text  # text, shown as written, never run
    assert "b" not in page.tags and "script" not in page.tags
    assert [t for t in page.tags if t == "table"] == ["table"]  # the figures
    assert "more than" in text and "41" in text


def test_without_the_application_there_is_no_picture(
    reported: tuple[Project, DocumentId], tmp_path: Path
) -> None:
    project, _ = reported
    out = tmp_path / "plain.html"
    data = project.exports.dataset(Selection())
    HtmlReportWriter().write(data, "report", out, options=WriteOptions())
    assert "<img" not in out.read_text(encoding="utf-8")


def test_a_dossier_covers_the_person_and_what_is_linked_to_them(
    reported: tuple[Project, DocumentId], tmp_path: Path
) -> None:
    project, _ = reported
    olena = RecordId(1)
    chosen = Selection(record_ids=frozenset(project.records.dossier(olena)))
    text = "".join(_page(project, tmp_path / "dossier.html", chosen).text)
    assert "Olena <b>Marchenko</b>" in text
    assert "Kherson" not in text and "Figures" not in text
