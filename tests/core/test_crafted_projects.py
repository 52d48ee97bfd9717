"""A project file crafted elsewhere: every way in refuses it in one line before its SQL runs.

The schema guard itself is tested in ``test_schema_guard.py``; here, the command line (in a
process of its own), ``verify``, restoring and salvaging, the backup mark, and that every
connection the application opens keeps ``trusted_schema=OFF``.
"""

from __future__ import annotations

import ast
import hashlib
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.core.backup_helpers import count, fill, tamper
from workbench.export.text_query import open_read_only
from workbench.project import Project
from workbench.services.backups import BackupService, backup_mark
from workbench.storage.backup import BackupError, read_only
from workbench.storage.cipher import Passphrase
from workbench.storage.cipher import connect as keyed_connect
from workbench.storage.database import make_engine
from workbench.storage.files import connect_file
from workbench.storage.restore import check_backup, restore_backup
from workbench.storage.salvage import _open_read_only, salvage

ROOT = Path(__file__).resolve().parents[2]
STEAL = (
    "CREATE TABLE loot (quote TEXT)",
    "CREATE TRIGGER steal AFTER INSERT ON annotations BEGIN INSERT INTO loot VALUES (new.quote);"
    " DELETE FROM audit_log; END",
)


def endless(table: str, columns: str) -> tuple[str, str]:
    """Put a view that would never end in place of ``table``: reading it hangs the reader."""
    return (
        f"DROP TABLE {table}",
        f"CREATE VIEW {table} AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
        f"FROM n) SELECT {columns} FROM n WHERE i < 0",
    )


@pytest.fixture
def crafted(project_path: Path, testimony_file: Path) -> Path:
    """A project with a passage, then given a trigger that copies quotes and wipes the audit
    log on every new annotation."""
    fill(project_path, testimony_file)
    tamper(project_path, *STEAL)
    return project_path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench.cli", *args],
        capture_output=True, text=True, check=False, timeout=120, cwd=ROOT,
    )  # fmt: skip


@pytest.mark.parametrize(
    "command",
    [("list", "documents"), ("annotate", "1", "0", "5", "--type", "person"), ("backup",)],
    ids=["list", "annotate", "backup"],
)
def test_the_command_line_refuses_a_crafted_project_in_one_line(
    crafted: Path, command: tuple[str, ...]
) -> None:
    before = _digest(crafted)
    audit = count(crafted, "audit_log")
    result = _cli("--project", str(crafted), *command)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"error: {crafted} has a trigger 'steal' that Testimony")
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert _digest(crafted) == before
    assert count(crafted, "loot") == 0
    assert count(crafted, "audit_log") == audit


def test_verify_names_the_schema_and_runs_nothing_of_it(crafted: Path) -> None:
    """It said every check was ok; now the schema is the one problem, and the view in place
    of the evidence table, which would never end, is never read."""
    tamper(crafted, *endless("evidence", "i AS id, i AS record_id, i AS annotation_id"))
    result = _cli("--project", str(crafted), "verify")
    assert result.returncode == 1
    assert result.stdout == ""
    first, summary = result.stderr.splitlines()
    assert first.startswith(f"{crafted.name}: {crafted} has a trigger 'steal'")
    assert summary == "verify: 1 of 1 checks found problems"


def test_a_crafted_backup_is_never_restored_nor_offered(crafted: Path, tmp_path: Path) -> None:
    """A backup file is checked like a project before its integrity check, which would
    evaluate the indexes it brings."""
    backups = crafted.with_name(f"{crafted.name}-backups")
    backups.mkdir()
    backup = backups / "project-20250301-090000.twb"
    backup.write_bytes(crafted.read_bytes())
    with pytest.raises(BackupError) as refused:
        check_backup(backup)
    assert "has a trigger 'steal'" in str(refused.value) and "\n" not in str(refused.value)
    with pytest.raises(BackupError, match="has a trigger 'steal'"):
        restore_backup(backup, crafted, tmp_path / "restored.twb")
    assert not (tmp_path / "restored.twb").exists()
    assert backup_mark(backup) is None  # the window's backup on open makes a new one


def test_the_backup_mark_never_reads_a_view_in_place_of_the_audit_log(
    project_path: Path, testimony_file: Path
) -> None:
    fill(project_path, testimony_file)
    with Project(project_path) as project:
        made = BackupService(project).back_up()
    assert backup_mark(made.path) is not None
    tamper(made.path, "DROP TABLE audit_log", "CREATE VIEW audit_log AS SELECT 999 AS id")
    assert backup_mark(made.path) is None


