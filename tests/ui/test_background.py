"""The background runner: one long job at a time; quick reads neither take nor free it."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ui.background import BackgroundRunner
from workbench.domain import CancelFlag, Progress


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
