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
    """The owner's side of a worker process (``workbench.services.extraction_feed``)."""

    def next_input(self) -> bytes | None: ...
    def accept(self, message: dict[str, Any], progress: Progress | None = None) -> None: ...
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
        self._process: QProcess | None = None
        self._feed: ProcessFeed | None = None

    @property
    def busy(self) -> bool:
        """Whether a job is running."""
        return self._busy

    def cancel(self) -> None:
        """Ask the running job to stop after its current item."""
        self._cancel.set()
        if self._feed is not None:
            self._feed.stop()
        if self._process is not None:
            self._process.closeWriteChannel()
            self._process.terminate()

    def _begin(self, title: str, on_cancel: Callable[[], None]) -> _Progress:
        """Mark busy and open the progress dialog (shown only if the job takes a while)."""
        self._busy = True
        self.busyChanged.emit(True)
        return _Progress(title, on_cancel, self._parent)

    def _end(self, progress: _Progress) -> None:
        progress.close()
        self._busy = False
        self._process = None
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
        """Run ``python <arguments>``, a JSON-lines worker fed by ``feed`` on request, with
        progress and Cancel; ``feed`` stores what the worker sends (on this thread)."""
        if self._busy:
            return False
        process = QProcess(self)
        process.setProgram(sys.executable)
        process.setArguments(arguments)
        process.setWorkingDirectory(str(ROOT))

        def stop() -> None:  # Cancel: no more input; the worker ends after its current item
            feed.stop()
            process.closeWriteChannel()
            process.terminate()

        progress = self._begin(title, stop)
        state: dict[str, Any] = {}
        buffer = bytearray()

        def read() -> None:
            buffer.extend(bytes(process.readAllStandardOutput().data()))
            while b"\n" in buffer and "error" not in state:
                line, _, rest = bytes(buffer).partition(b"\n")
                buffer[:] = rest
                try:
                    handle(json.loads(line))
                except WorkbenchError as exc:
                    state["error"] = str(exc)
                    stop()
                except (ValueError, KeyError, TypeError):
                    log.exception("unreadable message from worker %s", arguments)
                    state["error"] = f"the {title.lower()} process sent something unreadable"
                    stop()

        def handle(message: dict[str, Any]) -> None:
            if "need" in message:
                data = feed.next_input()
                if data is None:
                    process.closeWriteChannel()
                else:
                    process.write(data)
                return
            state.update(message)
            feed.accept(message, progress.update)

        def finished(code: int, _status: QProcess.ExitStatus) -> None:
            read()
            self._end(progress)
            self._feed = None
            if "error" in state:
                on_failed(state["error"])
            elif "done" in state:
                on_done(feed.finish())
            else:
                detail = bytes(process.readAllStandardError().data()).decode(errors="replace")
                log.warning("worker %s stopped with %s: %s", arguments, code, detail)
                on_failed(f"the {title.lower()} process stopped unexpectedly (exit code {code})")
            process.deleteLater()

        process.readyReadStandardOutput.connect(read)
        process.finished.connect(finished)
        self._process = process
        self._feed = feed
        process.start()
        return True

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the worker is idle (used when closing the window and in tests)."""
        if self._process is not None:
            self._process.waitForFinished(msecs)
        return self._pool.waitForDone(msecs)
