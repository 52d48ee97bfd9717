"""Figures in Russian text: "более 1500 человек", "от 40 до 50 раненых", "десятки".

The English finder (``figures.py``) reads spaCy's tokens; Russian documents go through
Natasha, so Russian figures are read from the text with the same conventions and the same
qualifier names (so filters and exports treat both languages alike):

* "более/свыше/больше N" -> min N+1, "more than"; "менее/меньше N" -> max N-1, "fewer than";
  "не менее/не меньше/как минимум/минимум/по меньшей мере N" -> min N, "at least";
  "не более/не больше/максимум/до N" -> max N, "up to" ("до" only before a noun of people);
  "около/примерно/приблизительно/порядка/где-то N" -> value N, "about";
  "почти/едва ли не N" -> max N, "nearly"; "от A до B", "A–B" -> min A, max B, "between".
* Numbers: "1500", "1 500" (with a space, no-break or thin space), "4,5 тыс.", "1,2 млн",
  "3 тысячи"; vague quantities are lower bounds, the phrase being the qualifier:
  "десятки" 20, "сотни" 200, "тысячи" 2,000, "десятки/сотни тысяч" 20,000/200,000,
  "несколько десятков/сотен/тысяч" 30/300/3,000.
* A plain number is a figure only before a noun (its unit, as written: "человек",
  "военных"), or with a qualifier, or in a range. Not figures: years ("2023 года", "в 2022
  г."), days beside a month ("21 сентября"), durations and ages ("пять лет", "27 лет",
  "10 дней"), designations ("статья 338", "ИК № 4", "часть 12345", "№ 5"), clock times.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from workbench.extraction.figures import FigureMention

NUMBER = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+(?:,\d+)?"
SCALE = r"(?:тыс(?:\.|яч\w*)|млн\.?|миллион\w*|млрд\.?|миллиард\w*)"
SCALES = {"тыс": 1e3, "млн": 1e6, "мил": 1e6, "млр": 1e9}
QUALIFIERS = {
    "более чем": "more than", "более": "more than", "свыше": "more than", "больше": "more than",
    "менее": "fewer than", "меньше": "fewer than",
    "не менее": "at least", "не меньше": "at least", "как минимум": "at least",
    "минимум": "at least", "по меньшей мере": "at least",
    "не более": "up to", "не больше": "up to", "максимум": "up to", "до": "up to",
    "около": "about", "примерно": "about", "приблизительно": "about", "порядка": "about",
    "где-то": "about", "почти": "nearly", "едва ли не": "nearly",
}  # fmt: skip
VAGUE = {"десятки": 20, "сотни": 200, "тысячи": 2000}
SEVERAL = {"десятков": 30, "сотен": 300, "тысяч": 3000}
NOT_UNITS = re.compile(
    r"(?:год|лет|месяц|недел|дн|день|дня|час|минут|секунд|январ|феврал|март|апрел|ма[яй]|июн|"
    r"июл|август|сентябр|октябр|ноябр|декабр|г\.|гг\.|-?х\b|-?го\b|%?\s*годов)",
    re.IGNORECASE,
)
DESIGNATED = re.compile(r"(?:стать\w*|ст\.|№|част\w*|ИК|ч\.|пункт\w*|п\.|дом|д\.|кв\.)\s*$")
PEOPLE = re.compile(
    r"(?:человек|людей|солдат|военн|мобилизован|заключ[её]нн|осужд[её]нн|погибш|ранен|убит|"
    r"дезертир|срочник|контрактник|бойц|врач|медик|жител|беженц|пленн|участник|семей|"
    r"родственник|сотрудник|заявлени|дел|приговор|обращени)\w*",
    re.IGNORECASE,
)
PAST_VERB = re.compile(r"(?:ли|ла|ло|лся|лись)$")
_QUALIFIER = "|".join(sorted(map(re.escape, QUALIFIERS), key=len, reverse=True))
FIGURE = re.compile(
    rf"(?<![\w.,])(?:(?P<qualifier>{_QUALIFIER})\s+)?"
    rf"(?:от\s+(?P<low>{NUMBER})\s*(?P<low_scale>{SCALE})?\s+до\s+|(?P<dash>{NUMBER})\s*[–—-]\s*)?"
    rf"(?P<number>{NUMBER})\s*(?P<scale>{SCALE})?(?![\w,])"
    rf"(?P<after>\s+[а-яё]+)?",
    re.IGNORECASE,
)
VAGUE_FIGURE = re.compile(
    r"(?<![\w-])(?:(?P<several>несколько)\s+(?P<of>десятков|сотен|тысяч)"
    r"|(?P<vague>[Дд]есятки|[Сс]отни|[Тт]ысячи)(?:\s+(?P<thousands>тысяч))?)"
    r"(?P<after>\s+[а-яё]+)?(?![\w-])"
)


def find_russian_figures(
    text: str, sentences: Sequence[tuple[int, int]], excluded: Sequence[tuple[int, int]] = ()
) -> list[FigureMention]:
    """The figures of a Russian text in text order; ``excluded`` spans (dates) hold none."""
    starts = [s for s, _ in sentences]
    found = []
    for match in FIGURE.finditer(text):
        figure = _figure(text, match)
        if figure is not None:
            found.append(figure)
    for match in VAGUE_FIGURE.finditer(text):
        found.append(_vague(match))
    kept = []
    for start, end, values, unit, qualifier in sorted(found, key=lambda f: f[0]):
        if any(a < end and start < b for a, b in excluded):
            continue
        i = bisect_right(starts, start) - 1
        sentence = sentences[i] if i >= 0 else (start, end)
        low, high, value = values
        kept.append(FigureMention(start, end, text[start:end], value, low, high, unit, qualifier,
                                  None, sentence[0], sentence[1], 0.7))  # fmt: skip
    return kept


Found = tuple[int, int, tuple[float | None, float | None, float | None], str | None, str | None]


def _number(digits: str, scale: str | None) -> float:
    value = float(re.sub(r"[ \u00a0\u202f]", "", digits).replace(",", "."))
    if scale:
        value *= SCALES.get(scale.lower()[:3], 1)
    return value


def _figure(text: str, match: re.Match[str]) -> Found | None:
    """One numeric figure, or None when the number is a year, a day, a duration, an age or a
    designation, or a bare number before no noun."""
    after = (match.group("after") or "").strip()
    tail = text[match.end("number") : match.end("number") + 12]
    if NOT_UNITS.match(tail.strip()) or NOT_UNITS.match(after):
        return None
    if DESIGNATED.search(text[max(0, match.start() - 12) : match.start()]):
        return None
    if re.match(r"[:.]\d", text[match.end("number") : match.end("number") + 2]):
        return None  # a clock time or a numeric date
    qualifier = QUALIFIERS.get((match.group("qualifier") or "").lower())
    unit = after or None
    if unit and PAST_VERB.search(unit) and not PEOPLE.match(unit):
        unit = None  # "3 погибли": a count of people who did something, no unit word
    number = _number(match.group("number"), match.group("scale"))
    start, end = match.start(), match.end("after") if after else match.end("number")
    if match.group("low") or match.group("dash"):
        low = _number(match.group("low") or match.group("dash"), match.group("low_scale"))
        return start, end, (low, number, None), unit, "between"
    if qualifier == "up to" and not (unit and PEOPLE.match(unit)):
        return None  # "до 10" alone: a deadline or a penalty more often than a count
    if qualifier is None and not unit:
        return None
    return start, end, _bounds(number, qualifier, match.group("number")), unit, qualifier


def _bounds(
    number: float, qualifier: str | None, digits: str
) -> tuple[float | None, float | None, float | None]:
    """(min, max, value) by the English finder's conventions."""
    step = 0 if "," in digits else 1
    if qualifier == "more than":
        return number + step, None, None
    if qualifier == "fewer than":
        return None, number - step, None
    if qualifier == "at least":
        return number, None, None
    if qualifier in ("up to", "nearly"):
        return None, number, None
    return None, None, number


def _vague(match: re.Match[str]) -> Found:
    """ "десятки", "сотни тысяч", "несколько сотен": a lower bound."""
    if match.group("several"):
        low = float(SEVERAL[match.group("of")])
        qualifier = f"несколько {match.group('of')}"
    else:
        word = match.group("vague").lower()
        low = float(VAGUE[word]) * (1000 if match.group("thousands") else 1)
        qualifier = word + (" тысяч" if match.group("thousands") else "")
    unit = (match.group("after") or "").strip() or None
    end = match.end("after") if unit else match.end()
    return match.start(), end, (low, None, None), unit, qualifier
