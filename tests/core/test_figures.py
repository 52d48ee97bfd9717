"""Figure extraction: qualifiers, ranges, vague quantities, number words, ratios and units."""

from __future__ import annotations

from typing import Any

import pytest
from spacy.language import Language

from workbench.extraction.figures import FigureMention, find_figures


def figures(
    nlp: Language, text: str, exclude: list[tuple[int, int]] | None = None
) -> list[FigureMention]:
    """All figures in text, after checking each one's offsets against the text."""
    doc = nlp(text)
    found = find_figures(doc, exclude or [])
    for mention in found:
        assert doc.text[mention.start : mention.end] == mention.text
    return found


def figure(nlp: Language, text: str, phrase: str) -> FigureMention:
    """The one figure whose text is phrase."""
    found = figures(nlp, text)
    matching = [m for m in found if m.text == phrase]
    assert len(matching) == 1, [m.text for m in found]
    return matching[0]


def check(mention: FigureMention, expected: dict[str, Any]) -> None:
    """Compare the named fields of a mention, each in turn."""
    for field, value in expected.items():
        assert getattr(mention, field) == value, (field, mention)


QUALIFIERS = [
    (
        "Lawyers say more than 1,500 soldiers have fled since the spring.",
        "more than 1,500 soldiers",
        {"value": None, "min": 1501, "max": None, "qualifier": "more than", "unit": "soldiers"},
    ),
    (
        "Over 200 deserters crossed the border in October.",
        "Over 200 deserters",
        {"value": None, "min": 201, "max": None, "qualifier": "more than"},
    ),
    (
        "Queues stretched for more than 20 kilometres on the Russian side.",
        "more than 20 kilometres",
        {"min": 20, "unit": "kilometres"},  # a continuous measure: the bound is 20, not 21
    ),
    (
        "She knew of at least 30 Russian servicemen who had sought help in Kazakhstan.",
        "at least 30 Russian servicemen",
        {"value": None, "min": 30, "max": None, "qualifier": "at least", "unit": "servicemen"},
    ),
    (
        "The group says no fewer than 12 detainees were beaten.",
        "no fewer than 12 detainees",
        {"min": 12, "qualifier": "at least"},
    ),
    (
        "Fewer than 10 returned to the front after the assault.",
        "Fewer than 10",
        {"value": None, "min": None, "max": 9, "qualifier": "fewer than", "unit": None},
    ),
    (
        "Less than 10 percent of the battalion is still at the front.",
        "Less than 10 percent",
        {"max": 10, "qualifier": "fewer than", "unit": "%"},
    ),
    (
        "Under 50 conscripts were sent back to their units.",
        "Under 50 conscripts",
        {"max": 49, "qualifier": "fewer than", "unit": "conscripts"},
    ),
    (
        "The bribe was more than $2,000, his sister said.",
        "more than $2,000",
        {"min": 2000, "unit": "USD", "qualifier": "more than"},
    ),
    (
        "The true number of deaths may be up to 80,000.",
        "up to 80,000",
        {"value": None, "min": None, "max": 80000, "qualifier": "up to", "unit": None},
    ),
    (
        "Officials said as many as 400 conscripts were sent forward.",
        "as many as 400 conscripts",
        {"max": 400, "qualifier": "up to", "unit": "conscripts"},
    ),
    (
        "The clinic can take no more than 40 patients a night.",
        "no more than 40 patients",
        {"max": 40, "min": None, "qualifier": "at most"},
    ),
    (
        "The group of about 200 volunteers has tracked deaths since 2022.",
        "about 200 volunteers",
        {"value": 200, "min": None, "max": None, "qualifier": "about", "unit": "volunteers"},
    ),
    (
        "Around 200 men crossed at Upper Lars that week.",
        "Around 200 men",
        {"value": 200, "qualifier": "about"},
    ),
    (
        "It has helped some 300 men leave the army.",
        "some 300 men",
        {"value": 300, "qualifier": "about"},
    ),
    (
        "Roughly 40 nurses were brought in from the maternity ward.",
        "Roughly 40 nurses",
        {"value": 40, "qualifier": "about"},
    ),
    (
        "Approximately 150 patients were evacuated to Rostov-on-Don.",
        "Approximately 150 patients",
        {"value": 150, "qualifier": "about"},
    ),
    (
        "The report puts the toll at an estimated 8,000 dead.",
        "an estimated 8,000 dead",
        {"value": 8000, "qualifier": "about", "unit": "dead"},
    ),
    (
        "Nearly 200 patients were admitted in a single week.",
        "Nearly 200 patients",
        {"value": None, "max": 200, "min": None, "qualifier": "nearly"},
    ),
    (
        "Almost 3,000 prisoners signed contracts with the ministry.",
        "Almost 3,000 prisoners",
        {"value": None, "max": 3000, "qualifier": "nearly"},
    ),
    (
        "Just 12 soldiers of the company were left.",
        "Just 12 soldiers",
        {"value": 12, "qualifier": "only"},
    ),
    (
        "The hotline took 30 or more calls a day.",
        "30 or more calls",
        {"min": 30, "qualifier": "at least", "unit": "calls"},
    ),
    (
        "A unit of 200 or so men held the tree line.",
        "200 or so men",
        {"value": 200, "qualifier": "about"},
    ),
    (
        "A 30-plus convoy was seen near Melitopol; 30+ recruits deserted.",
        "30+ recruits",
        {"min": 30, "qualifier": "at least", "unit": "recruits"},
    ),
]


