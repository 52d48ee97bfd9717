"""Rule patterns for what the statistical model misses: units, designations, places, titles."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from workbench.paths import RESOURCES

GAZETTEER = RESOURCES / "gazetteer" / "places.txt"

FORMATIONS = [
    "division", "brigade", "regiment", "battalion", "company", "army", "corps", "detachment",
    "fleet", "squadron", "platoon", "flotilla", "battery", "group",
]  # fmt: skip
UNIT_WORDS = [
    "separate", "guards", "guard", "motorized", "motorised", "motor", "rifle", "tank", "airborne",
    "air", "assault", "marine", "mechanized", "mechanised", "artillery", "infantry", "special",
    "purpose", "forces", "territorial", "defense", "defence", "naval", "mountain", "jaeger",
    "combined", "arms", "aviation", "missile", "engineer", "engineering", "reconnaissance",
    "spetsnaz", "national", "border", "operational", "rocket", "anti-aircraft", "presidential",
    "volunteer", "mechanised", "landing", "amphibious", "command", "storm", "shock", "sapper",
    "coastal", "defense", "of", "the", "ground", "tactical", "intelligence", "signals", "-",
]  # fmt: skip
NAMED_ORGS = [
    "Wagner Group", "Wagner PMC", "PMC Wagner", "Wagner", "Storm-Z", "Storm Z", "Storm-V",
    "Prosecutor General’s Office",
    "Akhmat", "Rosgvardia", "Rosgvardiya", "Redut", "Africa Corps", "Azov", "Kraken", "Prizrak",
    "FSB", "GRU", "SBU", "FSIN", "FSO", "MVD", "OSCE", "UNHCR", "ICRC",
    "Federal Security Service", "Investigative Committee", "Prosecutor General's Office",
    "Defense Ministry", "Defence Ministry", "Ministry of Defense", "Ministry of Defence",
    "Interior Ministry", "Ministry of Internal Affairs", "Foreign Ministry", "General Staff",
    "National Guard", "Red Cross", "Mediazona", "Meduza", "BBC", "Reuters", "Novaya Gazeta",
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
    "federal", "state", "city", "district", "prosecutor's", "prosecutor’s", "migration",
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


LOWER_ORG_HEADS = ["ministry", "government", "administration", "office", "court"]


def _org(*tokens: dict[str, Any]) -> dict[str, Any]:
    """An organisation pattern recognised by its head noun."""
    return {"label": "ORG", "id": "org_head", "pattern": list(tokens)}


def _title_pattern(title: str) -> list[dict[str, Any]]:
    """A rank or office followed by one to three capitalised words: "Sergeant Pavel Zhilyaev"."""
    tokens: list[dict[str, Any]] = []
    for word in title.split():
        tokens.append({"LOWER": {"IN": [word, word + "."]}})
        tokens.append({"TEXT": ".", "OP": "?"})
    name = {"IS_TITLE": True, "IS_ALPHA": True, "LOWER": {"NOT_IN": NOT_NAME_WORDS}}
    return [*tokens, name, {**name, "OP": "?"}, {**name, "OP": "?"}]


def _phrase(text: str) -> list[dict[str, Any]]:
    """A token pattern for a fixed phrase, tokenised the way spaCy splits hyphens."""
    tokens: list[dict[str, Any]] = []
    for word in text.replace("-", " - ").split():
        tokens.append({"TEXT": word})
    return tokens


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, str]:
    """Place name -> kind from resources/gazetteer/places.txt."""
    places: dict[str, str] = {}
    for raw in GAZETTEER.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            name, _, kind = line.partition("|")
            places[name.strip()] = kind.strip() or "place"
    return places


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
    patterns += [{"label": "ORG", "id": "named", "pattern": _phrase(n)} for n in NAMED_ORGS]
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
        _org(capital, {"LOWER": {"IN": ORG_LOWER_MODIFIERS}, "OP": "*"}, lower_heads),
        # "Georgian Military Road", "Inhulets river"
        {
            "label": "LOC",
            "id": "feature",
            "pattern": [capital, {"IS_TITLE": True, "OP": "*"}, {"LOWER": {"IN": FEATURE_HEADS}}],
        },
    ]
    patterns += [
        {"label": "PERSON", "id": "titled", "pattern": _title_pattern(title)} for title in TITLES
    ]
    patterns += [
        {"label": "GPE", "id": f"gazetteer:{kind}", "pattern": _phrase(variant)}
        for name, kind in gazetteer().items()
        for variant in {name, name.upper()}  # datelines: "KHARKIV —"
    ]
    return patterns


class RuleMatcher:
    """A spaCy Matcher over ``ruler_patterns`` that yields (start_token, end_token, label, id)."""

    def __init__(self, vocab: Any) -> None:
        from spacy.matcher import Matcher  # noqa: PLC0415 - spaCy loads only with extraction

        self._matcher = Matcher(vocab)
        self._keys: dict[int, tuple[str, str]] = {}
        for number, entry in enumerate(ruler_patterns()):
            key = f"rule{number}"
            self._matcher.add(key, [entry["pattern"]])
            self._keys[vocab.strings[key]] = (entry["label"], entry["id"])

    def __call__(self, doc: Any) -> list[tuple[int, int, str, str]]:
        """Longest non-overlapping matches in text order, as token offsets."""
        from spacy.tokens import Span  # noqa: PLC0415
        from spacy.util import filter_spans  # noqa: PLC0415

        spans = [
            Span(doc, start, end, label=self._keys[match_id][0], span_id=self._keys[match_id][1])
            for match_id, start, end in self._matcher(doc)
        ]
        return [(s.start, s.end, s.label_, s.id_) for s in filter_spans(spans)]
