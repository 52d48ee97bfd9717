"""Protected records: pseudonyms given once and kept, undoable steps, the upgrade to 0006."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import import_text
from workbench.cli import main as cli_main
from workbench.domain import DocumentId, RecordId
from workbench.errors import InvalidInputError, NotFoundError
from workbench.export.model import ExportRequest
from workbench.project import Project
from workbench.services.records import letters
from workbench.storage.models import Record, RecordLink


def _record(project: Project, doc: DocumentId, text: str, name: str, kind: str) -> RecordId:
    start = text.index(name)
    info, _ = project.annotations.annotate(doc, start, start + len(name), kind)
    return RecordId(info.record_ids[0])


@pytest.fixture
def people(project: Project, tmp_path: Path) -> tuple[Project, dict[str, RecordId]]:
    text = "Ivan Petrov met Olga Sokolova in Kharkiv; the 3rd Brigade and the Red Cross came."
    doc = import_text(project, tmp_path, "a.txt", text).id
    ids = {
        name: _record(project, doc, text, name, kind)
        for name, kind in (
            ("Ivan Petrov", "person"), ("Olga Sokolova", "person"), ("Kharkiv", "place"),
            ("Red Cross", "organization"), ("3rd Brigade", "organization"),
        )
    }  # fmt: skip
    with project.transaction() as session:
        unit = session.get(Record, ids["3rd Brigade"])
        assert unit is not None
        unit.fields = {"kind": "military_unit"}
    return project, ids


def _rows(project: Project) -> list[tuple[object, ...]]:
    with project.engine.connect() as conn:
        return [
            tuple(row)
            for table in ("evidence", "record_links", "annotations")
            for row in conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY id")
        ]


def _pseudonyms(project: Project) -> dict[str, tuple[bool, str | None]]:
    return {r.label: (r.protected, r.pseudonym) for r in project.records.list()}


def test_letters_run_on_after_z() -> None:
    assert [letters(n) for n in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip


def test_protection_gives_pseudonyms_by_type(people: tuple[Project, dict[str, RecordId]]) -> None:
    project, ids = people
    project.records.protect([ids["Ivan Petrov"], ids["Kharkiv"], ids["Red Cross"]])
    project.records.protect([ids["Olga Sokolova"], ids["3rd Brigade"]])
    assert _pseudonyms(project) == {
        "Ivan Petrov": (True, "Person A"),
        "Olga Sokolova": (True, "Person B"),
        "Kharkiv": (True, "Place A"),
        "Red Cross": (True, "Organisation A"),
        "3rd Brigade": (True, "Unit A"),
    }
    actions = [e.action for e in project.audit.list()][:2]
    assert actions == ["record.protect", "record.protect"]


def test_a_pseudonym_is_kept_when_released_and_never_given_again(
    people: tuple[Project, dict[str, RecordId]],
) -> None:
    project, ids = people
    petrov, sokolova = ids["Ivan Petrov"], ids["Olga Sokolova"]
    project.records.protect([petrov])
    project.records.protect([petrov], protected=False)
    assert _pseudonyms(project)["Ivan Petrov"] == (False, "Person A")
    assert project.audit.list()[0].action == "record.unprotect"
    project.records.protect([petrov])
    assert _pseudonyms(project)["Ivan Petrov"] == (True, "Person A")
    project.review.delete([petrov])  # its pseudonym goes with it, and is not handed out again
    project.records.protect([sokolova])
    assert _pseudonyms(project)["Olga Sokolova"] == (True, "Person B")


def test_protection_is_undone_and_redone_and_undo_does_not_free_the_pseudonym(
    people: tuple[Project, dict[str, RecordId]],
) -> None:
    project, ids = people
    step = project.records.protect([ids["Ivan Petrov"]])
    assert step.changes.changed["record"] == {ids["Ivan Petrov"]}
    project.steps.restore(step.before)
    assert _pseudonyms(project)["Ivan Petrov"] == (False, None)
    project.steps.restore(step.after)
    assert _pseudonyms(project)["Ivan Petrov"] == (True, "Person A")
    project.steps.restore(step.before)
    project.records.protect([ids["Olga Sokolova"]])
    assert _pseudonyms(project)["Olga Sokolova"] == (True, "Person B")


def test_unknown_records_change_nothing(people: tuple[Project, dict[str, RecordId]]) -> None:
    project, ids = people
    with pytest.raises(NotFoundError, match="no record with id 999"):
        project.records.protect([ids["Kharkiv"], RecordId(999)])
    assert _pseudonyms(project)["Kharkiv"] == (False, None)


def test_a_project_from_before_protection_upgrades(project_path: Path) -> None:
    """A file made at 0005 gets the two columns, every record unprotected, in one step, and
    keeps every record's evidence and links."""
    with Project(project_path) as project:
        import_text(project, project_path.parent, "a.txt", "Ivan Petrov spoke in Kyiv.")
        doc = project.documents.list()[0].id
        project.annotations.annotate(doc, 0, 11, "person")
        project.annotations.annotate(doc, 21, 25, "place")
        first, second = (r.id for r in project.records.list())
        with project.transaction() as session:
            session.add(RecordLink(source_id=first, target_id=second, role="place"))
        kept = _rows(project)
    with sqlite3.connect(project_path) as conn:  # as the previous version created it
        conn.execute("DROP TABLE merge_conflicts")  # added in 0007
        conn.execute("ALTER TABLE records DROP COLUMN version")  # added in 0008
        conn.execute("ALTER TABLE records DROP COLUMN pseudonym")
        conn.execute("ALTER TABLE records DROP COLUMN protected")
        conn.execute("UPDATE alembic_version SET version_num = '0005_record_labels'")
    conn.close()
    with Project(project_path) as project:
        assert project.backup is not None
        with project.session() as session:
            assert session.execute(select(Record.protected, Record.pseudonym)).all() == [
                (False, None),
                (False, None),
            ]
        assert _rows(project) == kept
        assert [r.evidence_count for r in project.records.list()] == [1, 1]
        project.records.protect([project.records.list()[0].id])
        assert project.records.list()[0].pseudonym == "Person A"
    with Project(project_path) as again:  # the upgraded shape passes the schema check
        assert again.backup is None


