"""Encrypted projects: no plaintext in the file, its WAL or its backups; the passphrase opens
it and nothing else does; upgrades, search, backups, restore, verify and salvage work alike."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import import_text
from workbench.errors import InvalidInputError, ProjectError
from workbench.project import Project
from workbench.services.backups import BackupService
from workbench.services.codebook import seed_codebook
from workbench.storage.backup import BackupError, list_backups
from workbench.storage.cipher import Passphrase, PassphraseError
from workbench.storage.encrypt import encrypt_copy, plaintext_files, remove_plaintext
from workbench.storage.files import connect_file
from workbench.storage.lock import ProjectLock
from workbench.storage.restore import check_backup, restore_backup
from workbench.storage.salvage import salvage
from workbench.storage.verify import verify_file

KEY = Passphrase("correct horse battery staple")
SENTENCE = "The medic Oksana Hrytsenko treated the deserters in the cellar below the bakery."
NAME = "Hrytsenko"
SECRETS = (SENTENCE.encode(), NAME.encode(), NAME.encode("utf-16-le"), b"SQLite format 3")


def _plaintext_in(path: Path) -> list[bytes]:
    """The known secrets found in the raw bytes of ``path``."""
    data = path.read_bytes()
    return [secret for secret in SECRETS if secret in data]


def _fill(project: Project, folder: Path) -> None:
    info = import_text(project, folder, "testimony.txt", SENTENCE + "\n")
    start = SENTENCE.index("Oksana")
    project.review.annotate(info.id, start, start + len("Oksana Hrytsenko"), "person")


def _tables(connection: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        )
    ]
    return {
        name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
        for name in names
    }


def test_the_file_its_wal_and_its_backups_hold_no_plaintext(tmp_path: Path) -> None:
    path = tmp_path / "secret.twb"
    with Project(path, passphrase=KEY) as project:
        _fill(project, tmp_path)
        wal = Path(f"{path}-wal")
        assert wal.stat().st_size > 0  # written, not yet checkpointed
        for written in (path, wal, Path(f"{path}-shm")):
            assert _plaintext_in(written) == [], written.name
        backup = BackupService(project).back_up()
        assert project.search.find(NAME)  # the full-text index works on the encrypted file
    assert _plaintext_in(backup.path) == []
    assert _plaintext_in(path) == []
    assert not wal.exists()
    with Project(path, passphrase=KEY) as again:
        assert [r.label for r in again.records.list()] == ["Oksana Hrytsenko"]


def test_a_wrong_passphrase_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "secret.twb"
    with Project(path, passphrase=KEY) as project:
        _fill(project, tmp_path)
    before = path.read_bytes()
    with pytest.raises(PassphraseError) as caught:
        Project(path, passphrase=Passphrase("correct horse battery stapler"))
    message = str(caught.value)
    assert message == "secret.twb: wrong passphrase (or not a Testimony Workbench project)"
    assert "stapler" not in repr(caught.value)
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()
    with Project(path, passphrase=KEY):  # the lock was released
        pass


def test_a_missing_passphrase_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "secret.twb"
    Project(path, passphrase=KEY).close()
    before = path.read_bytes()
    with pytest.raises(PassphraseError) as caught:
        Project(path)
    assert str(caught.value) == (
        "secret.twb is encrypted (or is not a Testimony Workbench project): it opens with its "
        "passphrase"
    )
    assert path.read_bytes() == before


def test_a_plain_project_given_a_passphrase_is_refused(project_path: Path) -> None:
    Project(project_path).close()
    with pytest.raises(PassphraseError, match="is not encrypted"):
        Project(project_path, passphrase=KEY)


def test_the_passphrase_is_shown_nowhere() -> None:
    secret = Passphrase('it\'s "quoted" -- and long')
    assert "quoted" not in repr(secret) and "quoted" not in str(secret)
    assert "quoted" not in f"{secret!r} {secret}"
    with pytest.raises(TypeError):
        __import__("pickle").dumps(secret)
    with pytest.raises(InvalidInputError, match="empty"):
        Passphrase("")


def test_quotes_in_a_passphrase_are_part_of_it(tmp_path: Path) -> None:
    path = tmp_path / "quoted.twb"
    odd = Passphrase("it's '; PRAGMA key = 'x")
    with Project(path, passphrase=odd) as project:
        _fill(project, tmp_path)
    with pytest.raises(PassphraseError):
        Project(path, passphrase=Passphrase("it"))
    with Project(path, passphrase=odd) as again:
        assert len(again.documents.list()) == 1


def test_a_changed_passphrase_opens_and_the_old_one_no_longer_does(tmp_path: Path) -> None:
    path = tmp_path / "secret.twb"
    new = Passphrase("a new passphrase")
    with Project(path, passphrase=KEY) as project:
        _fill(project, tmp_path)
        project.change_passphrase(new)
        assert project.key == new
        assert [d.title for d in project.documents.list()] == ["testimony"]  # still usable
        import_text(project, tmp_path, "second.txt", "Another account.\n")
    with pytest.raises(PassphraseError, match="wrong passphrase"):
        Project(path, passphrase=KEY)
    with Project(path, passphrase=new) as again:
        assert len(again.documents.list()) == 2
    assert _plaintext_in(path) == []


def test_encrypting_a_plain_project_copies_every_table(tmp_path: Path) -> None:
    plain = tmp_path / "plain.twb"
    with Project(plain) as project:
        _fill(project, tmp_path)
        BackupService(project).back_up()
        project.engine.dispose()
        copy = encrypt_copy(project.path, tmp_path / "encrypted.twb", KEY)
    assert _plaintext_in(copy.path) == []
    original = connect_file(plain)
    encrypted = connect_file(copy.path, key=KEY)
    try:
        expected, found = _tables(original), _tables(encrypted)
        assert found == expected
        assert (
            encrypted.execute("PRAGMA application_id").fetchone()
            == original.execute("PRAGMA application_id").fetchone()
        )
    finally:
        original.close()
        encrypted.close()
    assert copy.rows["documents"] == 1 and copy.rows["records"] == 1
    with Project(copy.path, passphrase=KEY) as opened:
        assert opened.search.find("cellar")
    with pytest.raises(ProjectError, match="exists"):
        encrypt_copy(plain, copy.path, KEY)
    with pytest.raises(ProjectError, match="encrypted already"):
        encrypt_copy(copy.path, tmp_path / "twice.twb", KEY)


def test_removing_the_plain_original_overwrites_it_and_its_backups(tmp_path: Path) -> None:
    plain = tmp_path / "plain.twb"
    with Project(plain) as project:
        _fill(project, tmp_path)
        backup = BackupService(project).back_up()
        project.engine.dispose()
        copy = encrypt_copy(project.path, tmp_path / "encrypted.twb", KEY)
    assert plaintext_files(plain) == [plain, backup.path]
    lock = ProjectLock.acquire(plain)
    try:
        removed = remove_plaintext(plain)
    finally:
        lock.release()
    assert removed == [plain, backup.path]
    assert not plain.exists() and not backup.path.exists()
    assert not backup.path.parent.exists()  # the emptied backups folder goes too
    with Project(copy.path, passphrase=KEY) as kept:
        assert len(kept.documents.list()) == 1


def _fake_revision_0004(path: Path, key: Passphrase) -> None:
    """Shape the encrypted file as the version of schema 0004 made it."""
    connection = connect_file(path, key=key)
    try:
        connection.execute("DROP INDEX ix_records_label")
        connection.execute("DROP TABLE merge_conflicts")  # added in 0007
        connection.execute("ALTER TABLE records DROP COLUMN version")  # added in 0008
        connection.execute("ALTER TABLE records DROP COLUMN pseudonym")
        connection.execute("ALTER TABLE records DROP COLUMN protected")
        connection.execute("UPDATE alembic_version SET version_num = '0004_memos'")
        connection.commit()
    finally:
        connection.close()


def test_an_older_encrypted_project_upgrades_with_an_encrypted_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.twb"
    with Project(path, passphrase=KEY) as project:
        _fill(project, tmp_path)
    _fake_revision_0004(path, KEY)
    with Project(path, passphrase=KEY) as upgraded:
        assert upgraded.backup is not None
        assert [r.label for r in upgraded.records.list()] == ["Oksana Hrytsenko"]
        before_upgrade = upgraded.backup
    assert _plaintext_in(before_upgrade) == []
    assert check_backup(before_upgrade, KEY) == "0004_memos"
    assert _plaintext_in(path) == []


def test_backup_restore_and_verify_need_the_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "secret.twb"
    with Project(path, passphrase=KEY) as project:
        _fill(project, tmp_path)
        backup = BackupService(project).back_up()
    assert [b.path for b in list_backups(path)] == [backup.path]
    with pytest.raises(BackupError) as missing:
        restore_backup(backup.path, path)
    assert "is encrypted" in str(missing.value) and "passphrase" in str(missing.value)
    with pytest.raises(BackupError, match="wrong passphrase"):
        restore_backup(backup.path, path, key=Passphrase("nope"))
    restored = restore_backup(backup.path, path, key=KEY)
    assert _plaintext_in(restored.path) == []
    with Project(restored.path, passphrase=KEY) as copy:
        assert [r.label for r in copy.records.list()] == ["Oksana Hrytsenko"]
    checks = verify_file(path, key=KEY)
    assert [c.problems for c in checks if c.problems] == []
    (problem,) = [p for c in verify_file(path) for p in c.problems]
    assert "is encrypted" in problem
    (problem,) = [p for c in verify_file(path, key=Passphrase("nope")) for p in c.problems]
    assert problem == "secret.twb: wrong passphrase (or not a Testimony Workbench project)"


def test_salvage_of_an_encrypted_project_is_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "secret.twb"
    with Project(path, passphrase=KEY) as project:
        _fill(project, tmp_path)
    target = tmp_path / "salvaged.twb"
    report = salvage(path, target, seed=lambda conn: seed_codebook(conn, "tester"), key=KEY)
    assert report.complete
    assert _plaintext_in(target) == []
    with Project(target, passphrase=KEY) as salvaged:
        assert [d.title for d in salvaged.documents.list()] == ["testimony"]
    with pytest.raises(PassphraseError, match="wrong passphrase"):
        salvage(path, tmp_path / "other.twb", key=Passphrase("nope"))
