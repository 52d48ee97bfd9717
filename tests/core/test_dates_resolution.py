"""Fuzzy dates without a written year: the published date, the paragraph, the previous date."""

from __future__ import annotations

from datetime import date

import pytest

from tests.core.test_dates import found, one, pairs

D = date


@pytest.mark.parametrize(
    ("text", "published", "edtf"),
    [
        ("On Feb. 24, Russian troops crossed the border.", D(2022, 3, 10), "2022-02-24"),
        ("On Feb. 24, volunteers added 1,740 names.", D(2024, 4, 15), "2024-02-24"),
        ("He was wounded in late March.", D(2024, 5, 20), "2024-03-21/2024-03-31"),
        ("She left the hospital in December.", D(2024, 2, 12), "2023-12"),
        ("She left the hospital in December.", D(2024, 12, 5), "2024-12"),
        ("She left the hospital in December.", D(2024, 11, 30), "2023-12"),
        ("On January 2 I took a train.", D(2024, 2, 12), "2024-01-02"),
        ("On January 2 I took a train.", D(2024, 1, 1), "2023-01-02"),
        ("He returned on December 31.", D(2024, 1, 3), "2023-12-31"),
        ("He returned on December 31.", D(2023, 12, 31), "2023-12-31"),
        ("My turn came in mid-December.", D(2024, 1, 5), "2023-12-11/2023-12-20"),
        ("It started in mid-January.", D(2024, 1, 5), "2023-01-11/2023-01-20"),
        ("It started in early January.", D(2024, 1, 5), "2024-01-01/2024-01-10"),
        ("He stayed through the winter.", D(2023, 11, 10), "2022-24"),
        ("He stayed through the winter.", D(2024, 1, 10), "2023-24"),
        ("In the autumn mobilised men got leave.", D(2024, 2, 12), "2023-23"),
        ("Throughout the summer, dozens passed through.", D(2023, 11, 8), "2023-22"),
        ("She moved to Zaporizhzhia in the spring.", D(2023, 11, 10), "2023-21"),
        ("I was home around New Year’s Eve.", D(2024, 2, 12), "2023-12-31~"),
        ("We celebrated Christmas at the front.", D(2024, 2, 12), None),
        ("We celebrated at Christmas at the front.", D(2024, 2, 12), "2023-12-25"),
    ],
)
def test_year_less_dates_take_the_latest_year_not_after_publication(
    text: str, published: date, edtf: str | None
) -> None:
    mentions = found(text, published)
    if edtf is None:
        assert mentions == []
        return
    assert len(mentions) == 1
    d = mentions[0].date
    assert d.edtf == edtf
    assert d.inferred
    assert d.confidence <= 0.7
    assert d.earliest is not None and d.earliest <= published


@pytest.mark.parametrize(
    ("text", "published", "edtf"),
    [
        ("A court was expected to rule by September.", D(2024, 5, 20), "2024-09"),
        ("By September, Yelena had handed in her resignation.", D(2023, 11, 8), "2023-09"),
        ("He would decide by the end of September.", D(2024, 9, 3), "2024-09-21/2024-09-30"),
        ("The permit is valid until March.", D(2024, 1, 15), "2024-03"),
        ("The permit is valid until March.", D(2024, 11, 15), "2025-03"),
        ("Before October we were a busy hospital.", D(2024, 1, 22), "2023-10"),
        ("After October we were a sorting station.", D(2024, 1, 22), "2023-10"),
        ("Wards full since October.", D(2024, 1, 22), "2023-10"),
    ],
)
def test_deadlines_take_the_nearest_occurrence(text: str, published: date, edtf: str) -> None:
    """ "by", "until" and "before" may look ahead; the mention is the date without the word."""
    d = one(text, published)
    assert d.edtf == edtf
    assert d.text.split()[0].lower() not in ("by", "until", "before", "after", "since")
    assert d.inferred


@pytest.mark.parametrize(
    ("text", "published", "edtf"),
    [
        ("Last August, at the end of a leave, he did not return.", D(2024, 9, 3), "2024-08"),
        ("Last August, at the end of a leave, he did not return.", D(2024, 12, 3), "2024-08"),
        ("Last August, at the end of a leave, he did not return.", D(2024, 8, 20), "2023-08"),
        ("last March the visa was issued", D(2024, 3, 10), "2023-03"),
        ("this March the visa was issued", D(2024, 3, 10), "2024-03"),
        ("next March the visa will be issued", D(2024, 3, 10), "2025-03"),
        ("last summer he was wounded", D(2024, 9, 3), "2024-22"),
        ("last summer he was wounded", D(2024, 8, 20), "2023-22"),
        ("this winter is hard", D(2024, 1, 20), "2023-24"),
        ("last winter was hard", D(2024, 1, 20), "2022-24"),
    ],
)
def test_last_this_next(text: str, published: date, edtf: str) -> None:
    d = one(text, published)
    assert d.edtf == edtf
    assert d.text.split()[0].lower() in ("last", "this", "next")


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        ("On Feb. 24, troops crossed the border.", "XXXX-02-24"),
        ("He was wounded in late March.", "XXXX-03-21/XXXX-03-31"),
        ("She left the hospital in December.", "XXXX-12"),
        ("He stayed through the winter.", "XXXX-12/XXXX-02"),
        ("in late summer he deserted", "XXXX-08"),
        ("between March and May the company attacked", "XXXX-03/XXXX-05"),
        ("I was home around New Year’s Eve.", "XXXX-12-31"),
    ],
)
def test_without_a_published_date_the_year_stays_unspecified(text: str, edtf: str) -> None:
    d = one(text)
    assert d.edtf == edtf
    assert d.earliest is None and d.latest is None
    assert d.confidence <= 0.3


