"""Timeline images: the current view, or the whole project for the CLI, as PNG or SVG.

Files are written next to the target and renamed over it, so a failed export never leaves a
half-written image where an earlier one was.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
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

from ui.timeline.frame import HEADER_WIDTH, Frame, Style
from ui.timeline.render import paint
from workbench.errors import InvalidInputError
from workbench.project import Project
from workbench.timeline.extent import dense_extent, full_extent
from workbench.timeline.filters import TimelineFilter
from workbench.timeline.layout import LANE_MODES, TimelineLayout, build_lanes
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


def _write_png(size: QSize, draw: Callable[[QPainter], object], style: Style, path: Path) -> None:
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(style.background)
    _draw(image, draw)
    writer = QImageWriter(str(path), b"PNG")  # the .partial name says nothing of the format
    if not writer.write(image):
        raise OSError(0, f"the image could not be encoded: {writer.errorString()}")


def _write_svg(size: QSize, draw: Callable[[QPainter], object], _style: Style, path: Path) -> None:
    from PySide6.QtSvg import QSvgGenerator  # noqa: PLC0415 - only exports need it

    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(size)
    generator.setResolution(96)
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle("Timeline")
    generator.setDescription("Dated records of a Testimony Workbench project")
    _draw(generator, draw)


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
) -> int:
    """Draw every dated record (not rejected; a year is known) fitted into an image;
    returns the item count."""
    if lanes not in LANE_MODES:
        raise InvalidInputError(f"unknown lanes '{lanes}' (known: {', '.join(LANE_MODES)})")
    for name, value in (("width", width), ("height", height)):
        if not MIN_SIZE <= value <= MAX_SIZE:
            raise InvalidInputError(f"{name} must be between {MIN_SIZE} and {MAX_SIZE} pixels")
    project.exports.check_output(output)
    application()
    shown = TimelineFilter()
    items = [i for i in project.timeline.items() if shown.matches(i) and not i.year_unknown]
    frame, style = timeline_frame(items, width, height, lanes), _light_style()
    write_image((width, height), lambda painter: paint(painter, frame, style), style, fmt, output)
    if progress is not None:
        progress(f"drew {len(items)} dated record(s)")
    return len(items)


def timeline_frame(
    items: Sequence[TimelineItem], width: int, height: int, lanes: str, *, dense: bool = False
) -> Frame:
    """The items in a picture of ``width`` by ``height`` pixels: every one fitted, or with
    ``dense`` the span where most of them are (far-off ones marked at the edges)."""
    drawn = [i for i in items if not i.year_unknown]
    view = Viewport(start=0.0, pixels_per_day=1.0, width=width - HEADER_WIDTH)
    extent = (dense_extent if dense else full_extent)(drawn)
    if extent is not None:
        view.fit(*extent)
    layout = TimelineLayout(build_lanes(drawn, lanes), view.pixels_per_day)
    return Frame(layout, view, 0.0, float(width), float(height))


def timeline_png(
    items: Sequence[TimelineItem], width: int = 1400, lanes: str = "event_type"
) -> bytes | None:
    """A PNG of the items (None when none has a year): a report's timeline picture. The
    height follows the lanes, so every lane shows."""
    if not any(not i.year_unknown for i in items):
        return None
    application()
    lane_count = len(build_lanes([i for i in items if not i.year_unknown], lanes))
    height = max(240, min(MAX_SIZE, 90 + 64 * lane_count))
    frame, style = timeline_frame(items, width, height, lanes, dense=True), _light_style()
    image = QImage(QSize(width, height), QImage.Format.Format_ARGB32)
    image.fill(style.background)
    _draw(image, lambda painter: paint(painter, frame, style))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    QImageWriter(buffer, QByteArray(b"PNG")).write(image)
    buffer.close()
    return bytes(data.data())
