"""Nothing acknowledged is ever lost: streams of operations killed by SIGKILL at seeded
statements, then reopened and compared with what was acknowledged.

Each stream runs once unkilled in ``kill_driver.py`` (counting its statements and recording
the state after every acknowledged operation), then again per trial with ``KILL_AT`` drawn by
``random.Random`` from the seed (``KILL_SEED``, fixed by default). After a kill the project must
open, pass ``integrity_check`` and the FTS5 check, hold exactly the state of the last
acknowledged operation or of the one in flight (which may have committed before the kill),
keep quotes equal to their documents' text, leave no temporary files and take over the lock.
Reproduce a trial with ``KILL_ONLY=STREAM:N`` (this test, just that trial), or by hand with
``KILL_AT=N KILL_TRACE=1 python tests/core/kill_driver.py STREAM PROJECT WORKDIR`` on a copy of
the stream's prepared input.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from sqlalchemy import Connection, insert

from tests.core.kill_driver import STREAMS, read_state
from workbench.errors import ProjectError
from workbench.paths import DEFAULT_CODEBOOK
from workbench.project import Project
from workbench.services.audit import audit
from workbench.storage import migrate
from workbench.storage.database import make_engine
from workbench.storage.fts import index_document
from workbench.storage.lock import lock_path
from workbench.storage.models import Annotation, Document, Evidence, utcnow

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("kill_driver.py")
SEED = int(os.environ.get("KILL_SEED", "20261207"))
# "review:414,create:60" runs just those trials (to reproduce one), instead of seeded ones.
ONLY = os.environ.get("KILL_ONLY", "")
# Killed trials per stream (extraction loads spaCy in every run, so it gets fewer).
TRIALS = {"create": 10, "upgrade": 12, "import": 11, "extraction": 5, "annotation": 16}
TRIALS["review"] = 18
WORKERS = 2  # drivers run two at a time; checks run one at a time

# The files imported: Cyrillic and emoji in text and names, a BOM and CRLF line ends.
INPUTS: dict[str, bytes] = {
    "alfyorov.txt": (
        "“I didn’t want to fight,” said Daniil Alfyorov 🙂, who left the 47th Tank Division "
        "in late March 2024.\nHis mother wrote: «Я не хотел воевать». 🇺🇦\n"
        "Alfyorov crossed into Kazakhstan on May 4, 2024, with two other soldiers.\n"
    ).encode(),
    "медсестра.txt": (
        "Медсестра из Белгорода рассказала, что с 12 февраля 2023 года её заставляли "
        "работать в полевом госпитале 🏥 под угрозой.\nРаненых было больше сорока. "
        "«Мы не спали трое суток», — говорит она. Ольга Петренко уехала в Грузию.\n"
    ).encode(),
    "report-crlf.txt": (
        "\ufeffReport from Kharkiv region, 3 June 2023.\r\n"
        "Soldier X said the commander of the 155th brigade sent wounded men back ⚠️ to the "
        "front near Kupiansk.\r\nAt least 30 people were detained in a pit for a week.\r\n"
    ).encode(),
    "notes.md": (
        "# Field notes — Ізюм\n\nOn 10 September 2022 the volunteers 👩‍⚕️ from Médecins "
        "reached Izium.\nThey counted 440 graves in the forest; Oleksandr Kovalenko "
        "guided them.\n\n## Later\n\nIn October 2022 the group returned to Kharkiv.\n"
    ).encode(),
    "emoji 🙂 diary.txt": (
        "Diary 📓 of Andrey (name changed), a conscript from Pskov.\n"
        "January 2024: sent to Bakhmut with the 76th Guards Air Assault Division.\n"
        "Он написал: «Домой хочу» 😔 and deserted two weeks later.\n"
    ).encode(),
    "kupiansk.txt": (
        "Residents of Kupiansk described shelling on 20 August 2023 🔥.\n"
        "Maria Ivanova, a nurse, treated twelve wounded civilians in a basement.\n"
        "The Russian Ministry of Defence denied any attack on the city.\n"
    ).encode(),
}


def _stored_text(data: bytes) -> str:
    """What the plain-text importer stores: a leading BOM dropped, CRLF and CR made LF."""
    return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


EXPECTED_SHA = {
    name: hashlib.sha256(_stored_text(data).encode("utf-8")).hexdigest()
    for name, data in INPUTS.items()
}


@dataclass
class Run:
    """What one run of the driver said (acknowledgements and progress, in order) and how it
    ended."""

    lines: list[dict[str, Any]]
    statements: int | None
    returncode: int
    stderr: str
    pid: int

    @property
    def acks(self) -> int:
        return sum(1 for line in self.lines if "ack" in line)


@dataclass
class Stream:
    """A stream's prepared input, its unkilled run and the states it may be found in."""

    name: str
    source: Path | None  # copied to the trial's project file; None: the file is missing
    reference: Run | None = None
    result: Path | None = None  # the project the unkilled run left
    # Every state the project passes through, in order, and whether it was acknowledged
    # (the first is the prepared input, as the next open makes it).
    timeline: list[tuple[bool, dict[str, Any]]] = field(default_factory=list)

    def allowed(self, acks: int) -> list[dict[str, Any]]:
        """States a project may hold after ``acks`` acknowledgements: that of the last one,
        any committed since, and that of the operation in flight (it may have committed)."""
        marks = [i for i, (acked, _) in enumerate(self.timeline) if acked]
        last = marks[acks]
        upto = marks[acks + 1] if acks + 1 < len(marks) else len(self.timeline) - 1
        return [state for _, state in self.timeline[last : upto + 1]]


