"""Extraction quality against hand-checked gold: on the sample corpus, and on real published
articles (``../shared/real-dev/``, read from there, never copied into the project).

Usage: python benchmarks/extract_quality.py [--verbose] [--real [DIR]] [--part tune|held-out|all]
Prints precision and recall per type and the share of found dates whose bounds are exact.
Gold: resources/sample/gold/*.json (format in resources/sample/gold/README.md); for the real
articles DIR/gold.json (format in DIR/README.md), scored per language as distinct names per
document: a gold entity is found when a record of its type has a passage overlapping one of
its mentions, a record is right when one of its passages overlaps a gold mention of its type;
a gold date is found when an event's date phrase overlaps it, exact when the bounds agree.
The real articles whose number is divisible by 3 are held out: measured, never tuned on.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

from workbench.paths import SAMPLE_DIR
from workbench.project import Project
from workbench.sample import build_sample_project
from workbench.services.documents import ImportOptions
from workbench.storage.models import Annotation, Code, Document, Evidence, Record

REAL_DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "real-dev"
ENTITY_TYPES = {"people": "person", "places": "place", "organizations": "organization"}


@dataclass
class Score:
    """Counts for precision and recall of one type."""

    predicted: int = 0
    predicted_ok: int = 0
    gold: int = 0
    gold_found: int = 0
    exact: int = 0
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def line(self, name: str) -> str:
        p = self.predicted_ok / self.predicted if self.predicted else 0.0
        r = self.gold_found / self.gold if self.gold else 0.0
        counts = f"(gold {self.gold}, found {self.predicted})"
        text = f"{name:<14} precision {p:5.2f}  recall {r:5.2f}  {counts}"
        if name in ("dates", "figures") and self.gold_found:
            text += f"  exact {self.exact / self.gold_found:5.2f}"
        return text


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def occurrences(text: str, phrase: str) -> list[tuple[int, int]]:
    """Where a gold phrase stands in the text (whitespace-tolerant)."""
    pattern = r"\s+".join(re.escape(w) for w in phrase.split())
    return [m.span() for m in re.finditer(pattern, text)]


def records_of(project: Project, doc_id: int) -> dict[str, list[tuple[Record, list[Annotation]]]]:
    out: dict[str, list[tuple[Record, list[Annotation]]]] = defaultdict(list)
    with project.session() as session:
        rows = session.execute(
            select(Record, Code.name, Annotation)
            .join(Code, Record.type_id == Code.id)
            .join(Evidence, Evidence.record_id == Record.id)
            .join(Annotation, Evidence.annotation_id == Annotation.id)
            .where(Annotation.document_id == doc_id, Record.origin == "extracted")
        ).all()
    grouped: dict[int, tuple[Record, str, list[Annotation]]] = {}
    for record, type_name, annotation in rows:
        grouped.setdefault(record.id, (record, type_name, []))[2].append(annotation)
    for record, type_name, spans in grouped.values():
        out[type_name].append((record, spans))
    return out


def score_entities(
    gold: list[dict[str, Any]], found: list[tuple[Record, list[Annotation]]], s: Score
) -> None:
    gold_sets = [{norm(m) for m in g["mentions"]} for g in gold]

    def matched(spans: list[Annotation]) -> list[int]:
        mentions = {norm(a.quote) for a in spans}
        return [i for i, g in enumerate(gold_sets) if g & mentions]

    tally(s, [g["label"] for g in gold], found, matched)


def tally(
    s: Score,
    gold_names: list[str],
    found: list[tuple[Record, list[Annotation]]],
    matched: Callable[[list[Annotation]], list[int]],
) -> None:
    """Count records that match gold entities (``matched``: the gold indexes a record's
    passages match) and gold entities some record matches."""
    s.gold += len(gold_names)
    s.predicted += len(found)
    hit: set[int] = set()
    for record, passages in found:
        indexes = matched(passages)
        if indexes:
            s.predicted_ok += 1
            hit.update(indexes)
        else:
            s.wrong.append(record.label)
    s.gold_found += len(hit)
    s.misses += [name for i, name in enumerate(gold_names) if i not in hit]


def score_spans(
    text: str,
    gold: list[dict[str, Any]],
    found: list[tuple[tuple[int, int], dict[str, Any]]],
    s: Score,
    exact: Any,
    *,
    spans_of: Callable[[dict[str, Any]], list[tuple[int, int]]] | None = None,
) -> None:
    """Gold phrases vs predicted spans by overlap; ``exact`` compares a matched pair's values;
    ``spans_of`` says where a gold item stands (default: wherever its phrase occurs)."""
    s.gold += len(gold)
    s.predicted += len(found)
    used: set[int] = set()
    for g in gold:
        spans = spans_of(g) if spans_of else occurrences(text, g["text"])
        hits = [k for k, (span, _) in enumerate(found)
                if any(span[0] < e and b < span[1] for b, e in spans)]  # fmt: skip
        # a short phrase ("2022") also occurs inside others: prefer a span not matched yet
        hit = next((k for k in hits if k not in used), hits[0] if hits else None)
        if hit is None:
            s.misses.append(g["text"])
            continue
        s.gold_found += 1
        used.add(hit)
        if exact(g, found[hit][1]):
            s.exact += 1
        else:
            s.wrong.append(f"{g['text']!r}: gold {_values(g)} got {_values(found[hit][1])}")
    # gold lists a phrase repeated in a document once: its repeats are not false positives
    listed = {norm(text[a:b]) for k, ((a, b), _) in enumerate(found) if k in used}
    repeats = {k for k, ((a, b), _) in enumerate(found) if norm(text[a:b]) in listed}
    s.predicted_ok += len(used | repeats)
    extra = [text[a:b] for k, ((a, b), _) in enumerate(found) if k not in used | repeats]
    s.wrong += [f"not in gold: {e!r}" for e in extra]


def _values(d: dict[str, Any]) -> str:
    keys = ("earliest", "latest", "value", "min", "max")
    return ",".join(f"{k}={d.get(k)}" for k in keys if d.get(k) is not None)


def date_exact(gold: dict[str, Any], got: dict[str, Any]) -> bool:
    return gold.get("earliest") == got.get("earliest") and gold.get("latest") == got.get("latest")


def figure_exact(gold: dict[str, Any], got: dict[str, Any]) -> bool:
    return all(
        (gold.get(k) is None and got.get(k) is None)
        or (gold.get(k) is not None and got.get(k) is not None and float(gold[k]) == float(got[k]))
        for k in ("value", "min", "max")
    )


def held_out(name: str) -> bool:
    """Whether a real article is in the part kept aside (its number divisible by 3)."""
    return int(name.split("_")[1]) % 3 == 0


def score_real_entities(
    gold: list[dict[str, Any]], found: list[tuple[Record, list[Annotation]]], s: Score
) -> None:
    """Distinct names of one type in one article, matched by overlapping spans."""
    spans = [[(m["start"], m["end"]) for m in g["mentions"]] for g in gold]

    def matched(passages: list[Annotation]) -> list[int]:
        return [
            i for i, mentions in enumerate(spans)
            if any(a.start < end and start < a.end for a in passages for start, end in mentions)
        ]  # fmt: skip

    tally(s, [g["name"] for g in gold], found, matched)


def score_real_dates(
    gold: list[dict[str, Any]], events: list[tuple[Record, list[Annotation]]], text: str, s: Score
) -> None:
    """Dates by their gold offsets against the events' date phrases."""
    found = [
        ((r.fields["date_span"][0], r.fields["date_span"][1]),
         {"earliest": r.date_earliest, "latest": r.date_latest})
        for r, _ in events if r.fields.get("date_span")
    ]  # fmt: skip
    score_spans(text, gold, found, s, date_exact, spans_of=lambda g: [(g["start"], g["end"])])