def test_undated_open_intervals_keep_the_date_and_drop_the_operator() -> None:
    assert pairs("He has been in hiding since May.") == [("May", "XXXX-05")]


def test_a_written_year_in_the_paragraph_beats_the_published_date() -> None:
    text = (
        "The summons came on September 26, 2022. Three days later we were at a training "
        "ground, and by November we were in trenches."
    )
    assert pairs(text, D(2024, 2, 12)) == [
        ("September 26, 2022", "2022-09-26"),
        ("Three days later", "2022-09-29"),
        ("November", "2022-11"),
    ]


def test_the_paragraph_year_does_not_cross_a_paragraph_break() -> None:
    text = "Units have fought there since the summer of 2022.\n\nHe was wounded in mid-January."
    assert pairs(text, D(2024, 5, 20))[-1] == ("mid-January", "2024-01-11/2024-01-20")


def test_the_paragraph_year_without_a_published_date() -> None:
    text = "He crossed on May 4, 2024. A court released him on May 8."
    assert pairs(text) == [("May 4, 2024", "2024-05-04"), ("May 8", "2024-05-08")]


def test_a_flashback_in_the_paragraph_goes_back_in_time() -> None:
    text = "He crossed on May 4, 2024, after he had been wounded in late March."
    assert pairs(text)[-1] == ("late March", "2024-03-21/2024-03-31")


def test_a_decade_or_a_bare_year_sets_no_paragraph_year() -> None:
    text = "I served in the 2010s and was called up in 2022. In November I was in a trench."
    assert pairs(text, D(2024, 2, 12))[-1] == ("November", "2023-11")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "On May 4, 2024 he crossed. Two days later he was detained. A week later he was "
            "released.",
            [
                ("May 4, 2024", "2024-05-04"),
                ("Two days later", "2024-05-06"),
                ("A week later", "2024-05-11"),
            ],
        ),
        (
            "He was wounded on May 21, 2023. The next day he was evacuated; that night he slept.",
            [
                ("May 21, 2023", "2023-05-21"),
                ("The next day", "2023-05-22"),
                ("that night", "2023-05-21"),
            ],
        ),
        (
            "The vote was on 3 March 2024. A day later he left, and three weeks later he arrived.",
            [
                ("3 March 2024", "2024-03-03"),
                ("A day later", "2024-03-04"),
                ("three weeks later", "2024-03-24"),
            ],
        ),
        (
            "On 3 March 2024 the order came. Two days earlier he had been warned.",
            [("3 March 2024", "2024-03-03"), ("Two days earlier", "2024-03-01")],
        ),
        (
            "On 3 March 2024 the order came. The day before, he had been warned.",
            [("3 March 2024", "2024-03-03"), ("The day before", "2024-03-02")],
        ),
        (
            "On 3 March 2024 the order came; the same day he left.",
            [("3 March 2024", "2024-03-03"), ("the same day", "2024-03-03")],
        ),
        (
            "On 3 March 2024 the order came. The following week he left.",
            [("3 March 2024", "2024-03-03"), ("The following week", "2024-03-04/2024-03-10")],
        ),
        (
            "On 3 March 2024 the order came. The following month he left.",
            [("3 March 2024", "2024-03-03"), ("The following month", "2024-04")],
        ),
        (
            "On 3 March 2024 the order came. Later that month he left.",
            [("3 March 2024", "2024-03-03"), ("Later that month", "2024-03-04/2024-03-31")],
        ),
        (
            "He was mobilised in March 2023. A month later he was at the front.",
            [("March 2023", "2023-03"), ("A month later", "2023-04~")],
        ),
        (
            "It was announced on September 21, 2022. A year later the queues were gone.",
            [("September 21, 2022", "2022-09-21"), ("A year later", "2023-09-21~")],
        ),
        (
            "Mobilised in 2022, the previous year he had been a driver.",
            [("2022", "2022"), ("the previous year", "2021")],
        ),
    ],
)
def test_relative_dates_count_from_the_previous_date(
    text: str, expected: list[tuple[str, str]]
) -> None:
    mentions = found(text, D(2024, 6, 1))
    assert [(m.date.text, m.date.edtf) for m in mentions] == expected
    for m in mentions[1:]:
        assert m.date.inferred
        assert m.date.confidence <= 0.5


