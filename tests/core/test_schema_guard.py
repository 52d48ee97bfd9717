"""The schema guard: a project file whose schema is not ours is refused before it is used."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection

from workbench.errors import ProjectError
from workbench.project import Project
from workbench.storage import migrate
from workbench.storage.database import make_engine
from workbench.storage.fts import FTS_DDL
from workbench.storage.models import Base
from workbench.storage.schema_guard import check_schema
from workbench.storage.schema_shapes import ALEMBIC_VERSION, SCHEMA_QUERY, created_shape, shape_of

FIRST = "0001_initial"
HEAD = migrate.HEAD_REVISION


def _created(tmp_path: Path) -> Path:
    path = tmp_path / "p.twb"
    with Project(path):
        pass
    return path


def _tamper(path: Path, *statements: str) -> None:
    """Change the file behind the application's back, as a crafted file would come."""
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def _check(path: Path) -> str:
    engine = make_engine(path)
    try:
        with engine.connect() as conn:
            return check_schema(conn, path)
    finally:
        engine.dispose()


def _refusal(path: Path) -> str:
    with pytest.raises(ProjectError) as caught:
        _check(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    return message


def _migrated_to(path: Path, revision: str) -> Path:
    engine = make_engine(path)
    try:
        with engine.begin() as conn:
            command.upgrade(migrate.alembic_config(conn), revision)
    finally:
        engine.dispose()
    return path


def test_a_created_project_passes_at_head(tmp_path: Path) -> None:
    assert _check(_created(tmp_path)) == HEAD


def test_the_shape_built_without_alembic_is_what_creating_a_project_makes(tmp_path: Path) -> None:
    with sqlite3.connect(_created(tmp_path)) as conn:
        assert shape_of(conn.execute(SCHEMA_QUERY).fetchall()) == created_shape()


def test_a_file_migrated_to_head_passes(tmp_path: Path) -> None:
    assert _check(_migrated_to(tmp_path / "m.twb", "head")) == HEAD


def test_a_file_at_the_first_revision_passes_as_that_revision(tmp_path: Path) -> None:
    assert _check(_migrated_to(tmp_path / "old.twb", FIRST)) == FIRST


def test_a_first_revision_file_upgraded_on_opening_passes_at_head(tmp_path: Path) -> None:
    path = _migrated_to(tmp_path / "old.twb", FIRST)
    with Project(path) as project:
        assert project.backup is not None
    assert _check(path) == HEAD


def test_a_file_created_when_the_first_revision_was_newest_passes(tmp_path: Path) -> None:
    """Files created then hold the models' table definitions, not the migration's (their
    constraints come in another order)."""
    path = tmp_path / "created-at-0001.twb"
    first = ("documents", "codes", "records", "annotations", "evidence", "audit_log")
    first_tables = [Base.metadata.tables[name] for name in first]
    engine = make_engine(path)
    try:
        with engine.begin() as conn:
            Base.metadata.create_all(conn, tables=first_tables)
            conn.exec_driver_sql("ALTER TABLE codes DROP COLUMN fields")  # added in 0003
            conn.exec_driver_sql("DROP INDEX ix_records_label")  # added in 0005
            conn.exec_driver_sql("ALTER TABLE records DROP COLUMN pseudonym")  # added in 0006
            conn.exec_driver_sql("ALTER TABLE records DROP COLUMN protected")
            conn.exec_driver_sql("ALTER TABLE records DROP COLUMN version")  # added in 0008
            ALEMBIC_VERSION.create(conn)
            for ddl in FTS_DDL:
                conn.exec_driver_sql(ddl)
            conn.exec_driver_sql(f"INSERT INTO alembic_version VALUES ('{FIRST}')")
    finally:
        engine.dispose()
    assert _check(path) == FIRST


def test_statistics_sqlite_makes_on_analyze_pass(tmp_path: Path) -> None:
    path = _created(tmp_path)
    _tamper(path, "ANALYZE")
    assert _check(path) == HEAD


def test_the_full_text_index_and_its_shadow_tables_pass_in_use(tmp_path: Path) -> None:
    """FTS5 keeps the index in shadow tables of its own; they are ours, filled or optimised."""
    path = tmp_path / "p.twb"
    with Project(path) as project:
        (tmp_path / "a.txt").write_text("Olena Petrenko left Kharkiv in late March.")
        project.documents.import_file(tmp_path / "a.txt")
    _tamper(
        path,
        "INSERT INTO documents_fts(documents_fts) VALUES ('optimize')",
        "INSERT INTO documents_fts(documents_fts, rank) VALUES ('automerge', 4)",
        "ANALYZE",
    )
    with sqlite3.connect(path) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    shadows = {f"documents_fts_{part}" for part in ("data", "idx", "docsize", "config")}
    assert shadows <= names
    assert _check(path) == HEAD


def test_a_refused_file_is_left_byte_for_byte_as_it_was(tmp_path: Path) -> None:
    """Opening switched the file to WAL (a write to its header) before the check refused it."""
    path = _created(tmp_path)
    _tamper(path, "PRAGMA journal_mode=DELETE", "CREATE TABLE loot (quote TEXT)")
    before = path.read_bytes()
    with pytest.raises(ProjectError, match="has a table 'loot'"):
        Project(path)
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()


TAMPERING = [
    pytest.param(
        ("CREATE TABLE stolen (quote TEXT)",
         "CREATE TRIGGER copy_quotes AFTER INSERT ON annotations "
         "BEGIN INSERT INTO stolen VALUES (new.quote); END"),
        "has a trigger 'copy_quotes' that Testimony Workbench does not create; "
        "refusing to open it (1 other difference)",
        id="trigger",
    ),
    pytest.param(
        ("CREATE TRIGGER grow AFTER INSERT ON documents BEGIN "
         "UPDATE documents SET source = zeroblob(100000000) WHERE id = new.id; END",),
        "has a trigger 'grow' that Testimony Workbench does not create",
        id="trigger-growing-the-file",
    ),
    pytest.param(
        ("CREATE VIEW record_labels AS SELECT label FROM records",),
        "has a view 'record_labels' that Testimony Workbench does not create",
        id="view",
    ),
    pytest.param(
        ("CREATE TABLE notes (body TEXT)",),
        "has a table 'notes' that Testimony Workbench does not create",
        id="extra-table",
    ),
    pytest.param(
        ("CREATE INDEX ix_extra ON records (label)",),
        "has an index 'ix_extra' that Testimony Workbench does not create",
        id="extra-index",
    ),
    pytest.param(
        ("DROP INDEX ix_records_type_id",),
        "is missing index 'ix_records_type_id'",
        id="dropped-index",
    ),
    pytest.param(
        ("DROP INDEX ix_records_date_earliest",
         "CREATE INDEX ix_records_date_earliest ON records (date_earliest) "
         "WHERE status = 'accepted'"),
        ": index 'ix_records_date_earliest' differs from the one Testimony Workbench creates",
        id="partial-index",
    ),
    pytest.param(
        ("CREATE INDEX ix_label_lower ON records (lower(label))",),
        "has an index 'ix_label_lower' that Testimony Workbench does not create",
        id="index-on-a-function",
    ),
    pytest.param(
        ("DROP INDEX ix_records_date_earliest",
         "CREATE INDEX ix_records_date_earliest ON records (date(date_earliest, '+1 day'))"),
        ": index 'ix_records_date_earliest' differs from the one Testimony Workbench creates",
        id="our-index-on-an-expression",
    ),
    pytest.param(
        ("DROP TABLE record_links",
         "CREATE VIEW record_links AS SELECT id, id AS source_id FROM records"),
        "has a view 'record_links' where Testimony Workbench has a table",
        id="view-named-like-a-table",
    ),
    pytest.param(
        ("CREATE VIRTUAL TABLE spy USING fts5(quote)",),
        "has a table 'spy' that Testimony Workbench does not create; refusing to open it "
        "(5 other differences)",
        id="another-fts-table",
    ),
    pytest.param(
        ("ALTER TABLE records ADD COLUMN secret TEXT",),
        ": table 'records' differs from the one Testimony Workbench creates; refusing to open it",
        id="added-column",
    ),
    pytest.param(
        ("PRAGMA writable_schema=ON",
         "UPDATE sqlite_master SET sql = replace(sql, '''rejected''', '''rejected'', ''hidden''')"
         " WHERE name = 'records'"),
        ": table 'records' differs",
        id="weakened-check",
    ),
    pytest.param(
        ("DROP TABLE codes",),
        "is missing table 'codes'; refusing to open it (1 other difference)",
        id="dropped-table",
    ),
    pytest.param(
        ("DROP TABLE documents_fts",
         "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', "
         "content_rowid='id')"),
        ": table 'documents_fts' differs",
        id="other-tokenizer",
    ),
    pytest.param(
        ("CREATE TABLE counter (id INTEGER PRIMARY KEY AUTOINCREMENT)",
         "INSERT INTO counter DEFAULT VALUES",
         "DROP TABLE counter"),
        "has a table 'sqlite_sequence' that Testimony Workbench does not create",
        id="sqlite-sequence",
    ),
    pytest.param(
        ("DROP TABLE alembic_version",
         "CREATE VIEW alembic_version AS SELECT '0002_links_suppressions' AS version_num"),
        "has a view 'alembic_version' where Testimony Workbench has a table",
        id="revision-view",
    ),
    pytest.param(
        ("DROP TABLE alembic_version", "CREATE TABLE alembic_version (version_num TEXT)"),
        ": table 'alembic_version' differs",
        id="revision-table-reshaped",
    ),
    pytest.param(
        ("DROP TABLE alembic_version",),
        "is missing table 'alembic_version'",
        id="no-revision-table",
    ),
    pytest.param(
        ("DELETE FROM alembic_version",),
        "has no schema revision",
        id="no-revision",
    ),
    pytest.param(
        ("INSERT INTO alembic_version VALUES ('0001_initial')",),
        "has more than one schema revision",
        id="two-revisions",
    ),
    pytest.param(
        ("UPDATE alembic_version SET version_num = 'head'",),
        "has an unreadable schema revision",
        id="symbolic-revision",
    ),
    pytest.param(
        ("UPDATE alembic_version SET version_num = '0001'",),
        "has an unreadable schema revision",
        id="partial-revision",
    ),
    pytest.param(
        ("UPDATE alembic_version SET version_num = 'x' || char(10) || 'y'",),
        "has an unreadable schema revision",
        id="revision-with-newline",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("statements", "expected"), TAMPERING)
def test_a_tampered_file_is_refused_in_one_line(
    tmp_path: Path, statements: tuple[str, ...], expected: str
) -> None:
    path = _created(tmp_path)
    _tamper(path, *statements)
    assert expected in _refusal(path)


def test_a_tampered_older_file_is_refused(tmp_path: Path) -> None:
    path = _migrated_to(tmp_path / "old.twb", FIRST)
    _tamper(path, "CREATE TRIGGER t AFTER DELETE ON records BEGIN SELECT 1; END")
    assert "has a trigger 't'" in _refusal(path)


def test_a_newer_revision_is_returned_for_the_caller_to_refuse(tmp_path: Path) -> None:
    path = _created(tmp_path)
    _tamper(path, "UPDATE alembic_version SET version_num = '0099_future'")
    assert _check(path) == "0099_future"


def test_a_trigger_never_fires_while_the_file_is_checked(tmp_path: Path) -> None:
    path = _created(tmp_path)
    _tamper(
        path,
        "CREATE TABLE stolen (action TEXT)",
        "CREATE TRIGGER hide_audit AFTER INSERT ON audit_log "
        "BEGIN INSERT INTO stolen VALUES (new.action); DELETE FROM audit_log; END",
    )
    with sqlite3.connect(path) as conn:
        audit_before = conn.execute("SELECT count(*) FROM audit_log").fetchone()
    assert "has a trigger 'hide_audit'" in _refusal(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM stolen").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM audit_log").fetchone() == audit_before


def test_a_view_in_place_of_the_revision_table_is_never_read(tmp_path: Path) -> None:
    """Reading this view would never end; the check must not evaluate it."""
    path = _created(tmp_path)
    _tamper(
        path,
        "DROP TABLE alembic_version",
        "CREATE VIEW alembic_version AS WITH RECURSIVE n(i) AS "
        "(SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT 'x' AS version_num FROM n WHERE i < 0",
    )
    steps = 0

    def interrupt_long_work() -> int:
        nonlocal steps
        steps += 1
        return int(steps > 1000)  # a million virtual-machine steps: far beyond the check

    engine = make_engine(path)
    try:
        with engine.connect() as conn:
            _progress_handler(conn, interrupt_long_work)
            with pytest.raises(ProjectError, match="view 'alembic_version' where"):
                check_schema(conn, path)
    finally:
        engine.dispose()


def _progress_handler(conn: Connection, handler: object) -> None:
    dbapi = conn.connection.dbapi_connection
    assert isinstance(dbapi, sqlite3.Connection)
    dbapi.set_progress_handler(handler, 1000)  # type: ignore[arg-type]


def test_checking_a_current_project_does_not_import_alembic(tmp_path: Path) -> None:
    path = _created(tmp_path)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from workbench.storage.database import make_engine\n"
        "from workbench.storage.schema_guard import check_schema\n"
        f"path = Path({str(path)!r})\n"
        "engine = make_engine(path)\n"
        "with engine.connect() as conn:\n"
        "    print(check_schema(conn, path))\n"
        "engine.dispose()\n"
        "print('alembic' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.split() == [HEAD, "False"]
