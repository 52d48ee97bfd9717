"""Timeline images: the current view, the selection, or the whole project for the CLI, as
PNG or SVG; each a sheet (``sheet.py``): the lanes with the summary above and the records
without a year and the legend below.

Files are written next to the target and renamed over it, so a failed export never leaves a
half-written image where an earlier one was.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QImageWriter,
    QPaintDevice,
    QPainter,
    QPalette,
)

from ui.timeline.frame import HEADER_WIDTH, Style
from ui.timeline.sheet import Sheet, make_sheet, paint_sheet, sheet_size
from workbench.domain import CancelFlag, Progress
from workbench.errors import InvalidInputError
from workbench.export.model import Dataset, ExportCancelled, Selection, WriteOptions
from workbench.project import Project
from workbench.timeline.extent import dense_extent, full_extent
from workbench.timeline.filters import TimelineFilter, summary_line
from workbench.timeline.layout import LANE_MODES, build_lanes
from workbench.timeline.model import TimelineItem
from workbench.timeline.scale import Viewport

IMAGE_FORMATS = ("png", "svg")
MIN_SIZE, MAX_SIZE = 320, 16000


def write_image(
    size: tuple[int, int], draw: Callable[[QPainter], object], style: Style, fmt: str, output: Path
) -> None:
    """A PNG or SVG file of ``size`` (width, height) pixels, drawn by ``draw``."""
    if fmt not in IMAGE_FORMATS:
        raise InvalidInputError(f"unknown image format '{fmt}' (known: png, svg)")
    output = Path(output)
    if not output.parent.is_dir():
        raise InvalidInputError(f"folder {output.parent} does not exist")
    temporary = output.with_name(f".{output.name}.{os.getpid()}.partial")
    try:
        (_write_png if fmt == "png" else _write_svg)(QSize(*size), draw, style, temporary)
        temporary.replace(output)
    except OSError as exc:
        raise InvalidInputError(f"cannot write {output}: {exc.strerror}") from exc
    finally:
        temporary.unlink(missing_ok=True)


def write_sheet(sheet: Sheet, style: Style, fmt: str, output: Path) -> None:
    """A PNG or SVG file of ``sheet``, as large as it takes."""
    size = sheet_size(sheet, style.font)
    write_image(size, lambda painter: paint_sheet(painter, sheet, style), style, fmt, output)


def _write_png(size: QSize, draw: Callable[[QPainter], object], style: Style, path: Path) -> None:
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(style.background)
    _draw(image, draw)
    write_drawn(path, _png(image))


def _png(image: QImage) -> Callable[[QIODevice], None]:
    """What writes ``image`` as a PNG into a device."""

    def encode(device: QIODevice) -> None:
        writer = QImageWriter(device, QByteArray(b"PNG"))
        if not writer.write(image):
            raise OSError(0, f"the image could not be encoded: {writer.errorString()}")

    return encode


def _write_svg(size: QSize, draw: Callable[[QPainter], object], _style: Style, path: Path) -> None:
    from PySide6.QtSvg import QSvgGenerator  # noqa: PLC0415 - only exports need it

    def encode(device: QIODevice) -> None:
        generator = QSvgGenerator()
        generator.setOutputDevice(device)
        generator.setSize(size)
        generator.setResolution(96)
        generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
        generator.setTitle("Timeline")
        generator.setDescription("Dated records of a Testimony Workbench project")
        _draw(generator, draw)

    write_drawn(path, encode)


def write_drawn(path: Path, encode: Callable[[QIODevice], object]) -> None:
    """Let ``encode`` write a file's bytes into memory, then write them to ``path``: Qt's
    writers to files (PDF, SVG, images) do not say when a write fails, so a full disk left
    a cut file that looked written; Python's write raises (ENOSPC) and the export says so."""
    with path.open("wb") as fh:
        fh.write(_encoded(encode))