@pytest.mark.parametrize(("text", "phrase", "expected"), QUALIFIERS)
def test_qualifiers_set_bounds(
    nlp: Language, text: str, phrase: str, expected: dict[str, Any]
) -> None:
    check(figure(nlp, text, phrase), expected)


RANGES = [
    ("Between 40 and 50 wounded men arrived that night.", "Between 40 and 50 wounded men", "men"),
    ("The hospital took 40 to 50 wounded a night.", "40 to 50 wounded", "wounded"),
    ("Surgeons saw 40–50 wounded every night in October.", "40–50 wounded", "wounded"),
    ("Surgeons saw 40-50 wounded every night in October.", "40-50 wounded", "wounded"),
    ("From 40 to 50 men were sent forward each time.", "From 40 to 50 men", "men"),
    ("Only about 40 to 50 men came back.", "about 40 to 50 men", "men"),
]


@pytest.mark.parametrize(("text", "phrase", "unit"), RANGES)
def test_ranges(nlp: Language, text: str, phrase: str, unit: str) -> None:
    check(
        figure(nlp, text, phrase),
        {"value": None, "min": 40, "max": 50, "qualifier": "between", "unit": unit},
    )


def test_range_words_and_shared_scale(nlp: Language) -> None:
    text = "He was sent forward in groups of five to seven. Between 1 and 1.5 million people left."
    check(figure(nlp, text, "five to seven"), {"min": 5, "max": 7, "qualifier": "between"})
    check(
        figure(nlp, text, "Between 1 and 1.5 million people"),
        {"min": 1_000_000, "max": 1_500_000, "unit": "people"},
    )
    check(figure(nlp, "Two or three soldiers refused.", "Two or three soldiers"), {"min": 2})


def test_change_is_two_figures_not_a_range(nlp: Language) -> None:
    found = figures(nlp, "Admissions rose from 590 in September to 1,384 in October.")
    assert [m.value for m in found] == [590, 1384]
    found = figures(nlp, "Monthly deaths rose from 17 to 61.")
    assert [(m.value, m.qualifier) for m in found] == [(17, None), (61, None)]


VAGUE = [
    ("Volunteers counted dozens of graves.", "dozens of graves", 24, "dozens", "graves"),
    (
        "Dozens of wounded continued to pass through the department.",
        "Dozens of wounded",
        24,
        "dozens",
        "wounded",
    ),
    ("Hundreds of civilians fled.", "Hundreds of civilians", 200, "hundreds", "civilians"),
    (
        "Thousands of prisoners were recruited.",
        "Thousands of prisoners",
        2000,
        "thousands",
        "prisoners",
    ),
    (
        "Cases now number in the tens of thousands since the start of the invasion.",
        "tens of thousands",
        20_000,
        "tens of thousands",
        None,
    ),
    (
        "Hundreds of thousands of people left Russia.",
        "Hundreds of thousands of people",
        200_000,
        "hundreds of thousands",
        "people",
    ),
    ("Scores of conscripts refused.", "Scores of conscripts", 40, "scores", "conscripts"),
    ("Several hundred men refused.", "Several hundred men", 300, "several", "men"),
    ("A few thousand troops remain.", "A few thousand troops", 2000, "a few", "troops"),
    ("Several soldiers were detained.", "Several soldiers", 3, "several", "soldiers"),
]


