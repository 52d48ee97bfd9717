"""Turn the bytes of a source file into text plus the metadata the file carries.

Qt-free. Every refusal is an ``ImportRefused`` whose message is one line without the path
(the caller prefixes the file name).
"""

from __future__ import annotations

import importlib
import os
import stat
from collections.abc import Callable
from pathlib import Path, PurePath

from workbench.importers._common import format_mb
from workbench.importers.base import ExtractedText, ImportCancelled, ImportLimits, ImportRefused

__all__ = [
    "DEFAULT_LIMITS",
    "SUPPORTED_SUFFIXES",
    "SYMLINK_REFUSAL",
    "ExtractedText",
    "ImportCancelled",
    "ImportLimits",
    "ImportRefused",
    "extract",
    "is_supported",
    "read_and_extract",
]

_Extractor = Callable[[bytes, ImportLimits], ExtractedText]

# Suffix -> (module, function). Modules load on first use: trafilatura alone takes 0.3 s.
_EXTRACTORS: dict[str, tuple[str, str]] = {
    ".txt": ("plain", "extract_txt"),
    ".md": ("plain", "extract_markdown"),
    ".markdown": ("plain", "extract_markdown"),
    ".html": ("html", "extract_html"),
    ".htm": ("html", "extract_html"),
    ".docx": ("docx", "extract_docx"),
    # pdfminer has no bound on memory or time: it runs in a worker process (isolated.py).
    ".pdf": ("isolated", "extract_pdf"),
}

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_EXTRACTORS)
DEFAULT_LIMITS = ImportLimits()
SYMLINK_REFUSAL = "it is a symbolic link; import the file it points to directly"
# Never follow a link in the last component; never block opening a FIFO swapped in.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_BINARY", 0)
)


def is_supported(path: str | PurePath) -> bool:
    """True when the file name ends with a suffix we can import (case-insensitive)."""
    return PurePath(path).suffix.lower() in SUPPORTED_SUFFIXES


def extract(data: bytes, filename: str, limits: ImportLimits = DEFAULT_LIMITS) -> ExtractedText:
    """Extract the text of ``data``, choosing the format from the suffix of ``filename``."""
    extractor = _extractor_for(filename)
    if not data:
        raise ImportRefused("the file is empty")
    _check_size(len(data), limits)
    return extractor(data, limits)


def read_and_extract(
    path: Path, limits: ImportLimits = DEFAULT_LIMITS
) -> tuple[bytes, ExtractedText]:
    """Read a file (refusing it before reading when it is too big) and extract its text."""
    _extractor_for(path.name)
    data = _read_regular_file(path, limits)
    return data, extract(data, path.name, limits)


def _read_regular_file(path: Path, limits: ImportLimits) -> bytes:
    """The bytes of ``path``; symbolic links, folders, special and oversized files are refused.

    The file is examined with ``lstat`` and opened without following a link (``O_NOFOLLOW``),
    and the opened file must be the one examined, so swapping in a link in between is refused.
    """
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            raise ImportRefused(SYMLINK_REFUSAL)
        if stat.S_ISDIR(info.st_mode):
            raise ImportRefused("cannot read file: it is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise ImportRefused("cannot read file: not a regular file")
        _check_size(info.st_size, limits)
        with os.fdopen(os.open(path, _OPEN_FLAGS), "rb") as stream:
            opened = os.fstat(stream.fileno())
            if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
                raise ImportRefused("cannot read file: it was replaced while being opened")
            # Read one byte past the limit so a file that grew since lstat() is still refused.
            data = stream.read(limits.max_bytes + 1)
    except OSError as exc:
        if path.is_symlink():  # became a link after lstat(): O_NOFOLLOW refused to open it
            raise ImportRefused(SYMLINK_REFUSAL) from exc
        raise ImportRefused(f"cannot read file: {_describe_os_error(exc)}") from exc
    _check_size(len(data), limits)
    return data


def _extractor_for(filename: str) -> _Extractor:
    """The extractor for the suffix of ``filename``, or a refusal naming the supported ones."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in _EXTRACTORS:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        kind = f"'{suffix}'" if suffix else "(no extension)"
        raise ImportRefused(f"unsupported file type {kind} (supported: {supported})")
    module, function = _EXTRACTORS[suffix]
    extractor: _Extractor = getattr(importlib.import_module(f"{__name__}.{module}"), function)
    return extractor


def _check_size(size: int, limits: ImportLimits) -> None:
    """Refuse sizes over ``limits.max_bytes`` with a message that says how to raise the limit."""
    if size > limits.max_bytes:
        raise ImportRefused(
            f"the file is {format_mb(size)} MB, over the {format_mb(limits.max_bytes)} MB "
            "limit (raise it with --max-size)"
        )


def _describe_os_error(exc: OSError) -> str:
    """A short lowercase reason for an OS error, never including the path."""
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "it is a directory"
    reason = exc.strerror or (os.strerror(exc.errno) if exc.errno else type(exc).__name__)
    return reason[:1].lower() + reason[1:]
