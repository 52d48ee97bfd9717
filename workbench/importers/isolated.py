"""Read PDFs in a worker process with hard limits, so a crafted file cannot take the app down.

pdfminer runs in ``python -m workbench.importers.isolated pdf --max-memory BYTES``, under an
address-space limit (``RLIMIT_AS``, where the system enforces it: Linux); the parent kills it
once a file has taken ``ImportLimits.max_reader_seconds``. A request on the child's stdin is
a JSON line ``{"size": N, "limits": {...}}`` followed by the N bytes of the file; each answer is
one JSON line on its stdout: ``{"extracted": {...}}``, ``{"refused": "..."}``,
``{"memory": true}`` or ``{"failed": "ExceptionName"}``. Inside ``reader_batch()`` one child
reads the PDFs of a whole import in turn; outside it, each PDF gets a child of its own.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import logging
import math
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from workbench.domain import CancelFlag
from workbench.importers._common import format_mb
from workbench.importers.base import ExtractedText, ImportCancelled, ImportLimits, ImportRefused

if sys.platform != "win32":
    import resource

log = logging.getLogger(__name__)

_MODULE = "workbench.importers.isolated"
_ROOT = Path(__file__).resolve().parents[2]  # the folder holding the workbench package
_POLL_SECONDS = 0.1  # how often a waiting parent looks at the cancel flag
_EXIT_SECONDS = 5.0  # how long a child may take to exit once its stdin is closed
_EXIT_MEMORY = 3  # the child's exit status when it ran out of memory and could not say so
_CPU_MARGIN = 2  # CPU seconds past the parent's timeout before the kernel stops the child
_PR_SET_PDEATHSIG = 1  # linux/prctl.h

_batch: ContextVar[ReaderBatch | None] = ContextVar("pdf_reader_batch", default=None)


def extract_pdf(data: bytes, limits: ImportLimits) -> ExtractedText:
    """Extract a PDF in a worker process: the current batch's, else one of its own."""
    batch = _batch.get()
    if batch is not None:
        return batch.read(data, limits)
    with contextlib.closing(ReaderBatch()) as alone:
        return alone.read(data, limits)


@contextlib.contextmanager
def reader_batch(cancel: CancelFlag | None = None) -> Iterator[ReaderBatch]:
    """Within this block (on this thread), PDFs share one worker process; it ends with it.

    When ``cancel`` is set while a PDF is being read, the worker is killed and the read
    raises ``ImportCancelled``.
    """
    batch = ReaderBatch(cancel)
    token = _batch.set(batch)
    try:
        yield batch
    finally:
        _batch.reset(token)
        batch.close()


class ReaderBatch:
    """At most one live reader process, reused while it behaves and replaced when it does not."""

    def __init__(self, cancel: CancelFlag | None = None) -> None:
        self._cancel = cancel
        self._child: _Child | None = None

    def read(self, data: bytes, limits: ImportLimits) -> ExtractedText:
        """The text of one PDF, or ``ImportRefused`` with one line saying why not."""
        answer, fresh = self._ask(data, limits)
        if "memory" in answer and not fresh:
            # A process that read other files first may have a fragmented heap: the refusal
            # must not depend on what came before, so a fresh process tries again.
            answer, fresh = self._ask(data, limits)
        if "memory" in answer:
            raise ImportRefused(
                f"the PDF needs more than {format_mb(limits.max_reader_memory)} MB to read; "
                "it may be crafted to exhaust memory"
            )
        if "refused" in answer:
            raise ImportRefused(str(answer["refused"]))
        try:
            fields = dict(answer["extracted"])
            return ExtractedText(**{**fields, "notes": tuple(fields.get("notes", ()))})
        except (KeyError, TypeError, ValueError):
            self.close()
            log.warning("PDF reader answered %.200r", answer)
            raise ImportRefused(_unexpected(f"answered {next(iter(answer), 'nothing')}")) from None

    def close(self) -> None:
        """Let the reader process exit (or kill it) and wait for it: no zombie stays."""
        child, self._child = self._child, None
        if child is not None:
            child.close()

    def _ask(self, data: bytes, limits: ImportLimits) -> tuple[dict[str, Any], bool]:
        """One request to a live reader (started if needed); the answer and if it was fresh."""
        if self._child is not None and self._child.max_memory != limits.max_reader_memory:
            self.close()
        if self._child is None:
            self._child = _Child(limits.max_reader_memory)
        child = self._child
        fresh = child.served == 0
        try:
            answer = child.ask(data, limits, self._cancel)
        except BaseException:  # timeout, cancel, a dead child, Ctrl+C: never leave it running
            self._child = None
            child.kill()
            raise
        if "memory" in answer or "failed" in answer or not child.alive():
            self.close()
        if "failed" in answer:
            raise ImportRefused(_unexpected(f"failed with {answer['failed']}"))
        return answer, fresh


