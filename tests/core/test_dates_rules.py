"""Fuzzy dates, rule by rule: absolute dates, qualifiers, seasons, decades, ranges, open ends."""

from __future__ import annotations

from datetime import date

import pytest

from tests.core.test_dates import check_date, found, one, pairs
from workbench.extraction.dates import parse_date_phrase

D = date


@pytest.mark.parametrize(
    ("text", "phrase", "edtf"),
    [
        ("He crossed the border on May 4, 2024, his lawyer said.", "May 4, 2024", "2024-05-04"),
        ("He crossed the border on 4 May 2024 at dawn.", "4 May 2024", "2024-05-04"),
        ("The detention began on May 4th, 2024, in Astana.", "May 4th, 2024", "2024-05-04"),
        ("Record created 2024-05-04 by the clerk.", "2024-05-04", "2024-05-04"),
        ("Протокол от 04.05.2024 подписан.", "04.05.2024", "2024-05-04"),
        ("Russia invaded on Feb. 24, 2022, from three directions.", "Feb. 24, 2022", "2022-02-24"),
        ("Mobilisation was announced on Sept. 21, 2022.", "Sept. 21, 2022", "2022-09-21"),
        ("The order is dated 21 September 2022.", "21 September 2022", "2022-09-21"),
        ("On the 24th of February 2022 the war began.", "the 24th of February 2022", "2022-02-24"),
        ("It was signed on February 24th, 2023 in Moscow.", "February 24th, 2023", "2023-02-24"),
        ("KHERSON, Nov. 11, 2022 — Ukrainian forces entered.", "Nov. 11, 2022", "2022-11-11"),
        ("The hearing is set for 9 April 2024.", "9 April 2024", "2024-04-09"),
        ("Letter of 17/11/2023 from the ministry.", "17/11/2023", "2023-11-17"),
        ("The decree 2023-11-17T10:00 entered into force.", "2023-11-17", "2023-11-17"),
        ("ON MARCH 2, 2022 THE CITY FELL.", "MARCH 2, 2022", "2022-03-02"),
        ("Valid from 2024/05/04 onwards.", "2024/05/04", "2024-05-04"),
    ],
)
def test_full_dates_are_days(text: str, phrase: str, edtf: str) -> None:
    d = one(text)
    assert (d.text, d.edtf, d.precision) == (phrase, edtf, "day")
    assert d.earliest == d.latest == date.fromisoformat(edtf)
    assert not d.inferred


def test_an_impossible_day_is_not_a_date() -> None:
    assert found("It was dated February 30, 2023 and 31.04.2024.") == []


def test_ambiguous_slash_dates_read_day_first_with_less_confidence() -> None:
    d = one("Order of 04/05/2024 on mobilisation.")
    assert d.edtf == "2024-05-04"
    assert d.confidence < 0.9
    assert one("Memo dated 5/24/2024 was leaked.").edtf == "2024-05-24"


@pytest.mark.parametrize(
    ("text", "phrase", "edtf", "bounds"),
    [
        (
            "Admissions doubled in August 2024.",
            "August 2024",
            "2024-08",
            (D(2024, 8, 1), D(2024, 8, 31)),
        ),
        (
            "It reopened in Aug 2024 after repairs.",
            "Aug 2024",
            "2024-08",
            (D(2024, 8, 1), D(2024, 8, 31)),
        ),
        (
            "He signed a contract in February 2023.",
            "February 2023",
            "2023-02",
            (D(2023, 2, 1), D(2023, 2, 28)),
        ),
        (
            "The visa came in Feb. 2024, finally.",
            "Feb. 2024",
            "2024-02",
            (D(2024, 2, 1), D(2024, 2, 29)),
        ),
        (
            "| November 2023 | 1,516 | 74 | 768",
            "November 2023",
            "2023-11",
            (D(2023, 11, 1), D(2023, 11, 30)),
        ),
        (
            "Since then, in May 2023, things changed.",
            "May 2023",
            "2023-05",
            (D(2023, 5, 1), D(2023, 5, 31)),
        ),
    ],
)
def test_month_and_year_is_a_month_never_a_day(
    text: str, phrase: str, edtf: str, bounds: tuple[date, date]
) -> None:
    d = one(text)
    assert (d.text, d.edtf, d.precision) == (phrase, edtf, "month")
    assert (d.earliest, d.latest) == bounds


