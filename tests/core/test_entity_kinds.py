"""The kinds of error real articles showed in people, places and organisations, each with a
sentence of our own: page furniture, credits, glued words, titles run into names, outlets
and platforms, descriptions, places known by their context, one kind per name."""

from __future__ import annotations

import pytest

from workbench.extraction.pipeline import DocumentInput, Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _names(extractor: Extractor, text: str) -> dict[str, set[str]]:
    """Labels by type for an English text."""
    result = next(extractor.extract(iter([DocumentInput(text, None, "en")])))
    found: dict[str, set[str]] = {"person": set(), "place": set(), "organization": set()}
    for suggestion in result.suggestions:
        if suggestion.type in found:
            found[suggestion.type].add(suggestion.label)
            for start, end in suggestion.spans:  # offsets stay those of the stored text
                assert text[start:end].strip()
    return found


def test_words_glued_by_a_web_page_are_read_apart(extractor: Extractor) -> None:
    found = _names(extractor, (
        "Soldiers who refuse to fight\n\nOlena KovalchukThursday, 6 April 2023, 09:15\n\n"
        "A protest outside the court in KazanGetty Images\n\n"
        "Scroll to read moreUkraine has asked for the men to be returned. 🙂\n"
    ))  # fmt: skip
    assert "Olena Kovalchuk" in found["person"]
    assert "Kazan" in found["place"] and "Ukraine" in found["place"]
    assert "Getty Images" in found["organization"]
    assert not any("Scroll" in label for labels in found.values() for label in labels)


def test_a_photo_credit_names_a_photographer_and_agencies(extractor: Extractor) -> None:
    found = _names(extractor, (
        "Recruits at a training ground near Rostov, Friday, May 5, 2023. "
        "(Pavel Orlovsky/Kommersant/AFP)\n\nThis story was first published by Radio Free "
        "Europe/Radio Liberty.\n"
    ))  # fmt: skip
    assert "Pavel Orlovsky" in found["person"]
    assert {"Kommersant", "AFP", "Radio Free Europe/Radio Liberty"} <= found["organization"]
    assert not any("/" in label for label in found["person"])


def test_headings_are_not_people_but_bylines_are(extractor: Extractor) -> None:
    found = _names(extractor, (
        "Leaving the Front Behind\n\nBy Marta Hlibko, Kyiv Ledger\n\n"
        "The men crossed the border at night, the lawyer Ruslan Tkach said.\n\n"
        "Aftermath\n\nTkach said the case would go to court.\n"
    ))  # fmt: skip
    assert {"Marta Hlibko", "Ruslan Tkach"} <= found["person"]
    assert not {"Leaving the Front Behind", "Aftermath"} & found["person"]


def test_a_title_or_a_body_before_a_name_is_not_part_of_it(extractor: Extractor) -> None:
    found = _names(extractor, (
        "Last spring, Deputy Chairman of the Security Council Dmitry Medvedev, who oversees "
        "recruitment, visited Omsk. Moscow Correspondent Irina Belova reported the visit.\n"
    ))  # fmt: skip
    assert "Dmitry Medvedev" in found["person"]
    assert "Security Council" in found["organization"]
    assert not any("Council" in label or "Correspondent" in label for label in found["person"])


def test_outlets_and_platforms_are_organisations(extractor: Extractor) -> None:
    found = _names(extractor, (
        "Mediazona counted the verdicts, and Meduza later told the BBC that the figures were "
        "shared on a Telegram channel and on YouTube.\n"
    ))  # fmt: skip
    assert {"Mediazona", "Meduza", "BBC", "Telegram", "YouTube"} <= found["organization"]
    assert not found["person"]


def test_currencies_lone_heads_and_descriptions_are_not_organisations(
    extractor: Extractor,
) -> None:
    found = _names(extractor, (
        "The lari rose against Dollar and Euro. The paper asked the Department for figures, "
        "and the Finnish government declined to comment. A Kostroma military court jailed "
        "him.\n"
    ))  # fmt: skip
    assert not {"Dollar", "Euro", "Department", "Finnish government"} & found["organization"]
    assert not any("court" in label for label in found["organization"])
    assert "Kostroma" in found["place"]


def test_places_known_by_the_words_around_them(extractor: Extractor) -> None:
    found = _names(extractor, (
        "Volunteers were trained at two sites — Kamyshlovka in the Penza Oblast and "
        "Ozerki in the Tver Oblast. Kamyshlovka, which officers praise, is small. Later he was "
        "held in the town of Verkhny Lug.\n"
    ))  # fmt: skip
    assert {"Kamyshlovka", "Ozerki", "Verkhny Lug"} <= found["place"]
    assert not {"Kamyshlovka", "Ozerki"} & found["organization"]


def test_military_districts_and_garrisons_are_units(extractor: Extractor) -> None:
    found = _names(extractor, (
        "He was sent back to the southern military district and held by the 214th military "
        "garrison until March.\n"
    ))  # fmt: skip
    labels = {label.lower() for label in found["organization"]}
    assert "southern military district" in labels
    assert "214th military garrison" in labels


def test_numbered_units_and_a_body_with_a_place_before_a_name(extractor: Extractor) -> None:
    found = _names(extractor, (
        "He served in Military Unit No. 12345, then in military unit 54321. Deputy Chairman "
        "of the Kursk Regional Duma Gennady Rybakov said so, and Dilyara Safina agreed.\n"
    ))  # fmt: skip
    assert {"Military Unit No. 12345", "military unit 54321"} <= found["organization"]
    assert "Kursk Regional Duma" in found["organization"]
    assert {"Gennady Rybakov", "Dilyara Safina"} <= found["person"]
