"""One name, one type across the project: suggestions take the type the project's records of
the same name clearly have, earlier suggestions are re-typed in place on a re-run, and what
the user decided is never changed."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from tests.conftest import import_text
from workbench.domain import DocumentId, RecordId
from workbench.extraction.pipeline import DocumentExtraction, Suggestion
from workbench.project import Project
from workbench.services.extraction import ExtractionReport
from workbench.storage.models import Annotation, Code, Evidence, Record

NAME = "Kalyna Watch"


def _store(project: Project, doc_id: DocumentId, type_name: str) -> None:
    """What extraction would store for a document that opens with NAME."""
    suggestion = Suggestion(f"{type_name}:{NAME.lower()}", type_name, NAME, 0.7, [(0, len(NAME))])
    project.extraction.store(doc_id, DocumentExtraction([suggestion]), ExtractionReport())


def _types(project: Project, doc_id: DocumentId) -> list[tuple[str, str, str]]:
    """(record type, passage code, status) of the records on the document's NAME."""
    with project.session() as session:
        rows = session.execute(
            select(Record.type_id, Annotation.code_id, Record.status)
            .join(Evidence, Evidence.record_id == Record.id)
            .join(Annotation, Evidence.annotation_id == Annotation.id)
            .where(Annotation.document_id == doc_id, Record.label == NAME)
        ).all()
        names = {c.id: c.name for c in session.scalars(select(Code))}
    return sorted((names[t], names[c], s) for t, c, s in rows)


def _documents(project: Project, tmp_path: Path, count: int, first: int = 0) -> list[DocumentId]:
    return [
        import_text(project, tmp_path, f"d{n}.txt", f"{NAME} helps 🙂 soldiers leave. ({n})\n").id
        for n in range(first, first + count)
    ]


def test_a_name_takes_the_type_the_project_gives_it(project: Project, tmp_path: Path) -> None:
    first, second, third, fourth, fifth = _documents(project, tmp_path, 5)
    _store(project, first, "person")  # alone, nothing to vote with
    assert _types(project, first) == [("person", "person", "suggested")]
    _store(project, second, "organization")  # one against one: each keeps its own
    assert _types(project, second) == [("organization", "organization", "suggested")]
    _store(project, third, "organization")
    _store(project, fourth, "organization")
    _store(project, fifth, "person")  # three organisations against one person and itself
    assert _types(project, fifth) == [("organization", "organization", "suggested")]
    _store(project, first, "person")  # a re-run re-types the earlier suggestion in place
    assert _types(project, first) == [("organization", "organization", "suggested")]
    _store(project, first, "person")  # and then changes nothing
    assert _types(project, first) == [("organization", "organization", "suggested")]


def test_the_users_decisions_vote_and_are_never_changed(project: Project, tmp_path: Path) -> None:
    first, second, third = _documents(project, tmp_path, 3)
    _store(project, first, "person")
    (accepted,) = (RecordId(r.id) for r in project.records.list(type_name="person"))
    project.review.set_status([accepted], "accepted")
    _store(project, second, "organization")  # an accepted person: 4 votes against 1
    assert _types(project, second) == [("person", "person", "suggested")]
    _store(project, first, "person")
    assert _types(project, first) == [("person", "person", "accepted")]  # decided: kept
    project.review.set_status([accepted], "rejected")  # a rejected record does not vote
    _store(project, third, "organization")  # one suggested person against its own vote
    assert _types(project, third) == [("organization", "organization", "suggested")]
