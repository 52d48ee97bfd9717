"""Figure extraction: what is not a figure, excluded spans, offsets, sentences, long inputs.

How fast long runs of numbers are read is measured by benchmarks/extract_bench.py.
"""

from __future__ import annotations

import itertools

import pytest
from spacy.language import Language

from tests.core.test_figures import figures
from workbench.extraction.figures import find_figures


def texts(nlp: Language, text: str) -> list[str]:
    """The text of each figure found."""
    return [m.text for m in figures(nlp, text)]


NOT_FIGURES = [
    # dates and years
    "He crossed into Kazakhstan on May 4, 2024, and was released on May 8.",
    "On Feb. 24, the second anniversary, volunteers met again.",
    "It was the night of 12 to 13 June 2023.",
    "He had served in the 2010s and was mobilised in 2022.",
    "It happened in the winter of 2022–23, between 2022 and 2024.",
    "The page was published 2024-05-20.",
    # ordinals and unit designations
    "He served in the 47th Tank Division and later the 272nd Motorized Rifle Regiment.",
    "It was the third time he was called up, in the first wave.",
    "Brigade 155 and Military unit 3526 were named in the order.",
    "He is charged under Article 338, Part 1 of the Criminal Code.",
    "Decree No. 647 was signed; see page 12 of version 2.0.",
    "Penal Colony 7 and Hospital 5 refused to comment.",
    # clock times
    "The message arrived at 02:14 and another at 10:30.",
    "The hotline works 24/7.",
    "We went at four in the morning and came back at 5 p.m.",
    # ages
    "Roman Tikhonov, 27, a former lorry driver, deserted.",
    "Ivan (name changed), 29, is a contract soldier.",
    "Serhii Dovhaniuk, 41, spent a year in the infantry.",
    "The soldier, 32, said he had never seen a lawyer.",
    "The summons came to my office. I was 34.",
    "He was 34 when he was drafted.",
    "Men aged 18 to 60 may not leave the country.",
    "A 27-year-old medic refused.",
    "The nurse is 27 years old.",
    # phone numbers
    "Call the hotline on +7 495 123-45-67 at any time.",
    # "one" as a pronoun, and other non-counts
    "No one asked; one of them left; they came one by one.",
    "One of the nurses said the one who stayed was her brother.",
    # penalties, sources and things counted in passing
    "The offence carries up to 10 years in prison.",
    "She has worked in the same hospital for more than 25 years.",
    "Between nightfall and dawn the wounded arrived in under six hours.",
    "Two other employees of the hospital confirmed parts of her account.",
    "A Major arrived, according to Horbenko and two colleagues.",
    "Each name must be confirmed by at least two of these sources.",
    "The hospital has 40 surgical beds.",
    "The group counts deaths in eleven regions.",
    # durations and relative dates
    "Two days later he was detained. Three weeks later he was at the front.",
    "He went on a ten-day leave after 12-hour shifts.",
    "He spent two weeks in a hospital in Dnipro.",
]


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_not_figures(nlp: Language, text: str) -> None:
    assert texts(nlp, text) == []


def test_one_counts_only_people_or_when_qualified(nlp: Language) -> None:
    assert texts(nlp, "One soldier was killed and only one man survived.") == [
        "One soldier",
        "only one man",
    ]
    assert texts(nlp, "One day he simply left.") == []


def test_numbers_beside_years_and_dates_survive(nlp: Language) -> None:
    assert texts(nlp, "In July 2023, 612 wounded were admitted.") == ["612 wounded"]
    assert texts(nlp, "In 2023, 1,900 soldiers were sent forward.") == ["1,900 soldiers"]


def test_identical_restatements_are_one_figure(nlp: Language) -> None:
    text = (
        "Count confirms 26,950 deaths. The group has confirmed 26,950 servicemen by name. "
        "Two men refused. Two nurses treated them. Two men refused again."
    )
    assert texts(nlp, text) == ["26,950 deaths", "Two men", "Two nurses"]


def test_repeated_table_cells_are_all_kept(nlp: Language) -> None:
    text = "Month | Admitted | Died\nJuly 2023 | 23 | 19\nAugust 2023 | 23 | 19\n"
    assert [m.value for m in figures(nlp, text)] == [23, 19, 23, 19]


def test_excluded_spans_are_never_overlapped(nlp: Language) -> None:
    text = "On Feb. 24 volunteers added 1,740 names in a single day."
    date = (text.index("Feb."), text.index("Feb.") + len("Feb. 24"))
    assert [m.text for m in figures(nlp, text, [date])] == ["1,740 names"]
    number = (text.index("1,740"), text.index("1,740") + 5)
    assert figures(nlp, text, [date, number]) == []
    unit = (text.index("names"), text.index("names") + 2)
    assert figures(nlp, text, [unit]) == []


def test_excluded_date_that_spacy_misses(nlp: Language) -> None:
    text = "By 12 they had counted 40 graves."
    assert texts(nlp, text)[-1] == "40 graves"
    start = text.index("12")
    assert [m.text for m in figures(nlp, text, [(start, start + 2)])] == ["40 graves"]


def test_offsets_are_code_points_after_emoji(nlp: Language) -> None:
    text = (
        "🙂🇺🇦 “I’m across 🙏” — Only three of 15 men returned, and 🙂 26,950 deaths were counted."
    )
    found = figures(nlp, text)
    assert [m.text for m in found] == ["Only three of 15 men", "26,950 deaths"]
    assert found[0].start == text.index("Only")
    assert found[1].end == text.index(" were")


def test_sentence_offsets(nlp: Language) -> None:
    text = "The group was founded in 2020. Since then it has helped about 200 men. Most left."
    (mention,) = figures(nlp, text)
    second = text.index("Since")
    assert (mention.sentence_start, mention.sentence_end) == (second, text.index(" Most"))
    assert mention.sentence_start <= mention.start < mention.end <= mention.sentence_end


def test_hard_line_breaks_inside_a_sentence(nlp: Language) -> None:
    text = "Lawyers say more than\n1,500 soldiers and twenty-seven\nofficers have fled."
    assert texts(nlp, text) == ["more than\n1,500 soldiers", "twenty-seven\nofficers"]


def test_table_cells_are_bare_figures(nlp: Language) -> None:
    text = "| Month | Wounded | Died |\n| October 2023 | 1,384 | 61 |\n"
    found = figures(nlp, text)
    assert [m.value for m in found] == [1384, 61]
    assert all(m.unit is None and m.confidence < 0.8 for m in found)


def test_figures_are_ordered_and_disjoint(nlp: Language) -> None:
    text = (
        "Between 40 and 50 wounded men arrived; at least four of the men died, and dozens of "
        "wounded followed. Only three of 15 returned, two of those three wounded."
    )
    found = figures(nlp, text)
    assert len(found) == 5
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def test_empty_and_numberless_documents(nlp: Language) -> None:
    assert figures(nlp, "") == []
    assert figures(nlp, "Nobody asked. Nobody attacked my country.") == []


def test_long_runs_of_numbers_are_read_through(nlp: Language) -> None:
    doc = nlp("1 - 2 - 3 " * 2000 + "and 12 000 000 000 " * 300 + "more than 30 men. " * 500)
    found = find_figures(doc)
    assert sum(m.text == "more than 30 men" for m in found) == 1
