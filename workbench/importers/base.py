"""What every importer returns, and the one exception it raises for bad input."""

from __future__ import annotations

from dataclasses import dataclass, field


class ImportRefused(Exception):  # noqa: N818 - it is a refusal, not an error
    """The input cannot be imported; ``str(exc)`` is one clear line for the user."""


class ImportCancelled(ImportRefused):
    """The user cancelled while a file was being read; the file was not imported."""


@dataclass(frozen=True)
class ImportLimits:
    """Limits that protect the machine from hostile or accidental input."""

    max_bytes: int = 100 * 1024 * 1024
    # Uncompressed bytes a DOCX (a zip) may expand to, and the worst compression ratio allowed.
    max_unpacked_bytes: int = 500 * 1024 * 1024
    max_compression_ratio: float = 200.0
    # A PDF is read in a worker process (importers/isolated.py): the address space it may
    # reserve (RLIMIT_AS, where the system enforces it) and the seconds it may take per file.
    max_reader_memory: int = 1536 * 1024 * 1024
    max_reader_seconds: float = 120.0


@dataclass(frozen=True)
class ExtractedText:
    """The text of one source file and the metadata the file itself carries."""

    text: str
    format: str  # "txt", "md", "html", "docx" or "pdf"
    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601 date, "YYYY-MM-DD", when the file states it
    source: str | None = None  # URL when the file states it (HTML canonical link)
    outlet: str | None = None  # site or publication name
    language: str | None = None  # language the file declares (e.g. <html lang>), not guessed
    encoding: str | None = None  # encoding used to decode a text file
    notes: tuple[str, ...] = field(default_factory=tuple)  # things the user should know
