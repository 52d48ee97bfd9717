"""REFI-QDA codebook (``.qdc``): the record types and codes as one XML file
(``urn:QDA-XML:codebook:1.0``) that QualCoder, ATLAS.ti, MAXQDA and NVivo read; each entry's
key, kind, name and fields ride in its instruction (``refi_qda``)."""

from __future__ import annotations

from pathlib import Path

from workbench.domain import CancelFlag, Progress
from workbench.export.model import Dataset, ExportCancelled, WriteOptions
from workbench.export.refi_qda import (
    CODEBOOK_NS,
    PI_VERSION,
    Names,
    codebook,
    document,
    element,
    instruction,
    origin,
    rows,
)


class QdcWriter:
    """The codebook as a REFI-QDA codebook."""

    format = "qdc"
    label = "REFI-QDA codebook (QualCoder, ATLAS.ti, MAXQDA, NVivo)"
    extension = ".qdc"
    kinds = ("codebook",)

    def write(
        self,
        data: Dataset,
        what: str,
        path: Path,
        *,
        options: WriteOptions,
        progress: Progress | None = None,
        cancel: CancelFlag | None = None,
    ) -> int:
        """Write the codebook; returns its number of entries."""
        del what, options, progress
        codes = list(rows(data.table("project.codebook")))
        if cancel is not None and cancel.is_set():
            raise ExportCancelled
        top, every = codebook(codes, Names())
        root = element("CodeBook", xmlns=CODEBOOK_NS, origin=origin())
        root.append(instruction({"version": PI_VERSION}))
        if top:  # an empty Codes is not valid: a codebook without entries has none
            element("Codes", root).extend(top)
        path.write_bytes(document(root))
        return len(every)


WRITER = QdcWriter()
