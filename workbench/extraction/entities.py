"""People, places and organisations: model entities merged with rules, then grouped per document."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from itertools import accumulate
from typing import Any

from workbench.extraction.rules import (
    ORG_HEADS,
    PLACE_SUFFIXES,
    TITLES,
    RuleMatcher,
    gazetteer,
    given_names,
)

KINDS = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "organization"}
MODEL_CONFIDENCE = {"person": 0.75, "place": 0.7, "organization": 0.6}
PSEUDONYM = re.compile(
    r"\s*\((?:name changed|names? (?:has|have) been changed|not (?:his|her|their) real name|"
    r"a pseudonym|pseudonym|real name withheld)\)",
    re.IGNORECASE,
)
LEADING = {"the", "a", "an"}
NOT_GROUPS = {"awol", "szch", "pow", "pows", "kia", "mia", "idp", "idps", "ato", "smo", "svo"}
CONNECTORS = {"of", "for", "and", "on", "the", "de", "-", "&"}
DEMONYMS = {
    "russian", "ukrainian", "kazakh", "georgian", "armenian", "belarusian", "finnish",
    "lithuanian", "polish", "chechen", "european", "american", "british", "soviet", "kyrgyz",
    "uzbek", "tajik", "turkish", "moldovan", "latvian", "estonian", "german", "french", "western",
    "russians", "ukrainians", "kazakhs", "georgians", "chechens", "buryat", "dagestani",
}  # fmt: skip
NOT_PEOPLE = {"god", "allah", "telegram", "whatsapp", "signal", "viber", "q", "a", "kremlin"}
_TITLE_WORDS = {tuple(t.split()) for t in TITLES}
_MAX_TITLE = max(len(t) for t in _TITLE_WORDS)


@dataclass(frozen=True)
class EntityMention:
    """One mention of a person, place or organisation in a document's text."""

    start: int
    end: int
    text: str
    kind: str  # "person" | "place" | "organization"
    source: str  # "model" or the rule that matched ("unit", "designation", "gazetteer:city", ...)
    confidence: float
    title: str | None = None  # rank or office before a person's name
    subkind: str | None = None  # pseudonym/designation, region/city/..., military_unit
    normal: str | None = None  # the name's dictionary form where the text inflects it

    @property
    def name(self) -> str:
        """The name as a label gives it: "Владимир Путин" for "Владимира Путина"."""
        return self.normal or self.text


@dataclass
class EntityCluster:
    """The mentions of one person, place or organisation within one document."""

    kind: str
    label: str
    mentions: list[EntityMention] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def confidence(self) -> float:
        """Best mention confidence, a little higher for repeated mentions."""
        best = max(m.confidence for m in self.mentions)
        return round(min(0.95, best + 0.03 * (len(self.mentions) - 1)), 2)


def _title_before(doc: Any, start: int) -> tuple[int, str] | None:
    """A rank or office just before token ``start``: (first token, title text)."""
    words: list[str] = []
    first = start
    i = start - 1
    while i >= 0 and len(words) < _MAX_TITLE:
        token = doc[i]
        if token.text == ".":
            i -= 1
            continue
        if not token.is_alpha:
            break
        words.insert(0, token.lower_.rstrip("."))
        if tuple(words) in _TITLE_WORDS:
            first = i
        i -= 1
    if first == start:
        return None
    return first, doc[first:start].text


def _title_prefix(doc: Any, start: int, end: int) -> int | None:
    """End token of the longest rank or office at the start of [start, end), if a name follows."""
    words: list[str] = []
    best = None
    i = start
    while i < end - 1 and len(words) < _MAX_TITLE:
        if doc[i].text != ".":
            words.append(doc[i].lower_.rstrip("."))
            if tuple(words) in _TITLE_WORDS:
                best = i + 1
        i += 1
    while best is not None and best < end - 1 and doc[best].text == ".":
        best += 1
    return best


