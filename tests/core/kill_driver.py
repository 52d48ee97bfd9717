"""Run one stream of project operations and die by SIGKILL right before statement ``KILL_AT``.

Usage: ``python tests/core/kill_driver.py STREAM PROJECT WORKDIR`` with ``KILL_AT=N`` in the
environment (0 or unset: never killed). Every statement is counted: those SQLAlchemy runs
(an ``Engine`` class listener, so engines made anywhere count) and those run through
``sqlite3`` directly (pragmas on connect, commits, online backups). After each operation has
returned, one JSON line ``{"ack": ..., "state": ...}`` goes to stdout, flushed at once; the
state is what the project holds once that operation committed. Operations that commit in
steps (a batch import, an extraction run) also print ``{"progress": ..., "state": ...}`` after
each step. The last line of a run that was not killed is ``{"statements": N}``; with
``KILL_TRACE=1`` each statement's number and text go to stderr.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import signal
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Self

from sqlalchemy import Connection, Engine, event

STREAMS = ("create", "upgrade", "import", "extraction", "annotation", "review")
ACTOR = "driver"
# The types and codes the annotation stream cycles through (codes make no record).
TYPES = ("person", "place", "organization", "desertion", "event", "figure", "abuse")

State = dict[str, Any]


class StatementCounter:
    """Counts statements and kills this process right before number ``kill_at``."""

    def __init__(self, kill_at: int) -> None:
        self.kill_at = kill_at
        self.count = 0
        self.announced = False  # SQLAlchemy counted the statement the cursor runs next
        self.trace = False  # KILL_TRACE=1: each statement's number and start on stderr

    def tick(self, what: str) -> None:
        self.count += 1
        if self.trace:
            sys.stderr.write(f"{self.count}: {' '.join(what.split())[:100]}\n")
        if self.count == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    def raw(self, what: str) -> None:
        """A statement reaching sqlite3: counted unless SQLAlchemy already counted it."""
        if self.announced:
            self.announced = False
            return
        self.tick(what)


COUNTER = StatementCounter(0)


class CountingCursor(sqlite3.Cursor):
    """A cursor whose statements are counted."""

    def execute(self, sql: str, parameters: Any = (), /) -> Self:
        COUNTER.raw(sql)
        return super().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> Self:
        COUNTER.raw(sql)
        return super().executemany(sql, seq_of_parameters)

    def executescript(self, sql_script: str, /) -> sqlite3.Cursor:
        COUNTER.raw(sql_script)
        return super().executescript(sql_script)


class CountingConnection(sqlite3.Connection):
    """A connection whose statements, commits and online backups are counted."""

    def cursor(self, factory: Any = CountingCursor) -> Any:
        return super().cursor(factory)

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> Any:
        return self.cursor().executemany(sql, seq_of_parameters)

    def executescript(self, sql_script: str, /) -> Any:
        return self.cursor().executescript(sql_script)

    def commit(self) -> None:
        COUNTER.tick("(commit)")
        super().commit()

    def backup(self, target: sqlite3.Connection, **kwargs: Any) -> None:
        COUNTER.tick("(online backup)")
        super().backup(target, **kwargs)


def install_hooks(kill_at: int) -> None:
    """Count every statement of this process from now on; die before number ``kill_at``."""
    COUNTER.kill_at = kill_at
    COUNTER.trace = os.environ.get("KILL_TRACE") == "1"
    original = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        kwargs.setdefault("factory", CountingConnection)
        connection: sqlite3.Connection = original(*args, **kwargs)
        return connection

    sqlite3.connect = connect  # type: ignore[assignment]
    sqlite3.dbapi2.connect = connect  # type: ignore[assignment]  # SQLAlchemy's pysqlite

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        COUNTER.tick(statement)
        COUNTER.announced = True

    event.listen(Engine, "before_cursor_execute", before)


def ack(kind: str, state: State | None = None, **facts: Any) -> None:
    """Tell the harness an operation returned (one line, flushed before anything else runs)."""
    line = {"ack": kind, **facts}
    if state is not None:
        line["state"] = state
    sys.stdout.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
    sys.stdout.flush()


# --- reading what a project holds ----------------------------------------------------------


def read_state(conn: Connection) -> State:
    """Everything a project holds that operations change (no timestamps, no actors), as JSON
    values, so states from the driver and from the harness compare with ``==``."""

    def rows(sql: str) -> list[Any]:
        return [tuple(row) for row in conn.exec_driver_sql(sql)]

    tables = {name for (name,) in rows("SELECT name FROM sqlite_master WHERE type='table'")}
    documents = {
        str(i): {"title": title, "name": name, "chars": chars, "text_sha256": sha,
                 "text_hash": hashlib.sha256(text.encode("utf-8")).hexdigest()}
        for i, title, name, chars, sha, text in rows(
            "SELECT id, title, original_name, chars, text_sha256, text FROM documents"
        )
    }  # fmt: skip
    evidence: dict[int, list[int]] = {}
    for record_id, annotation_id in rows(
        "SELECT record_id, annotation_id FROM evidence ORDER BY annotation_id"
    ):
        evidence.setdefault(record_id, []).append(annotation_id)
    annotations = {
        str(i): [doc, start, end, quote, code, status, origin]
        for i, doc, start, end, quote, code, status, origin in rows(
            'SELECT a.id, a.document_id, a.start, a."end", a.quote, c.name, a.status, a.origin '
            "FROM annotations a JOIN codes c ON c.id = a.code_id"
        )
    }
    records = {
        str(i): {"label": label, "type": code, "status": status, "origin": origin,
                 "fields": json.loads(fields), "note": note, "date": [text, edtf, lo, hi],
                 "evidence": evidence.get(i, [])}
        for i, label, code, status, origin, fields, note, text, edtf, lo, hi in rows(
            "SELECT r.id, r.label, c.name, r.status, r.origin, r.fields, r.note, r.date_text, "
            "r.date_edtf, r.date_earliest, r.date_latest FROM records r "
            "JOIN codes c ON c.id = r.type_id"
        )
    }  # fmt: skip
    links = (
        sorted(rows("SELECT source_id, target_id, role FROM record_links"))
        if "record_links" in tables
        else []
    )
    suppressions = (
        sorted(rows('SELECT document_id, start, "end", code_id FROM extraction_suppressions'))
        if "extraction_suppressions" in tables
        else []
    )
    state = {
        "revision": rows("SELECT version_num FROM alembic_version"),
        "codes": [name for (name,) in rows("SELECT name FROM codes ORDER BY position, id")],
        "documents": documents,
        "annotations": annotations,
        "records": records,
        "links": links,
        "suppressions": suppressions,
        "audit": [
            [action, entity, entity_id, json.loads(detail)]
            for action, entity, entity_id, detail in rows(
                "SELECT action, entity, entity_id, detail FROM audit_log ORDER BY id"
            )
        ],
    }
    return dict(json.loads(json.dumps(state)))


def project_state(project: Any) -> State:
    with project.engine.connect() as conn:
        return read_state(conn)


def checkpoints(project: Any) -> Callable[[int, int, str], None]:
    """A progress callback of an operation that commits in steps (a file or a document at a
    time): each call follows a commit, so the state it prints is one the project may be
    found in after a kill, though not acknowledged."""

    def progress(done: int, total: int, _label: str) -> None:
        line = {"progress": [done, total], "state": project_state(project)}
        sys.stdout.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
        sys.stdout.flush()

    return progress


def token_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the non-blank runs of a text (words with their punctuation, emoji)."""
    return [m.span() for m in re.finditer(r"\S+", text)]


