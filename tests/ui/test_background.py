"""The background runner: one long job at a time; quick reads neither take nor free it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.conftest import import_text
from ui.background import BackgroundRunner
from workbench.domain import CancelFlag, Progress
from workbench.project import Project
from workbench.services.extraction_feed import ExtractionFeed
from workbench.services.extraction_processes import COMMAND


def test_a_quick_read_during_a_long_job_leaves_the_job_in_charge(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = BackgroundRunner(parent)
    release = threading.Event()
    seen: dict[str, object] = {}

    def long_job(_progress: Progress, cancel: CancelFlag) -> str:
        release.wait(10)
        return "cancelled" if cancel.is_set() else "done"

    def quick_read(_progress: Progress, _cancel: CancelFlag) -> int:
        return 42

    assert runner.start("Importing", long_job, lambda r: seen.update(long=r), seen.update)
    assert runner.busy
    assert not runner.start("Another import", long_job, seen.update, seen.update)
    assert runner.start("Searching", quick_read, lambda r: seen.update(quick=r),
                        seen.update, show_progress=False)  # fmt: skip
    runner.cancel()  # Cancel reaches the long job, whatever quick reads come and go
    release.set()
    qtbot.waitUntil(lambda: "quick" in seen)
    assert seen == {"long": "cancelled", "quick": 42}  # the quick read queued behind it
    assert not runner.busy


def test_a_worker_process_that_talks_nonsense_ends_in_one_line(
    qtbot: QtBot, project: Project, testimony_file: Path
) -> None:
    """The owner's side survives a worker that prints garbage instead of JSON lines."""
    project.documents.import_file(testimony_file)
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = BackgroundRunner(parent)
    failed: list[str] = []
    feed = ExtractionFeed(project.extraction, None)
    with qtbot.waitSignal(runner.busyChanged, timeout=30_000,
                          check_params_cb=lambda busy: not busy):  # fmt: skip
        assert runner.start_process(
            "Extracting suggestions", ["-c", "print('{not json', flush=True)"], feed,
            lambda _report: None, failed.append,
        )  # fmt: skip
    assert failed == ["the extracting suggestions process sent something unreadable"]
    assert project.records.list() == []


class _ThreadNotingFeed(ExtractionFeed):
    """The real feed, noting which thread stores each document's results."""

    stored_on: list[str]

    def accept(self, message: dict[str, Any], progress: Progress | None = None) -> None:
        if "result" in message:
            self.stored_on.append(threading.current_thread().name)
        super().accept(message, progress)


def test_a_worker_s_results_are_stored_off_the_ui_thread(
    qtbot: QtBot, project: Project, testimony_file: Path
) -> None:
    """Writing a document's suggestions can take a while: it happens on the worker thread,
    and the run is reported only once every result is stored."""
    project.documents.import_file(testimony_file)
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = BackgroundRunner(parent)
    feed = _ThreadNotingFeed(project.extraction, None)
    feed.stored_on = []
    reports: list[object] = []
    with qtbot.waitSignal(runner.busyChanged, timeout=120_000,
                          check_params_cb=lambda busy: not busy):  # fmt: skip
        assert runner.start_process(
            "Extracting suggestions", ["-m", "workbench.worker", "extract"], feed,
            reports.append, reports.append,
        )  # fmt: skip
    assert feed.stored_on and threading.main_thread().name not in feed.stored_on
    assert reports == [feed.report] and feed.report.documents == 1
    assert project.records.list(status="suggested")


def test_a_process_for_the_other_language_takes_over_in_the_same_place(
    qtbot: QtBot, project: Project, tmp_path: Path
) -> None:
    """One process at a time: the English one ends when only a Russian document is left, and
    a fresh one, with the Russian models only, takes its place."""
    english = import_text(
        project, tmp_path, "en.txt", "Pavel Zhilyaev left Kherson in March 2023.\n"
    )
    russian = import_text(project, tmp_path, "ru.txt", "Алексей Жиляев уехал из Белгорода.\n",
                          language="ru")  # fmt: skip
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = BackgroundRunner(parent)
    feed = ExtractionFeed(project.extraction, None, 1)
    reports: list[object] = []
    with qtbot.waitSignal(runner.busyChanged, timeout=120_000,
                          check_params_cb=lambda busy: not busy):  # fmt: skip
        assert runner.start_process(
            "Extracting suggestions", list(COMMAND), feed, reports.append, reports.append
        )
    assert reports == [feed.report] and feed.report.documents == 2
    assert project.records.list(document_id=english.id)
    assert {r.label for r in project.records.list(document_id=russian.id)} >= {"Алексей Жиляев"}
