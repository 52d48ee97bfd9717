"""The full-text index over document text: FTS5 in a file, a GIN index on a server.

In a file the index is kept in step by the services, inside the same transaction as the
change, not by triggers: projects open with ``trusted_schema=OFF``, under which SQLite
refuses triggers that write to FTS5 tables (a file from elsewhere could hide harmful
triggers). On PostgreSQL the words of ``documents.text`` (``SERVER_WORDS``) are a stored
generated column, ``documents.words``, under a GIN index: PostgreSQL keeps both in step
itself, and the functions below do nothing there. Stored, not an index over the
expression: a search whose words most documents hold reads the table, and would compute
every document's words again (0.3 s for 50 documents of 20,000 characters).

``SERVER_WORDS`` reads the text with the ``simple`` configuration (lower case, no stemming,
no stop words): documents are English and Russian, often both, and a document's language
would otherwise choose its dictionary; the search only uses the index to pick documents and
then finds the exact phrase itself, so stemming would only add documents to read. ASCII
punctuation becomes spaces first, so PostgreSQL's parser never makes the URL, e-mail, host,
file or tag tokens that would hide the words inside them ("example.com/hospital" would not
hold "hospital"): words split as FTS5's ``unicode61`` splits them.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

# The same statement is frozen into the initial migration; a test checks both stay equal.
FTS_DDL: tuple[str, ...] = (
    "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
)


_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"


def _unpunctuated(expression: str) -> str:
    quoted = _PUNCTUATION.replace("'", "''")
    return f"translate({expression}, '{quoted}', '{' ' * len(_PUNCTUATION)}')"


def server_words(column: str) -> str:
    """The SQL of ``column``'s words as the server's index holds them (a ``tsvector``)."""
    return f"to_tsvector('simple'::regconfig, {_unpunctuated(column)})"


def server_query(expression: str, *, prefix: bool) -> str:
    """The SQL of a ``tsquery`` asking for every word of ``expression``, read as the index
    reads text; with ``prefix``, each word may begin a longer one (each lexeme gets ":*")."""
    words = f"plainto_tsquery('simple'::regconfig, {_unpunctuated(expression)})"
    if not prefix:
        return words
    return rf"regexp_replace({words}::text, '''( |$)', ''':*\1', 'g')::tsquery"


# The server's index; the search's condition repeats its expression, so the index serves it.
SERVER_WORDS = server_words("text")
SERVER_FTS_DDL: tuple[str, ...] = (
    f"ALTER TABLE documents ADD COLUMN words tsvector GENERATED ALWAYS AS ({SERVER_WORDS}) STORED",
    "CREATE INDEX ix_documents_words ON documents USING gin (words)",
)


def schema_ddl(dialect: str) -> tuple[str, ...]:
    """The statements that make the full-text index on ``dialect`` (sqlite, postgresql)."""
    return FTS_DDL if dialect == "sqlite" else SERVER_FTS_DDL


_INSERT = text("INSERT INTO documents_fts (rowid, title, text) VALUES (:id, :title, :body)")
_DELETE = text(
    "INSERT INTO documents_fts (documents_fts, rowid, title, text) "
    "VALUES ('delete', :id, :title, :body)"
)
_OPTIMIZE = text("INSERT INTO documents_fts (documents_fts) VALUES ('optimize')")


def index_document(conn: Connection, document_id: int, title: str, body: str) -> None:
    """Add a document to the full-text index."""
    if conn.dialect.name != "sqlite":
        return
    conn.execute(_INSERT, {"id": document_id, "title": title, "body": body})


def unindex_document(conn: Connection, document_id: int, title: str, body: str) -> None:
    """Remove a document from the index (external content needs the old values)."""
    if conn.dialect.name != "sqlite":
        return
    conn.execute(_DELETE, {"id": document_id, "title": title, "body": body})


def forget_removed(conn: Connection) -> None:
    """Merge the index into one segment, so no segment keeps the words of removed documents.

    An FTS5 'delete' only adds markers in a new segment; the words stay in the older segments
    until a merge takes them and their markers together. 'optimize' merges every segment into
    one; the pages of the old ones are freed, and zeroed (``PRAGMA secure_delete``). It
    rewrites the whole index: 0.15 s for 1,000 documents (``benchmarks/deletion_bench.py``).
    """
    if conn.dialect.name == "sqlite":
        conn.execute(_OPTIMIZE)
