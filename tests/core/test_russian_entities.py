"""People, places and organisations in Russian documents, named in their dictionary form,
with spans in code points of the stored text, and no download of anything."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from tests.conftest import import_text
from workbench.domain import RecordInfo
from workbench.extraction.russian import parse_russian
from workbench.project import Project
from workbench.storage.models import Annotation

TEXT = (
    "🙂 Москва — Как сообщил Сергей Петров, в начале марта полковник Андрей Смирнов "
    "отказался ехать на Украину. Позже Андрея Смирнова задержали в Казани сотрудники "
    "Федеральной службы безопасности. По словам Смирнова, в Министерстве обороны России "
    "об этом знали.\n"
)


def _records(project: Project, type_name: str) -> dict[str, RecordInfo]:
    return {r.label: r for r in project.records.list(type_name=type_name)}


def test_russian_names_are_found_in_their_dictionary_form(project: Project, tmp_path: Path) -> None:
    doc_id = import_text(project, tmp_path, "ru.txt", TEXT, language="ru").id
    report = project.extraction.run([doc_id])
    assert not any("skipped" in note for _, note in report.notes)
    people = _records(project, "person")
    assert {"Сергей Петров", "Андрей Смирнов"} <= set(people)
    assert "Андрея Смирнова" not in people  # one person, whatever the case
    places = _records(project, "place")
    assert {"Москва", "Украина", "Казань"} <= set(places)
    organisations = " ".join(_records(project, "organization"))
    assert "Федеральн" in organisations
    stored = project.documents.text(doc_id)
    with project.session() as session:
        passages = session.scalars(select(Annotation).where(Annotation.document_id == doc_id))
        quotes = {(a.start, a.end, a.quote) for a in passages}
    assert quotes
    for start, end, quote in quotes:
        assert stored[start:end] == quote  # code points, past the emoji
    assert {"Андрея Смирнова", "Смирнова", "Украину"} <= {quote for _, _, quote in quotes}


def test_nothing_is_downloaded_to_read_russian() -> None:
    """The models load and tag with every network connection refused."""
    code = (
        "import socket\n"
        "def refuse(*args, **kwargs):\n"
        "    raise OSError('network used')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from workbench.extraction.russian import parse_russian\n"
        "found = parse_russian([(0, 'Владимир Путин прилетел в Минск.')])\n"
        "print(sorted((m.kind, m.name) for m in found.mentions))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120)  # fmt: skip
    assert "('person', 'Владимир Путин')" in done.stdout
    assert "('place', 'Минск')" in done.stdout


def _russian(text: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {"person": set(), "place": set(), "organization": set()}
    for mention in parse_russian([(0, text)]).mentions:
        found[mention.kind].add(mention.name)
        assert text[mention.start : mention.end] == mention.text
    return found


def test_listed_organisations_are_found_in_any_case() -> None:
    found = _russian(
        "ДОКЛАД О ПОТЕРЯХ В РЕГИОНЕ\nАнна Петрова|Мария Иванова\n"
        "С «Медиазоной» связались родственники. Позже министерство обороны России "
        "отказалось отвечать, а в здании музея Ивана Крылова прошла встреча. Был холод.\n"
    )
    assert {"Медиазона", "Министерство обороны России"} <= found["organization"]
    assert "музея Ивана Крылова" in found["organization"]
    assert "Иван Крылов" not in found["person"]  # the museum is named after him
    assert "Мария Иванова" in found["person"]  # a byline kept, and cut where its line ends
    assert not any("Медиазон" in name for name in found["person"])
    assert not any("ДОКЛАД" in name or "Холод" in name for name in found["organization"])


def test_numbered_units_and_no_symbols_as_names() -> None:
    found = _russian("Его отправили в войсковую часть 12345 🙂, а позже в в/ч 54321.\n")
    assert "войсковая часть 12345" in found["organization"]
    assert "войсковая часть 54321" in found["organization"]
    assert all(any(ch.isalpha() for ch in name) for names in found.values() for name in names)


def test_names_the_ner_leaves_inflected_or_runs_together() -> None:
    found = _russian(
        "Издание «Окраина» поговорило с Ольгой Петренко и Денисом Вороновым. Позже "
        "редакции «Окраины» ответили из Кременную. С Вороновым Петренко больше не "
        "разговаривала.\n"
    )
    assert "Окраины" not in found["organization"] and "Кременная" in found["place"]
    assert {"Воронов", "Петренко"} <= found["person"]
    assert not any(" " in name and "Воронов" in name and "Петренко" in name
                   for name in found["person"])  # fmt: skip
