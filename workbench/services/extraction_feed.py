"""One extraction run as the project's owner sees it: pieces out, suggestions in.

Only the process that owns a project writes it (``workbench.storage.lock``): extraction
processes (``python -m workbench.worker extract``) never open the file. Each asks for one
piece at a time (``{"need": 1}``) and the owner answers with the next piece of the document
that process is reading (``ExtractionFeed.next_input``); it sends each piece's suggestions
back (``{"result": ...}``), which the owner stores in a transaction of its own
(``ExtractionFeed.accept``). A document's pieces all go to one process, in order, because a
piece continues from what the earlier ones found (``workbench.extraction.pieces``).

Several processes share a run (one per core, as memory allows:
``workbench.services.extraction_processes``). Each loads the models of one family of
languages only ("en": English, and others that need no model; "ru": Russian), so no process
holds both: a process whose family has nothing left waiting ends, and a fresh one for the
other family takes its place. Without processes (``ExtractionService.run``) one extractor in
this process reads everything. Memory stays flat: a process holds one piece at a time.

A run that resumes: a long document whose last stored piece (the audit log says which) ends
before the document does continues after it, with the names of the records already stored
for its first part (``ExtractionService.resume``).
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.domain import DocumentId, Progress
from workbench.errors import WorkbenchError
from workbench.services.extraction import ExtractionReport, PieceRun

if TYPE_CHECKING:
    from workbench.extraction.pipeline import DocumentExtraction, PieceInput
    from workbench.services.extraction import ExtractionService

RUSSIAN = frozenset({"ru"})  # workbench.extraction.russian.LANGUAGES, without loading it


def family(language: str | None) -> str:
    """The models a document's language needs: "ru" (Natasha) or "en" (spaCy, or none)."""
    return "ru" if language in RUSSIAN else "en"


@dataclass
class _Open:
    """A document under way: its pieces still to send and what its stored pieces made."""

    doc_id: DocumentId
    chars: int
    pieces: Iterator[PieceInput]
    stored: PieceRun = field(default_factory=PieceRun)
    pieces_stored: int = 0


@dataclass
class _Slot:
    """One extraction process: the family of models it holds and the document it reads."""

    family: str | None = None
    current: _Open | None = None
    replace: bool = False  # ended for a fresh process of the other family


class ExtractionFeed:
    """The owner's side of one extraction run over ``workers`` processes (or none)."""

    def __init__(
        self,
        service: ExtractionService,
        document_ids: list[DocumentId] | None,
        workers: int = 1,
        *,
        processes: bool = True,
    ) -> None:
        self._service = service
        self._ids = service.document_ids(document_ids)
        self._queues: dict[str, deque[DocumentId]] = {"en": deque(), "ru": deque()}
        self._waiting: dict[str, int] = {"en": 0, "ru": 0}  # characters not yet started
        self._chars: dict[DocumentId, int] = {}
        for doc_id, language, chars in service.languages(self._ids):
            self._queues[family(language)].append(doc_id)
            self._waiting[family(language)] += chars
            self._chars[doc_id] = chars
        self._resume = service.resume_points(self._chars)
        self._slots = [_Slot() for _ in range(max(1, workers))]
        self._processes = processes
        self._open: dict[DocumentId, _Open] = {}
        self._stopped = False
        self.report = ExtractionReport()

    @property
    def total(self) -> int:
        """How many documents the run covers."""
        return len(self._ids)

    @property
    def workers(self) -> int:
        """How many extraction processes the run uses at once."""
        return len(self._slots)

    def next_piece(self, worker: int = 0) -> PieceInput | None:
        """The next piece for ``worker``, or None when it should stop (nothing left for its
        family, or the run stops)."""
        slot = self._slots[worker]
        if self._stopped:
            return None
        if slot.current is not None:
            piece = next(slot.current.pieces, None)
            if piece is not None:
                return piece
            slot.current = None
        slot.current = self._next_document(slot)
        return next(slot.current.pieces) if slot.current is not None else None

    def next_input(self, worker: int = 0) -> bytes | None:
        """``next_piece`` as one JSON line for an extraction process."""
        from workbench.extraction.wire import piece_to_json  # noqa: PLC0415 - loads the pipeline

        piece = self.next_piece(worker)
        if piece is None:
            return None
        return json.dumps(piece_to_json(piece)).encode("utf-8") + b"\n"

    def _next_document(self, slot: _Slot) -> _Open | None:
        """Open the next document of the slot's family (choosing one for a fresh slot)."""
        chosen = slot.family
        if chosen is None or not self._queues[chosen]:
            if chosen is not None and self._processes:
                slot.replace = any(self._queues.values())  # its models are the wrong ones
                return None
            chosen = self._neediest()
            if chosen is None:
                return None
        slot.family = chosen
        doc_id = self._queues[chosen].popleft()
        self._waiting[chosen] -= self._chars[doc_id]
        document = self._service.read_input(doc_id)
        start = self._resume.get(doc_id, 0)
        known, keys = self._service.resume(doc_id, start) if start else ([], {})
        from workbench.extraction.pipeline import document_pieces  # noqa: PLC0415

        opened = _Open(doc_id, len(document.text), document_pieces(doc_id, document, start, known))
        opened.stored.keys.update(keys)
        self._open[doc_id] = opened
        return opened

    def _neediest(self) -> str | None:
        """The family with the most characters waiting for each process that reads it."""
        serving = {name: sum(s.family == name for s in self._slots) for name in self._queues}
        waiting = [name for name, queue in self._queues.items() if queue]
        return max(waiting, key=lambda n: self._waiting[n] / (1 + serving[n]), default=None)

    def replace(self, worker: int) -> bool:
        """Whether an ended process should be followed by a fresh one in its place."""
        slot = self._slots[worker]
        if not slot.replace or self._stopped:
            return False
        self._slots[worker] = _Slot()
        return True

    def accept(self, message: dict[str, Any], progress: Progress | None = None) -> None:
        """Store one piece's suggestions as they arrive; an error message is raised."""
        from workbench.extraction.wire import extraction_from_json  # noqa: PLC0415

        if "error" in message:
            raise WorkbenchError(str(message["error"]))
        if "result" not in message:
            return
        result = message["result"]
        extraction = extraction_from_json(result["extraction"])
        self.store(DocumentId(int(result["id"])), (int(result["start"]), int(result["end"])),
                   extraction, progress)  # fmt: skip

    def store(
        self,
        doc_id: DocumentId,
        span: tuple[int, int],
        extraction: DocumentExtraction,
        progress: Progress | None = None,
    ) -> None:
        """Store the suggestions of the piece ``span`` of a document (one transaction)."""
        opened = self._open[doc_id]
        stored = opened.stored
        stored.start, stored.end = span
        stored.last = span[1] >= opened.chars
        stored.chars = opened.chars
        self._service.store(doc_id, extraction, self.report, piece=stored)
        opened.pieces_stored += 1
        if stored.last:
            del self._open[doc_id]
        if progress is not None:
            label = f"document {doc_id}"
            if not (stored.last and span[0] == 0):
                label += f": {span[1] * 100 // max(opened.chars, 1)}%"
            progress(self.report.documents, self.total, label)

    def stop(self) -> None:
        """Send no more pieces (Cancel): what was stored stays."""
        self._stopped = True

    @property
    def stopped(self) -> bool:
        """Whether the run was told to stop."""
        return self._stopped

    def finish(self) -> ExtractionReport:
        """The run's report, once every process has ended."""
        self.report.cancelled = self.report.documents < self.total
        self.report.pieces_kept = sum(o.pieces_stored for o in self._open.values())
        return self.report
