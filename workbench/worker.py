"""Extraction in a process of its own, so the window's thread never waits on spaCy.

``python -m workbench.worker extract`` never opens a project: only the project's owner
writes it. It asks for the next piece of a document by printing ``{"need": 1}`` and reading
one JSON line from stdin (``workbench.extraction.wire``; end of input ends the run), and
prints ``{"result": {"id": ..., "start": ..., "end": ..., "last": ..., "extraction": ...}}``
per piece, then ``{"done": N}`` (or ``{"error": "..."}``). The owner side is
``workbench.services.extraction_feed.ExtractionFeed``: it sends the pieces of a document to
one process, in order, and may run several processes at once, one per core.

Cancel ends the process at once (the owner kills it; SIGTERM is left to its default, which
does the same): spaCy works on a piece for a second or more without returning to the
interpreter, so a flag checked between pieces would wait for it. Nothing is lost by ending
it anywhere: it writes no file, and the owner stores only complete result lines. Ctrl+C in
a terminal reaches every process of the terminal's foreground group: this one ignores it,
and the owner, which decides what to keep, ends it. Numerical libraries run on one thread
here, since the owner runs one process per core; once the first piece has loaded the
models, the cyclic garbage collector stops walking them (``gc.freeze``: 2-3% faster).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import signal
import sys
from collections.abc import Sequence

THREADS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")


def _emit(message: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """Extract from the pieces given on stdin; report as JSON lines on stdout."""
    parser = argparse.ArgumentParser(prog="python -m workbench.worker")
    parser.add_argument("command", choices=("extract",))
    parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in THREADS:
        os.environ.setdefault(name, "1")  # before numpy loads (with the first model)
    from workbench.extraction.pipeline import Extractor  # noqa: PLC0415 - after the above
    from workbench.extraction.wire import extraction_to_json, piece_from_json  # noqa: PLC0415

    extractor = Extractor()
    done = 0
    try:
        while True:
            _emit({"need": 1})
            line = sys.stdin.readline()
            if not line.strip():
                break
            piece = piece_from_json(json.loads(line))
            extraction = extractor.extract_piece(piece)
            end = piece.start + len(piece.text)
            result = {"id": piece.document, "start": piece.start, "end": end,
                      "last": piece.last, "extraction": extraction_to_json(extraction)}  # fmt: skip
            _emit({"result": result})
            done += 1
            if done == 1:  # the models are in: the cyclic collector need not walk them again
                gc.collect()
                gc.freeze()
    except (ValueError, KeyError, TypeError) as exc:
        _emit({"error": f"the extraction process was sent a malformed document ({exc})"})
        return 1
    except BrokenPipeError:  # the owner has gone: nobody is left to read
        return 1
    _emit({"done": done})
    return 0


if __name__ == "__main__":
    sys.exit(main())
