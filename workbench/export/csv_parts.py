"""A large CSV table written by several processes at once, one range of its rows each.

Reading a million rows out of SQLite and writing them as CSV keeps one core busy in Python;
with two or more cores the table is cut into consecutive ranges of its sort key
(``TextSource.parts``): this process writes the first range into the export's file while
helper processes (``python -m workbench.export.csv_parts``) write the others into private
part files beside it, which are then appended in order. The bytes are those one process
would write. Each process reads the project file read-only, in its own read transaction.

A helper reads one JSON line on stdin (``{"database", "output", "safe", "query"}``), prints
``{"rows": N}`` now and then and ``{"done": N}`` at the end, or ``{"error", "errno"}``.
Cancel kills the helpers; the part files are removed whatever happens.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TextIO

from workbench.domain import CancelFlag, Progress
from workbench.export.model import ExportCancelled
from workbench.export.text_query import TextQuery, csv_chunks, open_read_only

BATCH = 1000  # rows fetched and written at once
REPORT_EVERY = 20  # batches between a helper's progress lines
POLL = 0.05  # seconds between looks at the helpers and the cancel flag


def cores() -> int:
    """How many processes an export may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def write_rows(
    fh: IO[str],
    database: Path,
    query: TextQuery,
    *,
    safe: bool,
    every_batch: Callable[[int], None] | None = None,
) -> int:
    """Write one range of rows as CSV to ``fh``; ``every_batch(count)`` after each batch."""
    count = 0
    try:
        connection = open_read_only(database)
        try:
            for rows, text in csv_chunks(connection.cursor(), query, safe=safe, batch=BATCH):
                fh.write(text)
                count += rows
                if every_batch is not None:
                    every_batch(count)
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise OSError(errno.EIO, f"the project could not be read ({exc})") from exc
    return count


class _Helper:
    """One helper process writing one range into its part file."""

    def __init__(self, database: Path, query: TextQuery, folder: Path, safe: bool) -> None:
        fd, name = tempfile.mkstemp(prefix=".export-", suffix=".part", dir=folder)
        os.close(fd)
        self.part = Path(name)
        self.rows = 0
        self.done: int | None = None
        self.error: OSError | None = None
        self.process = subprocess.Popen(
            [sys.executable, "-m", "workbench.export.csv_parts"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, encoding="utf-8",
        )  # fmt: skip
        job = {"database": str(database), "output": name, "safe": safe, "query": query.to_json()}
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.close()
        self._reader = threading.Thread(target=self._read, args=(self.process.stdout,))
        self._reader.start()

    def _read(self, stdout: IO[str]) -> None:
        for line in stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if "rows" in message:
                self.rows = int(message["rows"])
            elif "done" in message:
                self.rows = self.done = int(message["done"])
            elif "error" in message:
                code = int(message.get("errno") or errno.EIO)
                self.error = OSError(code, str(message["error"]))

    def finished(self) -> bool:
        """Whether the helper has ended (its last words read)."""
        if self.process.poll() is None:
            return False
        self._reader.join()
        return True

    def outcome(self) -> int:
        """The rows it wrote, or the OSError that stopped it."""
        if self.error is not None:
            raise self.error
        if self.done is None:
            raise OSError(errno.EIO, "a helper process of the export ended without finishing")
        return self.done

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._reader.join()
        self.part.unlink(missing_ok=True)


def write_in_parts(
    fh: TextIO,
    database: Path,
    parts: Sequence[TextQuery],
    *,
    safe: bool,
    progress: Progress | None = None,
    cancel: CancelFlag | None = None,
) -> int:
    """Write ``parts`` one after the other into ``fh`` (opened on a file, header written),
    the first here and the rest by helper processes at the same time; returns the rows."""
    folder = Path(fh.name).parent
    helpers: list[_Helper] = []
    try:
        helpers = [_Helper(database, query, folder, safe) for query in parts[1:]]

        def every_batch(count: int) -> None:
            if cancel is not None and cancel.is_set():
                raise ExportCancelled
            if progress is not None and count % (BATCH * 5) == 0:
                total = count + sum(h.rows for h in helpers)
                progress(total, 0, f"{total:,} rows")

        count = write_rows(fh, database, parts[0], safe=safe, every_batch=every_batch)
        while not all(helper.finished() for helper in helpers):
            if cancel is not None and cancel.is_set():
                raise ExportCancelled
            time.sleep(POLL)
        count += sum(helper.outcome() for helper in helpers)
        fh.flush()
        for helper in helpers:
            with helper.part.open("rb") as part:
                shutil.copyfileobj(part, fh.buffer)
        return count
    finally:
        for helper in helpers:
            helper.stop()


def _emit(message: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main() -> int:
    """A helper process: write the range of rows given on stdin into its part file."""
    job = json.loads(sys.stdin.readline())
    query = TextQuery.from_json(job["query"])

    def every_batch(count: int) -> None:
        if count % (BATCH * REPORT_EVERY) == 0:
            _emit({"rows": count})

    try:
        with Path(job["output"]).open("w", encoding="utf-8", newline="") as fh:
            count = write_rows(
                fh, Path(job["database"]), query, safe=bool(job["safe"]), every_batch=every_batch
            )
    except OSError as exc:
        _emit({"error": exc.strerror or str(exc), "errno": exc.errno})
        return 1
    except Exception as exc:  # noqa: BLE001 - reported to the exporting process as one line
        _emit({"error": f"{type(exc).__name__}: {exc}", "errno": errno.EIO})
        return 1
    _emit({"done": count})
    return 0


if __name__ == "__main__":
    sys.exit(main())