@dataclass
class Trial:
    stream: str
    kill_at: int
    path: Path
    acks: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _run_driver(
    stream: str, project: Path, workdir: Path, kill_at: int, *, trace: bool = False
) -> Run:
    env = {**os.environ, "KILL_AT": str(kill_at), "PYTHONIOENCODING": "utf-8"}
    if trace:
        env["KILL_TRACE"] = "1"
    with subprocess.Popen(
        [sys.executable, str(DRIVER), stream, str(project), str(workdir)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        encoding="utf-8",
    ) as process:  # fmt: skip
        stdout, stderr = process.communicate(timeout=300)
    lines, statements = [], None
    for line in stdout.splitlines():
        message = json.loads(line)
        if "statements" in message:
            statements = int(message["statements"])
        else:
            lines.append(message)
    return Run(lines, statements, process.returncode, stderr, process.pid)


# The records table as the first release had it: the model's later columns (protected,
# pseudonym) would not be there to insert into.
_RECORDS_0001 = sa.table(
    "records", *(sa.column(name) for name in
                 ("id", "type_id", "label", "fields", "status", "origin", "note", "created_at",
                  "updated_at")),
)  # fmt: skip


def _make_0001(path: Path) -> None:
    """A project file at the first schema revision, with documents, a codebook, annotations,
    records and evidence, as the first release wrote them."""
    engine = make_engine(path)
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0001_initial")
        person = _seed_0001_codebook(conn)
        for name in ("alfyorov.txt", "медсестра.txt", "notes.md"):
            text = _stored_text(INPUTS[name])
            sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
            doc_id = conn.execute(
                insert(Document).returning(Document.id),
                {"title": Path(name).stem, "format": Path(name).suffix[1:], "encoding": "utf-8",
                 "original_name": name, "original_sha256": sha, "text_sha256": sha,
                 "text": text, "chars": len(text), "imported_at": utcnow(), "extra": {}},
            ).scalar_one()  # fmt: skip
            index_document(conn, doc_id, Path(name).stem, text)
            audit(conn, "archivist", "document.import", "document", doc_id, file=name)
            start = len(text) // 3
            ann_id = conn.execute(
                insert(Annotation).returning(Annotation.id),
                {"document_id": doc_id, "start": start, "end": start + 9,
                 "quote": text[start : start + 9], "code_id": person, "author": "archivist",
                 "origin": "manual", "status": "accepted", "note": ""},
            ).scalar_one()  # fmt: skip
            record_id = conn.execute(
                _RECORDS_0001.insert().returning(_RECORDS_0001.c.id),
                {"type_id": person, "label": text[start : start + 9],
                 "fields": json.dumps({"n": doc_id}), "status": "accepted", "origin": "manual",
                 "note": "до оновлення 🙂", "created_at": utcnow(), "updated_at": utcnow()},
            ).scalar_one()  # fmt: skip
            conn.execute(insert(Evidence), {"record_id": record_id, "annotation_id": ann_id})
            audit(conn, "archivist", "annotation.create", "annotation", ann_id)
    engine.dispose()


def _seed_0001_codebook(conn: Connection) -> int:
    """The default codebook as the first release stored it (codes had no fields then), with
    its audit row; returns the id of 'person'."""
    codes_0001 = sa.table(
        "codes", *(sa.column(name) for name in
                   ("name", "label", "kind", "colour", "shortcut", "description", "position")),
    )  # fmt: skip
    entries = json.loads(DEFAULT_CODEBOOK.read_text(encoding="utf-8"))["entries"]
    conn.execute(
        codes_0001.insert(),
        [{"name": e["name"], "label": e["label"], "kind": e["kind"], "colour": e["colour"],
          "shortcut": e.get("shortcut"), "description": e.get("description", ""),
          "position": position} for position, e in enumerate(entries)],
    )  # fmt: skip
    audit(conn, "archivist", "codebook.load", "code", None, file=DEFAULT_CODEBOOK.name)
    return int(conn.execute(sa.text("SELECT id FROM codes WHERE name = 'person'")).scalar_one())


def _state_of(path: Path) -> dict[str, Any]:
    """The state a project file holds once opened (created or upgraded if it must be)."""
    with Project(path, actor="harness") as project, project.engine.connect() as conn:
        return read_state(conn)


def _prepare(root: Path) -> tuple[Path, dict[str, Stream]]:
    """Inputs for every stream: files to import, an empty project, one with the documents,
    and one at revision 0001."""
    workdir = root / "work"
    (workdir / "inputs").mkdir(parents=True)
    for name, data in INPUTS.items():
        (workdir / "inputs" / name).write_bytes(data)
    empty, docs, old = workdir / "empty.twb", workdir / "docs.twb", workdir / "v0001.twb"
    with Project(empty, actor="harness"):
        pass
    shutil.copyfile(empty, docs)
    with Project(docs, actor="harness") as project:
        report = project.documents.import_paths([workdir / "inputs"])
        assert len(report.imported) == len(INPUTS), report.refused
    _make_0001(old)
    for made in (empty, docs, old):
        assert not made.with_name(made.name + "-wal").exists()
    # Review works on what the extraction stream's unkilled run leaves (see _references).
    sources = {"create": None, "upgrade": old, "import": empty, "extraction": docs,
               "annotation": docs, "review": workdir / "extracted.twb"}  # fmt: skip
    streams = {name: Stream(name, sources[name]) for name in STREAMS}
    for stream in streams.values():
        if stream.name != "review":
            _set_base(root, stream)
    return workdir, streams


def _set_base(root: Path, stream: Stream) -> None:
    """The first state of a stream: its input as the next open makes it."""
    base = root / "base" / stream.name / "project.twb"
    base.parent.mkdir(parents=True)
    if stream.source is not None:
        shutil.copyfile(stream.source, base)
    stream.timeline = [(True, _state_of(base))]


def _trial_path(root: Path, stream: Stream, label: str) -> Path:
    path = root / "trials" / f"{stream.name}-{label}" / "project.twb"
    path.parent.mkdir(parents=True)
    if stream.source is not None:
        shutil.copyfile(stream.source, path)
    return path


def _describe(found: dict[str, Any], expected: dict[str, Any]) -> str:
    """Where a state differs from the expected one, briefly."""
    parts = []
    for key, want in expected.items():
        got = found.get(key)
        if got == want:
            continue
        if isinstance(want, dict) and isinstance(got, dict):
            lost = sorted(want.keys() - got.keys(), key=int)
            extra = sorted(got.keys() - want.keys(), key=int)
            changed = sorted((k for k in want.keys() & got.keys() if want[k] != got[k]), key=int)
            first = f" ({want[changed[0]]!r} became {got[changed[0]]!r})" if changed else ""
            parts.append(f"{key}: lost {lost[:8]}, extra {extra[:8]}, changed {changed[:8]}{first}")
        elif isinstance(want, list) and isinstance(got, list):
            at = next(i for i, (w, g) in enumerate(zip_longest(want, got)) if w != g)
            pair = (want[at] if at < len(want) else None, got[at] if at < len(got) else None)
            parts.append(f"{key}: {len(want)} expected, {len(got)} found; at {at}: {pair!r}")
        else:
            parts.append(f"{key}: expected {want!r}, found {got!r}")
    return "; ".join(parts)


def _verify(trial: Trial, stream: Stream, killed_pid: int | None = None) -> None:
    """Reopen a killed trial's project and compare it with what was acknowledged."""
    path, problems = trial.path, trial.problems
    if killed_pid is not None:
        owner = json.loads(lock_path(path).read_text(encoding="utf-8"))
        if owner["pid"] != killed_pid:
            problems.append(f"the killed run did not hold the lock (it names {owner['pid']})")
    existed = path.exists() and path.stat().st_size > 0
    if stream.name == "create" and trial.acks and not existed:
        problems.append("the creation was acknowledged but the project file is missing")
    if stream.name != "create" and not existed:
        problems.append("the project file is missing or empty")
    if any(p.stat().st_size == 0 for p in path.parent.glob("*.backup-*")):
        trial.notes.append("a kill before the online backup leaves an empty NAME.backup-*.twb")
    try:
        project = Project(path, actor="harness")
    except ProjectError as exc:
        problems.append(f"the project does not open: {exc}")
        return
    try:
        if existed and project.created:
            problems.append("an existing file was made into a new, empty project")
        owner = json.loads(lock_path(path).read_text(encoding="utf-8"))
        if owner["pid"] != os.getpid() or project.lock.owner.pid != os.getpid():
            problems.append(f"the lock was not taken over (it names pid {owner['pid']})")
        leftovers = sorted(p.name for p in path.parent.glob(f".{path.name}.new-*"))
        if leftovers:
            problems.append(f"temporary files left after reopening: {leftovers}")
        with project.engine.connect() as conn:
            check = conn.exec_driver_sql("PRAGMA integrity_check").scalar()
            if check != "ok":
                problems.append(f"integrity_check: {check}")
            try:
                conn.exec_driver_sql(
                    "INSERT INTO documents_fts(documents_fts, rank) VALUES('integrity-check', 1)"
                )
            except Exception as exc:  # noqa: BLE001 - any failure is the finding
                problems.append(f"FTS index inconsistent: {exc}")
            conn.rollback()
            state = read_state(conn)
            texts = {
                int(doc_id): str(text)
                for doc_id, text in conn.exec_driver_sql("SELECT id, text FROM documents")
            }
        codes = [c.name for c in project.codebook.list()]
        default = [e["name"] for e in json.loads(DEFAULT_CODEBOOK.read_text())["entries"]]
        if codes[: len(default)] != default:
            problems.append(f"codebook incomplete: {codes}")
        _check_content(state, texts, problems)
    finally:
        project.close()
    allowed = stream.allowed(trial.acks)
    if state not in allowed:
        problems.append(
            f"after {trial.acks} acknowledged operations the project differs from what was "
            f"acknowledged: {_describe(state, allowed[0])}"
        )


def _check_content(state: dict[str, Any], texts: dict[int, str], problems: list[str]) -> None:
    """Every document holds the text imported; every quote is its document's text at its span."""
    for doc_id, doc in state["documents"].items():
        if not doc["text_hash"] == doc["text_sha256"] == EXPECTED_SHA.get(doc["name"]):
            problems.append(f"document {doc_id} ({doc['name']}) does not hold the imported text")
    for ann_id, (doc_id, start, end, quote, *_rest) in state["annotations"].items():
        if texts[doc_id][start:end] != quote:
            problems.append(f"annotation {ann_id}: quote differs from document {doc_id}")


def _references(root: Path, workdir: Path, streams: dict[str, Stream]) -> None:
    """The unkilled run of every stream; review's input is the extraction run's result."""
    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(lambda s: _reference(root, workdir, s), list(streams.values())[:-1]))
    review = streams["review"]
    assert review.source is not None and streams["extraction"].result is not None
    shutil.copyfile(streams["extraction"].result, review.source)
    _set_base(root, review)
    _reference(root, workdir, review)


