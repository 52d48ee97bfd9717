"""Files for the import properties: valid small files of each format, damaged, and files of
any shape (pages and Word bodies nested any way, any charset, any character codes).

``FILES`` names each kind of file (its name carries the suffix the importer is chosen by)
with the strategy that makes it and how many examples a run tries.
"""

from __future__ import annotations

import codecs
import encodings.aliases
import html
import io
import zipfile
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import docx
from hypothesis import strategies as st

from tests.core.properties import damaged
from tests.core.test_importers_pdf import pdf_with_content

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"
DATA = Path(__file__).resolve().parent.parent / "data"


@cache
def sample_text(name: str, length: int = 900) -> str:
    """The beginning of a text of the sample corpus."""
    return (SAMPLE / name).read_text(encoding="utf-8")[:length]


# --- plain text -----------------------------------------------------------------------------

_TEXTS = {
    "utf-8": sample_text("01_contract_soldier_kazakhstan.txt").encode("utf-8"),
    "utf-8 with BOM": codecs.BOM_UTF8 + sample_text("05_ukrainian_awol.txt").encode("utf-8"),
    "utf-16": sample_text("03_belgorod_surgeon.txt").encode("utf-16"),
    "utf-16be": codecs.BOM_UTF16_BE + sample_text("03_belgorod_surgeon.txt").encode("utf-16-be"),
    "utf-32": sample_text("06_upper_lars_legal_aid.txt", 300).encode("utf-32"),
    "windows-1251": sample_text("11_refuser_and_military_doctor_ru.txt").encode(
        "cp1251", errors="replace"
    ),
    "markdown": sample_text("02_interview_mobilised_soldier.md").encode("utf-8"),
}
_DAMAGED_TEXT = st.sampled_from(sorted(_TEXTS)).flatmap(lambda seed: damaged(_TEXTS[seed]))

# --- web pages ------------------------------------------------------------------------------

_PAGE = (SAMPLE / "07_finland_marine_asylum.html").read_text(encoding="utf-8")
_SHORT_PAGE = (
    "<html lang='ru'><head><meta charset='{charset}'><title>Отказник</title></head><body>"
    "<p>«Я не хотел воевать», — сказал он 24 февраля 2022 года.</p><p>Kharkiv 🙂</p>"
    "<pre>a\r\nb</pre><table><tr><td>1</td><td>2</td></tr></table></body></html>"
)
_PAGES = {
    "article": _PAGE.encode("utf-8"),
    "utf-16 article": _PAGE[:3000].encode("utf-16"),
    "windows-1251": _SHORT_PAGE.format(charset="windows-1251").encode("cp1251", "replace"),
    "koi8-r": _SHORT_PAGE.format(charset="koi8-r").encode("koi8_r", "replace"),
}
_DAMAGED_PAGE = st.sampled_from(sorted(_PAGES)).flatmap(lambda seed: damaged(_PAGES[seed]))
# Every label Python knows for a codec, and more that browsers know: what a page may declare.
_CHARSETS = sorted(
    set(encodings.aliases.aliases)
    | set(encodings.aliases.aliases.values())
    | {"utf-16", "x-user-defined", "unicode-1-1-utf-7", "undefined", "unicode_escape"}
    | {"raw_unicode_escape", "idna", "punycode", "mbcs", "oem", "", "utf-8;x"}
)
_CHARSET_PAGE = st.builds(
    lambda charset, body, stray: (
        (
            f'<html><head><meta charset="{charset}"><title>Report</title></head><body><p>'
            f"Shelling began near the school, witnesses said. {html.escape(body)}</p></body></html>"
        )
        .encode()
        .replace(b"Shelling", b"Shelling \xe9\xff" + stray)
    ),  # bytes no charset may decode
    st.sampled_from(_CHARSETS),
    st.text(st.characters(blacklist_categories=["Cs"]), max_size=60),
    st.binary(max_size=6),
)

