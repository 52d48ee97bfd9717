"""Dates as news reports and testimonies write them: weekdays, parts of months, day-first dates,
phrases counted from the previous date or from a known event, and what is not a date."""

from __future__ import annotations

from datetime import date

import pytest

from tests.core.test_dates import found, one, pairs

D = date
THURSDAY = D(2023, 11, 9)


# early / mid / late are thirds of a month (1-10, 11-20, 21-end) or of a year
THIRDS = [
    ("The recruits left in mid-June.", "mid-June", D(2023, 6, 11), D(2023, 6, 20)),
    (
        "By the end of January the camp was empty.",
        "the end of January",
        D(2024, 1, 21),
        D(2024, 1, 31),
    ),
    (
        "At the beginning of May the camp opened.",
        "the beginning of May",
        D(2023, 5, 1),
        D(2023, 5, 10),
    ),
    (
        "Early in 2023 the unit was wounded twice.",
        "Early in 2023",
        D(2023, 1, 1),
        D(2023, 4, 30),
    ),
    ("The plan failed late in the year.", "late in the year", D(2023, 9, 1), D(2023, 12, 31)),
]


# the invasion began on 24 February 2022; mobilisation was announced on 21 September 2022
KNOWN_EVENTS = [
    (
        "He was called up on the first day of the war.",
        "the first day of the war",
        D(2022, 2, 24),
        D(2022, 2, 24),
    ),
    (
        "He fled two days after mobilisation was announced.",
        "two days after mobilisation was announced",
        D(2022, 9, 23),
        D(2022, 9, 23),
    ),
    (
        "Two weeks into the war, he deserted.",
        "Two weeks into the war",
        D(2022, 3, 10),
        D(2022, 3, 10),
    ),
    (
        "On the first anniversary of the invasion, pickets were banned.",
        "the first anniversary of the invasion",
        D(2023, 2, 24),
        D(2023, 2, 24),
    ),
    (
        "The first 100 days of the war were the deadliest.",
        "The first 100 days of the war",
        D(2022, 2, 24),
        D(2022, 6, 3),
    ),
    (
        "Just weeks before the invasion, he signed a contract.",
        "Just weeks before the invasion",
        D(2021, 12, 30),
        D(2022, 2, 17),
    ),
]


# meteorological seasons; half-years
SEASONS_AND_HALVES = [
    ("This fall the number of cases doubled.", "This fall", D(2023, 9, 1), D(2023, 11, 30)),
    (
        "In the summer of 2023 the camp grew.",
        "the summer of 2023",
        D(2023, 6, 1),
        D(2023, 8, 31),
    ),
    (
        "In the first half of 2023 the courts heard 2,000 cases.",
        "the first half of 2023",
        D(2023, 1, 1),
        D(2023, 6, 30),
    ),
    (
        "The figures for the first six months of 2023 show a rise.",
        "the first six months of 2023",
        D(2023, 1, 1),
        D(2023, 6, 30),
    ),
]


def bounds(
    text: str, published: date | None = THURSDAY
) -> list[tuple[str, date | None, date | None]]:
    """(phrase, earliest, latest) of every date in a text."""
    return [(m.date.text, m.date.earliest, m.date.latest) for m in found(text, published)]


@pytest.mark.parametrize(
    ("text", "phrase", "day"),
    [
        ("The tribunal ruled on Tuesday that he must stay.", "Tuesday", D(2023, 11, 7)),
        ("He was stopped at the border last Tuesday.", "last Tuesday", D(2023, 11, 7)),
        ("As of Wednesday, no charge had been brought.", "Wednesday", D(2023, 11, 8)),
        ("Police named him in a statement on Saturday.", "Saturday", D(2023, 11, 4)),
        ("The hearing was held on Thursday.", "Thursday", THURSDAY),
    ],
)
def test_weekdays_count_back_from_the_published_date(text: str, phrase: str, day: date) -> None:
    assert bounds(text) == [(phrase, day, day)]


def test_a_weekday_before_a_full_date_belongs_to_it() -> None:
    assert pairs("Kyiv, Saturday, March 5, 2022. Troops dug in.") == [
        ("Saturday, March 5, 2022", "2022-03-05")
    ]
    assert pairs("By Anna KovalMonday, 20 March 2023, 09:15") == [
        ("Monday, 20 March 2023", "2023-03-20")
    ]


@pytest.mark.parametrize(
    ("text", "phrase", "first", "last"), THIRDS + KNOWN_EVENTS + SEASONS_AND_HALVES
)
def test_phrase_and_bounds(text: str, phrase: str, first: date, last: date) -> None:
    """Parts of months and years, dates told by known events, seasons and half-years."""
    assert bounds(text) == [(phrase, first, last)]


@pytest.mark.parametrize(
    ("text", "phrase", "edtf"),
    [
        ("She flew out on 7th March with her son.", "7th March", "2023-03-07"),
        ("The verdict came on 3 June 2023 in Rostov.", "3 June 2023", "2023-06-03"),
        ("He called on the 7th of March.", "the 7th of March", "2023-03-07"),
        ("They met again on 3rd June, 2023.", "3rd June, 2023", "2023-06-03"),
    ],
)
def test_day_first_dates(text: str, phrase: str, edtf: str) -> None:
    assert pairs(text, THURSDAY) == [(phrase, edtf)]


