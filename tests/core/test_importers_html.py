"""HTML import: the article text, metadata, the fallback for odd pages, and no network."""

from __future__ import annotations

import codecs
import random

import pytest

from tests.core.conftest import refusal
from workbench.importers import ExtractedText, extract

ARTICLE = """<!DOCTYPE html>\r
<html lang="en-GB">\r
<head>\r
<meta charset="utf-8">\r
<title>“I did not want to fight” | The Kyiv Ledger</title>\r
<link rel="canonical" href="https://ledger.example.org/2022/03/28/did-not-want-to-fight">\r
<meta property="og:site_name" content="The Kyiv Ledger">\r
<meta property="og:title" content="“I did not want to fight”">\r
<meta name="author" content="Olena Petrenko">\r
<meta property="article:published_time" content="2022-03-28T10:15:00+02:00">\r
<script src="https://tracker.example.com/t.js"></script>\r
<script>var tracking = "SCRIPT TEXT";</script>\r
<style>body { color: red; }</style>\r
</head>\r
<body>\r
<header><nav><a href="/">Home</a> <a href="/news">NAVIGATION</a></nav></header>\r
<article>\r
<h1>“I did not want to fight”</h1>\r
<p>The soldier said: «Я не хотел воевать». He spoke from Kharkiv   on 27 March 🙂.</p>\r
<p>The unit crossed the border on Feb. 24 with ‘more than 40’ vehicles.\r
Flags 🇺🇦 hung from the windows.</p>\r
<img src="https://images.example.com/photo.jpg" alt="photo">\r
<table><tr><th>Date</th><th>Place</th></tr><tr><td>24 February</td><td>Kharkiv</td></tr></table>\r
<p>“We were told it would be an exercise,” he said. “Nobody believed it.”</p>\r
</article>\r
<aside>ASIDE: Ten things to know about spring</aside>\r
<footer>FOOTER © 2022 The Kyiv Ledger</footer>\r
</body></html>\r
"""

ARTICLE_TEXT = (
    "“I did not want to fight”\n\n"
    "The soldier said: «Я не хотел воевать». He spoke from Kharkiv on 27 March 🙂.\n\n"
    "The unit crossed the border on Feb. 24 with ‘more than 40’ vehicles. "
    "Flags 🇺🇦 hung from the windows.\n\n"
    "Date | Place\n"
    "24 February | Kharkiv\n\n"
    "“We were told it would be an exercise,” he said. “Nobody believed it.”"
)


def test_article_text_and_metadata() -> None:
    result = extract(ARTICLE.encode("utf-8"), "article.html")
    assert result == ExtractedText(
        text=ARTICLE_TEXT,
        format="html",
        title="“I did not want to fight”",
        author="Olena Petrenko",
        published="2022-03-28",
        source="https://ledger.example.org/2022/03/28/did-not-want-to-fight",
        outlet="The Kyiv Ledger",
        language="en",
        encoding="utf-8",
    )
    for boilerplate in ("SCRIPT TEXT", "NAVIGATION", "ASIDE", "FOOTER", "color: red", "\r"):
        assert boilerplate not in result.text


def test_a_date_only_mentioned_in_the_text_is_not_the_publication_date() -> None:
    page = (
        "<html><head><title>Report</title></head><body><article>"
        "<p>On 24 February 2022 the shelling began near the school, witnesses said.</p>"
        "<p>The report was compiled from interviews with residents of the village.</p>"
        "</article></body></html>"
    )
    result = extract(page.encode(), "report.htm")
    assert result.published is None
    assert result.language is None
    assert result.source is None


def test_fallback_renders_the_body_when_trafilatura_finds_nothing() -> None:
    # trafilatura drops a "comments" block as boilerplate and then has no text left.
    page = (
        '<html lang="uk-UA"><head><title>Fallback page</title></head><body>'
        "<header>HEADER</header><nav>NAVIGATION</nav>"
        '<div class="comments"><p>Witness   statement 🙂\n«Я не хотел воевать»</p>'
        "<p>Second paragraph<br>with a line break</p>"
        "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d 🇺🇦</td></tr></table>"
        "<!-- a comment -->tail text<script>SCRIPT</script>"
        "<ul><li>one</li><li>two</li></ul></div>"
        "<footer>FOOTER</footer></body></html>"
    )
    result = extract(page.encode(), "fallback.html")
    assert result.text == (
        "Witness statement 🙂 «Я не хотел воевать»\n\n"
        "Second paragraph\nwith a line break\n\n"
        "a | b\nc | d 🇺🇦\n\n"
        "tail text\n\n"
        "one\ntwo"
    )
    assert result.title == "Fallback page"
    assert result.language == "uk"


def test_declared_windows_1251_page() -> None:
    page = (
        '<html lang="ru"><head><meta http-equiv="Content-Type" '
        'content="text/html; charset=windows-1251"><title>Свидетель</title></head>'
        "<body><p>«Я не хотел воевать», — сказал он.</p>"
        "<p>Солдат рассказал, что их часть пересекла границу.</p></body></html>"
    )
    result = extract(page.encode("cp1251"), "svidetel.html")
    assert result.text == (
        "«Я не хотел воевать», — сказал он.\n\nСолдат рассказал, что их часть пересекла границу."
    )
    assert result.encoding == "windows-1251"
    assert result.language == "ru"
    assert result.notes == ()


