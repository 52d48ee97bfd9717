"""Dispatch, size limits and file reading of workbench.importers, and plain text / Markdown."""

from __future__ import annotations

import codecs
import os
import random
import tracemalloc
from pathlib import Path

import pytest

from tests.core.conftest import refusal
from workbench.importers import (
    SUPPORTED_SUFFIXES,
    ExtractedText,
    ImportLimits,
    ImportRefused,
    extract,
    is_supported,
    read_and_extract,
)

SAMPLE = "“I did not want to fight,” he said. «Я не хотел воевать». Flags 🇺🇦 ‘up to 40’ 🙂"
SUPPORTED_LIST = ".docx, .htm, .html, .markdown, .md, .pdf, .txt"


# --- dispatch ---------------------------------------------------------------------------


def test_supported_suffixes() -> None:
    expected = {".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf"}
    assert expected == SUPPORTED_SUFFIXES
    assert is_supported("Report.PDF")
    assert is_supported(Path("notes/interview.markdown"))
    assert not is_supported("archive.zip")
    assert not is_supported("README")


def test_unknown_extension_is_refused() -> None:
    message = refusal(b"hello", "notes.xyz")
    assert message == f"unsupported file type '.xyz' (supported: {SUPPORTED_LIST})"
    assert refusal(b"hello", "README") == (
        f"unsupported file type (no extension) (supported: {SUPPORTED_LIST})"
    )


def test_suffix_is_case_insensitive() -> None:
    result = extract(SAMPLE.encode(), "TESTIMONY.TXT")
    assert result.format == "txt"
    assert result.text == SAMPLE


@pytest.mark.parametrize("suffix", sorted(SUPPORTED_SUFFIXES))
def test_zero_bytes_are_refused(suffix: str) -> None:
    assert refusal(b"", "empty" + suffix) == "the file is empty"


def test_data_over_the_size_limit_is_refused() -> None:
    message = refusal(b"x" * 3 * 1024 * 1024, "big.txt", ImportLimits(max_bytes=2 * 1024 * 1024))
    assert message == "the file is 3 MB, over the 2 MB limit (raise it with --max-size)"
    message = refusal(b"x" * 2000, "big.txt", ImportLimits(max_bytes=1000))
    assert message.startswith("the file is 0.0019 MB, over the 0.001 MB limit")


# --- reading files ----------------------------------------------------------------------


def test_read_and_extract_returns_the_bytes_and_text(tmp_path: Path) -> None:
    path = tmp_path / "statement.txt"
    path.write_bytes(SAMPLE.encode() + b"\r\n")
    data, result = read_and_extract(path, ImportLimits())
    assert data == SAMPLE.encode() + b"\r\n"
    assert result.text == SAMPLE + "\n"


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:
        stream.truncate(200 * 1024 * 1024)  # sparse: takes no disk space
    tracemalloc.start()
    try:
        with pytest.raises(ImportRefused) as caught:
            read_and_extract(path, ImportLimits())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(caught.value) == (
        "the file is 200 MB, over the 100 MB limit (raise it with --max-size)"
    )
    assert peak < 1024 * 1024  # the 200 MB were never read into memory


def test_missing_file_and_directory_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match=r"^cannot read file: no such file$"):
        read_and_extract(tmp_path / "missing.txt", ImportLimits())
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(ImportRefused, match=r"^cannot read file: it is a directory$"):
        read_and_extract(folder, ImportLimits())


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(ImportRefused, match=r"^cannot read file: not a regular file$"):
        read_and_extract(fifo, ImportLimits())


LINK_REFUSAL = "it is a symbolic link; import the file it points to directly"


def test_symbolic_link_is_refused_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "outside.txt"
    target.write_text("A secret kept outside the imported folder.\n", encoding="utf-8")
    link = tmp_path / "x.txt"
    link.symlink_to(target)
    dangling = tmp_path / "gone.txt"
    dangling.symlink_to(tmp_path / "missing.txt")
    for path in (link, dangling):
        with pytest.raises(ImportRefused) as caught:
            read_and_extract(path, ImportLimits())
        assert str(caught.value) == LINK_REFUSAL


@pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason="needs O_NOFOLLOW")
def test_link_swapped_in_after_the_check_is_not_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "outside.txt"
    target.write_text("A secret kept outside the imported folder.\n", encoding="utf-8")
    path = tmp_path / "x.txt"
    path.write_text("The statement that was checked.\n", encoding="utf-8")
    real_lstat = Path.lstat
    swapped: list[Path] = []

    def lstat_then_swap(self: Path) -> os.stat_result:
        """lstat() sees the regular file; then a link takes its place before it is opened."""
        info = real_lstat(self)
        if self == path and not swapped:
            swapped.append(path)
            path.unlink()
            path.symlink_to(target)
        return info

    monkeypatch.setattr(Path, "lstat", lstat_then_swap)
    with pytest.raises(ImportRefused) as caught:
        read_and_extract(path, ImportLimits())
    assert str(caught.value) == LINK_REFUSAL


def test_file_replaced_after_the_check_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = tmp_path / "checked.txt"
    checked.write_text("The file that was checked.\n", encoding="utf-8")
    path = tmp_path / "statement.txt"
    path.write_text("Another file put in its place.\n", encoding="utf-8")
    monkeypatch.setattr(Path, "lstat", lambda self: checked.stat())
    with pytest.raises(ImportRefused) as caught:
        read_and_extract(path, ImportLimits())
    assert str(caught.value) == "cannot read file: it was replaced while being opened"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("text", encoding="utf-8")
    path.chmod(0)
    try:
        with pytest.raises(ImportRefused) as caught:
            read_and_extract(path, ImportLimits())
    finally:
        path.chmod(0o600)
    assert str(caught.value) == "cannot read file: permission denied"


