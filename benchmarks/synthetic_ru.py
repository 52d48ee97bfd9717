"""Synthetic testimony-like Russian texts for benchmarks (deterministic for a given seed)."""

from __future__ import annotations

import random

from benchmarks.synthetic import document

PEOPLE = ["Алексей Жиляев", "Иван Петров", "Ольга Марченко", "Дмитрий Орлов", "Мария Сидоренко"]
PLACES = ["из Белгорода", "из Ростова-на-Дону", "из Курской области", "из Москвы", "из Херсона"]
UNITS = ["47-й танковой дивизии", "Министерства обороны России", "отряда «Шторм Z»", "ФСБ"]
DATES = ["21 сентября 2023 года", "в конце июля", "осенью 2022 года", "летом", "в марте 2024 года"]
FIGURES = ["более 1500 человек", "от 40 до 50 раненых", "десятки дезертиров", "около 200 бойцов"]


def sentence(rng: random.Random) -> str:
    """One plausible Russian sentence with a person, a place, a unit, a date and a figure."""
    text = (
        f"{rng.choice(PEOPLE)} рассказал, что {rng.choice(DATES)} уехал {rng.choice(PLACES)} "
        f"вместе с бойцами {rng.choice(UNITS)}"
    )
    if rng.random() < 0.5:
        text += f"; по его словам, там было {rng.choice(FIGURES)}"
    return text + "."


def document_ru(seed: int, size: int = 20_000) -> str:
    """A Russian text of about ``size`` characters in paragraphs of 3–6 sentences."""
    return document(seed, size, sentence)