def test_salvage_reads_tables_and_never_a_view_in_their_place(
    crafted: Path, tmp_path: Path
) -> None:
    """The window offers a salvage for a schema we did not make; what a view would give (or
    a view that never ends) is not read, in a process of its own so a hang would show."""
    tamper(
        crafted,
        "DROP TABLE record_links",
        "CREATE VIEW record_links AS SELECT 7 AS id, 1 AS source_id, 1 AS target_id, "
        "'forged' AS role",
        *endless("extraction_suppressions", 'i AS id, 1 AS document_id, 0 AS start, 1 AS "end"'),
    )
    target = tmp_path / "salvaged.twb"
    code = (
        "import sys\nfrom pathlib import Path\nfrom workbench.storage.salvage import salvage\n"
        "print(salvage(Path(sys.argv[1]), Path(sys.argv[2])).summary())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(crafted), str(target)],
        capture_output=True, text=True, check=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert "salvaged" in done.stdout
    assert count(target, "record_links") == 0
    assert count(target, "annotations") == 1
    assert count(crafted, "loot") == 0
    with Project(target) as project:  # what was salvaged opens: our schema only
        assert len(project.records.list()) == 1


def test_salvage_in_this_process_reports_a_view_as_unreadable(
    crafted: Path, tmp_path: Path
) -> None:
    tamper(crafted, "DROP TABLE record_links", "CREATE VIEW record_links AS SELECT 1 AS id")
    report = salvage(crafted, tmp_path / "salvaged.twb")
    assert "record_links: the table cannot be read at all" in report.unreadable


# --- trusted_schema=OFF on every connection ---------------------------------------------------


def _trusted(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA trusted_schema").fetchone()[0])


def test_every_connection_keeps_trusted_schema_off(crafted: Path, tmp_path: Path) -> None:
    """The project's engine (each new connection, in any thread, after a dispose), the
    driver connections of backups, restore and salvage, and the export's readers."""
    tamper(crafted, "DROP TRIGGER steal", "DROP TABLE loot")
    with Project(crafted) as project:
        seen: list[int] = []
        for _ in range(2):
            with project.engine.connect() as conn:
                seen.append(conn.exec_driver_sql("PRAGMA trusted_schema").scalar())
            with project.write_connection() as conn:
                seen.append(conn.exec_driver_sql("PRAGMA trusted_schema").scalar())
            project.engine.dispose()

        def other_thread() -> None:
            with project.engine.connect() as conn:
                seen.append(conn.exec_driver_sql("PRAGMA trusted_schema").scalar())

        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
        with project.session() as session:
            seen.append(session.connection().exec_driver_sql("PRAGMA trusted_schema").scalar())
    assert seen == [0] * 6
    for wal in (True, False, None):
        engine = make_engine(crafted, wal=wal)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA trusted_schema").scalar() == 0
        engine.dispose()
    for opened in (
        connect_file(crafted),
        connect_file(crafted, read_only=True),
        read_only(crafted),
        _open_read_only(crafted),
        open_read_only(crafted),
    ):
        assert _trusted(opened) == 0
        opened.close()
    key = Passphrase("an encrypted project's connections")
    encrypted = tmp_path / "encrypted.twb"
    Project(encrypted, passphrase=key).close()
    engine = make_engine(encrypted, key=key)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA trusted_schema").scalar() == 0
    engine.dispose()
    for opened in (
        keyed_connect(str(encrypted), key),
        connect_file(encrypted, read_only=True, key=key),
        open_read_only(encrypted, key),
    ):
        assert _trusted(opened) == 0
        opened.close()


# Where the application may open an SQLite file, each checked above; in-memory databases of
# our own DDL (the schema shapes) are not files from elsewhere.
CONNECTING = {
    ("workbench/storage/files.py", "connect_file"),
    ("workbench/storage/database.py", "make_engine"),
    ("workbench/export/text_query.py", "open_read_only"),
    ("workbench/storage/cipher.py", "connect"),
    ("workbench/storage/cipher.py", "export_encrypted"),  # trusted_schema off before ATTACH
}
IN_MEMORY = {":memory:", "sqlite://"}


def test_no_other_code_opens_an_sqlite_file() -> None:
    """A new way to connect must set trusted_schema=OFF too: add it above with its check."""
    found = set()
    for path in sorted((ROOT / "workbench").rglob("*.py")) + sorted((ROOT / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for call in ast.walk(function):
                if not (isinstance(call, ast.Call) and ast.unparse(call.func) in _OPENERS):
                    continue
                first = call.args[0] if call.args else None
                if isinstance(first, ast.Constant) and first.value in IN_MEMORY:
                    continue
                found.add((path.relative_to(ROOT).as_posix(), function.name))
    assert found == CONNECTING


_OPENERS = {"sqlite3.connect", "sqlcipher.connect", "create_engine", "sqlalchemy.create_engine"}
