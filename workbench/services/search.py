"""Corpus search: the full-text index finds the documents, then the exact passages are
located in their text (FTS5 in a file, the GIN index of ``storage/fts.py`` on a server).

A search is for whole words by default: "hospital" does not find "hospitalized". A word
boundary is any character that is not a letter, digit or underscore in any script, so it
holds for Cyrillic and next to emoji; FTS5's ``unicode61`` tokens agree (emoji separate
words). Without whole words the phrase may also begin longer words (an FTS5 prefix query).
On a server the index picks the documents holding every word of the query (each word a
prefix without whole words), not the phrase: PostgreSQL keeps word positions only up to
16,383, so a phrase further into a long document would be missed; the text is read anyway.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

from workbench.domain import DocumentId
from workbench.storage.fts import server_query

if TYPE_CHECKING:
    from workbench.project import Project

CONTEXT = 60  # characters of context on each side of a hit
LIMIT = 2000  # hits at most, by default


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


_FILE_QUERY = text(
    "SELECT d.id, d.title, d.text FROM documents_fts f "
    "JOIN documents d ON d.id = f.rowid WHERE documents_fts MATCH :q "
    "ORDER BY d.id"
)
_SERVER_QUERY = {
    prefix: text(
        "SELECT d.id, d.title, d.text FROM documents d "  # noqa: S608 - our constants
        f"WHERE d.words @@ {server_query(':q', prefix=prefix)} ORDER BY d.id"
    )
    for prefix in (False, True)
}


def _documents(conn: Connection, query: str, *, whole_word: bool) -> Iterator[tuple[int, str, str]]:
    """The documents that may hold the query, in id order: their id, title and text."""
    if conn.dialect.name == "sqlite":
        phrase = fts_phrase(query) + ("" if whole_word else "*")
        rows = conn.execute(_FILE_QUERY, {"q": "text : " + phrase})
    else:
        rows = conn.execute(_SERVER_QUERY[not whole_word], {"q": query})
    yield from rows


def phrase_pattern(query: str, *, whole_word: bool = False) -> re.Pattern[str]:
    """The words of the query in order, any whitespace between, case-insensitive; with
    ``whole_word``, not inside a longer word (where the query begins or ends with a letter
    or digit: "U.S." ends with a dot, which is a boundary already)."""
    words = query.split()
    pattern = r"\s+".join(re.escape(w) for w in words)
    if whole_word and re.match(r"\w", words[0]):
        pattern = r"(?<!\w)" + pattern
    if whole_word and re.search(r"\w$", words[-1]):
        pattern += r"(?!\w)"
    return re.compile(pattern, re.IGNORECASE)


class SearchService:
    """Search every document's text for a phrase."""

    def __init__(self, project: Project) -> None:
        self._project = project

    def find(self, query: str, *, whole_word: bool = True, limit: int = LIMIT) -> list[SearchHit]:
        """Occurrences of the phrase in all documents, in document and text order; with
        ``whole_word`` (the default) only where it is not part of a longer word."""
        if not re.search(r"\w", query):  # blank, or punctuation only
            return []
        pattern = phrase_pattern(query, whole_word=whole_word)
        hits: list[SearchHit] = []
        with self._project.engine.connect() as conn:
            rows = _documents(conn, query.strip(), whole_word=whole_word)
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