@pytest.mark.parametrize(
    ("text", "phrase", "edtf"),
    [
        ("The war in 2023 was a war of attrition.", "2023", "2023"),
        ("In 2023 soldiers were sent to Bakhmut without armour.", "2023", "2023"),
        ("He has lived in Yerevan since 2022.", "2022", "2022"),
        ("The brigade was formed by 2015, officials said.", "2015", "2015"),
        ("He served until 2021 in the navy.", "2021", "2021"),
        ("They were recruited during 2023.", "2023", "2023"),
        ("Talks resumed after 2014.", "2014", "2014"),
        ("The 2022 invasion changed the region.", "2022", "2022"),
        ("The figures cover the whole of 2023.", "2023", "2023"),
        ("They fought throughout 2023.", "2023", "2023"),
        ("She was born in 1985.", "1985", "1985"),
        ("The building dates from the year 1912.", "1912", "1912"),
        ("© 2024 Nordic Frontier News. All rights reserved.", "2024", "2024"),
        ("Copyright 2024 Black Sea Herald.", "2024", "2024"),
        ("The plan for 2025 was approved.", "2025", "2025"),
    ],
)
def test_years_in_a_date_context(text: str, phrase: str, edtf: str) -> None:
    d = one(text)
    assert (d.text, d.edtf) == (phrase, edtf)
    assert d.precision == "year"


@pytest.mark.parametrize(
    "text",
    [
        "Volunteers added 2,000 names in a single day.",
        "The hotline works 24/7 for soldiers and their families.",
        "He served in the 47th Tank Division and later the 272nd Regiment.",
        "Volunteers added 1,740 names, most of them from Rostov.",
        "It was listed as case No. 2023 in the register.",
        "The bribe was $2023, paid in cash.",
        "Call +7 912 2023 4567 or 555-2023 for help.",
        "Some 2023 soldiers were sent forward.",
        "The deaths of 2023 servicemen were confirmed.",
        "He paid 2023 roubles for the papers.",
        "The unit had 1984 men and 300 vehicles.",
        "He was sentenced to 10 years in prison.",
        "Tikhonov, 27, a former lorry driver, said so.",
        "He was 27 years old and aged 27 when he left.",
        "The shelter is a 20-minute walk from the station.",
        "He stayed for three months with relatives.",
        "They worked 12-hour shifts for 24 hours at a time.",
        "The message arrives in a secure chat at 02:14.",
        "Resolution 2231 of the Security Council and law No. 2023-12 apply.",
        "Decree 2024/45 regulates the call-up.",
        "Temperatures of 2023.5 degrees are impossible.",
        "A 2023% rise is impossible too.",
    ],
)
def test_numbers_that_are_not_dates(text: str) -> None:
    assert pairs(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "He may return home if the court agrees.",
        "May I ask you something about the front?",
        "They may 2 or 3 times a week call the office.",
        "A long march through the forest followed.",
        "Protesters planned a march on the ministry.",
        "The March on Kyiv failed, said Saturday's March organisers.",
        "Prices fall when the rouble rises.",
        "After the fall of Bakhmut, the unit moved north.",
        "In the fall of Avdiivka many were captured.",
        "The spring offensive never came, he said.",
        "Water from the spring was all they had.",
        "He told me that day-care was closed.",
        "Cases that fall under the new law are rare.",
        "Jan Novak and Mar Smith wrote the report.",
        "The Mayor of Kherson and the Marshal spoke.",
        "A Christmas tree stood in the ward.",
        "Veterans of the Winter War met in Spring Valley.",
        "He wrote about March and May in his diary.",
        "Between 1990 and 2000 soldiers were killed; from 1500 to 2000 people fled.",
    ],
)
def test_words_that_only_look_like_dates(text: str) -> None:
    assert pairs(text) == []


