"""A copy worked on offline, in a file, merges into the team's project on the server."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import select

from tests.conftest import import_text
from tests.server.conftest import Server
from workbench.cli import main
from workbench.project import Project
from workbench.services.merge_projects import merge_project
from workbench.storage.models import Annotation

TEXT = "Свідчення 🙂: Olena Marchenko crossed near Kherson in March 2024.\n"


def _span(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def _passages(project: Project) -> list[tuple[int, int, str | None]]:
    with project.session() as session:
        rows = session.execute(
            select(Annotation.start, Annotation.end, Annotation.author).order_by(
                Annotation.start, Annotation.author
            )
        ).all()
    return [tuple(row) for row in rows]


def test_a_file_copy_merges_into_the_server_project_once(
    pg_server: Server, database: str, tmp_path: Path
) -> None:
    base = tmp_path / "base.twb"
    with Project(base, actor="anna") as anna:
        doc = import_text(anna, tmp_path, "a.txt", TEXT).id
        anna.review.annotate(doc, *_span("Olena Marchenko"), "person")
    url = pg_server.url(database)
    assert main(["copy", str(base), url]) == 0
    copy = tmp_path / "vera.twb"
    shutil.copy(base, copy)
    with Project(copy, actor="vera") as vera:  # her offline work
        vera.review.annotate(doc, *_span("Kherson"), "place")
        import_text(vera, tmp_path, "b.txt", "Друга розповідь 🙂 from Mariupol.\n")
    before = copy.read_bytes()
    with Project(url, actor="lead") as team:
        report = merge_project(team, copy)
        assert (report.documents, report.annotations) == (1, 1)
        merged = _passages(team)
        assert merged == [(*_span("Olena Marchenko"), "anna"), (*_span("Kherson"), "vera")]
        assert sorted(d.title for d in team.documents.list()) == ["a", "b"]
        again = merge_project(team, copy)
        assert (again.documents, again.annotations, again.records) == (0, 0, 0)
        assert _passages(team) == merged
    assert copy.read_bytes() == before  # the copy is only read