def _first_name_before(doc: Any, start: int) -> int:
    """Widen a surname-only span over a proper noun just before it: "Dmitry" + "Ostapenko"."""
    i = start
    while i > 0 and start - i < 2:
        token = doc[i - 1]
        if not (token.tag_ == "NNP" and token.is_alpha and token.is_title):
            break
        if (token.lower_,) in _TITLE_WORDS or token.text in gazetteer() or token.is_sent_start:
            break
        i -= 1
    return i


def _trim(doc: Any, start: int, end: int) -> tuple[int, int]:
    """Drop leading articles and a trailing possessive from a token span."""
    while start < end - 1 and (doc[start].lower_ in LEADING or not doc[start].text[0].isalnum()):
        start += 1
    while end > start + 1 and not doc[end - 1].text[0].isalnum() and doc[end - 1].text != ".":
        end -= 1  # "Daniil Alfyorov 🙂"
    while end > start + 1 and doc[end - 1].text in ("'s", "’s", "'", "’"):
        end -= 1
    return start, end


def _spans(doc: Any, matcher: RuleMatcher) -> list[tuple[int, int, str, str]]:
    """Rule matches plus model entities that do not conflict with them (token offsets)."""
    rules = matcher(doc)  # in text order, none overlapping: their ends rise too
    starts, ends = [r[0] for r in rules], [r[1] for r in rules]
    chosen = list(rules)
    for ent in doc.ents:
        label = ent.label_
        if label not in KINDS:
            continue
        start, end = _trim(doc, ent.start, ent.end)
        if label == "PERSON" and start > 0 and doc[start - 1].lower_ == "the":
            label = "ORG"  # "the Steppe Observer": people do not take an article
        clashes = rules[bisect_right(ends, start) : bisect_left(starts, end)]  # overlapping
        split = _body_then_person(doc, start, end, clashes)
        if split:  # "the Kursk Regional Duma Gennady Rybakov": a body, then a person
            chosen = [c for c in chosen if c not in clashes] + split
        elif not clashes:
            chosen.append((start, end, label, "model"))
        elif (
            len(clashes) == 1
            and start <= clashes[0][0]
            and clashes[0][1] <= end
            and KINDS[clashes[0][2]] == KINDS[label]
            and (end - start) > (clashes[0][1] - clashes[0][0])
        ):
            chosen.remove(clashes[0])  # "the FSB Border Service" is more than "FSB"
            chosen.append((start, end, label, "model"))
    return sorted(chosen)


def _body_then_person(
    doc: Any, start: int, end: int, clashes: list[tuple[int, int, str, str]]
) -> list[tuple[int, int, str, str]]:
    """A model span that runs a listed or ruled body into a person's name ("the Security
    Council Dmitry Medvedev") as the body and the person; empty when it is not one."""
    if not any(KINDS[c[2]] == "organization" for c in clashes):
        return []
    for i in range(start + 1, end - 1):
        if doc[i].text in given_names() and all(c[1] <= i for c in clashes):
            return [(start, i, "ORG", "model"), (i, end, "PERSON", "model")]
    return []


def find_entities(doc: Any, matcher: RuleMatcher) -> list[EntityMention]:
    """People, places and organisations mentioned in ``doc``, in text order."""
    title_spans: list[tuple[int, int]] = []
    mentions = [
        mention
        for span in _spans(doc, matcher)
        if (mention := _mention(doc, *span, title_spans=title_spans)) is not None
    ]
    named = _pseudonyms_missed(doc, mentions) + _context_places(doc, mentions)
    mentions = [m for m in mentions if not any(n.start < m.end and m.start < n.end for n in named)]
    return [
        m
        for m in sorted(mentions + named, key=lambda m: m.start)
        if not (m.kind != "person" and _inside_title(doc, m, title_spans))
    ]