@pytest.mark.parametrize(
    ("text", "phrase", "edtf"),
    [
        ("The court will rule in May, his lawyer said.", "May", "2024-05"),
        ("He has been in hiding since May.", "May", "2024-05"),
        ("In March the visa was issued.", "March", "2024-03"),
        ("The unit returned by March, officials said.", "March", "2024-03"),
        ("The offensive began in mid-May.", "mid-May", "2024-05-11/2024-05-20"),
        ("The offensive began in late May.", "late May", "2023-05-21/2023-05-31"),
        ("It resumed in early March.", "early March", "2024-03-01/2024-03-10"),
    ],
)
def test_may_and_march_with_a_date_context(text: str, phrase: str, edtf: str) -> None:
    assert pairs(text, D(2024, 5, 20)) == [(phrase, edtf)]


@pytest.mark.parametrize(
    ("text", "phrase", "edtf", "bounds"),
    [
        ("I did my service in the 1990s.", "the 1990s", "199X", (D(1990, 1, 1), D(1999, 12, 31))),
        ("He trained in the 2010s.", "the 2010s", "201X", (D(2010, 1, 1), D(2019, 12, 31))),
        (
            "Back in the '90s it was different.",
            "the '90s",
            "199X",
            (D(1990, 1, 1), D(1999, 12, 31)),
        ),
        (
            "Since the 1990s the plant was idle.",
            "the 1990s",
            "199X",
            (D(1990, 1, 1), D(1999, 12, 31)),
        ),
        ("in the early 2000s", "the early 2000s", "2000/2003", (D(2000, 1, 1), D(2003, 12, 31))),
        ("in the late 1980s", "the late 1980s", "1987/1989", (D(1987, 1, 1), D(1989, 12, 31))),
        ("in the mid-1990s", "the mid-1990s", "1994/1996", (D(1994, 1, 1), D(1996, 12, 31))),
        (
            "Soviet planning of the 20th century",
            "the 20th century",
            "19XX",
            (D(1900, 1, 1), D(1999, 12, 31)),
        ),
        ("in the 1990’s, he said", "the 1990’s", "199X", (D(1990, 1, 1), D(1999, 12, 31))),
    ],
)
def test_decades(text: str, phrase: str, edtf: str, bounds: tuple[date, date | None]) -> None:
    d = one(text)
    assert (d.text, d.edtf) == (phrase, edtf)
    assert (d.earliest, d.latest) == bounds


def test_ages_in_the_nineties_are_not_decades() -> None:
    assert pairs("She is in her 90s and lives alone.") == []


@pytest.mark.parametrize(
    ("text", "phrase", "edtf", "bounds"),
    [
        (
            "Wounded men arrived in the fall of 2022.",
            "the fall of 2022",
            "2022-23",
            (D(2022, 9, 1), D(2022, 11, 30)),
        ),
        ("They left in autumn 2022.", "autumn 2022", "2022-23", (D(2022, 9, 1), D(2022, 11, 30))),
        (
            "It was the summer of 2023.",
            "the summer of 2023",
            "2023-22",
            (D(2023, 6, 1), D(2023, 8, 31)),
        ),
        (
            "Recruitment peaked in summer of 2023.",
            "summer of 2023",
            "2023-22",
            (D(2023, 6, 1), D(2023, 8, 31)),
        ),
        (
            "Spring 2021 brought new call-ups.",
            "Spring 2021",
            "2021-21",
            (D(2021, 3, 1), D(2021, 5, 31)),
        ),
        (
            "Winter 2022 was the coldest.",
            "Winter 2022",
            "2022-24",
            (D(2022, 12, 1), D(2023, 2, 28)),
        ),
        (
            "during the winter of 2023–24",
            "the winter of 2023–24",
            "2023-24",
            (D(2023, 12, 1), D(2024, 2, 29)),
        ),
        (
            "during the winter of 2022/23",
            "the winter of 2022/23",
            "2022-24",
            (D(2022, 12, 1), D(2023, 2, 28)),
        ),
        (
            "in late summer 2023 he deserted",
            "late summer 2023",
            "2023-08~",
            (D(2023, 8, 1), D(2023, 8, 31)),
        ),
        ("in early spring 2022", "early spring 2022", "2022-03~", (D(2022, 3, 1), D(2022, 3, 31))),
        (
            "by the end of the summer of 2023",
            "the end of the summer of 2023",
            "2023-08~",
            (D(2023, 8, 1), D(2023, 8, 31)),
        ),
        ("in mid-winter 2022", "mid-winter 2022", "2023-01~", (D(2023, 1, 1), D(2023, 1, 31))),
    ],
)
def test_seasons(
    text: str, phrase: str, edtf: str, bounds: tuple[date | None, date | None]
) -> None:
    d = one(text)
    assert (d.text, d.edtf) == (phrase, edtf)
    assert (d.earliest, d.latest) == bounds