def _encoded(encode: Callable[[QIODevice], object]) -> bytes:
    """The bytes ``encode`` writes into a device in memory."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    try:
        encode(buffer)
    finally:
        buffer.close()
    return bytes(data.data())


def _draw(device: QPaintDevice, draw: Callable[[QPainter], object]) -> None:
    painter = QPainter(device)
    try:
        draw(painter)
    finally:
        painter.end()


def application() -> QGuiApplication:
    """The running application, or a headless one for command-line exports (drawing into a
    file needs no display, so none is looked for)."""
    app = QGuiApplication.instance()
    if app is None:  # a full one: widgets made later in this process need it
        from PySide6.QtWidgets import QApplication  # noqa: PLC0415 - only when drawing

        app = QApplication(["workbench", "-platform", "offscreen"])
    assert isinstance(app, QGuiApplication)
    return app


def _light_style() -> Style:
    palette = QPalette(QColor("#efefef"), QColor("#ffffff"))
    return Style.from_palette(palette, QFont())


def export_timeline(
    project: Project,
    fmt: str,
    output: Path,
    *,
    width: int = 1600,
    height: int = 900,
    lanes: str = "event_type",
    progress: Callable[[str], None] | None = None,
    redact: bool | None = None,
) -> int:
    """Draw every record that is not rejected: the dated ones fitted into a sheet ``width``
    pixels wide and at least ``height`` tall, the ones without a year listed below, with
    the summary and legend; returns the count of dated records. The items come from the
    export's dataset, so a project with protected records draws their pseudonyms unless
    ``redact`` is False."""
    if lanes not in LANE_MODES:
        raise InvalidInputError(f"unknown lanes '{lanes}' (known: {', '.join(LANE_MODES)})")
    for name, value in (("width", width), ("height", height)):
        if not MIN_SIZE <= value <= MAX_SIZE:
            raise InvalidInputError(f"{name} must be between {MIN_SIZE} and {MAX_SIZE} pixels")
    project.exports.check_output(output)
    application()
    shown = TimelineFilter()
    drawn = Selection(statuses=frozenset({"suggested", "accepted"}))
    data = project.exports.prepared(drawn, redact)
    items = [i for i in data.timeline_items() if shown.matches(i)]
    sheet = selection_sheet(items, width, lanes, dense=False, min_height=height)
    write_sheet(sheet, _light_style(), fmt, output)
    dated = sum(1 for i in items if not i.year_unknown)
    if progress is not None:
        progress(f"drew {dated} dated record(s)")
    return dated


def selection_sheet(
    items: Sequence[TimelineItem],
    width: int,
    lanes: str,
    *,
    dense: bool = True,
    min_height: float = 0.0,
) -> Sheet:
    """The items' timeline as a sheet: every lane, over where most dates are (or with
    ``dense`` false, over every date), with the records without a year, the legend and the
    summary."""
    dated = [i for i in items if not i.year_unknown]
    unknown = [i for i in items if i.year_unknown]
    view = Viewport(start=0.0, pixels_per_day=1.0, width=width - HEADER_WIDTH)
    extent = (dense_extent if dense else full_extent)(dated)
    if extent is not None:
        view.fit(*extent)
    summary = summary_line(dated, unknown, (len(dated), len(unknown)))
    return make_sheet(build_lanes(dated, lanes), view, float(width), date.today(),
                      summary=summary, year_unknown=unknown, year_unknown_total=len(unknown),
                      min_height=min_height)  # fmt: skip


def timeline_png(
    items: Sequence[TimelineItem], width: int = 1400, lanes: str = "event_type"
) -> bytes | None:
    """A PNG of the selection's sheet (None when nothing in it has a date): a report's
    timeline picture."""
    if not items:
        return None
    application()
    style = _light_style()
    sheet = selection_sheet(items, width, lanes)
    image = QImage(QSize(*sheet_size(sheet, style.font)), QImage.Format.Format_ARGB32)
    image.fill(style.background)
    _draw(image, lambda painter: paint_sheet(painter, sheet, style))
    return _encoded(_png(image))


class TimelineImageWriter:
    """The selection's timeline as a PNG or SVG picture, legend and summary included."""

    kinds: tuple[str, ...] = ("timeline",)

    def __init__(self, fmt: str, label: str) -> None:
        self.format, self.label, self.extension = fmt, label, f".{fmt}"

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
        """Draw the picture into ``path``; returns how many records it shows."""
        del what, options
        application()
        items = list(data.timeline_items())
        if cancel is not None and cancel.is_set():
            raise ExportCancelled
        style = _light_style()
        sheet = selection_sheet(items, 1600, "event_type")
        size = sheet_size(sheet, style.font)
        draw = _write_png if self.format == "png" else _write_svg
        draw(QSize(*size), lambda painter: paint_sheet(painter, sheet, style), style, path)
        if progress is not None:
            progress(1, 1, "picture drawn")
        return len(items)


PNG_WRITER = TimelineImageWriter("png", "PNG picture")
SVG_WRITER = TimelineImageWriter("svg", "SVG picture (scales; edits in Inkscape)")
