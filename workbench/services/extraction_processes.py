"""Extraction in worker processes, driven by the project's owner without Qt (the command line).

The run's logic is the feed's (``ExtractionFeed``: pieces out, suggestions stored as they
come); this module starts the processes (``python -m workbench.worker extract``), reads
their lines on one thread each and answers them on the calling thread, which alone writes
the project. The window drives the same feed with ``QProcess`` (``ui/background.py``).

How many processes: one per core, as memory allows. A process holds one family of models
(spaCy's English one or Natasha's Russian ones, never both) and peaks at ``WORKER_MB`` on
one piece at a time, whatever the document's size; all together stay within
``MEMORY_BUDGET_MB`` and within what the machine has free.

Cancel (or a first Ctrl+C) is looked at every ``POLL`` seconds: the processes are killed at
once (they write nothing), the results they had already sent are stored, and the run
returns. Whatever happens, no process outlives the run.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from workbench.domain import CancelFlag, DocumentId, Progress
from workbench.errors import WorkbenchError
from workbench.export.csv_parts import cores
from workbench.paths import ROOT
from workbench.services.extraction_feed import ExtractionFeed

if TYPE_CHECKING:
    from workbench.services.extraction import ExtractionReport, ExtractionService

WORKER_MB = 350  # peak RSS of one extraction process (measured: English 300, Russian 330)
MEMORY_BUDGET_MB = 800  # all extraction processes of a run together
POLL = 0.1  # seconds between looks at the cancel flag
COMMAND = ["-m", "workbench.worker", "extract"]


def available_mb() -> int | None:
    """Memory the machine can give without swapping (Linux), in MB; None when unknown."""
    try:
        for line in Path("/proc/meminfo").read_text(encoding="ascii").splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def worker_count(documents: int, budget_mb: int = MEMORY_BUDGET_MB) -> int:
    """How many extraction processes a run of ``documents`` documents uses."""
    free = available_mb()
    memory = min(budget_mb, free * 3 // 4 if free is not None else budget_mb)
    return max(1, min(cores(), memory // WORKER_MB, documents))


class _Worker:
    """One extraction process and the thread that reads its lines."""

    def __init__(self, slot: int, lines: queue.Queue[tuple[int, bytes | None]]) -> None:
        self.slot = slot
        self.stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, *COMMAND], cwd=ROOT,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
        )  # fmt: skip
        self.done = False  # said {"done": N}: it ended as asked
        self.last_error = ""  # the last line it wrote to stderr, once it has ended
        self._reader = threading.Thread(target=self._read, args=(lines,), daemon=True)
        self._reader.start()

    def _read(self, lines: queue.Queue[tuple[int, bytes | None]]) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            lines.put((self.slot, line))
        lines.put((self.slot, None))

    def send(self, data: bytes | None) -> None:
        """One line to the process, or the end of its input."""
        stdin = self.process.stdin
        assert stdin is not None
        try:
            if data is None:
                stdin.close()
            else:
                stdin.write(data)
                stdin.flush()
        except OSError:  # it has ended: its end of output says how
            pass

    def kill(self) -> None:
        """End the process now (it writes nothing, so nothing is lost)."""
        if self.process.poll() is None:
            self.process.kill()

    def close(self) -> int:
        """Wait for the process (once its output has ended), and return its exit status."""
        code = self.process.wait()
        self._reader.join(timeout=5)
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None and not pipe.closed:
                pipe.close()
        if not self.stderr.closed:
            self.stderr.seek(0)
            lines = self.stderr.read()[-2000:].decode(errors="replace").strip().splitlines()
            self.last_error = lines[-1] if lines else "no message"
            self.stderr.close()
        return code


def run_in_processes(
    service: ExtractionService,
    document_ids: list[DocumentId] | None = None,
    progress: Progress | None = None,
    cancel: CancelFlag | None = None,
    workers: int | None = None,
) -> ExtractionReport:
    """Extract from the given documents (all when None) in worker processes; every piece
    commits on its own, and ``cancel`` stops the run within ``POLL`` seconds."""
    ids = service.document_ids(document_ids)
    feed = ExtractionFeed(service, ids, workers or worker_count(len(ids)))
    lines: queue.Queue[tuple[int, bytes | None]] = queue.Queue()
    running = {slot: _Worker(slot, lines) for slot in range(feed.workers)}
    try:
        while running:
            try:
                slot, line = lines.get(timeout=POLL)
            except queue.Empty:
                slot, line = -1, b""
            if cancel is not None and cancel.is_set():
                _cancel(feed, running)
            if slot < 0:
                continue
            if line is None:
                _ended(feed, running, slot, lines)
            else:
                _answer(feed, running[slot], json.loads(line), progress)
    finally:
        for worker in running.values():
            worker.kill()
            worker.close()
    return feed.finish()


def _answer(
    feed: ExtractionFeed, worker: _Worker, message: dict[str, Any], progress: Progress | None
) -> None:
    """Act on one message of a process: send it a piece, or store what it sent."""
    if "need" in message:
        worker.send(feed.next_input(worker.slot))
        return
    worker.done = worker.done or "done" in message
    feed.accept(message, progress)  # an error message raises


def _ended(
    feed: ExtractionFeed,
    running: dict[int, _Worker],
    slot: int,
    lines: queue.Queue[tuple[int, bytes | None]],
) -> None:
    """A process's output ended: start a fresh one in its place if the feed wants one."""
    worker = running.pop(slot)
    code = worker.close()
    if not worker.done and not feed.stopped:
        raise WorkbenchError(
            f"the extraction process stopped unexpectedly (exit code {code}): {worker.last_error}"
        )
    if feed.replace(slot):
        running[slot] = _Worker(slot, lines)


def _cancel(feed: ExtractionFeed, running: dict[int, _Worker]) -> None:
    """Stop: no more pieces, and every process ends now; what they sent is still stored."""
    if not feed.stopped:
        feed.stop()
        for worker in running.values():
            worker.kill()