def _mention(
    doc: Any, first: int, last: int, label: str, source: str, *, title_spans: list[tuple[int, int]]
) -> EntityMention | None:
    """The mention for tokens [first, last), or None when it cannot be what it was tagged as."""
    kind = KINDS[label]
    start, end = _trim(doc, first, last)
    title = None
    subkind = None
    followed_by_pseudonym = (
        PSEUDONYM.match(" " + doc[end : end + 8].text) is not None  # doc.text would be O(n)
    )
    if source == "model" and (apposed := _appositive_kind(doc, end)) is not None:
        kind = apposed  # "Natalia, his wife," / "Vykhod Est, a legal-aid group,"
    if source == "model" and _placed(doc, start, end):
        kind, source = "place", "context"  # "the town of X", "X in the Penza Oblast"
    elif source == "model" and kind != "person" and _given_name_first(doc, start, end):
        kind = "person"  # "Olena Kovalchuk" is no group, whatever the model says
    if kind == "person" and source == "model":
        start = _first_name_before(doc, start)
        start = _from_given_name(doc, start, end)
    if kind == "person":
        inner = _title_before(doc, start)
        while (prefix := _title_prefix(doc, start, end)) is not None:
            title = (title + " " if title else "") + doc[start:prefix].text
            start = prefix
        found = _title_before(doc, start) or inner
        if found is not None:
            title_spans.append((found[0], start))
            title = title or found[1]
        if not _plausible_person(doc[start:end], source):
            return None
        subkind = "designation" if source == "designation" else None
        if followed_by_pseudonym:
            subkind = "pseudonym"
    elif source == "model":
        guessed = _model_guess(doc, start, end, kind, pseudonym=followed_by_pseudonym)
        if guessed is None:
            return None
        kind, subkind = guessed
    if kind == "place" and subkind is None:
        subkind = _place_kind(doc[start:end].text, source)
    elif source == "unit":
        subkind = "military_unit"
    elif source.startswith("named:"):
        subkind = source.split(":", 1)[1]  # outlet, agency, platform, ngo, state, armed...
    span = doc[start:end]
    return EntityMention(
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        kind=kind,
        source=source,
        confidence=MODEL_CONFIDENCE[kind] if source in ("model", "context") else 0.9,
        title=title,
        subkind=subkind,
    )


def _model_guess(
    doc: Any, start: int, end: int, kind: str, *, pseudonym: bool
) -> tuple[str, str | None] | None:
    """What the model's place or group for tokens [start, end) is (kind, subkind), or None
    when it is no name at all."""
    if pseudonym:
        return "person", "pseudonym"  # "Yelena (name changed)" is a person
    if _speaks(doc, start, end):
        return "person", None  # "said Daniil Alfyorov", "Natalia said": not a place
    if (
        not _plausible_name(doc[start:end].text)
        or not any(t.tag_ in ("NNP", "NNPS") for t in doc[start:end])  # "Delete this chat"
        or _imperative(doc, start, end)
        or (end - start == 1 and doc[start].lower_ in NOT_NAMES)  # "Dollar"; "the Department"
    ):
        return None
    return kind, None


PERSON_ROLES = {
    "lawyer", "wife", "husband", "mother", "father", "brother", "sister", "son", "daughter",
    "soldier", "surgeon", "doctor", "nurse", "medic", "commander", "officer", "spokesman",
    "spokeswoman", "journalist", "reporter", "activist", "deserter", "volunteer", "coordinator",
    "researcher", "analyst", "friend", "colleague", "neighbour", "neighbor", "driver",
    "paramedic", "paratrooper", "marine", "conscript", "veteran", "fighter", "prisoner",
    "resident", "teacher", "engineer", "mechanic", "student", "widow", "cousin", "uncle", "aunt",
}  # fmt: skip
GROUP_ROLES = {
    "group", "organisation", "organization", "ngo", "outlet", "newspaper", "agency", "project",
    "initiative", "channel", "website", "network", "charity", "foundation", "company", "unit",
    "brigade", "battalion", "regiment", "division", "movement", "site", "service",
}  # fmt: skip


