"""BackgroundRunner: long work on one serial worker thread, with progress and Cancel."""

from __future__ import annotations

import json
import logging
import sys
import threading
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QProcess, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ui.plain import plain_label
from workbench.domain import CancelFlag, Progress
from workbench.errors import WorkbenchError
from workbench.paths import ROOT

Work = Callable[[Progress, CancelFlag], Any]
log = logging.getLogger(__name__)


class ProcessFeed(Protocol):
    """The owner's side of worker processes (``workbench.services.extraction_feed``)."""

    @property
    def workers(self) -> int: ...
    def next_input(self, worker: int = 0) -> bytes | None: ...
    def accept(self, message: dict[str, Any], progress: Progress | None = None) -> None: ...
    def replace(self, worker: int) -> bool: ...
    def stop(self) -> None: ...
    def finish(self) -> Any: ...


class _Signals(QObject):
    progress = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(str)


class _Job(QRunnable):
    def __init__(self, work: Work, cancel: threading.Event, signals: _Signals) -> None:
        super().__init__()
        self._work = work
        self._cancel = cancel
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._work(self._signals.progress.emit, self._cancel)
        except WorkbenchError as exc:
            self._signals.failed.emit(str(exc))
        except Exception as exc:
            log.exception("background job failed")
            self._signals.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self._signals.done.emit(result)


class _Progress:
    """A window-modal progress dialog with Cancel, fed by (done, total, label)."""

    def __init__(self, title: str, on_cancel: Callable[[], None], parent: QWidget) -> None:
        self._title = title
        self._dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
        self._dialog.setLabel(plain_label(title))  # the label names files and documents
        self._dialog.setWindowTitle(title)
        self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self._dialog.setMinimumDuration(400)
        self._dialog.canceled.connect(on_cancel)

    def update(self, done: int, total: int, label: str) -> None:
        self._dialog.setMaximum(max(total, 1))
        self._dialog.setValue(done)
        self._dialog.setLabelText(f"{self._title}\n{label}" if label else self._title)

    def close(self) -> None:
        self._dialog.reset()
        self._dialog.deleteLater()