@pytest.mark.parametrize(("text", "phrase", "low", "qualifier", "unit"), VAGUE)
def test_vague_quantities_are_lower_bounds(
    nlp: Language, text: str, phrase: str, low: int, qualifier: str, unit: str | None
) -> None:
    check(
        figure(nlp, text, phrase),
        {"value": None, "min": low, "max": None, "qualifier": qualifier, "unit": unit},
    )


def test_vague_words_alone_are_not_figures(nlp: Language) -> None:
    assert figures(nlp, "He stayed for several days and settled old scores.") == []
    assert figures(nlp, "A few of them spoke to us.") == []


NUMBERS = [
    ("The platoon lost three soldiers.", "three soldiers", 3, "soldiers"),
    ("Our platoon was fifteen people.", "fifteen people", 15, "people"),
    ("Twenty-seven soldiers signed the letter.", "Twenty-seven soldiers", 27, "soldiers"),
    ("A hundred men waited at the checkpoint.", "A hundred men", 100, "men"),
    ("About 1.5 million people applied.", "About 1.5 million people", 1_500_000, "people"),
    ("It confirmed the deaths of 26,950 servicemen.", "26,950 servicemen", 26950, "servicemen"),
    ("Volunteers added 1,740 names in a single day.", "1,740 names", 1740, "names"),
    ("The column covered 12 000 km.", "12 000 km", 12000, "km"),
    ("The army lost 12\u00a0000 men.", "12\u00a0000 men", 12000, "men"),
    ("The army lost 12\u202f000 men.", "12\u202f000 men", 12000, "men"),
    ("Two hundred and fifty men refused.", "Two hundred and fifty men", 250, "men"),
    ("A dozen soldiers deserted.", "A dozen soldiers", 12, "soldiers"),
    ("Half a dozen nurses quit.", "Half a dozen nurses", 6, "nurses"),
    ("The budget grew by 1.5bn rubles.", "1.5bn rubles", 1_500_000_000, "rubles"),
    ("They were offered 200,000 rubles each.", "200,000 rubles", 200_000, "rubles"),
    ("A bribe of $2,000 was paid.", "$2,000", 2000, "USD"),
    ("A bribe of €5,000 was paid.", "€5,000", 5000, "EUR"),
    ("The fee was USD 1,200.", "USD 1,200", 1200, "USD"),
    ("He was promised $2 million.", "$2 million", 2_000_000, "USD"),
    ("Turnout fell to 40% in the region.", "40%", 40, "%"),
    ("Some 40 percent of the unit deserted.", "Some 40 percent", 40, "%"),
    ("Only 40 per cent came back.", "Only 40 per cent", 40, "%"),
]


@pytest.mark.parametrize(("text", "phrase", "value", "unit"), NUMBERS)
def test_numbers_and_units(nlp: Language, text: str, phrase: str, value: int, unit: str) -> None:
    mention = figure(nlp, text, phrase)
    assert (mention.value, mention.unit) == (value, unit)


UNITS = [
    ("More than 1,500 Russian soldiers deserted.", "soldiers"),
    ("Volunteers added 1,740 names in a single day.", "names"),
    ("On several days more than 100 wounded arrived.", "wounded"),
    ("Relatives of at least 430 missing men contacted the group.", "men"),
    ("The battalion lost 40 armoured vehicles.", "vehicles"),
    ("It confirmed 26,950 deaths in eleven southern and central Russian regions.", "deaths"),
    ("At least four of the men died before morning.", "men"),
    ("A 20-kilometre queue formed at the border.", "kilometre"),
    ("A 12,000-strong force gathered near Kupiansk.", "force"),
    ("The exchange freed 230 Ukrainian POWs.", "pows"),
    ("The brigade destroyed 3 T-72 tanks.", "tanks"),
    ("A 30+ recruits deserted.", "recruits"),
]