def _appositive_kind(doc: Any, end: int) -> str | None:
    """What "<name>, a/his ... <noun>," says the name is: a person or a group; "<name>, who"
    is a person ("Ostapenko, who grew up in Vladivostok,")."""
    if end + 2 >= len(doc) or doc[end].text != ",":
        return None
    if doc[end + 1].lower_ in ("who", "whom"):
        return "person"
    if doc[end + 1].lower_ not in APPOSITION:
        return None
    for token in doc[end + 2 : end + 7]:
        word = token.lower_
        if word in PERSON_ROLES:
            return "person"
        if word in GROUP_ROLES:
            return "organization"
        if token.is_punct and token.text not in "-–":
            return None
    return None


APPOSITION = {"a", "an", "his", "her", "their", "the", "whose", "our"}
SPEECH = {"said", "says", "told", "recalled", "added", "explained", "wrote", "asked", "replied"}


def _speaks(doc: Any, start: int, end: int) -> bool:
    """A capitalised name (not a known place or group) right next to a verb of speaking."""
    span = doc[start:end]
    words = span.text.split()
    if (
        not all(w.isalpha() and w[0].isupper() and not w.isupper() for w in words)
        or span.text in gazetteer()
        or any(w.lower() in ORG_HEADS for w in words)
        or (start > 0 and doc[start - 1].lower_ == "the")
    ):
        return False
    before = doc[start - 1].lower_ if start > 0 else ""
    after = doc[end].lower_ if end < len(doc) else ""
    return before in SPEECH or after in SPEECH


def _inside_title(doc: Any, mention: EntityMention, title_spans: list[tuple[int, int]]) -> bool:
    """Whether a non-person mention is really part of a title ("Defense" in "Defense Minister")."""
    for first, last in title_spans:
        lo, hi = doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text)
        if lo <= mention.start and mention.end <= hi:
            return True
    return False


_OBJECT_WORDS = {
    "this", "that", "these", "those", "the", "a", "an", "my", "your", "his", "her", "our",
    "their", "it", "me", "him", "them", "us", "everything", "all",
}  # fmt: skip


def _imperative(doc: Any, start: int, end: int) -> bool:
    """ "🙏 Delete this chat": one capitalised word after an emoji or an opening quote and
    before a determiner or pronoun is a verb telling someone to do something (the model
    tags it a proper noun after the emoji), not the name of a place or group."""
    if end - start != 1 or start == 0 or end >= len(doc):
        return False
    before = doc[start - 1].text
    opens = before in "“\"‘'(" or not any(ch.isalnum() or ch in ".,;:!?" for ch in before)
    return opens and doc[end].lower_ in _OBJECT_WORDS


CURRENCIES = {
    "dollar", "dollars", "euro", "euros", "ruble", "rubles", "rouble", "roubles", "hryvnia",
    "hryvnias", "dram", "drams", "lari", "tenge", "pound", "pounds",
}  # fmt: skip
NOT_NAMES = CURRENCIES | set(ORG_HEADS)
PLACE_NOUNS = {
    "city", "town", "village", "settlement", "region", "oblast", "district", "province",
    "republic", "krai", "hamlet", "suburb",
}  # fmt: skip
SITE_NOUNS = {
    "training", "camp", "ground", "range", "airfield", "airbase", "base", "checkpoint",
    "crossing", "village", "town",
}  # fmt: skip


def _placed(doc: Any, start: int, end: int) -> bool:
    """Whether the words around a name make it a place: "the city of X", "the village of
    X", "X in the Volgograd Oblast", "the X training ground"."""
    before = [t.lower_ for t in doc[max(0, start - 2) : start]]
    if len(before) == 2 and before[1] == "of" and before[0] in PLACE_NOUNS:
        return True
    after = doc[end : end + 4]
    if len(after) >= 1 and after[0].lower_ in SITE_NOUNS and after[0].is_lower:
        return True
    return (
        len(after) == 4 and after[0].lower_ == "in" and after[1].lower_ == "the"
        and after[2].is_title and after[3].lower_ in PLACE_SUFFIXES
    )  # fmt: skip