def _reference(root: Path, workdir: Path, stream: Stream) -> None:
    """The unkilled run: statement count and the state after each acknowledged operation."""
    path = stream.result = _trial_path(root, stream, "reference")
    run = _run_driver(stream.name, path, workdir, 0)
    assert run.returncode == 0 and run.statements, f"{stream.name}: {run.stderr[-3000:]}"
    stream.reference = run
    for message in run.lines:
        stream.timeline.append(("ack" in message, message.get("state", stream.timeline[-1][1])))
    if stream.name == "create":  # killed before anything: a new project is created on open
        stream.timeline[0] = stream.timeline[1]
    trial = Trial(stream.name, 0, path, acks=run.acks)
    _verify(trial, stream)
    assert not trial.problems, f"{stream.name} unkilled run: {trial.problems}"


def _kill_points(streams: dict[str, Stream]) -> list[tuple[str, int]]:
    """(stream, KILL_AT) of every trial: distinct statements per stream, drawn from the seed."""
    if ONLY:
        return [(name, int(n)) for name, n in (item.split(":") for item in ONLY.split(","))]
    points = []
    for name, count in TRIALS.items():
        statements = streams[name].reference.statements  # type: ignore[union-attr]
        assert statements
        rng = random.Random(f"{SEED}:{name}")
        points += [(name, n) for n in sorted(rng.sample(range(1, statements + 1), count))]
    return points


