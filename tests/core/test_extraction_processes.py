"""Extraction in worker processes, as the command line runs it: every piece commits as it
comes, Ctrl+C and Cancel stop inside a long document keeping what was committed, and several
processes store what one stores."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.conftest import import_text
from tests.pieces_helpers import duplicated_passages, long_text, pieces_stored, stored
from workbench.domain import DocumentId
from workbench.extraction.pieces import PIECE
from workbench.project import Project
from workbench.services.extraction_processes import run_in_processes

ROOT = Path(__file__).resolve().parents[2]
SHORT = [
    "Pavel Zhilyaev deserted near Kherson in March 2023, his lawyer said.\n",
    "Olena Marchenko, a surgeon, treated about 200 patients in Belgorod in late 2023.\n",
    "The 47th Tank Division lost more than 30 men near Avdiivka on Feb. 17, 2024.\n",
]
RUSSIAN = "Алексей Жиляев рассказал, что 21 сентября 2023 года уехал из Белгорода в Казахстан.\n"


def _long_project(path: Path, folder: Path, chars: int) -> int:
    with Project(path, actor="tester") as project:
        return import_text(project, folder, "long.txt", long_text(chars), published="2024-06-01").id


def _extract_until_a_piece_is_stored(path: Path, doc_id: int) -> subprocess.Popen[bytes]:
    """``workbench extract`` in a session of its own (a terminal's Ctrl+C reaches its whole
    process group: so does ``os.killpg`` here), once it has stored a piece of the document."""
    command = subprocess.Popen(
        [sys.executable, "main.py", "--project", str(path), "extract"], cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    while not pieces_stored(path, doc_id):
        assert command.poll() is None, command.communicate()
        time.sleep(0.05)
    return command


def test_ctrl_c_stops_the_command_inside_a_document_and_a_rerun_continues(
    tmp_path: Path,
) -> None:
    whole, all_pieces = _extracted_in_one_go(tmp_path, 2 * PIECE + 10_000)
    path = tmp_path / "project.twb"
    doc_id = _long_project(path, tmp_path, 2 * PIECE + 10_000)
    command = _extract_until_a_piece_is_stored(path, doc_id)
    os.killpg(command.pid, signal.SIGINT)
    out, err = command.communicate(timeout=120)

    assert command.returncode == 0, err
    assert b"Traceback" not in err
    kept = pieces_stored(path, doc_id)
    assert 1 <= len(kept) < len(all_pieces)
    said = f"extract stopped early; kept: 0 document(s) and {len(kept)} piece(s) of others"
    assert out.decode().startswith(said)

    again = subprocess.run(
        [sys.executable, "main.py", "--project", str(path), "extract"], cwd=ROOT,
        capture_output=True, check=True, timeout=300,
    )  # fmt: skip
    assert again.stdout.decode().startswith("extract done: 1 document(s)")
    assert pieces_stored(path, doc_id)[len(kept)][0] == kept[-1][1]  # it continued
    assert duplicated_passages(path) == 0
    assert stored(path) == stored(whole)


def _extracted_in_one_go(folder: Path, chars: int) -> tuple[Path, list[tuple[int, int]]]:
    """The same document extracted in one run, in this process: its project and pieces."""
    path = folder / "whole.twb"
    doc_id = _long_project(path, folder, chars)
    with Project(path, actor="tester") as project:
        project.extraction.run()
    return path, pieces_stored(path, doc_id)


def test_a_second_ctrl_c_keeps_every_committed_piece(tmp_path: Path) -> None:
    path = tmp_path / "project.twb"
    doc_id = _long_project(path, tmp_path, 2 * PIECE + 10_000)
    command = _extract_until_a_piece_is_stored(path, doc_id)
    before = pieces_stored(path, doc_id)
    os.killpg(command.pid, signal.SIGINT)
    os.killpg(command.pid, signal.SIGINT)
    _, err = command.communicate(timeout=120)

    assert command.returncode in (0, 130), err
    assert b"Traceback" not in err
    assert pieces_stored(path, doc_id)[: len(before)] == before
    with Project(path, actor="tester") as project:
        assert project.records.list(document_id=DocumentId(doc_id))
        assert project.extraction.run().documents == 1  # and the next run finishes it
    assert duplicated_passages(path) == 0


def test_cancel_returns_before_the_last_piece_keeping_the_pieces_done(
    project: Project, tmp_path: Path
) -> None:
    doc_id = import_text(project, tmp_path, "long.txt", long_text(2 * PIECE + 10_000)).id
    cancel = threading.Event()
    labels: list[str] = []

    def progress(_done: int, _total: int, label: str) -> None:
        labels.append(label)
        cancel.set()  # right after the first piece is stored

    report = run_in_processes(project.extraction, None, progress, cancel, workers=1)

    assert report.cancelled and report.documents == 0
    assert labels[0].startswith(f"document {doc_id}: ")
    kept = pieces_stored(project.path, doc_id)
    assert 1 <= len(kept) <= 2 and kept[-1][1] < len(long_text(2 * PIECE + 10_000))
    assert project.records.list(document_id=doc_id)


def test_several_processes_store_what_one_process_stores(tmp_path: Path) -> None:
    """Documents of both languages and a long one, through one process (which hands over
    to a fresh one for the Russian document) and through two."""
    for name, workers in (("one.twb", 1), ("two.twb", 2)):
        with Project(tmp_path / name, actor="tester") as project:
            for number, text in enumerate(SHORT):
                import_text(project, tmp_path, f"short{number}.txt", text, published="2024-06-01")
            import_text(project, tmp_path, "ru.txt", RUSSIAN, language="ru")
            import_text(project, tmp_path, "long.txt", long_text(PIECE + 10_000))
            report = run_in_processes(project.extraction, workers=workers)
            assert report.documents == 5 and not report.cancelled
    assert stored(tmp_path / "one.twb") == stored(tmp_path / "two.twb")
    assert any(key[1] == "Алексей Жиляев" for key in stored(tmp_path / "one.twb"))
