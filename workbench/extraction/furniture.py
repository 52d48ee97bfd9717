"""Page furniture in articles copied from the web: headings, boilerplate lines and credits.

A heading ("Return Home", "Helping Deserters Flee the Front") is not a sentence, and the
model reads its capitalised words as names; a boilerplate line ("Scroll to read more",
"Related articles") names nobody; a photo credit ("Name Surname/Agency/Agency") names a
photographer and organisations, which the model runs together into one person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.extraction.aliases import CYRILLIC
from workbench.extraction.entities import EntityMention
from workbench.extraction.rules import organizations

BOILERPLATE = re.compile(
    r"^\W*(?:scroll (?:down )?to (?:read|continue)|read more|related(?: articles| stories| news|"
    r" coverage| content)?\b|more on this story|most read|top stories|subscribe|sign up|"
    r"follow us|share (?:this|on)|advertisement|skip to (?:main )?content|click here|"
    r"image (?:caption|source)|listen to (?:this|the) (?:article|story)|watch:|listen:|"
    r"this video can ?not be played|to play this video)",
    re.IGNORECASE,
)
SENTENCE_END = ".!?…:;"
SMALL_WORDS = {
    "a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for", "from", "by",
    "with", "into", "as", "is", "are", "was", "were", "be", "vs", "via", "over", "after",
    "before", "about", "against", "without", "up", "out", "off",
}  # fmt: skip
# "Name Surname/Agency", "Name Surname / Agency / Agency": a photo credit
CREDIT = re.compile(
    r"(?P<name>[A-Z][\w'’\-]+(?: [A-Z][\w'’\-]+){1,2}) ?/ ?"
    r"(?P<orgs>[A-Z][\w.&'’\- ]{1,40}?(?: ?/ ?[A-Z][\w.&'’\- ]{1,40}?)*)(?=\)|\n|$|\.|,)"
)
DATELINE = re.compile(
    r"\d{1,2}:\d{2}|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?![a-z])"
    r"|(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December) \d{1,2}\b|\b\d{1,2} (?:January|February|March|April|May|June|July|August"
    r"|September|October|November|December)\b"
)
# "By Name Surname", "Interview by Name Surname", and a name that opens a dateline
NAME = r"[A-Z][a-z'’\-]+(?: [A-Z][a-z'’\-]+){1,2}"
BYLINE = re.compile(
    rf"^\W*(?:(?:[A-Z][a-z]+ )?[Bb]y (?P<by>{NAME})(?: and (?P<and>{NAME}))?(?=,|\s*$|\s+[—–-])"
    rf"|(?P<dated>{NAME})(?=,? ?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)))",
    re.MULTILINE,
)
AGENCY_WORDS = {"images", "press", "news", "agency", "photo", "photos", "pictures", "service"}


@dataclass(frozen=True)
class Line:
    """One line of the text, and what kind of line it is."""

    start: int
    end: int
    text: str
    heading: bool
    boilerplate: bool


def lines(text: str) -> list[Line]:
    """The text's non-empty lines, with headings and boilerplate marked."""
    found = []
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        if not line.strip():
            continue
        found.append(Line(match.start(), match.end(), line, is_heading(line),
                          BOILERPLATE.match(line) is not None))  # fmt: skip
    return found


def is_heading(line: str) -> bool:
    """Title Case words without a sentence's end: "Helping Russian Deserters Flee the Front
    Lines", "Aftermath", "“The Most Rowdy Ones Were Thrown into the Pit”"."""
    if CYRILLIC.search(line):
        return False  # Russian and Ukrainian headings are not in Title Case: capitals are names
    stripped = line.strip().strip("“”\"'‘’«»()[]")
    if not stripped or stripped[-1] in SENTENCE_END or DATELINE.search(stripped):
        return False  # a byline or dateline: "Name Surname, Monday, 13 February 2023"
    words = re.findall(r"[^\W\d_][\w'’\-]*", stripped)
    if not words or len(words) > 14:
        return False
    content = [w for w in words if w.lower() not in SMALL_WORDS]
    return bool(content) and all(w[0].isupper() for w in content)


