"""A document's headline and published date, read from its opening lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import import_text
from workbench.importers.headline import headline, published_date
from workbench.project import Project
from workbench.services.documents import ImportOptions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "\n\nDeserter detained at the border\n\nA soldier was held.\n",
            "Deserter detained at the border",
        ),
        (
            "Врачей заставили лечить раненых 🙂\nТекст статьи.\n",
            "Врачей заставили лечить раненых 🙂",
        ),
        (
            "‘We had no choice’: medics speak\nThe medics said…\n",
            "‘We had no choice’: medics speak",
        ),
        ("  Two   spaces\tinside  \n\nBody.\n", "Two spaces inside"),
        ("A sentence that ends like one.\nMore text.\n", None),  # a paragraph, not a headline
        ("A paragraph wrapped by hand goes\non in lower case on the next line.\n", None),
        ("x" * 201 + "\n", None),
        ("\n \n", None),
    ],
)
def test_a_headline_is_a_short_first_line_that_is_not_a_sentence(
    text: str, expected: str | None
) -> None:
    assert headline(text) == expected


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        ("Headline\n\n11 April 2023\nBody text.", date(2023, 4, 11)),
        ("Headline\nAnna SmithMonday, 13 February 2023, 17:30\n", date(2023, 2, 13)),
        ("Headline\nBy Jo Bloggs · Oct. 12, 2024\n", date(2024, 10, 12)),
        ("Headline\n21st September 2023, 11:20\n", date(2023, 9, 21)),
        (
            "Headline\n(20.12.2023) Uncertainty is spreading " + "among exiles " * 10,
            date(2023, 12, 20),
        ),
        ("Заголовок\n\n19.07.2023\n\nТекст.", date(2023, 7, 19)),
        ("Заголовок\nИван Петров, 21 сентября 2023 г.\n", date(2023, 9, 21)),
        ("Заголовок\n3 мая 2022\n", date(2022, 5, 3)),
        ("Headline\n2024-01-31 08:00 UTC\n", date(2024, 1, 31)),
    ],
)
def test_the_published_date_comes_from_a_dateline_or_byline(opening: str, expected: date) -> None:
    assert published_date(opening) == expected


@pytest.mark.parametrize(
    "opening",
    [
        "Headline\n\nThe decrees are dated by 6 July 2022.\n",  # a sentence mentions a date
        "Headline\nOn 6 December 2023 he was arrested by military police and taken away "
        "to a prison far from the border where his family could not reach him.\n",
        "Headline\nIdite Lesom, October 2023\n",  # a month: no day is invented
        "Headline\nOn December 14, a court sentenced him.\n",  # no year
        "Headline\n31 February 2023\n",  # no such day
        "Headline\n" + "Line\n" * 6 + "11 April 2023\n",  # too far down
    ],
)
def test_no_published_date_is_guessed(opening: str) -> None:
    assert published_date(opening) is None


def test_import_takes_the_headline_and_the_dateline(project: Project, tmp_path: Path) -> None:
    text = "Medics forced to treat the wounded\n\n11 April 2023\n\nOn Tuesday, March 10, …\n"
    info = import_text(project, tmp_path, "000_bafe5eccc2718724.txt", text)
    assert (info.title, info.published) == ("Medics forced to treat the wounded", "2023-04-11")


def test_import_options_win_over_what_the_text_says(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Headline\n\n11 April 2023\n\nBody.\n", encoding="utf-8")
    given = ImportOptions(published="2023-05-01", title="Mine", outlet="Radio")
    info, _ = project.documents.import_file(path, given)
    assert (info.title, info.published, info.outlet) == ("Mine", "2023-05-01", "Radio")
    other = tmp_path / "b.txt"
    other.write_text("Headline two\n\n12 April 2023\n\nBody.\n", encoding="utf-8")
    info, _ = project.documents.import_file(other, ImportOptions(detect_published=False))
    assert info.published is None
