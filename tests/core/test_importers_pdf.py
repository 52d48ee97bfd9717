"""PDF import on committed fixtures (made by tests/data/make_fixtures.py) and damaged files.

``extract`` reads every PDF in a worker process (``workbench.importers.isolated``); the
in-process reader it runs there is ``workbench.importers.pdf.extract_pdf``. How soon a slow
PDF or a cancel stops the reader is measured by benchmarks/import_bench.py.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import threading
import zlib
from pathlib import Path

import pytest

from tests.core.conftest import refusal
from workbench.importers import ExtractedText, ImportLimits, ImportRefused, extract
from workbench.importers import pdf as in_process
from workbench.importers.isolated import reader_batch
from workbench.project import Project
from workbench.services.documents import ImportOptions, ImportReport

DATA = Path(__file__).resolve().parent.parent / "data"
SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample" / "10_storm_z_asylum_case.pdf"
PROTECTED = "the PDF is password-protected; remove the password and import again"
NO_TEXT = "the PDF has no text layer (scanned images?); run OCR on it first"
MB = 1024 * 1024


def fixture(name: str) -> bytes:
    """The bytes of a committed fixture PDF."""
    return (DATA / name).read_bytes()


def test_article_text_and_metadata() -> None:
    result = extract(fixture("article.pdf"), "article.pdf")
    assert result == ExtractedText(
        text=(
            "“I did not want to fight,” he said. «Я не хотел воевать».\n\n"
            "The unit crossed the border on Feb. 24 with ‘more than 40’ vehicles.\n\n"
            "Flags 🇺🇦 hung from the windows 🙂 of the village."  # page 2
        ),
        format="pdf",
        title="Testimony of a soldier — «Я не хотел воевать»",
        author="Olena Petrenko",
    )
    assert "\f" not in result.text


def test_two_columns_are_read_column_by_column() -> None:
    result = extract(fixture("two_columns.pdf"), "columns.pdf")
    assert result.text == (
        "Left column: the first witness\n"
        "spoke about the night of the\n"
        "shelling and the cellar.\n\n"
        "Right column: the second witness\n"
        "described the checkpoint and the\n"
        "queue of cars."
    )
    assert result.title is None
    assert result.author is None


def test_password_protected_pdf_is_refused() -> None:
    assert b"/Encrypt" in fixture("encrypted.pdf")
    assert refusal(fixture("encrypted.pdf"), "document.pdf") == PROTECTED


def test_encryption_with_an_empty_user_password_still_imports() -> None:
    result = extract(fixture("owner_only.pdf"), "restricted.pdf")
    assert result.text == "“I did not want to fight,” he said. «Я не хотел воевать»."


def test_image_only_pdf_is_refused() -> None:
    assert refusal(fixture("scanned.pdf"), "document.pdf") == NO_TEXT


def test_truncated_pdf_is_refused() -> None:
    data = fixture("article.pdf")
    assert refusal(data[: len(data) // 2], "document.pdf") == "the PDF is truncated or damaged"


def test_pdf_with_damaged_body_is_refused() -> None:
    data = fixture("article.pdf")
    damaged = data[:9] + bytes(len(data) - 200) + data[-191:]  # header and trailer kept
    assert refusal(damaged, "document.pdf") == "the PDF is damaged and cannot be read"
    assert refusal(b"%PDF-1.7\n" + b"garbage " * 100 + b"\n%%EOF\n", "document.pdf") == (
        "the PDF is damaged and cannot be read"
    )


@pytest.mark.parametrize(
    "data",
    [
        b"hello, this is text",
        "«Я не хотел воевать»".encode(),
        random.Random(3).randbytes(3000),
        b"PK\x03\x04" + bytes(100),
    ],
    ids=["ascii", "cyrillic", "random", "zip"],
)
def test_non_pdf_data_is_refused(data: bytes) -> None:
    assert refusal(data, "document.pdf") == "not a PDF file"


def test_mutated_pdfs_never_raise_anything_but_a_refusal() -> None:
    original = fixture("article.pdf")
    rng = random.Random(2024)
    outcomes: set[str] = set()
    with reader_batch():  # one reader process for all 60, as in an import of a folder
        for _ in range(60):
            data = bytearray(original)
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(16, len(data) - 16)] = rng.randrange(256)
            try:
                result = extract(bytes(data), "fuzzed.pdf")
            except ImportRefused as exc:
                assert "\n" not in str(exc)
                outcomes.add("refused")
            else:
                assert isinstance(result.text, str)
                outcomes.add("imported")
    assert "imported" in outcomes  # most single-byte damage leaves the text readable


# --- the worker process: limits on memory and time -----------------------------------------


HELVETICA = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",)


def pdf_with_content(
    content: bytes, *, flate: bool = True, font: tuple[bytes, ...] = HELVETICA
) -> bytes:
    """A valid one-page PDF whose content stream is ``content`` (already compressed if flate),
    its font F1 the first of ``font``'s objects (numbered from 5; the others may refer to)."""
    stream_filter = b" /Filter /FlateDecode" if flate else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(content), stream_filter, content),
        *font,
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def text_pdf(words: str) -> bytes:
    """A PDF showing ``words`` in Helvetica."""
    return pdf_with_content(zlib.compress(b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % words.encode()))


