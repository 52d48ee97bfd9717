"""Extraction in another process, stored by the project's owner.

Only the process that owns a project writes it (``workbench.storage.lock``): the extraction
process (``python -m workbench.worker extract``) never opens the file. It asks for one
document at a time (``{"need": 1}``), and the owner answers with the next document's text
(``ExtractionFeed.next_input``); it sends each document's suggestions back
(``{"result": ...}``), which the owner stores in its own transaction
(``ExtractionFeed.accept``). Memory stays flat: the process holds a few documents at most.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from workbench.domain import DocumentId, Progress
from workbench.errors import WorkbenchError
from workbench.services.extraction import ExtractionReport

if TYPE_CHECKING:
    from workbench.services.extraction import ExtractionService


class ExtractionFeed:
    """The owner's side of one extraction run in another process."""

    def __init__(self, service: ExtractionService, document_ids: list[DocumentId] | None) -> None:
        self._service = service
        self._ids = service.document_ids(document_ids)
        self._sent = 0
        self._stopped = False
        self.report = ExtractionReport()

    @property
    def total(self) -> int:
        """How many documents the run covers."""
        return len(self._ids)

    def next_input(self) -> bytes | None:
        """The next document as one JSON line, or None when all are sent or the run stops."""
        from workbench.extraction.wire import input_to_json  # noqa: PLC0415 - loads the pipeline

        if self._stopped or self._sent >= len(self._ids):
            return None
        doc_id = self._ids[self._sent]
        self._sent += 1
        line = json.dumps(input_to_json(doc_id, self._service.read_input(doc_id)))
        return line.encode("utf-8") + b"\n"

    def accept(self, message: dict[str, Any], progress: Progress | None = None) -> None:
        """Store one document's suggestions as they arrive; an error message is raised."""
        from workbench.extraction.wire import extraction_from_json  # noqa: PLC0415

        if "error" in message:
            raise WorkbenchError(str(message["error"]))
        if "result" not in message:
            return
        result = message["result"]
        extraction = extraction_from_json(result["extraction"])
        self._service.store(DocumentId(int(result["id"])), extraction, self.report)
        if progress is not None:
            progress(self.report.documents, self.total, f"document {result['id']}")

    def stop(self) -> None:
        """Send no more documents (Cancel): what was stored stays."""
        self._stopped = True

    def finish(self) -> ExtractionReport:
        """The run's report, once the process has ended."""
        self.report.cancelled = self.report.documents < self.total
        return self.report
