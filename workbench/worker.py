"""Extraction in a process of its own, so the window's thread never waits on spaCy.

``python -m workbench.worker extract`` never opens a project: only the project's owner
writes it. It asks for documents one at a time by printing ``{"need": 1}`` and reading one
JSON line from stdin (``workbench.extraction.wire``; end of input ends the run), and prints
``{"result": {"id": ..., "extraction": ...}}`` per document, then ``{"done": N}`` (or
``{"error": "..."}``). The owner side is ``workbench.services.extraction_feed.ExtractionFeed``.

Cancel ends the process at once (the owner kills it; SIGTERM is left to its default, which
does the same): spaCy works on a long document for many seconds without returning to the
interpreter, so a flag checked between documents or chunks would wait for it. Nothing is lost
by ending it anywhere: it writes no file, and the owner stores only complete result lines.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import deque
from collections.abc import Iterator, Sequence

from workbench.extraction.pipeline import DocumentInput, Extractor
from workbench.extraction.wire import extraction_to_json, input_from_json


def _emit(message: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """Extract from the documents given on stdin; report as JSON lines on stdout."""
    parser = argparse.ArgumentParser(prog="python -m workbench.worker")
    parser.add_argument("command", choices=("extract",))
    parser.parse_args(argv)
    pending: deque[int] = deque()

    def documents() -> Iterator[DocumentInput]:
        while True:
            _emit({"need": 1})
            line = sys.stdin.readline()
            if not line.strip():
                return
            doc_id, document = input_from_json(json.loads(line))
            pending.append(doc_id)
            yield document

    done = 0
    try:
        for extraction in Extractor().extract(documents()):
            result = {"id": pending.popleft(), "extraction": extraction_to_json(extraction)}
            _emit({"result": result})
            done += 1
    except (ValueError, KeyError, TypeError) as exc:
        _emit({"error": f"the extraction process was sent a malformed document ({exc})"})
        return 1
    _emit({"done": done})
    return 0


if __name__ == "__main__":
    sys.exit(main())
