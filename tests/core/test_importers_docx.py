"""DOCX import: body order, tables, inline content, core properties, and hostile archives."""

from __future__ import annotations

import io
import random
import re
import zipfile

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from workbench.importers import ExtractedText, ImportLimits, ImportRefused, extract

INVALID = "not a valid DOCX file (damaged or not a Word document)"


def save(document: object) -> bytes:
    """The bytes of a python-docx document."""
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


def make_testimony_docx() -> bytes:
    """A document with a heading, paragraphs, a table between them and inline oddities."""
    document = docx.Document()
    document.core_properties.title = "  Testimony   of a soldier "
    document.core_properties.author = "Olena Petrenko"
    document.add_heading("“I did not want to fight”", level=1)
    document.add_paragraph("He said: «Я не хотел воевать». 🙂")
    document.add_paragraph("")  # empty paragraphs only space the layout out
    table = document.add_table(rows=2, cols=3)
    for row, values in zip(
        table.rows, [("Date", "Place", "Note"), ("24 Feb", "Kharkiv", "")], strict=True
    ):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    table.rows[1].cells[2].add_paragraph("two paragraphs 🇺🇦")
    paragraph = document.add_paragraph("Before tab")
    run = paragraph.add_run("after ‘tab’ ")
    run.add_tab()
    run.add_text("then a break   ")
    run.add_break()
    run.add_text("new line")
    inline = parse_xml(
        f"<w:p {nsdecls('w', 'r')}>"
        "<w:r><w:t xml:space='preserve'>Kept </w:t></w:r>"
        "<w:del w:id='1' w:author='x'><w:r><w:delText>deleted </w:delText></w:r></w:del>"
        "<w:ins w:id='2' w:author='x'><w:r><w:t xml:space='preserve'>inserted </w:t></w:r></w:ins>"
        "<w:hyperlink r:id='rId99'><w:r><w:t>link text</w:t></w:r></w:hyperlink>"
        "<w:r><w:fldChar w:fldCharType='begin'/></w:r>"
        "<w:r><w:instrText> PAGE </w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType='separate'/></w:r>"
        "<w:r><w:t xml:space='preserve'> 7</w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType='end'/></w:r>"
        "</w:p>"
    )
    document.element.body.insert(len(document.element.body) - 1, inline)  # before sectPr
    return save(document)


EXPECTED = (
    "“I did not want to fight”\n\n"
    "He said: «Я не хотел воевать». 🙂\n\n"
    "Date | Place | Note\n"
    "24 Feb | Kharkiv | two paragraphs 🇺🇦\n\n"
    "Before tabafter ‘tab’ \tthen a break\n"
    "new line\n\n"
    "Kept inserted link text 7"
)


def test_paragraphs_and_tables_in_body_order() -> None:
    result = extract(make_testimony_docx(), "testimony.docx")
    assert result == ExtractedText(
        text=EXPECTED, format="docx", title="Testimony of a soldier", author="Olena Petrenko"
    )
    assert result.text.index("🇺🇦") == EXPECTED.index("🇺🇦")


def test_template_author_and_empty_title_are_not_metadata() -> None:
    document = docx.Document()  # python-docx's template says the author is "python-docx"
    document.add_paragraph("Text")
    result = extract(save(document), "x.docx")
    assert (result.title, result.author, result.published) == (None, None, None)


def test_missing_core_properties_give_no_title() -> None:
    document = docx.Document()
    document.add_paragraph("Text")
    data = rewrite(save(document), drop={"docProps/core.xml"})
    data = rewrite(
        data,
        replace={
            "_rels/.rels": lambda xml: re.sub(
                rb"<Relationship [^>]*core-properties[^>]*/>", b"", xml
            )
        },
    )
    result = extract(data, "x.docx")
    assert result.text == "Text"
    assert result.title is None  # python-docx would otherwise make up "Word Document"


def test_document_without_text_is_refused() -> None:
    document = docx.Document()
    document.add_paragraph("   ")
    document.add_table(rows=2, cols=2)
    with pytest.raises(ImportRefused, match=r"^the document contains no text$"):
        extract(save(document), "blank.docx")


def rewrite(
    data: bytes,
    drop: set[str] = frozenset(),  # type: ignore[assignment]
    replace: dict[str, object] | None = None,
    add: dict[str, bytes] | None = None,
) -> bytes:
    """A copy of a zip with members dropped, rewritten (by a function) or added."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename in drop:
                continue
            content = source.read(info)
            if info.filename in replace:
                content = replace[info.filename](content)  # type: ignore[operator]
            target.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)
        for name, content in (add or {}).items():
            target.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def corrupt_inputs() -> list[tuple[str, bytes]]:
    """Damaged or foreign files named .docx."""
    good = make_testimony_docx()
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("notes.txt", "not a Word document")
    return [
        ("random bytes", random.Random(7).randbytes(5000)),
        ("text", "«Я не хотел воевать»".encode()),
        ("zip header only", b"PK\x03\x04" + b"\x00" * 40),
        ("first half", good[: len(good) // 2]),
        ("plain zip", plain_zip.getvalue()),
        ("no document.xml", rewrite(good, drop={"word/document.xml"})),
        ("broken XML", rewrite(good, replace={"word/document.xml": lambda x: x[: len(x) // 2]})),
        ("PDF renamed", b"%PDF-1.7\n%%EOF\n"),
    ]


@pytest.mark.parametrize(("label", "data"), corrupt_inputs(), ids=lambda v: str(v)[:20])
def test_corrupt_docx_is_refused(label: str, data: bytes) -> None:
    with pytest.raises(ImportRefused) as caught:
        extract(data, label + ".docx")
    assert str(caught.value) == INVALID


def test_zip_bomb_is_refused_by_compression_ratio() -> None:
    # 8 MB of zeros compress to about 8 KB: a ratio near 1000, over the default 200.
    data = rewrite(make_testimony_docx(), add={"word/media/bomb.bin": bytes(8 * 1024 * 1024)})
    with pytest.raises(ImportRefused) as caught:
        extract(data, "bomb.docx")
    assert re.fullmatch(
        r"refused: the DOCX would expand to 8\.\d MB \(possible zip bomb\)", str(caught.value)
    )


def test_zip_bomb_is_refused_by_total_size() -> None:
    data = make_testimony_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        total = sum(info.file_size for info in archive.infolist())
    limits = ImportLimits(max_unpacked_bytes=total - 1)
    with pytest.raises(ImportRefused, match=r"^refused: the DOCX would expand to .* MB"):
        extract(data, "big.docx", limits)
    assert extract(data, "big.docx", ImportLimits(max_unpacked_bytes=total)).text == EXPECTED


def test_small_highly_compressed_members_are_not_bombs() -> None:
    data = rewrite(make_testimony_docx(), add={"customXml/padding.xml": b" " * 500_000})
    assert extract(data, "padded.docx").text == EXPECTED


def test_compression_ratio_limit_is_configurable() -> None:
    data = rewrite(make_testimony_docx(), add={"word/media/zeros.bin": bytes(2 * 1024 * 1024)})
    assert extract(data, "x.docx", ImportLimits(max_compression_ratio=5000)).text == EXPECTED
    with pytest.raises(ImportRefused, match="possible zip bomb"):
        extract(data, "x.docx", ImportLimits(max_compression_ratio=50))
