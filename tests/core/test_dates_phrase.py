"""Fuzzy dates typed by a user, code-point offsets, other scripts, and very large texts.

How fast a long document is scanned is measured by benchmarks/extract_bench.py.
"""

from __future__ import annotations

import random
from datetime import date

import pytest

from tests.core.test_dates import SAMPLES, check_date, found, pairs
from workbench.extraction.dates import FuzzyDate, find_dates, parse_date_phrase

D = date


@pytest.mark.parametrize(
    ("phrase", "edtf", "precision"),
    [
        ("late March 2024", "2024-03-21/2024-03-31", "part_of_month"),
        ("late march 2024", "2024-03-21/2024-03-31", "part_of_month"),
        ("fall 2022", "2022-23", "season"),
        ("the fall of 2022", "2022-23", "season"),
        ("since 2020", "2020/..", "open"),
        ("1990s", "199X", "decade"),
        ("the 2010s", "201X", "decade"),
        ("2023", "2023", "year"),
        ("1984", "1984", "year"),
        ("May 4, 2024", "2024-05-04", "day"),
        ("  May 4, 2024. ", "2024-05-04", "day"),
        ("on 12 June 2023", "2023-06-12", "day"),
        ("in May 2023", "2023-05", "month"),
        ("august 2024", "2024-08", "month"),
        ("winter 2022", "2022-24", "season"),
        ("early 2024", "2024-01/2024-04", "range"),
        ("between March and May 2023", "2023-03/2023-05", "range"),
        ("2014–2016", "2014/2016", "range"),
        ("until May 2023", "../2023-05", "open"),
        ("Q3 2023", "2023-07/2023-09", "range"),
        ("around 2020", "2020~", "year"),
    ],
)
def test_phrases_typed_in_the_record_editor(phrase: str, edtf: str, precision: str) -> None:
    d = parse_date_phrase(phrase)
    assert d is not None
    assert (d.edtf, d.precision) == (edtf, precision)
    assert d.text == phrase.strip()
    check_date(d)


@pytest.mark.parametrize(
    ("phrase", "earliest", "latest", "precision"),
    [
        ("2024-05", D(2024, 5, 1), D(2024, 5, 31), "month"),
        ("2024-05-04", D(2024, 5, 4), D(2024, 5, 4), "day"),
        ("2022-23", D(2022, 9, 1), D(2022, 11, 30), "season"),
        ("2022-24", D(2022, 12, 1), D(2023, 2, 28), "season"),
        ("199X", D(1990, 1, 1), D(1999, 12, 31), "decade"),
        ("19XX", D(1900, 1, 1), D(1999, 12, 31), "range"),
        ("2014/2016", D(2014, 1, 1), D(2016, 12, 31), "range"),
        ("2024-03-21/2024-03-31", D(2024, 3, 21), D(2024, 3, 31), "range"),
        ("../2023-05", None, D(2023, 5, 31), "open"),
        ("2022-23/..", D(2022, 9, 1), D(2024, 5, 20), "open"),
        ("2024-05-04~", D(2024, 5, 4), D(2024, 5, 4), "day"),
    ],
)
def test_edtf_typed_directly(
    phrase: str, earliest: date | None, latest: date | None, precision: str
) -> None:
    d = parse_date_phrase(phrase, published=D(2024, 5, 20))
    assert d is not None
    assert (d.edtf, d.earliest, d.latest, d.precision) == (phrase, earliest, latest, precision)
    check_date(d)


@pytest.mark.parametrize(
    "phrase",
    [
        "",
        "   ",
        "hello",
        "2,000",
        "2023 soldiers",
        "24/7",
        "47th",
        "he may come",
        "2024-13",
        "../..",
        "2016/2014",
        "xx 2023",
        "May 2023 and then some",
        "two days later",
    ],
)
def test_what_is_not_a_date_phrase(phrase: str) -> None:
    assert parse_date_phrase(phrase) is None


def test_year_less_phrases_use_the_published_date() -> None:
    d = parse_date_phrase("March", published=D(2024, 5, 20))
    assert d is not None
    assert (d.edtf, d.inferred) == ("2024-03", True)
    d = parse_date_phrase("Feb. 24", published=D(2022, 3, 10))
    assert d is not None and d.edtf == "2022-02-24"
    d = parse_date_phrase("Feb. 24")
    assert d is not None and (d.edtf, d.earliest) == ("XXXX-02-24", None)
    d = parse_date_phrase("yesterday", published=D(2024, 5, 20))
    assert d is not None and d.edtf == "2024-05-19"


def test_relative_phrases_use_the_anchor() -> None:
    anchor = parse_date_phrase("May 4, 2024")
    assert anchor is not None
    d = parse_date_phrase("two days later", anchor=anchor)
    assert d is not None
    assert (d.edtf, d.inferred) == ("2024-05-06", True)
    d = parse_date_phrase("May 8", anchor=anchor)
    assert d is not None and d.edtf == "2024-05-08"
    undated = FuzzyDate("Feb. 24", "XXXX-02-24", None, None, "day")
    assert parse_date_phrase("two days later", anchor=undated) is None