class _Child:
    """One reader process and the thread that collects its answer lines."""

    def __init__(self, max_memory: int) -> None:
        self.max_memory = max_memory
        self.served = 0
        if not sys.executable:  # an embedding interpreter that cannot name itself
            raise ImportRefused("cannot start the PDF reader process: no Python interpreter")
        command = [sys.executable, "-m", _MODULE, "pdf", "--max-memory", str(max_memory)]
        command += ["--parent", str(os.getpid())]
        try:
            self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        except OSError as exc:
            raise _cannot_start(exc) from exc
        try:
            self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                cwd=_ROOT,
            )
        except OSError as exc:
            self._stderr.close()
            raise _cannot_start(exc) from exc
        self._answers: queue.Queue[bytes] = queue.Queue()
        self._pump = threading.Thread(target=self._collect, name="pdf-reader", daemon=True)
        self._pump.start()

    def alive(self) -> bool:
        """True while the process runs."""
        return self._process.poll() is None

    def ask(self, data: bytes, limits: ImportLimits, cancel: CancelFlag | None) -> dict[str, Any]:
        """Send one file and wait for the answer; a timeout or cancel raises (the caller then
        kills the process, as on any other exception)."""
        seconds = limits.max_reader_seconds
        deadline = time.monotonic() + seconds
        request = {"size": len(data), "limits": dataclasses.asdict(limits)}
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(json.dumps(request).encode() + b"\n")
            self._process.stdin.write(data)
            self._process.stdin.flush()
        except OSError:  # it exited while reading the request; its exit status says why
            pass
        while True:
            left = deadline - time.monotonic()
            try:
                line = self._answers.get(timeout=max(0.0, min(left, _POLL_SECONDS)))
            except queue.Empty:
                if cancel is not None and cancel.is_set():
                    raise ImportCancelled("the import was cancelled") from None
                if time.monotonic() >= deadline:
                    raise ImportRefused(_timeout(seconds)) from None
                continue
            if not line:  # it exited without an answer
                return self._exit_answer(seconds)
            self.served += 1
            try:
                answer = json.loads(line)
            except ValueError:
                answer = None
            if not isinstance(answer, dict):
                return {"failed": "an unreadable answer"}
            return answer

    def kill(self) -> None:
        """Stop the process now and reap it."""
        with contextlib.suppress(OSError):
            self._process.kill()
        self.close()

    def close(self) -> None:
        """Close its stdin (it exits at the end of its requests), wait, kill if it lingers."""
        with contextlib.suppress(OSError):
            if self._process.stdin is not None:
                self._process.stdin.close()
        self._reap()
        self._pump.join()
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._stderr.close()

    def _collect(self) -> None:
        """Move answer lines from the process's stdout to the queue; b"" marks its end."""
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self._answers.put(line)
        self._answers.put(b"")

    def _reap(self) -> int:
        """Wait for the process to exit (killing it if it lingers); its exit status."""
        try:
            return self._process.wait(timeout=_EXIT_SECONDS)
        except subprocess.TimeoutExpired:
            self._process.kill()
            return self._process.wait()

    def _exit_answer(self, seconds: float) -> dict[str, Any]:
        """What an exit without an answer means: out of memory, out of time, or a crash."""
        status = self._reap()  # its stdout closed; should it live on, it is stopped
        errors = self._stderr_tail()
        if status == _EXIT_MEMORY or "MemoryError" in errors:
            return {"memory": True}
        if sys.platform != "win32" and status == -signal.SIGXCPU:
            raise ImportRefused(_timeout(seconds))
        log.warning("PDF reader exited with status %s: %s", status, errors[-2000:])
        raise ImportRefused(_unexpected(_describe_exit(status)))

    def _stderr_tail(self) -> str:
        """The end of what the process wrote to stderr (tracebacks; pdfminer's log is off)."""
        size = self._stderr.seek(0, os.SEEK_END)
        self._stderr.seek(max(0, size - 4096))
        return self._stderr.read().decode("utf-8", "replace")