def test_nothing_acknowledged_is_lost(tmp_path: Path) -> None:
    began = time.monotonic()
    workdir, streams = _prepare(tmp_path)
    _references(tmp_path, workdir, streams)
    prepared = time.monotonic() - began
    trials = [
        Trial(name, kill_at, _trial_path(tmp_path, streams[name], str(k)))
        for k, (name, kill_at) in enumerate(_kill_points(streams))
    ]
    verifying = threading.Lock()  # Alembic's context is global: one upgrade at a time

    def run_trial(trial: Trial) -> None:
        stream = streams[trial.stream]
        assert stream.reference is not None
        run = _run_driver(trial.stream, trial.path, workdir, trial.kill_at)
        trial.acks = run.acks
        if run.returncode != -signal.SIGKILL:
            trial.problems.append(f"not killed (exit {run.returncode}): {run.stderr[-2000:]}")
        if run.lines != stream.reference.lines[: len(run.lines)]:
            trial.problems.append("acknowledgements differ from the unkilled run")
        with verifying:
            _verify(trial, stream, run.pid)

    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(run_trial, trials))
    elapsed = time.monotonic() - began

    losses = [t for t in trials if t.problems]
    print(f"\nkill harness (KILL_SEED={SEED}): {len(trials)} killed trials in {elapsed:.1f} s "
          f"({prepared:.1f} s preparing inputs and unkilled runs)")  # fmt: skip
    for name, stream in streams.items():
        mine = [t for t in trials if t.stream == name]
        assert stream.reference is not None
        print(f"  {name:<11} {len(mine):>2} trials over {stream.reference.statements:>4} "
              f"statements, {stream.reference.acks:>2} acks; killed at "
              f"{sorted(t.kill_at for t in mine)}; losses "
              f"{sum(1 for t in mine if t.problems)}")  # fmt: skip
    for note in sorted({f"{t.stream}: {n}" for t in trials for n in t.notes}):
        print(f"  note: {note}")

    def passed(check: str) -> str:
        return f"{sum(1 for t in trials if not any(check in p for p in t.problems))}/{len(trials)}"

    print(f"  losses = {len(losses)}; opens {passed('does not open')}, integrity_check ok "
          f"{passed('integrity_check')}, FTS ok {passed('FTS index')}, acknowledged state "
          f"intact {passed('acknowledged')}")  # fmt: skip
    assert len(trials) >= 50 or ONLY
    assert not losses, "acknowledged work lost or project damaged after SIGKILL:\n" + "\n".join(
        f"  KILL_SEED={SEED} stream {t.stream} KILL_AT={t.kill_at} ({t.acks} acks): "
        + " | ".join(t.problems)
        for t in losses
    )