@pytest.mark.parametrize(
    ("text", "phrase", "edtf", "precision"),
    [
        ("in early March 2024", "early March 2024", "2024-03-01/2024-03-10", "part_of_month"),
        ("in mid-March 2024", "mid-March 2024", "2024-03-11/2024-03-20", "part_of_month"),
        ("in mid March 2024", "mid March 2024", "2024-03-11/2024-03-20", "part_of_month"),
        (
            "in the middle of March 2024",
            "the middle of March 2024",
            "2024-03-11/2024-03-20",
            "part_of_month",
        ),
        ("in late March 2024", "late March 2024", "2024-03-21/2024-03-31", "part_of_month"),
        (
            "at the end of February 2024",
            "the end of February 2024",
            "2024-02-21/2024-02-29",
            "part_of_month",
        ),
        (
            "at the beginning of June 2023",
            "the beginning of June 2023",
            "2023-06-01/2023-06-10",
            "part_of_month",
        ),
        (
            "in the first half of March 2024",
            "the first half of March 2024",
            "2024-03-01/2024-03-15",
            "part_of_month",
        ),
        (
            "in the second week of May 2023",
            "the second week of May 2023",
            "2023-05-08/2023-05-14",
            "part_of_month",
        ),
        (
            "in the last week of April 2023",
            "the last week of April 2023",
            "2023-04-24/2023-04-30",
            "part_of_month",
        ),
        ("in early 2024", "early 2024", "2024-01/2024-04", "range"),
        ("in mid-2024", "mid-2024", "2024-05/2024-08", "range"),
        ("in late 2024", "late 2024", "2024-09/2024-12", "range"),
        ("at the beginning of 2023", "the beginning of 2023", "2023-01/2023-04", "range"),
        ("by the start of 2023 it was over", "the start of 2023", "2023-01/2023-04", "range"),
        ("in the first half of 2023", "the first half of 2023", "2023-01/2023-06", "range"),
        ("in the second half of 2023", "the second half of 2023", "2023-07/2023-12", "range"),
        ("in the first quarter of 2024", "the first quarter of 2024", "2024-01/2024-03", "range"),
        ("deaths rose in Q3 2023", "Q3 2023", "2023-07/2023-09", "range"),
        (
            "Early March 2024 was quiet.",
            "Early March 2024",
            "2024-03-01/2024-03-10",
            "part_of_month",
        ),
    ],
)
def test_qualifiers(text: str, phrase: str, edtf: str, precision: str) -> None:
    d = one(text)
    assert (d.text, d.edtf, d.precision) == (phrase, edtf, precision)