class BackgroundRunner(QObject):
    """Runs one job at a time off the UI thread; results come back on the UI thread."""

    busyChanged = Signal(bool)  # noqa: N815

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one serial database worker
        self._parent = parent
        self._busy = False
        self._cancel = threading.Event()
        self._run: _ProcessRun | None = None

    @property
    def busy(self) -> bool:
        """Whether a job is running."""
        return self._busy

    def cancel(self) -> None:
        """Ask the running job to stop: a thread's job after its current item, a worker
        process at once."""
        self._cancel.set()
        if self._run is not None:
            self._run.cancel()

    def _begin(self, title: str, on_cancel: Callable[[], None]) -> _Progress:
        """Mark busy and open the progress dialog (shown only if the job takes a while)."""
        self._busy = True
        self.busyChanged.emit(True)
        return _Progress(title, on_cancel, self._parent)

    def _end(self, progress: _Progress) -> None:
        progress.close()
        self._busy = False
        self._run = None
        self.busyChanged.emit(False)

    def start(
        self,
        title: str,
        work: Work,
        on_done: Callable[[Any], None],
        on_failed: Callable[[str], None],
        *,
        show_progress: bool = True,
    ) -> bool:
        """Start ``work(progress, cancel)`` on the worker thread; False if a job is running.

        Without ``show_progress`` the job is a quick read (a search, merge proposals): it
        neither needs nor takes the runner (no dialog, no Cancel, ``busy`` untouched), and
        queues behind a running job on the one worker thread.
        """
        if show_progress and self._busy:
            return False
        cancel = threading.Event()
        signals = _Signals(self)
        progress = None
        if show_progress:
            self._cancel = cancel
            progress = self._begin(title, cancel.set)
            signals.progress.connect(progress.update)

        def finish(callback: Callable[[Any], None], value: Any) -> None:
            if progress is not None:
                self._end(progress)
            callback(value)

        signals.done.connect(lambda result: finish(on_done, result))
        signals.failed.connect(lambda message: finish(on_failed, message))
        self._pool.start(_Job(work, cancel, signals))
        return True

    def start_process(
        self,
        title: str,
        arguments: list[str],
        feed: ProcessFeed,
        on_done: Callable[[Any], None],
        on_failed: Callable[[str], None],
    ) -> bool:
        """Run ``feed.workers`` processes ``python <arguments>``, JSON-lines workers fed by
        ``feed`` on request, with progress and Cancel; each result a worker sends is stored
        by ``feed`` on the worker thread (writing suggestions can take a while), in the
        order they arrive."""
        if self._busy:
            return False
        self._run = _ProcessRun(self, title, arguments, feed, (on_done, on_failed))
        self._run.start()
        return True

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the worker is idle (used when closing the window and in tests)."""
        if self._run is not None:
            self._run.wait(msecs)
        return self._pool.waitForDone(msecs)


class _ProcessRun(QObject):
    """One run of JSON-lines worker processes: feeds them, stores their results, reports
    once every process has ended and every result is stored."""

    def __init__(
        self,
        runner: BackgroundRunner,
        title: str,
        arguments: list[str],
        feed: ProcessFeed,
        callbacks: tuple[Callable[[Any], None], Callable[[str], None]],
    ) -> None:
        super().__init__(runner)
        self._runner, self._title, self._feed = runner, title, feed
        self._on_done, self._on_failed = callbacks
        self._arguments = arguments
        self._state: dict[str, Any] = {}
        self._pending = 0  # results handed to the worker thread and not stored yet
        self._processes: dict[int, QProcess] = {}  # by slot, while running
        self._buffers: dict[int, bytearray] = {}
        self._done: set[int] = set()  # slots whose process said it was done
        self._progress = runner._begin(title, self.cancel)
        self._relay = _Signals(self)  # progress from the worker thread, queued to this one
        self._relay.progress.connect(self._progress.update)

    def start(self) -> None:
        """Start one process per slot the feed asks for."""
        for slot in range(self._feed.workers):
            self._start(slot)

    def _start(self, slot: int) -> None:
        process = QProcess(self)
        process.setProgram(sys.executable)
        process.setArguments(self._arguments)
        process.setWorkingDirectory(str(ROOT))
        process.readyReadStandardOutput.connect(lambda: self._read(slot))
        process.finished.connect(lambda code, _status: self._finished(slot, code))
        self._processes[slot], self._buffers[slot] = process, bytearray()
        self._done.discard(slot)
        process.start()

    def wait(self, msecs: int) -> None:
        """Block until every process has ended (closing the window, tests)."""
        for process in list(self._processes.values()):
            process.waitForFinished(msecs)

    def cancel(self) -> None:
        """Cancel: the run ends now, keeping the results already stored or read in full."""
        self._state.setdefault("cancelled", True)
        self._stop()

    def _stop(self) -> None:
        """No more input, and every process ends at once, even in the middle of a piece
        (``workbench.worker``: it has nothing to save)."""
        self._feed.stop()
        for process in self._processes.values():
            process.closeWriteChannel()
            process.kill()

    def _fail(self, message: str) -> None:
        if "error" not in self._state:
            self._state["error"] = message
            self._stop()

    def _read(self, slot: int) -> None:
        process, buffer = self._processes[slot], self._buffers[slot]
        buffer.extend(bytes(process.readAllStandardOutput().data()))
        while b"\n" in buffer and "error" not in self._state:
            line, _, rest = bytes(buffer).partition(b"\n")
            buffer[:] = rest
            try:
                self._handle(slot, json.loads(line))
            except WorkbenchError as exc:
                self._fail(str(exc))
            except (ValueError, KeyError, TypeError):
                log.exception("unreadable message from worker %s", self._arguments)
                self._fail(f"the {self._title.lower()} process sent something unreadable")

    def _handle(self, slot: int, message: dict[str, Any]) -> None:
        process = self._processes[slot]
        if "need" in message:
            data = self._feed.next_input(slot)
            if data is None:
                process.closeWriteChannel()
            else:
                process.write(data)
        elif "result" in message:
            self._pending += 1
            self._runner.start(
                self._title,
                lambda _progress, _cancel: self._feed.accept(message, self._relay.progress.emit),
                lambda _result: self._stored(None),
                self._stored,
                show_progress=False,  # queued on the one worker thread, in arrival order
            )
        else:
            if "done" in message:
                self._done.add(slot)
            self._feed.accept(message, self._progress.update)  # an error message raises

    def _stored(self, error: str | None) -> None:
        self._pending -= 1
        if error is not None:
            self._fail(error)
        self._conclude()

    def _finished(self, slot: int, code: int) -> None:
        self._read(slot)
        process = self._processes.pop(slot)
        if slot not in self._done and not self._state:
            detail = bytes(process.readAllStandardError().data()).decode(errors="replace")
            log.warning("worker %s stopped with %s: %s", self._arguments, code, detail)
            self._state["unexpected"] = code
            self._stop()
        process.deleteLater()
        if not self._state and self._feed.replace(slot):
            self._start(slot)  # the other language's models: a fresh process holds them
        self._conclude()

    def _conclude(self) -> None:
        """Once every process has ended and every result is stored, report the run once."""
        if self._processes or self._pending or "concluded" in self._state:
            return
        self._state["concluded"] = True
        self._runner._end(self._progress)
        if "error" in self._state:
            self._on_failed(self._state["error"])
        elif "unexpected" in self._state:
            code = self._state["unexpected"]
            self._on_failed(
                f"the {self._title.lower()} process stopped unexpectedly (exit code {code})"
            )
        else:
            self._on_done(self._feed.finish())
        self.deleteLater()