_HTML_TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=30)
_ATTRIBUTE_VALUE = _HTML_TEXT | st.sampled_from(
    ["en", "ru-RU", "x", "2024-02-30", "0000-00-00", "9999-12-31T23:59", "javascript:x",
     "https://example.org/a", "//example.org", "file:///etc/passwd", "utf-16", "rot13"]
)  # fmt: skip
# Elements a page is made of, and those the importer drops or treats apart.
_TAGS = st.sampled_from(
    ["p", "div", "span", "article", "main", "section", "header", "footer", "nav", "aside",
     "h1", "h2", "pre", "code", "blockquote", "table", "tr", "td", "th", "caption", "ul", "li",
     "br", "hr", "a", "time", "script", "style", "noscript", "template", "svg", "math",
     "iframe", "form", "textarea", "select", "title", "meta", "head", "body", "html", "x-y"]
)  # fmt: skip
_NODES = st.recursive(
    _HTML_TEXT.map(html.escape),
    lambda inner: st.builds(
        lambda tag, name, value, children: (
            f'<{tag} {name}="{html.escape(value)}">{"".join(children)}</{tag}>'
        ),
        _TAGS,
        st.sampled_from(["lang", "class", "content", "property", "name", "datetime", "href"]),
        _ATTRIBUTE_VALUE,
        st.lists(inner, max_size=4),
    ),
    max_leaves=30,
)
_META = st.sampled_from(
    ["article:published_time", "og:title", "og:site_name", "author", "date", "og:url"]
)


@st.composite
def _odd_page(draw: st.DrawFn) -> bytes:
    """A page of any elements nested any way, with metadata of any value, in UTF-8."""
    metas = draw(st.lists(st.tuples(_META, _ATTRIBUTE_VALUE), max_size=3))
    head = "".join(
        f'<meta property="{key}" name="{key}" content="{html.escape(value)}">'
        for key, value in metas
    )
    lang = html.escape(draw(_ATTRIBUTE_VALUE))
    said = "<p>He said he did not want to fight, and his unit crossed the border.</p>"
    body = said + said.join(draw(st.lists(_NODES, min_size=1, max_size=5)))
    return f'<html lang="{lang}"><head>{head}</head><body>{body}</body></html>'.encode()


# --- Word documents ---------------------------------------------------------------------------


@cache
def _docx_parts() -> dict[str, bytes]:
    """The parts of a small Word document (python-docx's template, a heading, paragraphs of
    the sample, a table, core properties), by name."""
    document = docx.Document()
    document.core_properties.title = "Testimony"
    document.core_properties.author = "Olena Petrenko"
    document.add_heading("“I did not want to fight”", level=1)
    for paragraph in sample_text("03_belgorod_surgeon.txt", 600).split("\n\n"):
        document.add_paragraph(paragraph)
    table = document.add_table(rows=2, cols=2)
    table.rows[1].cells[0].text = "24 February 🙂"
    table.rows[1].cells[1].add_paragraph("«Я не хотел воевать»")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@st.composite
def _damaged_docx(draw: st.DrawFn) -> bytes:
    """The DOCX with one XML part damaged (most often the body), maybe one part missing;
    zipped again, so python-docx gets as far as the XML."""
    parts = dict(_docx_parts())
    names = sorted(parts)
    body = "word/document.xml"
    part = draw(st.sampled_from([body, body, "docProps/core.xml", *names]))
    parts[part] = draw(damaged(parts[part], most=2))  # more would break the XML each time
    if draw(st.integers(0, 5)) == 0:
        del parts[draw(st.sampled_from(names))]
    return _zipped(parts)