def test_protection_goes_through_a_project_file_and_older_files_still_import(
    people: tuple[Project, dict[str, RecordId]], tmp_path: Path
) -> None:
    project, ids = people
    project.records.protect([ids["Ivan Petrov"]])
    output = tmp_path / "whole.json"
    project.exports.run(ExportRequest("project", "json", output, redact=False))
    with Project(tmp_path / "copy.twb") as copy:
        copy.project_import.import_file(output)
        assert _pseudonyms(copy) == _pseudonyms(project)
    data = json.loads(output.read_text(encoding="utf-8"))
    for record in data["records"]:  # as a version before protection wrote it
        del record["protected"], record["pseudonym"]
    output.write_text(json.dumps(data), encoding="utf-8")
    with Project(tmp_path / "older.twb") as older:
        older.project_import.import_file(output)
        assert set(_pseudonyms(older).values()) == {(False, None)}
    data["records"][0]["protected"] = 1
    output.write_text(json.dumps(data), encoding="utf-8")
    with Project(tmp_path / "bad.twb") as bad, pytest.raises(InvalidInputError) as refused:
        bad.project_import.import_file(output)
    assert "protected must be true or false" in str(refused.value)


def test_the_command_line_protects_what_exists_and_names_each_unknown_id(
    people: tuple[Project, dict[str, RecordId]], capsys: pytest.CaptureFixture[str]
) -> None:
    project, ids = people
    path = str(project.path)
    project.close()
    petrov, kharkiv = ids["Ivan Petrov"], ids["Kharkiv"]
    code = cli_main(["--project", path, "protect", str(petrov), "998", str(kharkiv), "999"])
    out, err = capsys.readouterr()
    assert code == 1
    assert err.splitlines() == ["error: no record with id 998", "error: no record with id 999"]
    assert out.splitlines() == [
        f"record {petrov}\tIvan Petrov\tprotected as Person A",
        f"record {kharkiv}\tKharkiv\tprotected as Place A",
    ]
    assert cli_main(["--project", path, "protect", str(kharkiv), "--off"]) == 0
    out, err = capsys.readouterr()
    assert out == f"record {kharkiv}\tKharkiv\tnot protected (keeps Place A for the next time)\n"
    assert err == ""
    with Project(Path(path)) as again:
        assert _pseudonyms(again)["Kharkiv"] == (False, "Place A")
        assert _pseudonyms(again)["Ivan Petrov"] == (True, "Person A")


def test_merging_and_splitting_keep_protected_names_protected(
    people: tuple[Project, dict[str, RecordId]], tmp_path: Path
) -> None:
    """A merge makes the protected source's label an alias of the target, a split makes a
    protected record's passages another record's: both stay protected."""
    project, ids = people
    text = "Petrov, also called Vanya Petrov, and Sokolova."
    doc = import_text(project, tmp_path, "b.txt", text).id
    vanya = _record(project, doc, text, "Vanya Petrov", "person")
    project.records.protect([vanya])
    project.review.merge(ids["Ivan Petrov"], [vanya])
    merged = project.records.get(ids["Ivan Petrov"])
    assert (merged.protected, merged.pseudonym, merged.fields["aliases"]) == (
        True, "Person A", ["Vanya Petrov"],
    )  # fmt: skip
    passage = next(a.id for a in project.annotations.for_document(doc))
    step = project.review.split(ids["Ivan Petrov"], [passage])
    split = project.records.get(RecordId(step.record_ids[0]))
    assert (split.protected, split.pseudonym) == (True, "Person B")
    project.steps.restore(step.before)  # undone: Person B stays given
    project.records.protect([ids["Olga Sokolova"]])
    assert _pseudonyms(project)["Olga Sokolova"] == (True, "Person C")


def test_protection_comes_back_from_our_qdpx_without_taking_a_pseudonym_given_here(
    people: tuple[Project, dict[str, RecordId]], tmp_path: Path
) -> None:
    project, ids = people
    project.records.protect([ids["Olga Sokolova"], ids["Kharkiv"]])
    package = tmp_path / "p.qdpx"
    project.exports.run(ExportRequest("project", "qdpx", package, redact=False))
    with Project(tmp_path / "new.twb") as new:
        new.project_import.import_file(package)
        assert {k: v for k, v in _pseudonyms(new).items() if v[0]} == {
            "Olga Sokolova": (True, "Person A"),
            "Kharkiv": (True, "Place A"),
        }
    with Project(tmp_path / "taken.twb") as taken:
        text = "Anna Lind spoke."
        doc = import_text(taken, tmp_path, "t.txt", text).id
        taken.records.protect([_record(taken, doc, text, "Anna Lind", "person")])
        taken.project_import.import_file(package)
        assert _pseudonyms(taken)["Olga Sokolova"] == (True, "Person B")
        assert _pseudonyms(taken)["Anna Lind"] == (True, "Person A")