@pytest.mark.parametrize(
    ("text", "phrase", "edtf", "bounds"),
    [
        (
            "He has lived in Tbilisi since 2020.",
            "since 2020",
            "2020/..",
            (D(2020, 1, 1), D(2024, 5, 20)),
        ),
        (
            "Wounded have come since the fall of 2022.",
            "since the fall of 2022",
            "2022-23/..",
            (D(2022, 9, 1), D(2024, 5, 20)),
        ),
        (
            "Not updated since September 2022.",
            "since September 2022",
            "2022-09/..",
            (D(2022, 9, 1), D(2024, 5, 20)),
        ),
        (
            "in hiding since May 4, 2024",
            "since May 4, 2024",
            "2024-05-04/..",
            (D(2024, 5, 4), D(2024, 5, 20)),
        ),
        (
            "Valid until May 2023, the permit lapsed.",
            "until May 2023",
            "../2023-05",
            (None, D(2023, 5, 31)),
        ),
        ("The contract ran till 2021.", "till 2021", "../2021", (None, D(2021, 12, 31))),
        ("They were gone before 2020.", "before 2020", "../2019", (None, D(2019, 12, 31))),
        ("It closed before March 2022.", "before March 2022", "../2022-02", (None, D(2022, 2, 28))),
        (
            "It happened after March 2022.",
            "after March 2022",
            "2022-04/..",
            (D(2022, 4, 1), D(2024, 5, 20)),
        ),
        (
            "Calls rose after the summer of 2023.",
            "after the summer of 2023",
            "2023-23/..",
            (D(2023, 9, 1), D(2024, 5, 20)),
        ),
        ("Apply by May 2023 at the latest.", "by May 2023", "../2023-05", (None, D(2023, 5, 31))),
        (
            "Due no later than 1 June 2024.",
            "no later than 1 June 2024",
            "../2024-06-01",
            (None, D(2024, 6, 1)),
        ),
        ("It was built prior to 1990.", "prior to 1990", "../1989", (None, D(1989, 12, 31))),
        (
            "Surgeons worked until the end of November 2023.",
            "until the end of November 2023",
            "../2023-11",
            (None, D(2023, 11, 30)),
        ),
    ],
)
def test_open_intervals(
    text: str, phrase: str, edtf: str, bounds: tuple[date | None, date | None]
) -> None:
    """A phrase typed by the user keeps its operator; in a text the mention is the date alone
    ("since 2020" -> 2020), as annotators of real articles mark it."""
    d = parse_date_phrase(phrase, D(2024, 5, 20))
    assert d is not None
    check_date(d)
    assert (d.text, d.edtf, d.precision) == (phrase, edtf, "open")
    assert (d.earliest, d.latest) == bounds
    mention = one(text, D(2024, 5, 20))
    assert phrase.endswith(mention.text) and mention.text != phrase
    assert mention.precision != "open" and None not in (mention.earliest, mention.latest)


def test_open_interval_without_a_published_date_has_no_latest() -> None:
    d = parse_date_phrase("since 2020")
    assert d is not None
    assert (d.edtf, d.earliest, d.latest) == ("2020/..", D(2020, 1, 1), None)


@pytest.mark.parametrize(
    ("text", "phrase", "edtf"),
    [
        (
            "Between March and May 2023 the company was used.",
            "March and May 2023",
            "2023-03/2023-05",
        ),
        ("He served 2014–2016 in Crimea.", "2014–2016", "2014/2016"),
        ("He served 2014-2016 in Crimea.", "2014-2016", "2014/2016"),
        ("The trial ran March 3–5, 2024 in Rostov.", "March 3–5, 2024", "2024-03-03/2024-03-05"),
        (
            "Shelling on 12 to 13 June 2023 was heavy.",
            "12 to 13 June 2023",
            "2023-06-12/2023-06-13",
        ),
        ("Shelling on 12–13 June 2023 was heavy.", "12–13 June 2023", "2023-06-12/2023-06-13"),
        (
            "on the night of 12 to 13 June 2023",
            "the night of 12 to 13 June 2023",
            "2023-06-12/2023-06-13",
        ),
        (
            "from May 4 to June 2, 2024 he hid",
            "May 4 to June 2, 2024",
            "2024-05-04/2024-06-02",
        ),
        (
            "from 28 February to 2 March 2024",
            "28 February to 2 March 2024",
            "2024-02-28/2024-03-02",
        ),
        ("From 1 to 3 March 2024 they waited.", "1 to 3 March 2024", "2024-03-01/2024-03-03"),
        ("Admissions July–December 2023 rose.", "July–December 2023", "2023-07/2023-12"),
        ("from December to February 2023", "December to February 2023", "2022-12/2023-02"),
        (
            "from early March to mid-April 2024",
            "early March to mid-April 2024",
            "2024-03-01/2024-04-20",
        ),
        ("in the 2022–23 budget", "2022–23", "2022/2023"),
        (
            "the fall of 2022 – the spring of 2023",
            "the fall of 2022 – the spring of 2023",
            "2022-23/2023-21",
        ),
    ],
)
def test_ranges(text: str, phrase: str, edtf: str) -> None:
    d = one(text)
    assert (d.text, d.edtf, d.precision) == (phrase, edtf, "range")