def _given_name_first(doc: Any, start: int, end: int) -> bool:
    """Two or three capitalised words, the first a known given name, none a group's word."""
    words = [t for t in doc[start:end] if t.text not in ("-", "–")]
    return (
        2 <= len(words) <= 3
        and words[0].text in given_names()
        and all(t.is_title and t.is_alpha and t.lower_ not in ORG_HEADS for t in words)
    )


def _from_given_name(doc: Any, start: int, end: int) -> int:
    """Where the name begins in a person span that opens with a job or a body: "Moscow
    Correspondent Anna Petrova" is Anna Petrova (the words before are her title)."""
    names = given_names()
    if end - start < 3 or doc[start].text in names:
        return start
    for i in range(start + 1, end - 1):
        if doc[i].text in names:
            return i
    return start


def _plausible_person(span: Any, source: str) -> bool:
    """Reject model output that cannot be a person's name."""
    text = span.text
    if source == "designation":
        return True
    if tuple(text.lower().split()) in _TITLE_WORDS:
        return False  # "General" alone is a rank, not a name
    if source == "model" and not any(t.tag_ in ("NNP", "NNPS") for t in span):
        return False  # "Wounded" at the start of a sentence
    words = [w for w in re.split(r"[\s\-]+", text) if w]
    if not words or text.lower() in NOT_PEOPLE or any(ch.isdigit() for ch in text):
        return False
    return all(w[0].isupper() for w in words) and any(len(w) > 1 and w.isalpha() for w in words)


def _plausible_name(text: str) -> bool:
    """Reject demonyms ("Kazakh") and fragments with symbols ("🙏 Delete") as places or groups."""
    lowered = text.lower()
    if lowered in DEMONYMS or lowered in NOT_GROUPS or tuple(lowered.split()) in _TITLE_WORDS:
        return False
    if not text.isascii() and not any("A" <= ch <= "z" for ch in text):
        return False  # a quoted Cyrillic term in an English text, not a name the model knows
    words = text.split()
    allowed = CONNECTORS | set(PLACE_SUFFIXES)
    return all(w[0].isupper() or w[0].isdigit() or w in allowed for w in words) and all(
        ch.isalnum() or ch in " -'’.&" for ch in text
    )


def _place_kind(text: str, source: str) -> str | None:
    """Kind of place: from a region-like suffix, else the gazetteer."""
    last = text.rsplit(maxsplit=1)[-1].lower()
    if last in PLACE_SUFFIXES:
        return "checkpoint" if last == "checkpoint" else "region"
    if source.startswith("gazetteer:"):
        return source.split(":", 1)[1]
    return gazetteer().get(text)


_NAMED_AS = re.compile(
    r"\b([A-Z][a-z]+)(?i:" + PSEUDONYM.pattern + ")"
    r"|\b(?:identified (?:only )?as|introduced (?:himself|herself) as|known only as|"
    r"asked to be called|goes by) ([A-Z][a-z]+)\b"
)


def _pseudonyms_missed(doc: Any, mentions: list[EntityMention]) -> list[EntityMention]:
    """Pseudonyms not yet people: "Andrey (name changed)", "identified as Pavel"."""
    found = []
    taken = [(m.start, m.end) for m in mentions if m.kind == "person"]
    for match in _NAMED_AS.finditer(doc.text):
        group = 1 if match.group(1) else 2
        start, end = match.span(group)
        if any(s < end and start < e for s, e in taken):
            continue
        name = match.group(group)
        found.append(
            EntityMention(start, end, name, "person", "pseudonym", 0.85, None, "pseudonym")
        )
    return found


COURT_WORDS = {"military", "garrison", "district", "city", "regional", "municipal", "court"}