@pytest.mark.parametrize(
    ("text", "phrase", "edtf"),
    [
        ("He died on 4 June last year near the river.", "4 June last year", "2022-06-04"),
        ("In November last year the court asked for files.", "November last year", "2022-11"),
        ("The list was changed on 14 November last year.", "14 November last year", "2022-11-14"),
        ("In May of this year the camp closed.", "May of this year", "2023-05"),
    ],
)
def test_a_date_with_last_year_takes_that_year(text: str, phrase: str, edtf: str) -> None:
    assert pairs(text, THURSDAY) == [(phrase, edtf)]


def test_month_years_are_not_stretched_to_the_published_date() -> None:
    text = "Prices have risen since March 2022, and the data stop before 2015."
    assert bounds(text) == [
        ("March 2022", D(2022, 3, 1), D(2022, 3, 31)),
        ("2015", D(2015, 1, 1), D(2015, 12, 31)),
    ]


def test_two_month_years_in_one_sentence_stay_two() -> None:
    text = "He was drafted in October 2022 and served until May 2023, when he fled."
    assert pairs(text) == [("October 2022", "2022-10"), ("May 2023", "2023-05")]
    assert pairs("He hid from October 2022 to May 2023.") == [
        ("October 2022", "2022-10"),
        ("May 2023", "2023-05"),
    ]


@pytest.mark.parametrize(
    ("text", "phrase", "first", "last"),
    [
        (
            "He was buried on 12 April 2022. Almost a year later, his sister was told.",
            "Almost a year later",
            D(2023, 2, 12),
            D(2023, 4, 12),
        ),
        (
            "The call came on 4 June 2023, and they would leave in a few days.",
            "in a few days",
            D(2023, 6, 5),
            D(2023, 6, 14),
        ),
        (
            "He was detained on 3 March 2023 and released after 10 days.",
            "after 10 days",
            D(2023, 3, 13),
            D(2023, 3, 13),
        ),
        (
            "He signed on 1 March 2023. Just weeks before, he had been in a colony.",
            "Just weeks before",
            D(2023, 1, 4),
            D(2023, 2, 22),
        ),
        (
            "The unit arrived on 2 March 2023. The same month, three men ran.",
            "The same month",
            D(2023, 3, 1),
            D(2023, 3, 31),
        ),
    ],
)
def test_relatives_count_from_the_previous_date(
    text: str, phrase: str, first: date, last: date
) -> None:
    assert bounds(text)[-1] == (phrase, first, last)


def test_a_vague_relative_ends_by_the_next_date() -> None:
    text = (
        "She last heard from him on 3 July 2023. Several days later his phone went dead. "
        "On 10 July he was listed as missing."
    )
    assert bounds(text)[1] == ("Several days later", D(2023, 7, 5), D(2023, 7, 10))


def test_a_vague_relative_ends_by_the_published_date() -> None:
    text = "He crossed on 2 November 2023. Several days later he reached Astana."
    assert bounds(text)[1] == ("Several days later", D(2023, 11, 4), THURSDAY)


def test_counting_back_from_the_published_date() -> None:
    assert bounds("The campaign began just over 500 days ago.") == [
        ("just over 500 days ago", D(2022, 4, 5), D(2022, 6, 27))
    ]


def test_this_week_runs_from_monday_to_the_published_date() -> None:
    assert bounds("This week a court in Moscow jailed a deserter.") == [
        ("This week", D(2023, 11, 6), THURSDAY)
    ]


def test_before_christmas_runs_from_the_previous_date() -> None:
    text = "He was arrested on 6 December. Before Christmas, he was flown to Moscow."
    published = D(2023, 12, 20)
    assert bounds(text, published)[-1] == ("Before Christmas", D(2023, 12, 6), published)
    alone = one("Before Christmas, he was flown to Moscow.", published)
    assert (alone.earliest, alone.latest) == (D(2023, 11, 20), published)


@pytest.mark.parametrize(
    "text",
    [
        "He has served for two years and spent six months in a pit.",
        "The soldier, 34, left at 17:30.",
        "Since the start of the war thousands have fled. Now he lives in Tbilisi.",
        "In recent months the courts have grown stricter.",
        "In almost three years, the fund has paid for 90 lawyers.",
        "For the first time in two years, the court published its data.",
        "A man with that wound was back at his unit in a week.",
        "After months of shelling, the town fell.",
        "He was released after 10 days.",
        "“We left yesterday,” he said.",
        "I might be shot today, she wrote.",
        "Today, the hospital treats 200 men a day.",
        "Every Friday the mothers gather outside the office.",
        "In a cell the day before yesterday, at the front yesterday, free today.",
    ],
)
def test_durations_ages_times_and_unanchored_words_are_not_dates(text: str) -> None:
    assert pairs(text, THURSDAY) == []


def test_the_published_day_is_today_in_the_reporters_past_tense() -> None:
    assert pairs("The report was released today by the ministry.", THURSDAY) == [
        ("today", "2023-11-09")
    ]
