"""A long testimony that extraction reads in pieces, and what a project file holds of it."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

# The blank line falls only before the relative date: every piece but the first starts with
# "Two days later", which counts from the date just before the piece. Figures all differ.
PAIR = (
    "Sergeant Ivan Petrov of the 47th Tank Division said the unit left Kharkiv on May {day}, "
    "2024, and that {n} men had deserted by then, his mother Olena Petrova wrote.\n\n"
    "Two days later Petrov crossed into Kazakhstan with {m} other soldiers.\n"
)


def long_text(chars: int) -> str:
    """About ``chars`` characters of testimony in pairs of paragraphs."""
    parts, size, n = [], 0, 0
    while size < chars:
        part = PAIR.format(day=n % 27 + 1, n=100 + n, m=100_000 + n)
        parts.append(part)
        size += len(part)
        n += 1
    return "".join(parts)


def stored(path: Path) -> Counter[tuple[object, ...]]:
    """The records a project file holds with their dates and passages, and the links between
    them by label: comparable across projects and runs."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        records = {
            rid: (kind, label, edtf)
            for rid, kind, label, edtf in db.execute(
                "SELECT r.id, c.name, r.label, r.date_edtf FROM records r "
                "JOIN codes c ON c.id = r.type_id"
            )
        }
        passages: dict[int, list[tuple[int, int, int]]] = {}
        for rid, doc, start, end in db.execute(
            'SELECT e.record_id, a.document_id, a.start, a."end" FROM evidence e '
            "JOIN annotations a ON a.id = e.annotation_id"
        ):
            passages.setdefault(rid, []).append((doc, start, end))
        state: Counter[tuple[object, ...]] = Counter(
            (*records[rid], tuple(sorted(spans))) for rid, spans in passages.items()
        )
        for source, target, role in db.execute(
            "SELECT source_id, target_id, role FROM record_links"
        ):
            first = min(passages[source])
            state[("link", records[source], records[target], role, first)] += 1
    return state


def pieces_stored(path: Path, doc_id: int) -> list[tuple[int, int]]:
    """The pieces of a document whose suggestions a project file holds, in the order stored."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT json_extract(detail, '$.piece[0]'), json_extract(detail, '$.piece[1]') "
            "FROM audit_log WHERE action = 'extraction.run' AND entity_id = ? ORDER BY id",
            (doc_id,),
        )
        return [(int(a), int(b)) for a, b in rows if a is not None]


def duplicated_passages(path: Path) -> int:
    """How many passages of the same code and span a project file holds more than once."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return int(
            db.execute(
                "SELECT count(*) FROM (SELECT 1 FROM annotations "
                'GROUP BY document_id, start, "end", code_id HAVING count(*) > 1)'
            ).fetchone()[0]
        )