_XML_TEXT = st.text(
    st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="\ufffe\uffff")
    | st.sampled_from("\t\n\r"),
    max_size=12,
).map(xml_escape)
_RUNS = st.sampled_from(
    ["<w:tab/>", "<w:br/>", "<w:cr/>", "<w:noBreakHyphen/>", "<w:instrText>PAGE</w:instrText>",
     "<w:delText>deleted</w:delText>", "<w:fldChar w:fldCharType='begin'/>", "<w:t/>"]
) | _XML_TEXT.map(lambda text: f"<w:t xml:space='preserve'>{text}</w:t>")  # fmt: skip
# Elements that hold runs or blocks, in the places Word puts them and in others.
_WRAPPERS = st.sampled_from(
    ["w:r", "w:hyperlink", "w:ins", "w:del", "w:moveFrom", "w:smartTag", "w:sdt",
     "w:sdtContent", "w:customXml", "w:fldSimple", "w:pPr", "w:rPr", "w:txbxContent",
     "mc:AlternateContent", "mc:Choice", "mc:Fallback", "w:p", "w:tbl", "w:tr", "w:tc",
     "w:unknown"]
)  # fmt: skip
_ELEMENTS = st.recursive(
    _RUNS,
    lambda inner: st.builds(
        lambda tag, children: f"<{tag}>{''.join(children)}</{tag}>",
        _WRAPPERS,
        st.lists(inner, max_size=4),
    ),
    max_leaves=24,
)
_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
)
_SAID = "<w:r><w:t>He said he did not want to fight.</w:t></w:r>"
# Each odd element where Word puts text: in a paragraph, a table cell, or the body itself.
_BLOCKS = _ELEMENTS.flatmap(
    lambda element: st.sampled_from(
        [
            f"<w:p>{_SAID}{element}</w:p>",
            f"<w:tbl><w:tr><w:tc><w:p>{element}{_SAID}</w:p></w:tc></w:tr></w:tbl>",
            f"<w:p>{_SAID}</w:p>{element}",
        ]
    )
)
_ODD_DOCX = st.lists(_BLOCKS, min_size=1, max_size=6).map(
    lambda body: _zipped(
        _docx_parts()
        | {
            "word/document.xml": (
                f"<?xml version='1.0' encoding='UTF-8'?><w:document {_NAMESPACES}>"
                f"<w:body>{''.join(body)}<w:sectPr/></w:body></w:document>"
            ).encode()
        }
    )
)

# --- PDF --------------------------------------------------------------------------------------

_PDFS = {
    "sample": (SAMPLE / "10_storm_z_asylum_case.pdf").read_bytes(),
    "article": (DATA / "article.pdf").read_bytes(),
}
# A Type0 font whose map to Unicode is the identity: each two bytes of a string are a code
# point, whatever they are (halves of UTF-16 pairs too).
IDENTITY_FONT = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H"
    b" /DescendantFonts [6 0 R] /ToUnicode /Identity-H >>",
    b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X /DW 500 /CIDSystemInfo"
    b" << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
)


def identity_pdf(codes: list[int]) -> bytes:
    """A PDF showing ``codes`` (0 to 0xFFFF) through the identity font."""
    shown = b"".join(b"%04X" % code for code in codes)
    content = b"BT /F1 12 Tf 72 720 Td <%s> Tj ET" % shown
    return pdf_with_content(content, flate=False, font=IDENTITY_FONT)


# --- every kind, with its number of examples ------------------------------------------------

_ANY = st.binary(max_size=3000)
FILES: dict[str, tuple[st.SearchStrategy[bytes], int]] = {
    "any.txt": (_ANY, 15),
    "any.md": (_ANY, 10),
    "any.html": (_ANY, 15),
    "any.docx": (_ANY | _ANY.map(b"PK\x03\x04".__add__), 10),
    "any.pdf": (_ANY | _ANY.map(lambda data: b"%PDF-1.4\n" + data + b"\n%%EOF\n"), 10),
    "damaged.txt": (_DAMAGED_TEXT, 40),
    "damaged.md": (_DAMAGED_TEXT, 20),
    "damaged.html": (_DAMAGED_PAGE, 40),
    "charset.htm": (_CHARSET_PAGE, 60),
    "odd.html": (_odd_page(), 60),
    "odd.docx": (_ODD_DOCX, 50),
    "damaged.docx": (_damaged_docx(), 50),
    "archive.docx": (st.just(b"").flatmap(lambda _: damaged(_zipped(_docx_parts()))), 25),
    "damaged.pdf": (st.sampled_from(sorted(_PDFS)).flatmap(lambda s: damaged(_PDFS[s])), 15),
    "codes.pdf": (st.lists(st.integers(0, 0xFFFF), min_size=1, max_size=40).map(identity_pdf), 10),
}
