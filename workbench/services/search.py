"""Corpus search: FTS5 finds the documents, then the exact passages are located in their text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import text

from workbench.domain import DocumentId

if TYPE_CHECKING:
    from workbench.project import Project

CONTEXT = 60


@dataclass(frozen=True)
class SearchHit:
    """One occurrence of the query in a document (code-point offsets), with context."""

    document_id: DocumentId
    title: str
    start: int
    end: int
    before: str
    match: str
    after: str


def fts_phrase(query: str) -> str:
    """The query as one FTS5 phrase, quoted so its punctuation is never FTS syntax."""
    return '"' + query.replace('"', '""') + '"'


def phrase_pattern(query: str) -> re.Pattern[str]:
    """The words of the query in order, any whitespace between, case-insensitive."""
    words = query.split()
    return re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)


class SearchService:
    """Search every document's text for a phrase."""

    def __init__(self, project: Project) -> None:
        self._project = project

    def find(self, query: str, *, limit: int = 2000) -> list[SearchHit]:
        """Occurrences of the phrase in all documents, in document and text order."""
        if not re.search(r"\w", query):  # blank, or punctuation only
            return []
        pattern = phrase_pattern(query)
        hits: list[SearchHit] = []
        with self._project.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT d.id, d.title, d.text FROM documents_fts f "
                    "JOIN documents d ON d.id = f.rowid WHERE documents_fts MATCH :q "
                    "ORDER BY d.id"
                ),
                {"q": "text : " + fts_phrase(query.strip())},
            )
            for doc_id, title, body in rows:
                for match in pattern.finditer(body):
                    start, end = match.span()
                    hits.append(
                        SearchHit(
                            DocumentId(doc_id),
                            title,
                            start,
                            end,
                            body[max(0, start - CONTEXT) : start],
                            match.group(),
                            body[end : end + CONTEXT],
                        )
                    )
                    if len(hits) >= limit:
                        return hits
        return hits
