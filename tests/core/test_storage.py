"""The project file: creation, pragmas, migrations, refusal of foreign or newer files."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from workbench import paths
from workbench.errors import ProjectError
from workbench.project import Project
from workbench.services.memos import MemoTarget
from workbench.storage import migrate
from workbench.storage.database import APPLICATION_ID, make_engine
from workbench.storage.models import Annotation, AuditEntry, Base, Code

EXTRA_REVISION = '''
"""Test-only revision that adds a table."""
import sqlalchemy as sa
from alembic import op

revision = "9999_test"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("test_extra", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("test_extra")
'''


def _pragma(path: Path, name: str) -> object:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]


def test_new_project_is_stamped_seeded_and_marked(project: Project) -> None:
    assert project.created
    assert _pragma(project.path, "application_id") == APPLICATION_ID
    assert _pragma(project.path, "journal_mode") == "wal"
    with project.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert migrate.current_revision(conn) == migrate.head_revision()
    names = [c.name for c in project.codebook.list()]
    assert names[:5] == ["person", "place", "organization", "event", "figure"]
    shortcuts = [c.shortcut for c in project.codebook.list() if c.shortcut]
    assert len(shortcuts) == len(set(shortcuts))
    with project.session() as session:
        actions = session.scalars(select(AuditEntry.action)).all()
    assert actions == ["codebook.load"]


def test_reopening_keeps_data_and_makes_no_backup(project_path: Path) -> None:
    with Project(project_path) as first:
        first.annotations  # noqa: B018 - services exist
    with Project(project_path) as second:
        assert not second.created
        assert second.backup is None
        assert len(second.codebook.list()) >= 5
    assert list(project_path.parent.glob("*.backup-*")) == []


def test_migration_history_is_one_straight_chain() -> None:
    script = migrate.script_directory()
    revisions = list(script.walk_revisions())
    assert len(script.get_heads()) == 1
    assert len(script.get_bases()) == 1
    for rev in revisions:
        assert not rev.is_merge_point
        assert not rev.is_branch_point


def test_upgrade_downgrade_upgrade(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "m.twb")
    with engine.begin() as conn:
        cfg = migrate.alembic_config(conn)
        command.upgrade(cfg, "head")
        command.downgrade(cfg, "base")
        tables = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'").all()
        assert [t[0] for t in tables] == ["alembic_version"]
        command.upgrade(cfg, "head")
        assert migrate.current_revision(conn) == migrate.head_revision()
    engine.dispose()


def _schema_sql(path: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT name, sql FROM sqlite_master "
            "WHERE name LIKE 'documents_fts%' AND sql IS NOT NULL"
        ).fetchall()
    return {(n, s) for n, s in rows}


def test_created_schema_equals_migrated_schema(tmp_path: Path) -> None:
    with Project(tmp_path / "created.twb"):
        pass
    migrated = tmp_path / "migrated.twb"
    engine = make_engine(migrated)
    with engine.begin() as conn:
        migrate.upgrade_head(conn)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_name": lambda name, kind, _parent: (
                    not (kind == "table" and str(name).startswith("documents_fts"))
                ),
            },
        )
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()
    assert _schema_sql(migrated) == _schema_sql(tmp_path / "created.twb")
    assert _pragma(migrated, "application_id") == APPLICATION_ID


@pytest.fixture
def newer_migrations(tmp_path: Path) -> Path:
    """A copy of the migrations with one extra revision, as a newer release would ship."""
    scripts = tmp_path / "migrations"
    shutil.copytree(paths.MIGRATIONS, scripts)
    head = migrate.head_revision()
    (scripts / "versions" / "9999_test.py").write_text(EXTRA_REVISION.format(head=head))
    return scripts


def _revision(project: Project) -> str | None:
    with project.engine.connect() as conn:
        return migrate.current_revision(conn)


def test_older_file_is_backed_up_then_upgraded(
    project_path: Path, newer_migrations: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Project(project_path) as old:
        old_revision = _revision(old)
    monkeypatch.setattr(migrate, "MIGRATIONS", newer_migrations)
    with Project(project_path) as upgraded:
        assert _revision(upgraded) == "9999_test"
        assert upgraded.backup is not None
        assert upgraded.backup.exists()
        with upgraded.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM test_extra")).scalar() == 0
    backup_engine = make_engine(upgraded.backup)
    with backup_engine.connect() as conn:
        assert migrate.current_revision(conn) == old_revision
    backup_engine.dispose()


def test_newer_file_is_refused(
    project_path: Path, newer_migrations: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(migrate, "MIGRATIONS", newer_migrations)
    with Project(project_path):
        pass  # created and stamped by the "newer" application
    monkeypatch.setattr(migrate, "MIGRATIONS", paths.MIGRATIONS)
    with pytest.raises(ProjectError, match="newer version"):
        Project(project_path)


def test_text_file_is_not_a_project(tmp_path: Path) -> None:
    path = tmp_path / "notes.twb"
    path.write_text("just some notes\n")
    with pytest.raises(ProjectError, match="not a Testimony Workbench project"):
        Project(path)
    assert path.read_text() == "just some notes\n"


def test_other_sqlite_database_is_not_a_project(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE songs (id INTEGER PRIMARY KEY)")
    with pytest.raises(ProjectError, match="not a Testimony Workbench project"):
        Project(path)
    with sqlite3.connect(path) as conn:
        tables = conn.execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == [("songs",)]


def test_open_without_create_refuses_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no project"):
        Project(tmp_path / "missing.twb", create=False)


def test_foreign_keys_are_enforced(project: Project) -> None:
    with project.write_connection() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with (
        pytest.raises(IntegrityError, match="FOREIGN KEY constraint failed"),
        project.transaction() as session,
    ):
        session.execute(
            text(
                'INSERT INTO annotations (document_id, start, "end", quote, code_id, origin,'
                " status, note, created_at, updated_at) VALUES (999, 0, 1, 'x', 1, 'manual',"
                " 'accepted', '', '2024-01-01', '2024-01-01')"
            )
        )
    with project.session() as session:
        assert session.scalar(select(Code.id).where(Code.id == 1)) == 1  # the code it named
        assert session.scalar(select(func.count()).select_from(Annotation)) == 0  # no orphan


def _drop_protection(conn: sqlite3.Connection) -> None:
    """Take out what migration 0006 adds, as a file made before it has no such columns."""
    conn.execute("ALTER TABLE records DROP COLUMN pseudonym")
    conn.execute("ALTER TABLE records DROP COLUMN protected")


def test_head_constant_matches_the_scripts() -> None:
    assert migrate.head_revision() == migrate.HEAD_REVISION


def test_a_project_from_before_code_fields_upgrades_with_the_default_fields(
    project_path: Path,
) -> None:
    """A file created at 0002 (codes without fields) opens, is upgraded in one step and its
    default record types get the fields the record editor used to hard-code."""
    with Project(project_path):
        pass
    with sqlite3.connect(project_path) as conn:  # as the previous version created it
        conn.execute("DROP TABLE memos")
        conn.execute("DROP INDEX ix_records_label")
        conn.execute("DROP TABLE merge_conflicts")  # added in 0007
        conn.execute("ALTER TABLE records DROP COLUMN version")  # added in 0008
        _drop_protection(conn)
        conn.execute("ALTER TABLE codes DROP COLUMN fields")
        conn.execute("UPDATE alembic_version SET version_num = '0002_links_suppressions'")
    conn.close()
    with Project(project_path) as project:
        assert project.backup is not None
        fields = {c.name: dict(c.fields) for c in project.codebook.list()}
    assert fields["person"] == {"title": "text", "kind": "text"}
    assert fields["figure"]["value"] == "number"
    assert fields["event"] == {} and fields["desertion"] == {}
    with Project(project_path) as again:  # the upgraded shape passes the schema check
        assert again.backup is None


def test_a_project_from_before_memos_upgrades_and_keeps_everything(
    project_path: Path, testimony_file: Path
) -> None:
    """A file made at 0003 (no memos table) opens, gets the table in one step, keeps its
    documents and passes the schema check afterwards."""
    with Project(project_path) as project:
        project.documents.import_file(testimony_file)
    with sqlite3.connect(project_path) as conn:  # as the previous version created it
        conn.execute("DROP TABLE memos")
        conn.execute("DROP INDEX ix_records_label")
        conn.execute("DROP TABLE merge_conflicts")  # added in 0007
        conn.execute("ALTER TABLE records DROP COLUMN version")  # added in 0008
        _drop_protection(conn)
        conn.execute("UPDATE alembic_version SET version_num = '0003_code_fields'")
    conn.close()
    with Project(project_path) as project:
        assert project.backup is not None
        assert len(project.documents.list()) == 1
        with project.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM memos").scalar() == 0
    with Project(project_path) as again:
        assert again.backup is None


def test_a_project_from_before_the_label_index_upgrades(project_path: Path) -> None:
    """A file made at 0004 gets the index on record labels in one step and keeps its memo."""
    with Project(project_path) as project:
        project.memos.write(MemoTarget.project(), "kept 🙂")
    with sqlite3.connect(project_path) as conn:  # as the previous version created it
        conn.execute("DROP INDEX ix_records_label")
        conn.execute("DROP TABLE merge_conflicts")  # added in 0007
        conn.execute("ALTER TABLE records DROP COLUMN version")  # added in 0008
        _drop_protection(conn)
        conn.execute("UPDATE alembic_version SET version_num = '0004_memos'")
    conn.close()
    with Project(project_path) as project:
        assert project.backup is not None
        assert project.memos.read(MemoTarget.project()) == "kept 🙂"
    with sqlite3.connect(project_path) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert "ix_records_label" in names
    with Project(project_path) as again:  # the upgraded shape passes the schema check
        assert again.backup is None


def test_a_garbled_page_is_one_line_wherever_it_is_found(project_path: Path) -> None:
    """SQLite puts its problems in one row of its integrity check, under a heading: the
    refusal quoted that row whole, three lines in the user's face."""
    from workbench.storage.backup import BackupError  # noqa: PLC0415 - this test alone
    from workbench.storage.restore import check_backup  # noqa: PLC0415
    from workbench.storage.verify import verify_file  # noqa: PLC0415

    Project(project_path).close()
    with sqlite3.connect(project_path) as conn:
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'ix_audit_log_at'"
        ).fetchone()
    conn.close()
    with project_path.open("r+b") as fh:  # garbage where an index page was
        fh.seek((root - 1) * 4096)
        fh.write(b"\xde" * 4096)
    backup = Path(shutil.copy(project_path, project_path.with_name("garbled-backup.twb")))
    with pytest.raises(ProjectError) as opened:
        Project(project_path)
    with pytest.raises(BackupError) as checked:
        check_backup(backup)
    assert f"is damaged (integrity check: Page {root}: btreeInitPage()" in str(opened.value)
    for message in (str(opened.value), str(checked.value)):
        assert "\n" not in message and "***" not in message
    problems = [line for check in verify_file(project_path) for line in check.problems]
    assert problems and all("\n" not in line and "***" not in line for line in problems)
