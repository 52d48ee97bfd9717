"""Language detection runs offline on the bundled model."""

from __future__ import annotations

import pytest

from workbench.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Soldiers who deserted from the 47th Tank Division crossed into Kazakhstan in late "
            "March, according to their lawyer.",
            "en",
        ),
        (
            "Солдаты, которые дезертировали из 47-й танковой дивизии, пересекли границу с "
            "Казахстаном в конце марта.",
            "ru",
        ),
        (
            "Солдати, які дезертирували з 47-ї танкової дивізії, перетнули кордон з Казахстаном "
            "наприкінці березня.",
            "uk",
        ),
    ],
)
def test_detects_languages_offline(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_mixed_text_takes_the_main_language() -> None:
    english = "The surgeon said she treated dozens of wounded soldiers every night. " * 40
    text = english + "«Я не хотел воевать», — написал он. " + english
    assert detect_language(text) == "en"


@pytest.mark.parametrize("text", ["", "12 13 14 2,000 24/7", "🙂🙂🙂", "ok"])
def test_too_little_text_gives_none(text: str) -> None:
    assert detect_language(text) is None