def _name_before(doc: Any, end: int) -> int | None:
    """The first token of the capitalised name (one or two words, hyphens joined) that ends
    at token ``end``, or None."""
    i, words = end, 0
    while i > 0 and words < 2:
        token = doc[i - 1]
        if token.text in ("-", "–") and i - 1 > 0 and doc[i - 2].is_title:
            i -= 1
            continue
        if (
            not (token.is_title and token.is_alpha)
            or token.lower_ in LEADING
            or token.is_sent_start
        ):
            break
        i -= 1
        words += 1
    return i if i < end else None


def _context_places(doc: Any, mentions: list[EntityMention]) -> list[EntityMention]:
    """Places the model missed that their words show: "Prudboy in the Volgograd Oblast",
    "a Veliky Novgorod military court" (a court of that city: the name is the place)."""
    taken = [(m.start, m.end) for m in mentions]
    found = []
    for i, token in enumerate(doc):
        ends = None
        if (
            token.lower_ == "in" and i + 3 < len(doc) and doc[i + 1].lower_ == "the"
            and doc[i + 2].is_title and doc[i + 3].lower_ in PLACE_SUFFIXES
        ):  # fmt: skip
            ends = i
        elif token.lower_ == "court" and i > 0 and doc[i - 1].lower_ in COURT_WORDS:
            ends = i - 1
            while ends > 0 and doc[ends - 1].lower_ in COURT_WORDS and doc[ends - 1].is_lower:
                ends -= 1
        begins = _name_before(doc, ends) if ends is not None else None
        if begins is None or ends is None:
            continue
        span = doc[begins:ends]
        if span.text.lower() in DEMONYMS or any(
            s < span.end_char and span.start_char < e for s, e in taken
        ):
            continue
        found.append(EntityMention(span.start_char, span.end_char, span.text, "place",
                                   "context", 0.7))  # fmt: skip
    return found


def _place_base(text: str) -> tuple[str, bool]:
    """A place name without its region-like suffix, and whether it had one."""
    words = text.split()
    if len(words) > 1 and words[-1].lower() in PLACE_SUFFIXES:
        return " ".join(words[:-1]), words[-1].lower() != "checkpoint"
    return text, False


def _unit_key(text: str) -> str:
    """Units group by number and formation: "47th Tank Division" ~ "47th Division"."""
    words = text.lower().split()
    if words and re.fullmatch(r"\d+(st|nd|rd|th)", words[0]):
        return f"{words[0]} {words[-1]}"
    return text.lower()


def _reclassify_name_parts(mentions: list[EntityMention]) -> list[EntityMention]:
    """A lone word the model called a place or group but that is a person's name is a person."""
    name_words = {
        w
        for m in mentions
        if m.kind == "person" and (" " in m.text or m.subkind == "pseudonym")
        for w in m.text.split()
    }
    return [
        replace(m, kind="person", subkind=None)
        if m.kind != "person" and m.source == "model" and m.text in name_words
        else m
        for m in mentions
    ]


TIE_ORDER = ("organization", "place", "person")


def vote_kinds(mentions: list[EntityMention]) -> list[EntityMention]:
    """One name, one kind: the model's mentions of a name take the kind most of its mentions
    have (a rule's or list's mention counts twice); between as many, a person (the model
    reads a surname after a dateline as a place) before a place before a group."""
    votes: dict[str, dict[str, int]] = {}
    for m in mentions:
        counts = votes.setdefault(m.name.casefold(), {})
        counts[m.kind] = counts.get(m.kind, 0) + (1 if m.source == "model" else 2)
    chosen = {
        name: max(counts, key=lambda kind: (counts[kind], TIE_ORDER.index(kind)))
        for name, counts in votes.items()
        if len(counts) > 1
    }
    return [
        replace(m, kind=kind, subkind=None)
        if m.source == "model" and (kind := chosen.get(m.name.casefold(), m.kind)) != m.kind
        else m
        for m in mentions
    ]


