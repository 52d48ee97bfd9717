"""Fuzzy dates: the phrasing of testimony and news reports, found and normalised to EDTF."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from edtf import parse_edtf, struct_time_to_date

from workbench.extraction.dates import DateMention, FuzzyDate, find_dates

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "sample"
PRECISIONS = {"day", "month", "season", "part_of_month", "year", "decade", "range", "open"}


def check(text: str, mentions: list[DateMention]) -> None:
    """The invariants every result keeps: offsets, order, bounds, valid EDTF."""
    end = -1
    for m in mentions:
        assert m.start >= end, "mentions overlap or are out of order"
        end = m.end
        assert text[m.start : m.end] == m.date.text
        assert m.date.text == m.date.text.strip()
        check_date(m.date)


def check_date(d: FuzzyDate) -> None:
    """One normalised date: EDTF that the `edtf` package parses, bounds in order."""
    parsed = parse_edtf(d.edtf)
    assert parsed is not None, d.edtf
    assert d.precision in PRECISIONS
    assert 0 < d.confidence <= 1
    if d.earliest is not None and d.latest is not None:
        assert d.earliest <= d.latest
    if d.earliest is None and d.latest is None:
        assert "XXXX" in d.edtf or d.edtf.startswith("..")
    # Where the edtf package can compute bounds itself, they agree with ours (our winter runs
    # to the end of February; the package's stops at 31 December).
    closed = ".." not in d.edtf and "~" not in d.edtf and "X" not in d.edtf[:4]
    if closed and not d.edtf.endswith("-24") and d.earliest is not None:
        assert struct_time_to_date(parsed.lower_strict()) == d.earliest, d.edtf
        assert struct_time_to_date(parsed.upper_strict()) == d.latest, d.edtf


def found(
    text: str, published: date | None = None, language: str | None = None
) -> list[DateMention]:
    """find_dates, with the invariants checked."""
    mentions = find_dates(text, published, language)
    check(text, mentions)
    return mentions


def one(text: str, published: date | None = None) -> FuzzyDate:
    """The only date in a text."""
    mentions = found(text, published)
    assert len(mentions) == 1, [m.date.text for m in mentions]
    return mentions[0].date


def pairs(text: str, published: date | None = None) -> list[tuple[str, str]]:
    """(phrase, EDTF) of every date in a text."""
    return [(m.date.text, m.date.edtf) for m in found(text, published)]


# Typical phrasing of the bundled sample corpus, each with its document's published date.
SAMPLE_PHRASING = [
    (
        "Roman Tikhonov crossed into Kazakhstan on May 4, 2024, according to his lawyer.",
        date(2024, 5, 20),
        [("May 4, 2024", "2024-05-04")],
    ),
    (
        "He signed a contract with the Russian Defense Ministry in early 2023.",
        date(2024, 5, 20),
        [("early 2023", "2023-01/2023-04")],
    ),
    (
        "He was sent to the Kharkiv region in the summer of 2023.",
        date(2024, 5, 20),
        [("the summer of 2023", "2023-22")],
    ),
    (
        "Units of the division have fought on the Kupiansk axis since the fall of 2022.",
        date(2024, 5, 20),
        [("the fall of 2022", "2022-23")],
    ),
    (
        "He was wounded by shrapnel in mid-January and evacuated to Rostov-on-Don.",
        date(2024, 5, 20),
        [("mid-January", "2024-01-11/2024-01-20")],
    ),
    (
        "In late March, when a medical board declared him fit, he left the hospital.",
        date(2024, 5, 20),
        [("late March", "2024-03-21/2024-03-31")],
    ),
    (
        "A court in Astana was expected to rule on the extradition request by September.",
        date(2024, 5, 20),
        [("September", "2024-09")],
    ),
    (
        "The summons came on September 26, 2022, to my office.",
        date(2024, 2, 12),
        [("September 26, 2022", "2022-09-26")],
    ),
    (
        "I had done my conscript service in the 2010s, as a radio operator.",
        date(2024, 2, 12),
        [("the 2010s", "201X")],
    ),
    (
        "It was in the summer of 2023 — July 18, 2023. Our platoon was fifteen people.",
        date(2024, 2, 12),
        [("the summer of 2023", "2023-22"), ("July 18, 2023", "2023-07-18")],
    ),
    (
        "My turn came in mid-December. I was home around New Year’s Eve.",
        date(2024, 2, 12),
        [("mid-December", "2023-12-11/2023-12-20"), ("around New Year’s Eve", "2023-12-31~")],
    ),
    (
        "On January 2 I took a train to Vladikavkaz.",
        date(2024, 2, 12),
        [("January 2", "2024-01-02")],
    ),
    (
        "The worst night, she said, was the night of 12 to 13 June 2023, after heavy shelling.",
        date(2023, 11, 8),
        [("the night of 12 to 13 June 2023", "2023-06-12/2023-06-13")],
    ),
    (
        "In the spring of 2023, she said, the Chief Physician called the surgical staff.",
        date(2023, 11, 8),
        [("the spring of 2023", "2023-21")],
    ),
    (
        "She spoke to the Borderland Post in October, shortly after leaving the region.",
        date(2023, 11, 8),
        [("October", "2023-10")],
    ),
    (
        "The Defense Ministry has not updated its official death toll since September 2022.",
        date(2023, 11, 8),
        [("September 2022", "2022-09")],
    ),
    (
        "- **26,950** deaths confirmed by name as of March 31, 2024.",
        date(2024, 4, 15),
        [("March 31, 2024", "2024-03-31")],
    ),
    (
        "Between March and May 2023, during the battle for Bakhmut, confirmations tripled.",
        date(2024, 4, 15),
        [("March and May 2023", "2023-03/2023-05")],
    ),
    (
        "On Feb. 24, the second anniversary of the full-scale invasion, volunteers added "
        "1,740 names in a single day.",
        date(2024, 4, 15),
        [
            ("Feb. 24", "2024-02-24"),
            ("the second anniversary of the full-scale invasion", "2024-02-24"),
        ],
    ),
    (
        "Prisoners recruited in 2022 and 2023 are the hardest group to document.",
        date(2024, 4, 15),
        [("2022", "2022"), ("2023", "2023")],
    ),
    (
        "Last August, at the end of a ten-day leave, he did not get on the train.",
        date(2024, 9, 3),
        [("Last August", "2024-08")],
    ),
    (
        "Dovhaniuk was mobilised in February 2023 and assigned to the 163rd Battalion.",
        date(2024, 9, 3),
        [("February 2023", "2023-02")],
    ),
    (
        "Dovhaniuk said he would decide by the end of September whether to report back.",
        date(2024, 9, 3),
        [("the end of September", "2024-09-21/2024-09-30")],
    ),
    (
        "The group has advised conscripts on alternative civilian service since 2020.",
        date(2023, 10, 25),
        [("2020", "2020")],
    ),
    (
        "He left his unit in late August and crossed Upper Lars in mid-October.",
        date(2023, 10, 25),
        [("late August", "2023-08-21/2023-08-31"), ("mid-October", "2023-10-11/2023-10-20")],
    ),
    (
        "Requests from contract soldiers have grown since the spring, Pavel said.",
        date(2023, 10, 25),
        [("the spring", "2023-21")],
    ),
    (
        "In the winter of 2022–23 his brigade was sent into repeated assaults on Vuhledar.",
        date(2024, 3, 11),
        [("the winter of 2022–23", "2022-24")],
    ),
    (
        "In late summer he refused to return to the front after a second leave.",
        date(2024, 3, 11),
        [("late summer", "2023-08~")],
    ),
    (
        "He trained at a military medical academy in the 2010s and was recalled in the autumn "
        "of 2022.",
        date(2024, 1, 22),
        [("the 2010s", "201X"), ("the autumn of 2022", "2022-23")],
    ),
    (
        "Hospital admissions in Donetsk, July to December 2023",
        date(2024, 1, 22),
        [("July to December 2023", "2023-07/2023-12")],
    ),
    (
        "Deaths in hospital more than tripled between September and November.",
        date(2024, 1, 22),
        [("September and November", "2023-09/2023-11")],
    ),
    (
        "| October 2023 | 1,384 | 61 | 702",
        date(2024, 1, 22),
        [("October 2023", "2023-10")],
    ),
    (
        "A decision is expected by the end of the year.",
        date(2024, 6, 28),
        [("the end of the year", "2024-09/2024-12")],
    ),
    (
        "He applied for asylum in Lithuania on April 9, 2024, the day he arrived in Vilnius.",
        date(2024, 6, 28),
        [("April 9, 2024", "2024-04-09")],
    ),
    (
        "By her estimate, about 200 wounded Russian servicemen passed through her department "
        "between May and November 2022.",
        date(2023, 11, 10),
        [("May and November 2022", "2022-05/2022-11")],
    ),
    (
        "Russian forces captured Kherson on March 2, 2022. Horbenko, 48, stayed.",
        date(2023, 11, 10),
        [("March 2, 2022", "2022-03-02")],
    ),
    (
        "Published 10 November 2023",
        date(2023, 11, 10),
        [("10 November 2023", "2023-11-10")],
    ),
]


@pytest.mark.parametrize(("text", "published", "expected"), SAMPLE_PHRASING)
def test_sample_phrasing(text: str, published: date, expected: list[tuple[str, str]]) -> None:
    assert pairs(text, published) == expected


def test_the_sample_relative_chain_resolves_against_the_previous_date() -> None:
    text = (
        "Roman Tikhonov crossed into Kazakhstan on May 4, 2024. Two days later he was detained "
        "at a hostel in Astana. A court released him on May 8 under an obligation not to leave."
    )
    assert pairs(text, date(2024, 5, 20)) == [
        ("May 4, 2024", "2024-05-04"),
        ("Two days later", "2024-05-06"),
        ("May 8", "2024-05-08"),
    ]


def test_bounds_of_a_sample_mention() -> None:
    d = one("In late March, he left the hospital.", date(2024, 5, 20))
    assert (d.earliest, d.latest) == (date(2024, 3, 21), date(2024, 3, 31))
    assert d.precision == "part_of_month"
    assert d.inferred
    assert d.confidence < 0.9


def _sample_texts() -> list[tuple[str, str, date, str]]:
    manifest = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
    out = []
    for entry in manifest:
        path = SAMPLES / entry["file"]
        if path.suffix not in (".txt", ".md"):
            path = SAMPLES / "src" / (path.stem + ".txt")
        if path.exists():
            text = path.read_text(encoding="utf-8")
            published = date.fromisoformat(entry["published"])
            out.append((entry["file"], text, published, entry["language"]))
    return out


@pytest.mark.parametrize(("name", "text", "published", "language"), _sample_texts())
def test_sample_documents_keep_the_invariants(
    name: str, text: str, published: date, language: str
) -> None:
    with_date = found(text, published, language)
    without = found(text, language=language)
    assert with_date, name
    # Without a published date year-less phrases stay unresolved but are still found.
    assert len(without) >= len([m for m in with_date if not m.date.inferred])


def test_sample_document_dates_are_found_in_full() -> None:
    text = (SAMPLES / "01_contract_soldier_kazakhstan.txt").read_text(encoding="utf-8")
    phrases = [m.date.text for m in found(text, date(2024, 5, 20))]
    assert phrases == [
        "May 20, 2024",
        "May 4, 2024",
        "Two days later",
        "May 8",
        "early 2023",
        "the summer of 2023",
        "the fall of 2022",
        "mid-January",
        "late March",
        "April",
        "September",
    ]


@pytest.mark.parametrize(
    "name", ["11_refuser_and_military_doctor_ru.txt", "12_medic_listed_dead_as_missing.txt"]
)
def test_the_russian_report_and_the_web_page_are_dated_as_their_gold_says(name: str) -> None:
    """Russian cases, seasons, a range and the invasion as anchor; a byline date glued to its
    author, a weekday before the published day and "7th March" on a copied web page."""
    manifest = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
    entry = next(e for e in manifest if e["file"] == name)
    gold = json.loads((SAMPLES / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    text = (SAMPLES / name).read_text(encoding="utf-8")
    mentions = found(text, date.fromisoformat(entry["published"]), entry["language"])
    got = {(m.date.text, str(m.date.earliest), str(m.date.latest)) for m in mentions}
    assert got == {(d["text"], d["earliest"], d["latest"]) for d in gold["dates"]}


def test_the_public_types_are_frozen() -> None:
    d = one("on 4 May 2024")
    with pytest.raises(AttributeError):
        d.edtf = "2024"  # type: ignore[misc]
    assert FuzzyDate("x", "2024", date(2024, 1, 1), date(2024, 12, 31), "year").confidence == 0.9
    assert not FuzzyDate("x", "2024", None, None, "year").inferred


def test_empty_and_dateless_texts() -> None:
    assert find_dates("") == []
    assert find_dates("No dates here, only 1,740 names and 26,950 deaths.") == []
