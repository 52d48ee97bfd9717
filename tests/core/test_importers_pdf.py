"""PDF import on committed fixtures (made by tests/data/make_fixtures.py) and damaged files."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from workbench.importers import ExtractedText, ImportRefused, extract

DATA = Path(__file__).resolve().parent.parent / "data"
PROTECTED = "the PDF is password-protected; remove the password and import again"
NO_TEXT = "the PDF has no text layer (scanned images?); run OCR on it first"


def fixture(name: str) -> bytes:
    """The bytes of a committed fixture PDF."""
    return (DATA / name).read_bytes()


def refusal(data: bytes) -> str:
    """The one-line message of the refusal that importing ``data`` as a PDF must raise."""
    with pytest.raises(ImportRefused) as caught:
        extract(data, "document.pdf")
    assert "\n" not in str(caught.value)
    return str(caught.value)


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
    assert refusal(fixture("encrypted.pdf")) == PROTECTED


def test_encryption_with_an_empty_user_password_still_imports() -> None:
    result = extract(fixture("owner_only.pdf"), "restricted.pdf")
    assert result.text == "“I did not want to fight,” he said. «Я не хотел воевать»."


def test_image_only_pdf_is_refused() -> None:
    assert refusal(fixture("scanned.pdf")) == NO_TEXT


def test_truncated_pdf_is_refused() -> None:
    data = fixture("article.pdf")
    assert refusal(data[: len(data) // 2]) == "the PDF is truncated or damaged"


def test_pdf_with_damaged_body_is_refused() -> None:
    data = fixture("article.pdf")
    damaged = data[:9] + bytes(len(data) - 200) + data[-191:]  # header and trailer kept
    assert refusal(damaged) == "the PDF is damaged and cannot be read"
    assert refusal(b"%PDF-1.7\n" + b"garbage " * 100 + b"\n%%EOF\n") == (
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
    assert refusal(data) == "not a PDF file"


def test_mutated_pdfs_never_raise_anything_but_a_refusal() -> None:
    original = fixture("article.pdf")
    rng = random.Random(2024)
    outcomes: set[str] = set()
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
