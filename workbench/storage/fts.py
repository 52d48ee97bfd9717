"""FTS5 full-text index over document titles and text.

The index is kept in step by the services, inside the same transaction as the change, not by
triggers: projects open with ``trusted_schema=OFF``, under which SQLite refuses triggers that
write to FTS5 tables (a file from elsewhere could hide harmful triggers).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

# The same statement is frozen into the initial migration; a test checks both stay equal.
FTS_DDL: tuple[str, ...] = (
    "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
)


_INSERT = text("INSERT INTO documents_fts (rowid, title, text) VALUES (:id, :title, :body)")
_DELETE = text(
    "INSERT INTO documents_fts (documents_fts, rowid, title, text) "
    "VALUES ('delete', :id, :title, :body)"
)
_OPTIMIZE = text("INSERT INTO documents_fts (documents_fts) VALUES ('optimize')")


def index_document(conn: Connection, document_id: int, title: str, body: str) -> None:
    """Add a document to the full-text index."""
    conn.execute(_INSERT, {"id": document_id, "title": title, "body": body})


def unindex_document(conn: Connection, document_id: int, title: str, body: str) -> None:
    """Remove a document from the index (external content needs the old values)."""
    conn.execute(_DELETE, {"id": document_id, "title": title, "body": body})


def forget_removed(conn: Connection) -> None:
    """Merge the index into one segment, so no segment keeps the words of removed documents.

    An FTS5 'delete' only adds markers in a new segment; the words stay in the older segments
    until a merge takes them and their markers together. 'optimize' merges every segment into
    one; the pages of the old ones are freed, and zeroed (``PRAGMA secure_delete``). It
    rewrites the whole index: 0.15 s for 1,000 documents (``benchmarks/deletion_bench.py``).
    """
    conn.execute(_OPTIMIZE)