def test_undeclared_legacy_encoding_is_detected() -> None:
    page = (
        "<html><body><p>«Я не хотел воевать», — сказал он. Солдат рассказал, что их часть "
        "пересекла границу 24 февраля.</p></body></html>"
    )
    result = extract(page.encode("cp1251"), "svidetel.html")
    assert result.text.startswith("«Я не хотел воевать», — сказал он.")
    assert result.encoding == "windows-1251"
    assert result.notes == ("decoded as windows-1251 (not UTF-8)",)


def test_utf16_page_with_bom() -> None:
    result = extract(b"\xff\xfe" + ARTICLE.encode("utf-16-le"), "article.html")
    assert result.text == ARTICLE_TEXT
    assert result.encoding == "utf-16le"


def _damaged(data: bytes) -> tuple[bytes, int]:
    """``data`` with the second byte of its first "Я" dropped, and where the damage starts."""
    position = data.index("Я".encode())
    return data[: position + 1] + data[position + 2 :], position


def test_damaged_page_declared_utf8_is_refused_with_the_byte_position() -> None:
    page, position = _damaged(ARTICLE.encode("utf-8"))
    assert refusal(page, "page.html") == (
        f"invalid UTF-8 at byte {position} (the file looks like damaged UTF-8)"
    )


def test_damaged_page_after_a_utf8_bom_is_refused() -> None:
    body = "<html><body><p>Ça a été une journée difficile.</p></body></html>"
    page = codecs.BOM_UTF8 + body.encode("cp1252")
    position = page.index("Ç".encode("cp1252"))
    assert refusal(page, "page.html") == (
        f"invalid UTF-8 at byte {position} (the file looks like damaged UTF-8)"
    )


def test_undeclared_damaged_utf8_page_is_refused() -> None:
    article = ARTICLE.replace('<meta charset="utf-8">', "")
    page, position = _damaged(article.encode("utf-8"))
    assert refusal(page, "page.html") == (
        f"invalid UTF-8 at byte {position} (the file looks like damaged UTF-8)"
    )


def test_declared_koi8_r_page() -> None:
    page = (
        '<html lang="ru"><head><meta charset="koi8-r"><title>Свидетель</title></head>'
        "<body><p>Я не хотел воевать, сказал он. Солдат рассказал, что их часть "
        "пересекла границу.</p></body></html>"
    )
    result = extract(page.encode("koi8-r"), "svidetel.html")
    assert result.text.startswith("Я не хотел воевать, сказал он.")
    assert result.encoding == "koi8-r"
    assert result.notes == ()


def test_stray_byte_in_a_declared_legacy_page_is_replaced_with_a_note() -> None:
    page = (
        '<html><head><meta charset="windows-1251"></head><body><p>Солдат рассказал, что их '
        "часть пересекла границу.</p></body></html>"
    ).encode("cp1251")
    result = extract(page.replace("часть".encode("cp1251"), b"\x98", 1), "stray.html")
    assert "\ufffd пересекла" in result.text
    assert result.notes == (
        "1 undecodable bytes in this windows-1251 page were replaced with \ufffd",
    )


@pytest.mark.parametrize("declared", ["rot13", "zlib", "punycode", "idna", "undefined", "uu"])
def test_a_charset_that_is_no_encoding_of_the_web_is_ignored(declared: str) -> None:
    """Python knows these codecs (decoding a page with them raised, or made nonsense); a
    browser knows none of them and reads the page as if it declared nothing."""
    page = (
        f'<html><head><meta charset="{declared}"></head><body><p>Солдат рассказал, что их '
        "часть пересекла границу.</p></body></html>"
    )
    result = extract(page.encode("cp1251"), "page.html")
    assert result.text == "Солдат рассказал, что их часть пересекла границу."
    assert result.encoding == "windows-1251"


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ('lang="en-GB"', "en"),
        ('lang="UK"', "uk"),
        ('xml:lang="de-AT"', "de"),
        ('lang="x-klingon"', None),
        ("", None),
    ],
)
def test_declared_language_primary_subtag(declared: str, expected: str | None) -> None:
    page = f"<html {declared}><body><p>Some text of the page, long enough.</p></body></html>"
    assert extract(page.encode(), "lang.html").language == expected


@pytest.mark.parametrize(
    "data",
    [
        random.Random(5).randbytes(4000),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
        b"<html><head><title>Empty</title></head><body>  \n </body></html>",
        b"<html><body><script>only(script)</script><nav>only nav</nav></body></html>",
    ],
    ids=["random", "png", "empty-body", "only-boilerplate"],
)
def test_pages_without_readable_text_are_refused(data: bytes) -> None:
    assert refusal(data, "page.html") == "no readable text found in the HTML"


def test_text_has_no_trailing_whitespace() -> None:
    page = "<html><body><p>Line one   </p><p>\tLine two\u00a0 </p>\n\n\n</body></html>"
    result = extract(page.encode(), "spaces.html")
    assert result.text == "Line one\n\nLine two"
