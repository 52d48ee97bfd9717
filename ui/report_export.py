"""The report with what only the application can draw: the timeline picture of the
selection inside the HTML page, and the same page as a PDF (Qt's text layout and PDF
writer; nothing is downloaded, the page holds no remote reference)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QIODevice, QMarginsF, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from ui.timeline.export import PNG_WRITER, SVG_WRITER, application, timeline_png, write_drawn
from workbench.domain import CancelFlag, Progress
from workbench.export import registry
from workbench.export.model import Dataset, ExportCancelled, WriteOptions
from workbench.export.report import HtmlReportWriter, report_page

PICTURE = "timeline.png"  # the name the PDF's page uses for its picture


def report_picture(data: Dataset) -> bytes | None:
    """The selection's timeline as a PNG (None when nothing in it has a year)."""
    return timeline_png(list(data.timeline_items()))


class PdfReportWriter:
    """The report page laid out on A4 pages as a PDF."""

    format = "pdf"
    label = "PDF report"
    extension = ".pdf"
    kinds: tuple[str, ...] = ("report",)

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
        """Write the PDF; returns how many records it covers."""
        del what, options
        application()  # the command line has none yet; laying out text needs one
        picture = report_picture(data)
        if cancel is not None and cancel.is_set():
            raise ExportCancelled
        document = QTextDocument()
        if picture is not None:
            document.addResource(
                QTextDocument.ResourceType.ImageResource, QUrl(PICTURE),
                QImage.fromData(picture),
            )  # fmt: skip
        page, records = report_page(data, PICTURE if picture is not None else None)
        document.setHtml(page)

        def encode(device: QIODevice) -> None:
            writer = QPdfWriter(device)
            writer.setPageLayout(
                QPageLayout(
                    QPageSize(QPageSize.PageSizeId.A4),
                    QPageLayout.Orientation.Portrait,
                    QMarginsF(18, 18, 18, 18),
                    QPageLayout.Unit.Millimeter,
                )
            )
            writer.setTitle(f"{data.title} — report")
            writer.setCreator("Testimony Workbench")
            document.print_(writer)  # its painter ends with the last page: the PDF is whole

        write_drawn(path, encode)
        if progress is not None:
            progress(1, 1, "report written")
        return records


HTML_WRITER = HtmlReportWriter(picture=report_picture)
PDF_WRITER = PdfReportWriter()


def register_report_writers() -> None:
    """Give the export registry what Qt draws: the report with its picture, the PDF report,
    and the timeline as PNG and SVG pictures."""
    for writer in (HTML_WRITER, PDF_WRITER, PNG_WRITER, SVG_WRITER):
        registry.register(writer)