def test_vague_relative_dates_have_wide_bounds() -> None:
    d = found("On 3 March 2024 he left. Weeks later he wrote to us.")[-1].date
    assert (d.text, d.earliest, d.latest) == ("Weeks later", D(2024, 3, 10), D(2024, 4, 28))
    assert d.precision == "range"
    assert d.confidence < 0.5
    d = found("On 3 March 2024 he left. A few days later he wrote to us.")[-1].date
    assert (d.earliest, d.latest) == (D(2024, 3, 4), D(2024, 3, 13))


def test_a_month_later_is_approximate() -> None:
    d = found("On January 2, 2024 I took a train. A month later a case was opened.")[-1].date
    assert d.edtf == "2024-02-02~"
    assert (d.earliest, d.latest) == (D(2024, 1, 26), D(2024, 2, 9))


def test_relative_dates_without_an_anchor_are_skipped() -> None:
    assert pairs("Two days later he was detained. The next day he was released.") == []


def test_relative_dates_skip_coarse_or_distant_anchors() -> None:
    text = "He served in the 2010s. Three days later he was gone."
    assert pairs(text) == [("the 2010s", "201X")]
    far = "On May 4, 2024 he left." + " Nothing happened." * 60 + " Two days later he wrote."
    assert [p for p, _ in pairs(far)] == ["May 4, 2024"]


def test_relative_dates_count_from_the_last_fine_date_not_a_relative_one() -> None:
    text = (
        "The summons came on September 26, 2022. I had served in the 2010s. "
        "Three days later we were at a training ground. Two days later we left."
    )
    assert pairs(text)[2:] == [("Three days later", "2022-09-29"), ("Two days later", "2022-09-28")]


def test_relative_dates_after_publication_are_dropped() -> None:
    text = "He crossed on May 18, 2024. Three weeks later he was in a dugout."
    assert [p for p, _ in pairs(text, D(2024, 5, 20))] == ["May 18, 2024"]


@pytest.mark.parametrize(
    ("text", "phrase", "edtf"),
    [
        ("He was detained yesterday, police said.", "yesterday", "2024-05-19"),
        ("The ruling is expected today.", "today", "2024-05-20"),
        ("He arrived the day before yesterday.", "the day before yesterday", "2024-05-18"),
        ("The court will sit tomorrow.", "tomorrow", "2024-05-21"),
        ("He was released last week.", "last week", "2024-05-13/2024-05-19"),
        ("A hearing is set for next week.", "next week", "2024-05-27/2024-06-02"),
        ("He arrived this year.", "this year", "2024"),
        ("He arrived last year.", "last year", "2023"),
        ("They will return next year.", "next year", "2025"),
        ("He arrived last month.", "last month", "2024-04"),
        ("Deaths rose earlier this year.", "earlier this year", "2024-01-01/2024-05-19"),
        ("A decision is due later this month.", "later this month", "2024-05-21/2024-05-31"),
        ("Deaths from the past six months rose.", "the past six months", "2023-11-20/2024-05-20"),
        ("Over the past year he hid.", "the past year", "2023-05-20/2024-05-20"),
        ("He was detained two weeks ago.", "two weeks ago", "2024-05-06"),
        ("He fled a year ago.", "a year ago", "2023-05-20~"),
        ("He called last night.", "last night", "2024-05-19"),
        ("He was detained this morning.", "this morning", "2024-05-20"),
        ("He was detained on Friday, police said.", "Friday", "2024-05-17"),
        ("He was detained on Monday, police said.", "Monday", "2024-05-20"),
        ("He was detained last Monday, police said.", "last Monday", "2024-05-13"),
        ("He will be tried next Friday.", "next Friday", "2024-05-24"),
        (
            "A decision is expected by the end of the year.",
            "the end of the year",
            "2024-09/2024-12",
        ),
        ("It happened at the end of last year.", "the end of last year", "2023-09/2023-12"),
    ],
)
def test_dates_relative_to_the_published_date(text: str, phrase: str, edtf: str) -> None:
    d = one(text, D(2024, 5, 20))  # a Monday
    assert (d.text, d.edtf) == (phrase, edtf)
    assert d.inferred


def test_published_relative_dates_need_a_published_date() -> None:
    assert pairs("He was detained yesterday and released last week, on Friday.") == []


def test_weekday_before_a_full_date_is_not_resolved_twice() -> None:
    assert pairs("On Friday, May 17, 2024 he was detained.", D(2024, 5, 20)) == [
        ("Friday, May 17, 2024", "2024-05-17")
    ]


def test_last_week_of_a_month_is_not_the_week_before_publication() -> None:
    assert pairs("in the last week of April 2024", D(2024, 5, 20)) == [
        ("the last week of April 2024", "2024-04-24/2024-04-30")
    ]