def real_scores(folder: Path, part: str) -> dict[str, dict[str, Score]]:
    """Scores per language ("en", "ru") and type over the real articles of ``part``."""
    gold_all = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    names = [n for n in sorted(gold_all) if part == "all" or held_out(n) == (part == "held-out")]
    scores: dict[str, dict[str, Score]] = defaultdict(lambda: defaultdict(Score))
    with (
        tempfile.TemporaryDirectory() as tmp,
        Project(Path(tmp) / "real.twb", actor="bench") as project,
    ):
        ids = {}
        for name in names:
            gold = gold_all[name]
            options = ImportOptions(published=gold["doc_date"], language=gold["lang"])
            info, _notes = project.documents.import_file(folder / name, options)
            ids[name] = info.id
        project.extraction.run()
        for name in names:
            gold, lang = gold_all[name], gold_all[name]["lang"]
            found = records_of(project, ids[name])
            for key, type_name in ENTITY_TYPES.items():
                chosen = [g for g in gold["entities"] if g["type"] == type_name]
                score_real_entities(chosen, found.get(type_name, []), scores[lang][key])
            text = (folder / name).read_text(encoding="utf-8")
            score_real_dates(gold["dates"], found.get("event", []), text, scores[lang]["dates"])
    return scores


def print_scores(scores: dict[str, Score], names: tuple[str, ...], verbose: bool) -> None:
    for name in names:
        print(scores[name].line(name))
        if verbose:
            for miss in scores[name].misses:
                print(f"    missed  {miss}")
            for wrong in scores[name].wrong:
                print(f"    wrong   {wrong}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="list misses and wrong guesses")
    parser.add_argument("--real", nargs="?", const=str(REAL_DEV), metavar="DIR",
                        help="score the real articles of DIR instead of the sample")  # fmt: skip
    parser.add_argument("--part", choices=("tune", "held-out", "all"), default="all")
    args = parser.parse_args()
    if args.real:
        for part in ("tune", "held-out") if args.part == "all" else (args.part,):
            for lang, by_type in sorted(real_scores(Path(args.real), part).items()):
                print(f"-- real articles, {part}, {lang}")
                print_scores(by_type, ("people", "places", "organizations", "dates"), args.verbose)
        return 0
    scores: dict[str, Score] = defaultdict(Score)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "quality.twb"
        build_sample_project(path)
        with Project(path, actor="bench") as project:
            project.extraction.run()
            with project.session() as session:
                docs = {d.original_name: (d.id, d.text) for d in session.scalars(select(Document))}
            for gold_file in sorted((SAMPLE_DIR / "gold").glob("*.json")):
                gold = json.loads(gold_file.read_text(encoding="utf-8"))
                doc_id, text = docs[gold["file"]]
                found = records_of(project, doc_id)
                for key, type_name in ENTITY_TYPES.items():
                    score_entities(gold[key], found.get(type_name, []), scores[key])
                events = [
                    ((r.fields["date_span"][0], r.fields["date_span"][1]),
                     {"earliest": r.date_earliest, "latest": r.date_latest})
                    for r, _ in found.get("event", [])
                ]  # fmt: skip
                score_spans(text, gold["dates"], events, scores["dates"], date_exact)
                figures = [((a[0].start, a[0].end), r.fields) for r, a in found.get("figure", [])]
                score_spans(text, gold["figures"], figures, scores["figures"], figure_exact)
    print_scores(scores, ("people", "places", "organizations", "dates", "figures"), args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
