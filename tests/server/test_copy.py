"""``workbench copy``: a project from a file to a server and back, losing nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from tests.conftest import import_text
from tests.server.conftest import Server
from workbench.cli import main
from workbench.domain import Passage
from workbench.project import Project
from workbench.sample import build_sample_project
from workbench.services.memos import MemoTarget
from workbench.storage.cipher import Passphrase
from workbench.storage.models import Base


def _tables(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table of the models, in key order."""
    with engine.connect() as conn:
        return {
            table.name: [
                dict(row._mapping)
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }


def _contents(location: Path | str) -> dict[str, list[dict[str, Any]]]:
    with Project(location, create=False) as project:
        return _tables(project.engine)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample project, with passages over Cyrillic and emoji annotated,
    records merged and deleted (the audit log keeps it all)."""
    path = tmp_path_factory.mktemp("sample") / "sample.twb"
    build_sample_project(path)
    folder = path.parent
    with Project(path, actor="anna") as project:
        text = "«Я не хотел воевать» 🇺🇦, said Daniil 🙂 Alfyorov.\n"
        doc = import_text(project, folder, "ru.txt", text, language="ru").id
        start = text.index("Daniil")
        project.review.annotate_as_one(
            [Passage(doc, start, start + len("Daniil 🙂 Alfyorov"))], "person", "Daniil 🙂"
        )
        project.review.annotate_many([Passage(doc, 1, 19)], "event")
        hits = project.search.find("surgeon")
        project.review.annotate_many([Passage(h.document_id, h.start, h.end) for h in hits],
                                     "person")  # fmt: skip
        project.memos.write(MemoTarget.document(doc), "Памятка 🙂")
    return path


def test_a_file_goes_to_the_server_and_comes_back_the_same(
    sample: Path, pg_server: Server, database: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    url = pg_server.url(database)
    original = _contents(sample)
    with Project(sample) as project:
        found = project.search.find("хотел воевать")
    assert len(found) >= 2
    assert original["documents"] and original["annotations"] and original["audit_log"]
    assert main(["copy", str(sample), url]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"copied {sample} into database {database} on ")
    assert f"{len(original['documents'])} documents" in said
    assert _contents(url) == original
    back = tmp_path / "back.twb"
    assert main(["copy", url, str(back)]) == 0
    assert _contents(back) == original
    texts = [d["text"] for d in _contents(back)["documents"]]
    assert any("🇺🇦" in t and "Я не хотел" in t for t in texts)
    with Project(url, actor="boris") as project:  # the server project works on after it
        assert project.search.find("хотел воевать") == found
        (tmp_path / "new.txt").write_text("A new testimony.\n", encoding="utf-8")
        report = project.documents.import_paths([tmp_path / "new.txt"])
        assert report.imported[0].id == max(d["id"] for d in original["documents"]) + 1
    with Project(back, actor="boris") as project:  # and so does the file, search included
        assert project.search.find("хотел воевать") == found


def test_a_destination_that_is_not_empty_is_refused_untouched(
    sample: Path, pg_server: Server, server_url: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    before = _contents(server_url)
    assert main(["copy", str(sample), server_url]) == 1
    assert "is not empty: copy into a new database" in capsys.readouterr().err
    assert _contents(server_url) == before
    taken = tmp_path / "taken.twb"
    taken.write_bytes(b"something")
    assert main(["copy", server_url, str(taken)]) == 1
    assert "exists and is not empty: copy into a new file" in capsys.readouterr().err
    assert taken.read_bytes() == b"something"
    assert main(["copy", server_url, server_url]) == 1
    assert "the same project" in capsys.readouterr().err


def test_an_encrypted_file_is_copied_with_its_passphrase(
    pg_server: Server, database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    secret = Passphrase("correct horse battery staple")
    path = tmp_path / "secret.twb"
    with Project(path, passphrase=secret) as project:
        import_text(project, tmp_path, "a.txt", "Тайное свидетельство 🙂.\n", language="ru")
        original = _tables(project.engine)
    url = pg_server.url(database)
    assert main(["copy", str(path), url]) == 1  # no passphrase given: refused
    assert pg_server.tables(database) == []
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", "correct horse battery staple")
    capsys.readouterr()
    assert main(["copy", str(path), url]) == 0
    assert "note: the copy is not encrypted" in capsys.readouterr().err
    assert _contents(url) == original


def test_a_copy_that_fails_half_way_leaves_the_database_empty(
    pg_server: Server, database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "nul.twb"
    with Project(path) as project:
        import_text(project, tmp_path, "a.txt", "A testimony.\n")
        project.memos.write(MemoTarget.project(), "a file holds U+0000: \x00")  # the last table
    assert main(["copy", str(path), pg_server.url(database)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "cannot store the character NUL (U+0000)" in err
    assert pg_server.tables(database) == []  # the schema and the rows before went with it