@pytest.mark.parametrize(
    "prefix", ["🙂🇺🇦 ", "👨‍👩‍👧 ", "𝕏 ", "«Я не хотел воевать» — ", "\u00a0\u202f"]
)
def test_offsets_are_code_points_after_astral_characters(prefix: str) -> None:
    text = prefix + "On 4 May 2024 🙂 he left; in late March 🇺🇦 the 1990s were over."
    mentions = found(text, D(2024, 5, 20))
    assert [m.date.text for m in mentions] == ["4 May 2024", "late March", "the 1990s"]
    first = mentions[0]
    assert first.start == text.index("4 May")
    assert text[first.start : first.end] == "4 May 2024"


def test_emoji_right_before_a_date() -> None:
    text = "🙂2024-05-04🙂 and 🙏May 4, 2024"
    assert pairs(text) == [("2024-05-04", "2024-05-04"), ("May 4, 2024", "2024-05-04")]


def test_non_breaking_spaces_inside_a_date() -> None:
    assert pairs("on 4\u00a0May\u00a02024 and May\u202f4, 2024") == [
        ("4\u00a0May\u00a02024", "2024-05-04"),
        ("May\u202f4, 2024", "2024-05-04"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Он уехал 04.05.2024 и вернулся 2024-05-06.",
            [("04.05.2024", "2024-05-04"), ("2024-05-06", "2024-05-06")],
        ),
        ("Наказ від 17.11.2023 № 2023.", [("17.11.2023", "2023-11-17")]),
        ("Le 24 février 2022, la guerre a commencé.", []),
        ("Вибори у 2024 році.", []),
    ],
)
def test_other_languages_only_numeric_dates(text: str, expected: list[tuple[str, str]]) -> None:
    assert pairs(text) == expected


def test_a_long_document_is_scanned_through() -> None:
    paragraph = (
        "Roman Tikhonov, 27, crossed into Kazakhstan on May 4, 2024. Two days later he was "
        "detained in Astana; a court released him on May 8. He signed a contract in early "
        "2023 and was sent to the Kharkiv region in the summer of 2023, where units have "
        "fought since the fall of 2022. About 1,740 names were added, 24/7, by the 47th "
        "Division. In late March he left the hospital and by September a ruling is due.\n\n"
    )
    text = (paragraph * 60)[:20_000]
    mentions = find_dates(text, D(2024, 5, 20))
    assert len(mentions) > 300


@pytest.mark.parametrize(
    "chunk",
    ["1", " ", "May ", "2024-", "in ", "the night of ", "12 to ", "a ", "’", "late ", "-"],
)
def test_huge_single_line_inputs_complete(chunk: str) -> None:
    text = chunk * (250_000 // len(chunk))
    mentions = find_dates(text)
    assert all(text[m.start : m.end] == m.date.text for m in mentions)


def test_a_five_megabyte_single_line_document_completes() -> None:
    article = (SAMPLES / "01_contract_soldier_kazakhstan.txt").read_text(encoding="utf-8")
    line = article.replace("\n", " ")
    text = (line * (5_000_000 // len(line) + 1))[:5_000_000]
    mentions = find_dates(text, D(2024, 5, 20))
    assert len(mentions) > 10_000
    assert all(text[m.start : m.end] == m.date.text for m in mentions[-50:])


_TOKENS = (  # noqa: SIM905
    "in on since until by before after from to between and the of early late mid- end first "
    "half week last this next that night day days weeks month year later earlier ago around "
    "May March Feb. Sept. December summer winter fall spring 1990s '90s 2022 2023 2024 12 13 "
    "4th 31 29 – - — , . 2022–23 2014-2016 04.05.2024 2024-05-04 29.02.2024 Q1 Christmas "
    "Monday today yesterday two a few 🙂 \n 2,000 24/7 47th No. $ © 20th century"
).split(" ")


@pytest.mark.parametrize("seed", range(4))
def test_random_date_like_word_salad_keeps_the_invariants(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(150):
        text = " ".join(rng.choice(_TOKENS) for _ in range(rng.randint(1, 14)))
        published = rng.choice([None, D(2024, 5, 20), D(2024, 1, 1), D(2024, 2, 29)])
        found(text, published)
        typed = parse_date_phrase(text, published)
        if typed is not None:
            check_date(typed)


def test_leap_days_without_a_year() -> None:
    text = "On Feb. 29 he left."
    assert pairs(text) == [("Feb. 29", "XXXX-02-29")]
    assert pairs(text, D(2023, 5, 1)) == [("Feb. 29", "2020-02-29")]
    assert pairs(text, D(2024, 3, 1)) == [("Feb. 29", "2024-02-29")]


def test_wire_copy_weekdays_and_possessive_years() -> None:
    text = "Ukraine's air force said Tuesday that Russia's 2024 budget grew; its 2023 report lied."
    assert pairs(text, D(2024, 5, 20)) == [
        ("Tuesday", "2024-05-14"),
        ("2024", "2024"),
        ("2023", "2023"),
    ]
    assert pairs("The Sunday Times reported it. Every Friday he calls.", D(2024, 5, 20)) == []
