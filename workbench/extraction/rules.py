"""Rule patterns for what the statistical model misses: units, designations, places, titles."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from workbench.paths import RESOURCES

GAZETTEER = RESOURCES / "gazetteer" / "places.txt"
ORGANIZATIONS = RESOURCES / "gazetteer" / "organizations.txt"

FORMATIONS = [
    "division", "brigade", "regiment", "battalion", "company", "army", "corps", "detachment",
    "fleet", "squadron", "platoon", "flotilla", "battery", "group", "garrison",
]  # fmt: skip
UNIT_WORDS = [
    "separate", "guards", "guard", "motorized", "motorised", "motor", "rifle", "tank", "airborne",
    "air", "assault", "marine", "mechanized", "mechanised", "artillery", "infantry", "special",
    "purpose", "forces", "territorial", "defense", "defence", "naval", "mountain", "jaeger",
    "combined", "arms", "aviation", "missile", "engineer", "engineering", "reconnaissance",
    "spetsnaz", "national", "border", "operational", "rocket", "anti-aircraft", "presidential",
    "volunteer", "landing", "amphibious", "command", "storm", "shock", "sapper", "coastal", "of",
    "the", "ground", "tactical", "intelligence", "signals", "military", "-",
]  # fmt: skip
DESIGNATION_NOUNS = [
    "soldier", "witness", "source", "patient", "fighter", "officer", "prisoner", "deserter",
    "respondent", "interviewee", "conscript", "serviceman", "doctor", "medic", "mr", "ms",
]  # fmt: skip
PLACE_SUFFIXES = ["region", "oblast", "district", "province", "krai", "raion", "checkpoint"]
FEATURE_HEADS = ["river", "lake", "sea", "road", "highway", "bridge", "dam", "reservoir", "forest"]
ORG_HEADS = [
    "ministry", "office", "service", "committee", "initiative", "group", "media", "review",
    "wire", "post", "observer", "ledger", "news", "times", "agency", "foundation", "center",
    "centre", "fund", "union", "council", "court", "directorate", "department", "administration",
    "government", "network", "project", "coalition", "institute", "commission", "bureau",
    "organization", "organisation", "association", "movement", "party", "tribunal", "herald",
    "gazette", "journal", "tribune", "daily", "monitor", "watch", "mission", "inspectorate",
    "prosecutor's", "hospital", "clinic", "university", "academy", "guard", "police",
]  # fmt: skip
ORG_LOWER_MODIFIERS = [
    "regional", "health", "interior", "defense", "defence", "foreign", "justice", "military",
    "federal", "state", "city", "district", "prosecutor", "migration", "general",
]  # fmt: skip

# Titles and ranks kept as a field of a person, longest first when matched.
TITLES = [
    "lieutenant colonel", "lieutenant general", "major general", "colonel general",
    "army general", "senior lieutenant", "junior lieutenant", "first lieutenant",
    "staff sergeant", "junior sergeant", "senior sergeant", "master sergeant",
    "defense minister", "defence minister", "foreign minister", "prime minister",
    "deputy minister", "chief physician", "head physician", "deputy commander",
    "private", "corporal", "sergeant", "lieutenant", "captain", "major", "colonel",
    "general", "marshal", "commander", "president", "minister", "governor", "mayor", "dr",
    "doctor", "surgeon", "nurse", "medic", "lawyer", "attorney", "judge", "prosecutor",
    "spokesman", "spokeswoman", "spokesperson", "ombudsman", "mr", "mrs", "ms", "sgt", "lt",
    "col", "gen", "capt", "maj", "pvt", "cpl", "sen", "rep", "father", "sister",
]  # fmt: skip


NOT_NAME_WORDS = [
    "staff", "ministry", "office", "court", "directorate", "department", "army", "forces",
    "division", "brigade", "regiment", "battalion", "service", "committee", "council", "of",
    "the", "and", "said", "says", "told", "who", "was", "is", "has", "had", "in", "on",
]  # fmt: skip


# "Belgorod regional health ministry", "regional prosecutor's office"; not "a Murmansk
# military court" or "the Finnish government": descriptions, whose place is the name
LOWER_ORG_HEADS = ["ministry", "office"]
DISTRICTS = ["southern", "western", "central", "eastern", "northern", "leningrad", "moscow"]
GIVEN_NAMES = RESOURCES / "names" / "given_names.txt"


def _org(*tokens: dict[str, Any]) -> dict[str, Any]:
    """An organisation pattern recognised by its head noun."""
    return {"label": "ORG", "id": "org_head", "pattern": list(tokens)}


def _titled(title: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A rank or office followed by one to three capitalised words: "Sergeant Pavel Zhilyaev"."""
    name = {"IS_TITLE": True, "IS_ALPHA": True, "LOWER": {"NOT_IN": NOT_NAME_WORDS}}
    return [*title, {"TEXT": ".", "OP": "?"}, name, {**name, "OP": "?"}, {**name, "OP": "?"}]