# --- the streams -----------------------------------------------------------------------------


def stream_create(path: Path, _workdir: Path) -> None:
    from workbench.project import Project  # noqa: PLC0415 - after the hooks are in place

    project = Project(path, actor=ACTOR)
    ack("create", project_state(project), created=project.created)
    project.close()
    ack("close")


def stream_upgrade(path: Path, _workdir: Path) -> None:
    from workbench.project import Project  # noqa: PLC0415

    project = Project(path, actor=ACTOR)
    ack("upgrade", project_state(project), backup=project.backup is not None)
    _annotate_some(project, 2, seed=11)
    project.close()
    ack("close")


def stream_import(path: Path, workdir: Path) -> None:
    from workbench.importers import ImportRefused  # noqa: PLC0415
    from workbench.project import Project  # noqa: PLC0415

    files = sorted((workdir / "inputs").iterdir())
    project = Project(path, actor=ACTOR)
    ack("open", project_state(project))
    for file in files[:2]:
        info, _ = project.documents.import_file(file)
        ack("document", project_state(project), id=info.id, sha=info.text_sha256)
    report = project.documents.import_paths(files[2:4], progress=checkpoints(project))
    ack("documents", project_state(project), ids=[i.id for i in report.imported])
    try:
        project.documents.import_file(files[0])
    except ImportRefused:
        ack("refused", project_state(project))
    report = project.documents.import_paths([workdir / "inputs"], progress=checkpoints(project))
    ack("documents", project_state(project), ids=[i.id for i in report.imported],
        refused=len(report.refused))  # fmt: skip
    project.close()
    ack("close")


