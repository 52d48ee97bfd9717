"""Properties of the date normaliser: any text, any published date, either grammar.

Whatever the text, ``find_dates`` returns mentions inside it, in order and apart, each with
bounds in order and an EDTF value the ``edtf`` package reads, and ``parse_date_phrase`` a date
of the same kind or None; neither raises. Texts are random, or sentences of the sample corpus
with their numbers changed (years 0 and 99999, days 0 and 40, amounts of a million), against
published dates that reach the ends of the calendar.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path

from edtf import parse_edtf
from hypothesis import example, given
from hypothesis import strategies as st

from tests.core.properties import budget
from workbench.extraction.dates import DateMention, FuzzyDate, find_dates, parse_date_phrase

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"
LANGUAGES = st.sampled_from([None, "en", "ru", "uk"])
# Any date, and more often the first and last years of the calendar, where arithmetic ends.
PUBLISHED = (
    st.none()
    | st.dates()
    | st.dates(max_value=date(30, 12, 31))
    | st.dates(min_value=date(9970, 1, 1))
    | st.sampled_from([date(1, 1, 1), date(9999, 12, 31), date(2024, 2, 29)])
)
NUMBER = st.integers(0, 40) | st.integers(0, 10**7) | st.sampled_from([0, 1, 999, 9999, 10000])


@cache
def _sentences() -> list[str]:
    """The sentences and headings of the sample's texts (English and Russian)."""
    found: list[str] = []
    for path in sorted(SAMPLE.glob("*.txt")) + sorted(SAMPLE.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        found += [s for s in re.split(r"(?<=[.!?\n])\s+", text) if s.strip()]
    return found


@st.composite
def _renumbered(draw: st.DrawFn) -> str:
    """A few sample sentences in a row, some of their numbers replaced by others."""
    text = " ".join(draw(st.lists(st.sampled_from(_sentences()), min_size=1, max_size=4)))
    return re.sub(r"\d+", lambda m: str(draw(NUMBER)) if draw(st.booleans()) else m[0], text)


def _check_date(found: FuzzyDate) -> None:
    parse_edtf(found.edtf)
    if found.earliest is not None and found.latest is not None:
        assert found.earliest <= found.latest, found
    assert 0 <= found.confidence <= 1


def _check_mentions(text: str, mentions: list[DateMention]) -> None:
    end = 0
    for mention in mentions:
        assert end <= mention.start < mention.end <= len(text), mention
        assert text[mention.start : mention.end] == mention.date.text
        _check_date(mention.date)
        end = mention.end


@budget(150)
@given(text=st.text(max_size=200), published=PUBLISHED, language=LANGUAGES)
def test_any_text_gives_well_formed_mentions(
    text: str, published: date | None, language: str | None
) -> None:
    _check_mentions(text, find_dates(text, published, language))


@budget(150)
@given(text=_renumbered(), published=PUBLISHED, language=LANGUAGES)
@example("On 3 May 9999 he left; a year later he came back.", None, None)
@example("Around New Year's Eve.", date(9999, 12, 31), None)
@example("He left just over 500 days ago.", date(1, 6, 1), None)
@example("Ровно год назад, 21 сентября 2022 года, всё началось.", date(1, 1, 1), "ru")
def test_sample_sentences_with_any_numbers_give_well_formed_mentions(
    text: str, published: date | None, language: str | None
) -> None:
    """Counting past the calendar's first or last day drops the date instead of raising."""
    mentions = find_dates(text, published, language)
    _check_mentions(text, mentions)
    for mention in mentions[:3]:  # the phrase typed into the record editor
        phrase = mention.date.text
        parsed = parse_date_phrase(phrase, published, None, language)
        if parsed is not None:
            _check_date(parsed)
            assert parsed.text == phrase.strip()


@budget(150)
@given(
    phrase=st.text(max_size=40) | _renumbered().map(lambda text: text[:60]),
    published=PUBLISHED,
    anchor=st.none() | st.sampled_from(["May 2022", "4 May 2024", "1990s", "2022-24", "9999"]),
    language=LANGUAGES,
)
def test_any_typed_phrase_gives_a_well_formed_date_or_none(
    phrase: str, published: date | None, anchor: str | None, language: str | None
) -> None:
    base = parse_date_phrase(anchor) if anchor is not None else None
    parsed = parse_date_phrase(phrase, published, base, language)
    if parsed is not None:
        _check_date(parsed)
        assert parsed.text == phrase.strip()


_EN = "He left on 3 May 2022. Then, {amount} {unit} {after}, he came back."
_RU = "Он уехал 3 мая 2022 года. {amount} {unit} {after} он вернулся."
_AFTER = ["later", "earlier", "ago", "into the war", "after the invasion", "of war"]
_AFTER += ["before mobilisation was announced"]
_FIGURES = NUMBER.map(str) | NUMBER.map("{:,}".format) | st.floats(0, 99).map("{:.1f}".format)


@budget(100)
@given(
    amount=_FIGURES,
    unit=st.sampled_from(["days", "weeks", "months", "years"]),
    after=st.sampled_from(_AFTER),
    published=PUBLISHED,
)
@example(amount="10000", unit="days", after="later", published=None)
@example(amount="9,999", unit="years", after="into the war", published=None)
@example(amount="1.5", unit="years", after="later", published=None)
def test_an_amount_in_figures_is_never_left_out_of_its_date(
    amount: str, unit: str, after: str, published: date | None
) -> None:
    """ "10000 days later" is no vague "days later", "9,999 years" no 999 years: a mention that
    takes the unit takes the whole number too, or there is none."""
    _check_amount(_EN.format(amount=amount, unit=unit, after=after), amount, published, None)


@budget(60)
@given(
    amount=_FIGURES.map(lambda figures: figures.replace(",", " ")),
    unit=st.sampled_from(["дней", "недель", "месяцев", "лет"]),
    after=st.sampled_from(["спустя", "назад", "после вторжения"]),
    published=PUBLISHED,
)
@example(amount="2 000", unit="дней", after="спустя", published=None)
@example(amount="20000", unit="лет", after="назад", published=date(2024, 1, 1))
def test_a_russian_amount_in_figures_is_never_left_out_of_its_date(
    amount: str, unit: str, after: str, published: date | None
) -> None:
    """Russian groups thousands with a space: "2 000 дней спустя" is 2,000 days, never 0."""
    _check_amount(_RU.format(amount=amount, unit=unit, after=after), amount, published, "ru")


def _check_amount(text: str, amount: str, published: date | None, language: str | None) -> None:
    number = text.index(f" {amount} ") + 1
    unit = number + len(amount) + 1
    mentions = find_dates(text, published, language)
    _check_mentions(text, mentions)
    for mention in mentions:
        if mention.start <= unit < mention.end:
            assert mention.start <= number, (text, mention)