def drop_heading_guesses(mentions: list[EntityMention], found: list[Line]) -> list[EntityMention]:
    """Model guesses inside headings or boilerplate lines are kept only when the name is
    also found in the body (a heading names a person the article then writes about), or
    when the line is only names (a byline: "Anna Petrova, Maria Ivanova")."""
    furniture = [line for line in found if line.heading or line.boilerplate]
    if not furniture:
        return mentions

    def line_of(mention: EntityMention) -> Line | None:
        return next((ln for ln in furniture if ln.start <= mention.start <= ln.end), None)

    body = [m for m in mentions if line_of(m) is None]
    known = {m.name.casefold() for m in body} | {w.casefold() for m in body for w in m.name.split()}
    bylines = {ln for ln in furniture if _only_names(ln, mentions)}

    def kept(mention: EntityMention) -> bool:
        line = line_of(mention)
        return (
            mention.source != "model" or line is None or line in bylines
            or all(word.casefold() in known for word in mention.name.split())
        )  # fmt: skip

    return [m for m in mentions if kept(m)]


def _only_names(line: Line, mentions: list[EntityMention]) -> bool:
    """Whether a line is a byline: every capitalised word in a mention, a person among them
    ("By Anna Petrova, Steppe Observer", "Anna Petrova|Maria Ivanova")."""
    inside = [m for m in mentions if line.start <= m.start < line.end]
    if not any(m.kind == "person" for m in inside):
        return False
    covered = {i - line.start for m in inside for i in range(m.start, m.end)}
    return all(
        any(i in covered for i in range(w.start(), w.end()))
        for w in re.finditer(r"[^\W\d_][\w'’\-]*", line.text)
        if w.group()[0].isupper() and w.group().lower() not in SMALL_WORDS
    )


def credits(text: str) -> list[EntityMention]:
    """People and organisations of photo credits: "Name Surname/Agency/Agency"."""
    known = organizations()
    found: list[EntityMention] = []
    for match in CREDIT.finditer(text):
        name = match.group("name")
        parts = [p.strip() for p in match.group("orgs").split("/")]
        if name in known or f"{name}/{parts[0]}" in known:
            continue  # "Radio Free Europe/Radio Liberty" is one organisation
        if not all(p in known or _agency_like(p) for p in parts):
            continue
        found.append(EntityMention(match.start("name"), match.end("name"), name, "person",
                                   "credit", 0.85))  # fmt: skip
        position = match.start("orgs")
        for part in match.group("orgs").split("/"):
            start = text.index(part.strip(), position)
            name = part.strip()
            found.append(EntityMention(start, start + len(name), name, "organization",
                                       "credit", 0.85, subkind="agency"))  # fmt: skip
            position = start + len(name)
    return found


def bylines(text: str) -> list[EntityMention]:
    """The authors a byline names: "By Name Surname, Outlet", "Name SurnameMonday, 13 …"."""
    found = []
    for match in BYLINE.finditer(text):
        for group in ("by", "and", "dated"):
            if match.group(group):
                start, end = match.span(group)
                found.append(EntityMention(start, end, match.group(group), "person",
                                           "byline", 0.85))  # fmt: skip
    return found


def _agency_like(part: str) -> bool:
    """An acronym ("TNS", "AFP") or a name ending like an agency's ("… Images", "… News")."""
    words = part.split()
    return (part.isupper() and 2 <= len(part) <= 8) or (
        len(words) > 1 and words[-1].lower() in AGENCY_WORDS
    )


def tidy(text: str, mentions: list[EntityMention]) -> list[EntityMention]:
    """A document's mentions with its credits read as credits and the model's guesses in its
    headings and boilerplate lines checked against its body."""
    credited = credits(text) + bylines(text)
    kept = [m for m in mentions if not any(c.start < m.end and m.start < c.end for c in credited)]
    merged = sorted(kept + credited, key=lambda m: m.start)
    return drop_heading_guesses(merged, lines(text))