def stream_extraction(path: Path, _workdir: Path) -> None:
    from workbench.project import Project  # noqa: PLC0415

    project = Project(path, actor=ACTOR)
    for doc_id in project.extraction.document_ids(None):
        report = project.extraction.run([doc_id])
        ack("extraction", project_state(project), document=doc_id, added=dict(report.added))
    report = project.extraction.run(progress=checkpoints(project))
    ack("extraction", project_state(project), document=None, added=dict(report.added))
    project.close()
    ack("close")


def _annotate_some(project: Any, count: int, *, seed: int) -> list[Any]:
    """``count`` annotations of one to three tokens, spread over the documents."""
    rng = random.Random(seed)
    docs = [d.id for d in project.documents.list()]
    texts = {d: project.documents.text(d) for d in docs}
    made = []
    for n in range(count):
        doc = docs[n % len(docs)]
        spans = token_spans(texts[doc])
        first = rng.randrange(len(spans) - 3)
        start, end = spans[first][0], spans[first + rng.randrange(3)][1]
        info, _ = project.annotations.annotate(doc, start, end, TYPES[n % len(TYPES)])
        ack("annotation", project_state(project), id=info.id, document=doc, start=start,
            end=end, quote=info.quote, records=list(info.record_ids))  # fmt: skip
        made.append(info)
    return made


def stream_annotation(path: Path, _workdir: Path) -> None:
    from workbench.domain import DocumentId, Passage  # noqa: PLC0415
    from workbench.project import Project  # noqa: PLC0415

    project = Project(path, actor=ACTOR)
    _annotate_some(project, 30, seed=7)
    infos, _ = project.annotations.annotate_many(
        [Passage(DocumentId(1), 0, 4), Passage(DocumentId(2), 0, 4)], "source-reliability"
    )
    ack("annotations", project_state(project), ids=[i.id for i in infos])
    project.close()
    ack("close")


def stream_review(path: Path, _workdir: Path) -> None:
    from workbench.project import Project  # noqa: PLC0415

    project = Project(path, actor=ACTOR)
    review = project.review

    def step(kind: str, operation: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        result = operation(*args, **kwargs)
        ack(kind, project_state(project))
        return result

    people = [
        step("annotate", review.annotate, 1 + i % 3, 10 * i, 10 * i + 7, "person") for i in range(5)
    ]
    r = [p.record_ids[0] for p in people]
    step("edit", review.edit, r[0], label="Данило Альфьоров 🙂", note="перевірено")
    edited = step("edit", review.edit, r[1], date_text="May 4, 2024")
    rejected = step("reject", review.set_status, [r[2]], "rejected")
    step("undo", project.steps.restore, rejected.before)
    step("accept", review.set_status, [r[2], r[3]], "accepted")
    merged = step("merge", review.merge, r[3], [r[4], r[2]])
    step("undo", project.steps.restore, merged.before)
    step("redo", project.steps.restore, merged.after)
    passage = max(a.id for a in project.annotations.for_record(r[3]))
    step("split", review.split, r[3], [passage])
    deleted = step("delete", review.delete, [r[0]])
    step("undo", project.steps.restore, deleted.before)
    step("redo", project.steps.restore, deleted.after)
    step("undo", project.steps.restore, edited.before)
    step("merge", review.merge, r[1], [r[3]])
    # Suggestions made by extraction: bulk decisions, links moved by a merge, suppressions.
    step("accept", review.bulk_status, "accepted", type_name="place")
    kharkiv = [p.id for p in project.records.list(type_name="place") if p.label == "Kharkiv"]
    merged = step("merge", review.merge, kharkiv[0], kharkiv[1:])
    step("undo", project.steps.restore, merged.before)
    events = [e.id for e in project.records.list(type_name="event", status="suggested")]
    step("reject", review.set_status, events[:3], "rejected")
    step("edit", review.edit, events[3], date_text="in late May 2024")
    suggested = project.records.list(type_name="person", status="suggested")
    deleted = step("delete", review.delete, [suggested[0].id, suggested[-1].id])
    step("undo", project.steps.restore, deleted.before)
    step("redo", project.steps.restore, deleted.after)
    step("accept", review.bulk_status, "accepted", document_id=3)
    project.close()
    ack("close")


STREAM_RUNNERS: dict[str, Callable[[Path, Path], None]] = {
    "create": stream_create,
    "upgrade": stream_upgrade,
    "import": stream_import,
    "extraction": stream_extraction,
    "annotation": stream_annotation,
    "review": stream_review,
}


def main(argv: list[str]) -> int:
    stream, project, workdir = argv
    install_hooks(int(os.environ.get("KILL_AT", "0") or 0))
    STREAM_RUNNERS[stream](Path(project), Path(workdir))
    sys.stdout.write(json.dumps({"statements": COUNTER.count}) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