@pytest.mark.parametrize(("text", "unit"), UNITS)
def test_unit_is_the_counted_noun(nlp: Language, text: str, unit: str) -> None:
    assert figures(nlp, text)[0].unit == unit


def test_figure_without_unit_is_less_confident(nlp: Language) -> None:
    bare = figure(nlp, "Fifteen went forward, three came back.", "Fifteen")
    counted = figure(nlp, "Fifteen soldiers went forward.", "Fifteen soldiers")
    assert bare.unit is None
    assert bare.confidence < counted.confidence


RATIOS = [
    ("Only three of 15 returned.", "Only three of 15", 3, 15, "only", None),
    ("Only three of 15 men returned.", "Only three of 15 men", 3, 15, "only", "men"),
    ("Three of fifteen came back.", "Three of fifteen", 3, 15, "of", None),
    ("Two out of three conscripts deserted.", "Two out of three conscripts", 2, 3, "of", None),
    ("Two of those three were wounded.", "Two of those three", 2, 3, "of", None),
    ("One in five recruits never fired a shot.", "One in five recruits", 1, 5, "of", "recruits"),
]


@pytest.mark.parametrize(("text", "phrase", "value", "total", "qualifier", "unit"), RATIOS)
def test_ratios(
    nlp: Language,
    text: str,
    phrase: str,
    value: int,
    total: int,
    qualifier: str,
    unit: str | None,
) -> None:
    expected: dict[str, Any] = {"value": value, "total": total, "qualifier": qualifier}
    if unit is not None:
        expected["unit"] = unit
    check(figure(nlp, text, phrase), expected)


def test_one_of_many_counts_the_many(nlp: Language) -> None:
    text = "He was one of 600 recruits sent to the Kursk region."
    check(figure(nlp, text, "600 recruits"), {"value": 600, "total": None, "qualifier": None})


def test_qualified_ratio_keeps_its_qualifier(nlp: Language) -> None:
    text = "Avdiivka accounts for at least one in ten confirmations."
    check(
        figure(nlp, text, "at least one in ten confirmations"),
        {"min": 1, "total": 10, "qualifier": "at least", "unit": "confirmations"},
    )


PROPORTIONS = [
    ("Roughly a third of the names are unconfirmed.", "Roughly a third of the names", 1, 3),
    ("Two-thirds of them were mobilised men.", "Two-thirds", 2, 3),
    ("A quarter of the recruits deserted.", "A quarter of the recruits", 1, 4),
    ("Half of the battalion went AWOL.", "Half of the battalion", 1, 2),
    (
        "The department had four surgeons instead of eleven.",
        "four surgeons instead of eleven",
        4,
        11,
    ),
]


@pytest.mark.parametrize(("text", "phrase", "value", "total"), PROPORTIONS)
def test_proportions(nlp: Language, text: str, phrase: str, value: int, total: int) -> None:
    check(figure(nlp, text, phrase), {"value": value, "total": total})


MULTIPLIERS = [
    ("Admissions more than doubled after October.", "more than doubled", None, 2),
    ("Deaths in hospital tripled between September and November.", "tripled", 3, None),
    ("Twice as many cases were opened in 2024.", "Twice", 2, None),
    ("Confirmations were roughly three times the average.", "roughly three times", 3, None),
]


@pytest.mark.parametrize(("text", "phrase", "value", "low"), MULTIPLIERS)
def test_multipliers(
    nlp: Language, text: str, phrase: str, value: int | None, low: int | None
) -> None:
    check(figure(nlp, text, phrase), {"value": value, "min": low, "unit": "times"})


def test_first_half_of_a_year_is_not_a_proportion(nlp: Language) -> None:
    assert figures(nlp, "In the first half of 2023 the group stopped counting.") == []


def test_markdown_bold_does_not_hide_a_figure(nlp: Language) -> None:
    found = figures(nlp, "- **More than 1,500** of them were former prisoners.")
    check(found[0], {"text": "More than 1,500", "min": 1501, "unit": None})
