"""The export formats: each is one writer module, registered here by name.

Adding a format is a module with a ``WRITER`` (see ``model.Writer``) and one line in
``MODULES``; the command line, the window's Export dialog and the service list formats from
here. A module is imported only when its format is used (xlsxwriter and the like stay out
of start-up). Writers that need the desktop libraries (an image, a PDF drawn by Qt) are
registered by the application at run time with ``register``.
"""

from __future__ import annotations

from importlib import import_module

from workbench.errors import InvalidInputError
from workbench.export.model import Writer

# format → module holding its WRITER, in the order formats are offered
MODULES: dict[str, str] = {
    "csv": "workbench.export.csv_writer",
    "xlsx": "workbench.export.xlsx_writer",
    "json": "workbench.export.json_writer",
    "html": "workbench.export.report",
    "qdpx": "workbench.export.qdpx_writer",
    "qdc": "workbench.export.qdc_writer",
}
_registered: dict[str, Writer] = {}
_lazy: dict[str, tuple[str, str]] = {}  # format → (module, attribute), added at run time


def register(writer: Writer) -> None:
    """Add (or replace) a format's writer at run time."""
    _registered[writer.format] = writer


def register_module(fmt: str, module: str, attribute: str = "WRITER") -> None:
    """Add (or replace) a format whose writer is imported only when it is used (the
    application's writers that need Qt, named by the command line's entry point)."""
    _registered.pop(fmt, None)
    _lazy[fmt] = (module, attribute)


def formats() -> tuple[str, ...]:
    """Every format's name, in the order they are offered."""
    return tuple(dict.fromkeys([*MODULES, *_lazy, *_registered]))


def writer(fmt: str) -> Writer:
    """The writer of a format; one clear line for an unknown one."""
    if fmt not in _registered:
        module, attribute = _lazy.get(fmt) or (MODULES.get(fmt), "WRITER")
        if module is None:
            raise InvalidInputError(f"unknown format '{fmt}' (known: {', '.join(formats())})")
        _registered[fmt] = getattr(import_module(module), attribute)
    return _registered[fmt]


def kinds_of(fmt: str) -> tuple[str, ...]:
    """What a format can export."""
    return writer(fmt).kinds