def deflate_bomb(megabytes: int) -> bytes:
    """A zlib stream of a few hundred KB that inflates to ``megabytes`` MB of spaces.

    Each megabyte is one deflate block ending in a full flush, so the same bytes repeat and
    nothing needs compressing more than once; the checksum makes it a valid stream.
    """
    chunk = b" " * MB
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = deflate.flush()
    checksum = 1
    for _ in range(megabytes):
        checksum = zlib.adler32(chunk, checksum)
    return b"\x78\xda" + block * megabytes + end + checksum.to_bytes(4, "big")


def slow_pdf(operators: int = 200_000) -> bytes:
    """A 6 KB PDF whose content stream is ``operators`` matrix changes: seconds of parsing."""
    return pdf_with_content(zlib.compress(b"1 0 0 1 0 0 cm\n" * operators))


def child_processes() -> set[int]:
    """Ids of this process's child processes, zombies included (Linux /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # it ended while we looked
        if int(fields[1]) == os.getpid():
            found.add(int(stat.parent.name))
    return found


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
needs_rlimit_as = pytest.mark.skipif(
    sys.platform != "linux", reason="only Linux enforces an address-space limit"
)


def write_files(tmp_path: Path, files: dict[str, bytes]) -> list[Path]:
    """Write each file's bytes under its name; their paths, in order."""
    paths = [tmp_path / name for name in files]
    for path, data in zip(paths, files.values(), strict=True):
        path.write_bytes(data)
    return paths


def import_pdfs(
    project: Project, tmp_path: Path, files: dict[str, bytes], limits: ImportLimits
) -> ImportReport:
    """Write ``files`` and import them as one batch with ``limits``."""
    return project.documents.import_paths(
        write_files(tmp_path, files), ImportOptions(limits=limits)
    )


def test_the_pdfs_built_here_are_valid() -> None:
    assert extract(text_pdf("Hello"), "hello.pdf").text == "Hello"
    assert extract(pdf_with_content(b"BT /F1 12 Tf (Hi) Tj ET", flate=False), "hi.pdf").text == "Hi"
    small_bomb = pdf_with_content(deflate_bomb(2))
    assert zlib.decompress(deflate_bomb(2)) == b" " * (2 * MB)
    assert refusal(small_bomb, "document.pdf") == NO_TEXT  # read to the end: spaces are no text


@pytest.mark.parametrize(
    "path",
    [SAMPLE, *(DATA / name for name in ("article.pdf", "two_columns.pdf", "owner_only.pdf"))],
    ids=lambda path: path.name,
)
def test_worker_process_reads_exactly_what_the_in_process_reader_reads(path: Path) -> None:
    data = path.read_bytes()
    expected = in_process.extract_pdf(data, ImportLimits())
    assert extract(data, path.name) == expected
    assert len(expected.text) > 40


