"""Events: each dated clause becomes an event with a type decided by cue words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

# Event types in priority order: when cues of several types occur, the first listed wins.
EVENT_TYPES: dict[str, str] = {
    "desertion": "desertion or escape",
    "border_crossing": "border crossing",
    "asylum": "asylum or exile",
    "detention": "detention or punishment",
    "abuse": "abuse",
    "injury": "injury",
    "medical_treatment": "medical treatment",
    "casualty_report": "casualty report",
    "combat": "combat",
    "recruitment": "recruitment or enlistment",
    "deployment": "deployment",
    "statement": "statement or report",
    "other": "other",
}
CUES: dict[str, set[str]] = {
    "desertion": {
        "desert", "deserter", "desertion", "flee", "fled", "escape", "awol", "defect", "defector",
        "abandon", "abandonment", "surrender", "run", "walk", "hide", "leave", "left", "szch",
    },
    "border_crossing": {"cross", "border", "checkpoint", "crossing"},
    "asylum": {
        "asylum", "refugee", "protection", "exile", "emigrate", "extradition", "extradite",
        "deport", "deportation", "resettle",
    },
    "detention": {
        "detain", "detention", "arrest", "jail", "prison", "imprison", "prosecute", "prosecution",
        "charge", "sentence", "convict", "court", "trial", "pit", "punish", "punishment", "custody",
        "criminal", "case", "investigation", "wanted",
    },
    "abuse": {
        "beat", "beating", "torture", "abuse", "threaten", "threat", "humiliate", "rape",
        "execute", "shoot", "extort",
    },
    "injury": {
        "wound", "wounded", "injure", "injury", "shrapnel", "hurt", "amputate", "concussion",
    },
    "medical_treatment": {
        "treat", "treatment", "operate", "operation", "surgery", "surgeon", "hospital", "doctor",
        "medic", "ward", "patient", "evacuate", "evacuation", "admit", "admission",
    },
    "casualty_report": {
        "kill", "die", "death", "dead", "casualty", "casualties", "body", "bodies", "loss",
        "losses", "fatality", "obituary", "toll", "missing",
    },
    "combat": {
        "fight", "attack", "assault", "shell", "shelling", "storm", "battle", "combat", "offensive",
        "front", "frontline", "trench", "dugout", "strike", "drone", "fire",
    },
    "recruitment": {
        "recruit", "recruitment", "enlist", "sign", "contract", "mobilize", "mobilise",
        "mobilization", "mobilisation", "conscript", "conscription", "draft", "summons",
        "volunteer",
    },
    "deployment": {
        "deploy", "deployment", "send", "sent", "transfer", "station", "assign", "post",
        "redeploy",
    },
    "statement": {
        "say", "said", "tell", "told", "report", "state", "statement", "announce", "write",
        "wrote", "confirm", "publish", "interview", "testify", "claim", "deny",
    },
}  # fmt: skip
WORD = re.compile(r"[A-Za-z]+")
CLAUSE_BREAK = re.compile(r"[;,:—–]\s|\s(?:and|but|then|before|after|when|until|while)\s")
LABEL_MAX = 160
# Transcript and Markdown markup that says nothing about the event: "**A:**", "Q:", "## ".
MARKUP = re.compile(
    r"^\s*(?:#+\s*)?(?:\*\*|__)?\s*(?:[QA]|Q\s*&\s*A)\s*:\s*(?:\*\*|__)?\s*|\*\*|__"
)


@dataclass(frozen=True)
class Segment:
    """The part of a sentence that belongs to one date."""

    start: int
    end: int


def event_type(clause: str) -> str:
    """The event type whose cues appear among the clause's words or their crude lemmas."""
    words = {w.lower() for w in WORD.findall(clause)}
    present = words | {_stem(w) for w in words}
    for name, cues in CUES.items():
        if present & cues:
            return name
    return "other"


def _stem(word: str) -> str:
    """A crude lemma for cue matching: fled->fle is harmless, deserted->desert matters."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def segments(text: str, sentence: tuple[int, int], dates: list[tuple[int, int]]) -> list[Segment]:
    """Split a sentence into one clause per date, cutting at the clause break between dates."""
    start, end = sentence
    cuts = [start]
    for (_, prev_end), (next_start, _) in pairwise(dates):
        between = text[prev_end:next_start]
        breaks = list(CLAUSE_BREAK.finditer(between))
        if breaks:
            cut = prev_end + breaks[-1].start() + 1
        else:
            space = between.rfind(" ", 0, max(1, len(between) // 2 + 1))
            cut = prev_end + (space if space >= 0 else 0)
        cuts.append(max(cut, cuts[-1]))
    cuts.append(end)
    return [_strip(text, a, b) for a, b in pairwise(cuts)]


def _strip(text: str, start: int, end: int) -> Segment:
    """Trim spaces and leading punctuation or conjunctions from a segment."""
    while start < end and (text[start].isspace() or text[start] in ",;:—–"):
        start += 1
    match = re.match(r"(?:and|but|then)\s+", text[start:end])
    if match and start + match.end() < end:
        start += match.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    return Segment(start, end)


def event_label(text: str) -> str:
    """A short label from a clause: whitespace folded, cut at a word with an ellipsis."""
    label = MARKUP.sub("", re.sub(r"\s+", " ", text)).strip().strip("“”\"'‘’*_# ")
    if len(label) <= LABEL_MAX:
        return label
    cut = label.rfind(" ", 0, LABEL_MAX - 1)
    return label[: cut if cut > 40 else LABEL_MAX - 1].rstrip(",;: ") + "…"
