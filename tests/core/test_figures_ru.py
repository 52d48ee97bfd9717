"""Russian figures, read with the English finder's conventions and qualifier names."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import import_text
from workbench.extraction.figures_ru import find_russian_figures
from workbench.project import Project


def _figures(text: str) -> list[tuple[str, float | None, float | None, float | None, str | None]]:
    found = find_russian_figures(text, [(0, len(text))])
    for figure in found:
        assert text[figure.start : figure.end] == figure.text  # code points, past emoji
    return [(f.text, f.value, f.min, f.max, f.qualifier) for f in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("🙂 Более 1500 человек ушли.", ("Более 1500 человек", None, 1501, None, "more than")),
        ("свыше 2 000 военных", ("свыше 2 000 военных", None, 2001, None, "more than")),
        ("менее 30 врачей", ("менее 30 врачей", None, None, 29, "fewer than")),
        ("не менее 12 дел", ("не менее 12 дел", None, 12, None, "at least")),
        ("до 40 заключенных", ("до 40 заключенных", None, None, 40, "up to")),
        ("около 4,5 тыс. военных", ("около 4,5 тыс. военных", 4500, None, None, "about")),
        ("почти 300 мобилизованных", ("почти 300 мобилизованных", None, None, 300, "nearly")),
        ("от 40 до 50 раненых", ("от 40 до 50 раненых", None, 40, 50, "between")),
        ("40–50 раненых", ("40–50 раненых", None, 40, 50, "between")),
        ("десятки погибших", ("десятки погибших", None, 20, None, "десятки")),
        ("сотни тысяч беженцев", ("сотни тысяч беженцев", None, 200_000, None, "сотни тысяч")),
        ("несколько сотен бойцов", ("несколько сотен бойцов", None, 300, None,
                                   "несколько сотен")),
        ("1,2 млн человек", ("1,2 млн человек", 1_200_000, None, None, None)),
        ("2 076 дел о самовольном оставлении", ("2 076 дел", 2076, None, None, None)),
    ],
)  # fmt: skip
def test_figures(text: str, expected: tuple[str, float, float, float, str]) -> None:
    assert _figures(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "21 сентября 2022 года", "в 2023 году", "в 2022 г.", "Ему 27 лет.", "дали пять лет",
        "за 10 дней", "статья 338", "ИК № 4", "войсковая часть 12345", "в 17:30",
        "до 10 лет колонии", "19.07.2023", "в 2010-х",
    ],
)  # fmt: skip
def test_not_figures(text: str) -> None:
    assert _figures(text) == []


def test_russian_documents_get_figure_records(project: Project, tmp_path: Path) -> None:
    text = "🙂 За год более 1500 человек отказались воевать, 21 сентября 2022 года — десятки.\n"
    doc_id = import_text(project, tmp_path, "ru.txt", text, language="ru").id
    project.extraction.run([doc_id])
    figures = {r.label: r.fields for r in project.records.list(type_name="figure")}
    assert figures["более 1500 человек"]["min"] == 1501
    assert figures["десятки"]["min"] == 20
    assert not any("2022" in label or label.startswith("21") for label in figures)
    project.extraction.run([doc_id])  # a re-run adds none
    assert len(project.records.list(type_name="figure")) == len(figures)