def _cannot_start(exc: OSError) -> ImportRefused:
    reason = exc.strerror or type(exc).__name__
    return ImportRefused(f"cannot start the PDF reader process: {reason[:1].lower()}{reason[1:]}")


def _timeout(seconds: float) -> str:
    return (
        f"reading the PDF took longer than {seconds:g} s and was stopped; "
        "it may be crafted to hang the import"
    )


def _unexpected(what: str) -> str:
    return f"the PDF reader {what}; the file may be damaged or crafted"


def _describe_exit(status: int) -> str:
    """How a process ended, in words: "stopped with status 1", "was stopped by SIGSEGV"."""
    if status >= 0:
        return f"stopped with status {status}"
    try:
        name = signal.Signals(-status).name
    except ValueError:
        name = f"signal {-status}"
    if name == "SIGKILL":  # not ours (ours raise before): the kernel's out-of-memory killer
        return "was killed by the system, perhaps for lack of memory"
    return f"was stopped by {name}"


# --- the child process ---------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Answer requests on stdin until it closes (the child's side of the protocol)."""
    parser = argparse.ArgumentParser(prog=f"python -m {_MODULE}")
    parser.add_argument("format", choices=("pdf",))
    parser.add_argument("--max-memory", type=int, required=True)
    parser.add_argument("--parent", type=int, required=True)
    args = parser.parse_args(argv)
    _die_with_parent(args.parent)
    _limit_memory(args.max_memory)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the parent, which stops us
    logging.disable(logging.CRITICAL)  # pdfminer warns per object on damaged files
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print goes to stderr, never into the answers
    try:
        from workbench.importers.pdf import extract_pdf as read  # noqa: PLC0415 - after limits

        requests = sys.stdin.buffer
        while header := requests.readline():
            request = json.loads(header)
            data = requests.read(request["size"])
            if len(data) != request["size"]:
                return 1
            limits = ImportLimits(**request["limits"])
            _limit_cpu(limits.max_reader_seconds)
            answer = _answer(read, data, limits)
            del data
            answers.write(json.dumps(answer).encode() + b"\n")
            answers.flush()
    except MemoryError:
        with contextlib.suppress(BaseException):
            answers.write(b'{"memory": true}\n')
            answers.flush()
        os._exit(_EXIT_MEMORY)
    return 0


def _answer(
    read: Callable[[bytes, ImportLimits], ExtractedText], data: bytes, limits: ImportLimits
) -> dict[str, Any]:
    """The JSON answer for one file."""
    try:
        extracted = read(data, limits)
    except ImportRefused as exc:
        return {"refused": str(exc)}
    except MemoryError:
        return {"memory": True}
    except Exception as exc:  # noqa: BLE001 - reported to the parent as one line
        return {"failed": type(exc).__name__}
    return {"extracted": dataclasses.asdict(extracted)}


def _die_with_parent(parent: int) -> None:
    """Have Linux kill this process when the thread that started it ends (the app died).

    Elsewhere the CPU limit of each file still bounds an orphan's life.
    """
    if sys.platform == "linux":
        import ctypes  # noqa: PLC0415 - the child's only use; the app need not load it

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before we asked
        os._exit(1)


def _limit_memory(max_bytes: int) -> None:
    """Cap the address space (and drop core dumps); systems that refuse keep no cap."""
    if sys.platform == "win32":
        return
    for kind, wanted in ((resource.RLIMIT_AS, max_bytes), (resource.RLIMIT_CORE, 0)):
        _, hard = resource.getrlimit(kind)
        limit = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        with contextlib.suppress(ValueError, OSError):  # macOS refuses RLIMIT_AS
            resource.setrlimit(kind, (limit, limit))


def _limit_cpu(seconds: float) -> None:
    """Let the kernel stop this file's work should the parent not be there to time it out."""
    if sys.platform == "win32" or not math.isfinite(seconds):
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    wanted = int(usage.ru_utime + usage.ru_stime + seconds) + _CPU_MARGIN
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (wanted, hard))


if __name__ == "__main__":
    sys.exit(main())