def cluster_entities(mentions: list[EntityMention]) -> list[EntityCluster]:
    """Group one document's mentions: a surname joins its full name, a region its city."""
    mentions = vote_kinds(_reclassify_name_parts(mentions))
    clusters: list[EntityCluster] = []
    by_key: dict[tuple[str, str], EntityCluster] = {}
    for mention in mentions:
        if mention.kind == "person":
            cluster = _person_cluster(mention, clusters)
        else:
            text = mention.name
            if mention.kind == "place":
                base, is_region = _place_base(text)
                key = ("place", base.lower())
            else:
                base, is_region = text, False
                key = ("organization", _unit_key(text))
            if key not in by_key:
                by_key[key] = EntityCluster(mention.kind, base)
                clusters.append(by_key[key])
            cluster = by_key[key]
            if cluster.label.isupper() and not base.isupper():
                cluster.label = base  # a dateline's "KHARKIV" gives way to "Kharkiv"
            if len(text) > len(cluster.label) and mention.kind == "organization":
                cluster.label = text
            if is_region:
                cluster.fields["kind"] = "region"
        cluster.mentions.append(mention)
        _update_fields(cluster, mention)
    return _merge_same_name_across_kinds(clusters)


def _merge_same_name_across_kinds(clusters: list[EntityCluster]) -> list[EntityCluster]:
    """One name tagged both as a person and as a group: keep the group (outlets, NGOs)."""
    groups = {c.label: c for c in clusters if c.kind == "organization"}
    kept = []
    for cluster in clusters:
        group = groups.get(cluster.label) if cluster.kind == "person" else None
        if group is not None and not cluster.fields.get("title"):
            group.mentions = sorted(group.mentions + cluster.mentions, key=lambda m: m.start)
            continue
        kept.append(cluster)
    return kept


def _person_cluster(mention: EntityMention, clusters: list[EntityCluster]) -> EntityCluster:
    """The person this mention refers to: same full name, or a surname/first name of one."""
    name = mention.name
    words = name.split()
    people = [c for c in clusters if c.kind == "person"]
    for cluster in reversed(people):
        known = {m.name for m in cluster.mentions}
        if name in known:
            return cluster
    for cluster in reversed(people):
        label_words = cluster.label.split()
        if (
            len(words) == 1
            and len(label_words) > 1
            and words[0] in (label_words[0], label_words[-1])
        ):
            return cluster
        if len(words) > 1 and len(label_words) == 1 and label_words[0] in (words[0], words[-1]):
            cluster.label = name
            return cluster
    cluster = EntityCluster("person", name)
    clusters.append(cluster)
    return cluster


def _update_fields(cluster: EntityCluster, mention: EntityMention) -> None:
    """Carry a mention's title and kind into its cluster's fields."""
    if mention.title and "title" not in cluster.fields:
        cluster.fields["title"] = mention.title
    if mention.subkind and "kind" not in cluster.fields:
        cluster.fields["kind"] = mention.subkind
    aliases = sorted({m.name for m in cluster.mentions} - {cluster.label})
    if aliases:
        cluster.fields["aliases"] = aliases


def add_name_repeats(text: str, mentions: list[EntityMention]) -> list[EntityMention]:
    """Later bare surnames and pseudonyms of known people that the model did not tag."""
    names: set[str] = set()
    for m in mentions:
        words = m.text.split()
        if m.kind == "person" and m.subkind != "designation":
            if len(words) > 1 and len(words[-1]) > 2 and words[-1].isalpha():
                names.add(words[-1])
            elif m.subkind == "pseudonym":
                names.add(m.text)
    if not names:
        return mentions
    taken = sorted((m.start, m.end) for m in mentions)
    starts = [s for s, _ in taken]
    reach = [-1, *accumulate((e for _, e in taken), max)]  # the furthest end of the first k
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names))) + r")\b")
    extra = []
    for match in pattern.finditer(text):
        start, end = match.span()
        if reach[bisect_left(starts, end)] > start:  # a mention starting before it ends after
            continue
        extra.append(EntityMention(start, end, match.group(), "person", "repeat", 0.7))
    return sorted(mentions + extra, key=lambda m: m.start)
