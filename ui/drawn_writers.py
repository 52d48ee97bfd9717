"""The export writers Qt draws (the report's picture and its PDF, timeline pictures), named
to the export registry without importing them: Qt's PDF and SVG code loads only when one is
used. Qt-free itself, so the command line may call it before anything else."""

from __future__ import annotations

from workbench.export import registry

DRAWN = (
    ("html", "ui.report_export", "HTML_WRITER"),
    ("pdf", "ui.report_export", "PDF_WRITER"),
    ("png", "ui.timeline.export", "PNG_WRITER"),
    ("svg", "ui.timeline.export", "SVG_WRITER"),
)


def register_drawn_writers() -> None:
    """Name them to the registry (each imported on first use)."""
    for fmt, module, attribute in DRAWN:
        registry.register_module(fmt, module, attribute)