def test_unknown_extension_is_refused_before_reading(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match=r"^unsupported file type '\.exe'"):
        read_and_extract(tmp_path / "missing.exe", ImportLimits())


# --- plain text -------------------------------------------------------------------------


def test_text_is_kept_exactly() -> None:
    source = (
        "\ufeff  Title line\twith a tab and trailing spaces   \r\n"
        f"{SAMPLE}\r"
        "decomposed e\u0301 and ligature \ufb01 stay; no\u00a0break space\r\n"
        "\r\n"
        "\f last line without newline \t"
    )
    result = extract(source.encode("utf-8"), "statement.txt")
    expected = (
        "  Title line\twith a tab and trailing spaces   \n"
        f"{SAMPLE}\n"
        "decomposed e\u0301 and ligature \ufb01 stay; no\u00a0break space\n"
        "\n"
        "\f last line without newline \t"
    )
    assert result == ExtractedText(text=expected, format="txt", encoding="utf-8")
    # A passage is found at the same code-point offset as in the source (less the BOM).
    assert result.text.index("🇺🇦") == source.replace("\r\n", "\n").index("🇺🇦") - 1


def test_only_a_leading_bom_is_dropped() -> None:
    result = extract(codecs.BOM_UTF8 + "a\ufeffb".encode(), "x.txt")
    assert result.text == "a\ufeffb"


@pytest.mark.parametrize(
    ("codec", "bom", "name"),
    [
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16le"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16be"),
        ("utf-32-le", codecs.BOM_UTF32_LE, "utf-32le"),
    ],
)
def test_utf16_and_utf32_with_bom(codec: str, bom: bytes, name: str) -> None:
    result = extract(bom + (SAMPLE + "\r\n").encode(codec), "windows.txt")
    assert result.text == SAMPLE + "\n"
    assert result.encoding == name
    assert result.notes == (f"decoded as {name} (not UTF-8)",)


def test_cp1251_is_detected_and_reported() -> None:
    text = (
        "«Я не хотел воевать», — сказал он.\r\n"
        "Солдат рассказал, что их часть пересекла границу 24 февраля.\r\n"
    )
    result = extract(text.encode("cp1251"), "svidetel.txt")
    assert result.text == text.replace("\r\n", "\n")
    assert result.encoding == "windows-1251"
    assert result.notes == ("decoded as windows-1251 (not UTF-8)",)


def test_cp1251_with_accidental_utf8_sequences_is_still_legacy() -> None:
    # "ВСУ»" and "Він" hold the bytes D3 BB and C2 B3, which are valid UTF-8 sequences.
    text = "Він сказав, що «ВСУ» відступили. Ми чекали у підвалі три дні.\n"
    result = extract(text.encode("cp1251"), "svidchennia.txt")
    assert result.text == text
    assert result.encoding == "windows-1251"


def test_cp1252_is_preferred_among_equally_plausible_code_pages() -> None:
    text = "Ça a été une journée très difficile, dit-il. Nous étions fatigués.\n"
    result = extract(text.encode("cp1252"), "temoin.txt")
    assert result.text == text
    assert result.encoding == "windows-1252"


def test_damaged_utf8_is_refused_with_the_byte_position() -> None:
    good = SAMPLE.encode("utf-8")
    cut = good.index("Я".encode()) + 1  # drop the second byte of "Я"
    damaged = good[:cut] + good[cut + 1 :]
    assert refusal(damaged, "broken.txt") == (
        f"invalid UTF-8 at byte {cut - 1} (the file looks like damaged UTF-8)"
    )


def test_invalid_utf8_after_a_utf8_bom_is_refused() -> None:
    data = codecs.BOM_UTF8 + "Ça a été".encode("cp1252")
    assert refusal(data, "bom.txt") == (
        "invalid UTF-8 at byte 3 (the file looks like damaged UTF-8)"
    )


def test_invalid_utf16_is_refused() -> None:
    data = codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00\xd8"  # lone surrogate
    assert refusal(data, "broken.txt") == "invalid utf-16le data at byte 6"


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_binary_data_is_refused(suffix: str) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(1).randbytes(4000)
    assert refusal(png, "photo" + suffix) == "binary data, not text"
    controls = bytes(range(1, 9)) * 50 + b"some text"
    assert refusal(controls, "controls" + suffix) == "binary data, not text"


def test_whitespace_only_is_refused() -> None:
    assert refusal(b" \r\n\t\n", "blank.txt") == "the file contains no text"


# --- Markdown ---------------------------------------------------------------------------


def test_markdown_is_stored_as_its_source_with_the_first_h1_as_title() -> None:
    source = (
        "Intro line with *emphasis* 🙂\r\n"
        "```bash\r\n# a comment, not a heading\r\n```\r\n"
        "## Subheading first\r\n"
        "#  Testimony of «Я не хотел воевать» 🇺🇦 ##\r\n"
        "# A later heading\r\n"
    )
    result = extract(source.encode(), "interview.md")
    assert result.format == "md"
    assert result.text == source.replace("\r\n", "\n")
    assert result.title == "Testimony of «Я не хотел воевать» 🇺🇦"


@pytest.mark.parametrize(
    "source",
    ["No heading at all\n", "## Only a subheading\n", "#hashtag is not a heading\n", "# #\n"],
)
def test_markdown_without_h1_has_no_title(source: str) -> None:
    result = extract(source.encode(), "notes.markdown")
    assert result.title is None
    assert result.text == source


def test_txt_has_no_title() -> None:
    assert extract(b"# Looks like a heading\n", "notes.txt").title is None