def test_the_driver_counts_and_kills_deterministically(tmp_path: Path) -> None:
    """Two unkilled runs count the same statements and say the same; a run killed at N dies
    right before statement N (the commit of the first annotation here), having said nothing
    of it, and the project does not hold it."""
    workdir = tmp_path / "work"
    workdir.mkdir()
    stream = Stream("annotation", tmp_path / "docs.twb")
    with Project(tmp_path / "docs.twb", actor="harness") as project:
        for name in ("alfyorov.txt", "медсестра.txt"):
            (workdir / name).write_bytes(INPUTS[name])
            project.documents.import_file(workdir / name)
    first = _run_driver(stream.name, _trial_path(tmp_path, stream, "a"), workdir, 0, trace=True)
    second = _run_driver(stream.name, _trial_path(tmp_path, stream, "b"), workdir, 0)
    assert first.statements and first.statements == second.statements
    assert first.lines == second.lines
    traced = first.stderr.splitlines()
    assert len(traced) == first.statements
    commit = next(n for n, line in enumerate(traced, 1) if line.endswith("(commit)")
                  and "INSERT INTO annotations" in "".join(traced[:n]))  # fmt: skip
    path = _trial_path(tmp_path, stream, "c")
    killed = _run_driver(stream.name, path, workdir, commit, trace=True)
    assert killed.returncode == -signal.SIGKILL
    assert killed.lines == []
    assert killed.stderr.splitlines()[-1] == f"{commit}: (commit)" == traced[commit - 1]
    with Project(path, actor="harness") as project:
        assert project.annotations.for_document(1) == []