def _names(path: Path, default: str) -> dict[str, str]:
    """Name -> kind from a "name | kind" list (comments start with #)."""
    names: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            name, _, kind = line.partition("|")
            names[name.strip()] = kind.strip() or default
    return names


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, str]:
    """Place name -> kind from resources/gazetteer/places.txt."""
    return _names(GAZETTEER, "place")


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Given names from resources/names/given_names.txt, as written there."""
    return frozenset(_names(GIVEN_NAMES, "person"))


@lru_cache(maxsize=1)
def organizations() -> dict[str, str]:
    """Organisation name -> kind (outlet, agency, platform, ngo, state, armed, ...) from
    resources/gazetteer/organizations.txt."""
    return _names(ORGANIZATIONS, "organization")


def ruler_patterns() -> list[dict[str, Any]]:
    """Token patterns as {label, id, pattern}; matches take precedence over the model."""
    patterns: list[dict[str, Any]] = [
        {
            "label": "ORG",
            "id": "unit",
            "pattern": [
                {"TEXT": {"REGEX": r"^\d{1,4}(st|nd|rd|th)$"}},
                {"LOWER": {"IN": UNIT_WORDS}, "OP": "*"},
                {"LOWER": {"IN": FORMATIONS}},
            ],
        },
        {  # "Military Unit No. 12345", "military unit 54321": the number names the unit
            "label": "ORG",
            "id": "unit",
            "pattern": [
                {"LOWER": "military", "OP": "?"},
                {"LOWER": "unit"},
                {"LOWER": {"IN": ["no", "no.", "number", "#", "№"]}, "OP": "?"},
                {"TEXT": ".", "OP": "?"},
                {"TEXT": {"REGEX": r"^\d{4,5}$"}},
            ],
        },
        {  # "the Southern Military District", "the southern military district"
            "label": "ORG",
            "id": "unit",
            "pattern": [
                {"LOWER": {"IN": DISTRICTS}},
                {"LOWER": "military"},
                {"LOWER": "district"},
            ],
        },
        {
            "label": "PERSON",
            "id": "designation",
            "pattern": [
                {"LOWER": {"IN": DESIGNATION_NOUNS}, "IS_TITLE": True},
                {"TEXT": {"REGEX": r"^[A-Z]$"}},
            ],
        },
        {
            "label": "GPE",
            "id": "region",
            "pattern": [
                {"IS_TITLE": True, "LOWER": {"NOT_IN": ["the", "in", "from", "to", "a"]}},
                {"IS_TITLE": True, "OP": "?"},
                {"LOWER": {"IN": PLACE_SUFFIXES}},
            ],
        },
    ]
    capital = {"IS_TITLE": True, "LOWER": {"NOT_IN": ["the", "a", "in", "from", "to", "by"]}}
    acronym = {"IS_UPPER": True, "IS_ALPHA": True, "LENGTH": {">=": 2}}
    possessive = {"TEXT": {"IN": ["'s", "’s"]}, "OP": "?"}
    title_head = {"IS_TITLE": True, "LOWER": {"IN": ORG_HEADS}}
    lower_heads = {"LOWER": {"IN": LOWER_ORG_HEADS}, "IS_LOWER": True}
    patterns += [
        # "Open Count Initiative", "Prosecutor General’s Office", "FSB Border Service"
        _org(capital, {"IS_TITLE": True, "OP": "*"}, possessive, title_head),
        _org(acronym, {"IS_TITLE": True, "OP": "*"}, title_head),
        # "Belgorod regional health ministry", "Finnish government"
        _org(capital, {"LOWER": {"IN": ORG_LOWER_MODIFIERS}, "OP": "*"}, possessive, lower_heads),
        # "Georgian Military Road", "Inhulets river"
        {
            "label": "LOC",
            "id": "feature",
            "pattern": [capital, {"IS_TITLE": True, "OP": "*"}, {"LOWER": {"IN": FEATURE_HEADS}}],
        },
    ]
    singles = [t for t in TITLES if " " not in t]
    pairs = [t.split() for t in TITLES if t.count(" ") == 1]
    patterns += [
        {"label": "PERSON", "id": "titled", "pattern": _titled([{"LOWER": {"IN": singles}}])},
        {
            "label": "PERSON",
            "id": "titled",
            "pattern": _titled(
                [
                    {"LOWER": {"IN": sorted({p[0] for p in pairs})}},
                    {"LOWER": {"IN": sorted({p[1] for p in pairs})}},
                ]
            ),
        },
    ]
    return patterns


def phrase_entries() -> list[tuple[str, str, str]]:
    """Fixed names as (label, id, text): named groups and the gazetteer's places."""
    entries = [("ORG", f"named:{kind}", name) for name, kind in organizations().items()]
    entries += [
        ("GPE", f"gazetteer:{kind}", variant)
        for name, kind in gazetteer().items()
        for variant in {name, name.upper()}  # datelines: "KHARKIV —"
    ]
    return entries


class RuleMatcher:
    """Token patterns and fixed names over a doc: yields (start_token, end_token, label, id)."""

    def __init__(self, nlp: Any) -> None:
        from spacy.matcher import Matcher, PhraseMatcher  # noqa: PLC0415 - loads with spaCy

        self._matcher = Matcher(nlp.vocab)
        self._phrases = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._keys: dict[int, tuple[str, str]] = {}
        for number, entry in enumerate(ruler_patterns()):
            key = f"rule{number}"
            self._matcher.add(key, [entry["pattern"]])
            self._keys[nlp.vocab.strings[key]] = (entry["label"], entry["id"])
        grouped: dict[tuple[str, str], list[str]] = {}
        for label, rule_id, text in phrase_entries():
            grouped.setdefault((label, rule_id), []).append(text)
        for (label, rule_id), texts in grouped.items():
            key = f"phrase:{label}:{rule_id}"
            self._phrases.add(key, list(nlp.tokenizer.pipe(texts)))
            self._keys[nlp.vocab.strings[key]] = (label, rule_id)

    def __call__(self, doc: Any) -> list[tuple[int, int, str, str]]:
        """Longest non-overlapping matches in text order, as token offsets."""
        from spacy.tokens import Span  # noqa: PLC0415
        from spacy.util import filter_spans  # noqa: PLC0415

        matches = [*self._matcher(doc), *self._phrases(doc)]
        spans = [
            Span(doc, start, end, label=self._keys[key][0], span_id=self._keys[key][1])
            for key, start, end in matches
        ]
        return [(s.start, s.end, s.label_, s.id_) for s in filter_spans(spans)]