@needs_rlimit_as
def test_decompression_bomb_is_refused_and_nothing_is_imported(
    project: Project, tmp_path: Path
) -> None:
    bomb = pdf_with_content(deflate_bomb(400))  # 400 KB that inflate to 400 MB
    assert len(bomb) < MB
    limits = ImportLimits(max_reader_memory=200 * MB)
    report = import_pdfs(project, tmp_path, {"bomb.pdf": bomb}, limits)
    assert [(r.path.name, r.message) for r in report.refused] == [
        ("bomb.pdf", "the PDF needs more than 200 MB to read; it may be crafted to exhaust memory")
    ]
    assert report.imported == []
    assert project.documents.list() == []


@needs_rlimit_as
def test_a_bomb_in_a_batch_leaves_the_other_pdfs_imported(project: Project, tmp_path: Path) -> None:
    files = {
        "a.pdf": text_pdf("Before the bomb"),
        "b.pdf": pdf_with_content(deflate_bomb(400)),
        "c.pdf": text_pdf("After the bomb"),
    }
    report = import_pdfs(project, tmp_path, files, ImportLimits(max_reader_memory=200 * MB))
    assert [r.path.name for r in report.refused] == ["b.pdf"]
    assert "needs more than 200 MB" in report.refused[0].message
    assert [project.documents.text(d.id) for d in project.documents.list()] == [
        "Before the bomb",
        "After the bomb",
    ]


@needs_proc
def test_a_pdf_that_takes_too_long_is_stopped(project: Project, tmp_path: Path) -> None:
    before = child_processes()
    report = import_pdfs(
        project, tmp_path, {"slow.pdf": slow_pdf()}, ImportLimits(max_reader_seconds=0.5)
    )
    assert [(r.path.name, r.message) for r in report.refused] == [
        (
            "slow.pdf",
            "reading the PDF took longer than 0.5 s and was stopped; "
            "it may be crafted to hang the import",
        )
    ]
    assert project.documents.list() == []
    assert child_processes() == before  # killed and reaped: no zombie, no orphan


@needs_proc
def test_cancel_stops_the_pdf_being_read(project: Project, tmp_path: Path) -> None:
    before = child_processes()
    cancel = threading.Event()
    files = {"a.pdf": text_pdf("First"), "slow.pdf": slow_pdf(), "c.pdf": text_pdf("Last")}
    paths = write_files(tmp_path, files)

    def progress(done: int, total: int, label: str) -> None:
        if label == "slow.pdf":
            threading.Timer(0.3, cancel.set).start()

    report = project.documents.import_paths(paths, progress=progress, cancel=cancel)
    assert report.cancelled
    assert report.refused == []
    assert [project.documents.text(d.id) for d in project.documents.list()] == ["First"]
    assert child_processes() == before


@needs_proc
def test_one_reader_process_serves_a_batch_and_ends_with_it() -> None:
    before = child_processes()
    with reader_batch():
        assert extract(text_pdf("One"), "1.pdf").text == "One"
        readers = child_processes() - before
        assert len(readers) == 1
        refused = refusal(fixture("encrypted.pdf"), "document.pdf")
        assert refused == PROTECTED  # a refusal keeps the process
        assert extract(text_pdf("Two"), "2.pdf").text == "Two"
        assert child_processes() - before == readers
    assert child_processes() == before
    extract(text_pdf("Alone"), "alone.pdf")  # outside a batch: a process of its own, reaped
    assert child_processes() == before


@needs_proc
def test_a_reader_that_crashes_gives_one_line_and_the_next_pdf_still_reads() -> None:
    before = child_processes()

    def crash_the_reader() -> None:
        for pid in child_processes() - before:
            os.kill(pid, signal.SIGTERM)  # a crash, minus the core dump

    with reader_batch():
        timer = threading.Timer(0.5, crash_the_reader)
        timer.start()
        message = refusal(slow_pdf(), "document.pdf")
        timer.join()
        assert message == (
            "the PDF reader was stopped by SIGTERM; the file may be damaged or crafted"
        )
        assert extract(text_pdf("Still here"), "next.pdf").text == "Still here"
    assert child_processes() == before