def test_a_range_is_never_backwards() -> None:
    assert all("/" not in edtf for _, edtf in pairs("from 2016 to 2014, 13–12 June 2023"))


def test_apposition_with_a_spaced_dash_is_not_a_range() -> None:
    text = "It was in the summer of 2023 — July 18, 2023. Then 2021 – 2022 followed."
    assert pairs(text) == [
        ("the summer of 2023", "2023-22"),
        ("July 18, 2023", "2023-07-18"),
        ("2021 – 2022", "2021/2022"),
    ]


def test_lists_share_the_year_written_once() -> None:
    text = "We met in October and November 2023, and in January, February and March 2024."
    assert pairs(text) == [
        ("October", "2023-10"),
        ("November 2023", "2023-11"),
        ("January", "2024-01"),
        ("February", "2024-02"),
        ("March 2024", "2024-03"),
    ]
    assert pairs("in 2022 and 2023, and in 2019, 2020 or 2021") == [
        ("2022", "2022"),
        ("2023", "2023"),
        ("2019", "2019"),
        ("2020", "2020"),
        ("2021", "2021"),
    ]


def test_december_in_a_list_takes_the_year_before() -> None:
    assert pairs("in December and January 2024") == [
        ("December", "2023-12"),
        ("January 2024", "2024-01"),
    ]


@pytest.mark.parametrize(
    ("text", "phrase", "edtf", "bounds"),
    [
        (
            "I was home around New Year's Eve 2023.",
            "around New Year's Eve 2023",
            "2023-12-31~",
            (D(2023, 12, 28), D(2024, 1, 3)),
        ),
        (
            "We met on Christmas Eve 2022.",
            "Christmas Eve 2022",
            "2022-12-24",
            (D(2022, 12, 24), D(2022, 12, 24)),
        ),
        ("around 2020 he left", "around 2020", "2020~", (D(2020, 1, 1), D(2020, 12, 31))),
        ("circa 1990 the plant closed", "circa 1990", "1990~", (D(1990, 1, 1), D(1990, 12, 31))),
        ("about May 2023, he said", "about May 2023", "2023-05~", (D(2023, 5, 1), D(2023, 5, 31))),
        (
            "around 4 May 2024 he crossed",
            "around 4 May 2024",
            "2024-05-04~",
            (D(2024, 5, 1), D(2024, 5, 7)),
        ),
    ],
)
def test_approximate_dates(text: str, phrase: str, edtf: str, bounds: tuple[date, date]) -> None:
    d = one(text)
    assert (d.text, d.edtf) == (phrase, edtf)
    assert (d.earliest, d.latest) == bounds


def test_about_before_a_count_is_not_a_date() -> None:
    assert pairs("about 2000 soldiers and around 1500 civilians") == []


def test_spans_leave_out_the_governing_preposition() -> None:
    text = "on 4 May 2024, in 2023, during 2022, since 2020, by 2025, at the end of March 2024"
    assert [p for p, _ in pairs(text)] == [
        "4 May 2024",
        "2023",
        "2022",
        "2020",
        "2025",
        "the end of March 2024",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "He was held from 12 October 2022 to 3 May 2023 in a cellar.",
            [("12 October 2022", "2022-10-12"), ("3 May 2023", "2023-05-03")],
        ),
        (
            "Recruitment ran between November 2022 and April 2023, the report says.",
            [("November 2022", "2022-11"), ("April 2023", "2023-04")],
        ),
        (
            "She looked for him from the autumn of 2022 to the spring of 2023.",
            [("the autumn of 2022", "2022-23"), ("the spring of 2023", "2023-21")],
        ),
        ("He served from 2014 to 2016 in Crimea.", [("2014", "2014"), ("2016", "2016")]),
        ("between 2014 and March 2016", [("2014", "2014"), ("March 2016", "2016-03")]),
    ],
)
def test_two_complete_dates_joined_by_words_are_two_dates(
    text: str, expected: list[tuple[str, str]]
) -> None:
    """Each end has its own year: two dates, as in "from 3 October 2022 to 12 September 2023"
    read by annotators; a dash or a year written once makes one range."""
    assert pairs(text) == expected
