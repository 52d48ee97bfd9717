"""Record versions on a project file: each step counts one write on the records it keeps; an
edit given the version its editor read is refused when the record was written since (a view
that has not refreshed yet), and changes nothing; undo and redo count one write each (a
version never goes back: tests/core/test_record_versions_aba.py)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import import_text, review_rows
from workbench.errors import RecordChangedError
from workbench.export.model import ExportRequest, WriteOptions
from workbench.project import Project
from workbench.services.merge_projects import merge_project
from workbench.storage import migrate

# Cyrillic and emoji before the names: offsets are code points.
TEXT = "Свідчення 🙂: Olena Marchenko met Petro Ivanenko in Kherson, then Odesa.\n"


def _span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def _person(project: Project, folder: Path, name: str = "Olena Marchenko") -> int:
    doc = project.documents.list()[0].id if project.documents.list() else None
    if doc is None:
        doc = import_text(project, folder, "t.txt", TEXT).id
    (record_id,) = project.review.annotate(doc, *_span(name), "person").record_ids
    return record_id


def test_an_edit_from_a_stale_view_is_refused_and_changes_nothing(
    project: Project, tmp_path: Path
) -> None:
    record_id = _person(project, tmp_path)
    shown = project.records.get(record_id)  # what an open editor read
    project.review.edit(record_id, note="written elsewhere")  # e.g. the command line
    before = review_rows(project)
    with pytest.raises(RecordChangedError) as refused:
        project.review.edit(record_id, label="Olena M.", seen=shown.version)
    assert str(refused.value) == (
        "another annotator changed “Olena Marchenko” since you read it: nothing was changed; "
        "it has been reloaded"
    )
    assert review_rows(project) == before
    with pytest.raises(RecordChangedError):
        project.review.delete([record_id], seen={record_id: shown.version})
    assert review_rows(project) == before
    fresh = project.records.get(record_id)
    project.review.edit(record_id, label="Olena M.", seen=fresh.version)
    assert project.records.get(record_id).label == "Olena M."


def test_each_step_counts_one_write_on_the_records_it_keeps(
    project: Project, tmp_path: Path
) -> None:
    olena = _person(project, tmp_path)
    petro = _person(project, tmp_path, "Petro Ivanenko")
    assert project.records.get(olena).version == 1
    project.review.edit(olena, label="Olena", note="n", date_text="March 2024")
    assert project.records.get(olena).version == 2  # one step, one write
    project.review.attach(project.documents.list()[0].id, *_span("Kherson"), olena)
    assert project.records.get(olena).version == 3  # a passage more is a write too
    annotations = [a.id for a in project.annotations.for_record(olena)]
    split = project.review.split(olena, annotations[-1:])  # only its evidence changes
    assert project.records.get(olena).version == 4
    assert project.records.get(split.record_ids[0]).version == 1  # a new record
    project.review.merge(olena, [petro], seen={olena: 4, petro: 1})
    assert project.records.get(olena).version == 5


def test_undo_and_redo_write_the_row_back_and_count_one_write_each(
    project: Project, tmp_path: Path
) -> None:
    record_id = _person(project, tmp_path)
    shown = project.records.get(record_id)
    step = project.review.edit(record_id, note="one", seen=shown.version)
    project.steps.restore(step.before)  # undo: the row as it was, one write more
    assert (project.records.get(record_id).note, project.records.get(record_id).version) == (
        "",
        3,
    )
    project.steps.restore(step.after)  # redo
    assert (project.records.get(record_id).note, project.records.get(record_id).version) == (
        "one",
        4,
    )
    with pytest.raises(RecordChangedError):  # the editor's version from before the step
        project.review.edit(record_id, note="two", seen=shown.version)


def test_a_file_from_before_record_versions_upgrades_its_records_to_version_1(
    project_path: Path, tmp_path: Path
) -> None:
    with Project(project_path) as project:
        record_id = _person(project, tmp_path)
        project.review.edit(record_id, note="edited before versions")
    with sqlite3.connect(project_path) as conn:  # as the previous version created it
        conn.execute("ALTER TABLE records DROP COLUMN version")
        conn.execute("UPDATE alembic_version SET version_num = '0007_merge_conflicts'")
    conn.close()
    with Project(project_path) as project:
        assert project.backup is not None
        assert project.records.get(record_id).version == 1
        project.review.edit(record_id, note="after", seen=1)
        assert project.records.get(record_id).version == 2
    with sqlite3.connect(project_path) as conn:
        (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    conn.close()
    assert revision == migrate.HEAD_REVISION == "0008_record_versions"


def test_a_json_project_carries_versions_and_one_from_before_them_starts_at_1(
    project: Project, tmp_path: Path
) -> None:
    record_id = _person(project, tmp_path)
    project.review.edit(record_id, note="x")
    output = tmp_path / "project.json"
    project.exports.run(
        ExportRequest("project", "json", output, options=WriteOptions(include_text=True))
    )
    with Project(tmp_path / "same.twb") as copy:
        copy.project_import.import_file(output)
        assert copy.records.get(record_id).version == 2  # the whole project, as it was
    data = json.loads(output.read_text(encoding="utf-8"))
    for row in data["records"]:
        del row["version"]
    older = tmp_path / "older.json"
    older.write_text(json.dumps(data), encoding="utf-8")
    with Project(tmp_path / "older.twb") as copy:
        copy.project_import.import_file(older)
        assert copy.records.get(record_id).version == 1


def test_a_merged_copys_new_records_start_at_1_here(project_path: Path, tmp_path: Path) -> None:
    with Project(project_path, actor="lead") as project:
        _person(project, tmp_path)
    copy = tmp_path / "anna.twb"
    shutil.copyfile(project_path, copy)
    with Project(copy, actor="anna") as anna:
        new = _person(anna, tmp_path, "Petro Ivanenko")
        anna.review.edit(new, note="one")
        anna.review.edit(new, note="two")
        assert anna.records.get(new).version == 3
    with Project(project_path, actor="lead") as project:
        merge_project(project, copy)
        (petro,) = [r for r in project.records.list() if r.label == "Petro Ivanenko"]
        assert petro.version == 1
