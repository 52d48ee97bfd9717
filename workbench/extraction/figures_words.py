"""Word lists and tables of the figure finder (`workbench.extraction.figures`).

Number words, scales and vague quantities; qualifier phrases and the bounds they set; and the
nouns, units and neighbouring words that tell a figure from a year, a date, an age or a name.
"""

from __future__ import annotations

from typing import Literal

from workbench.extraction.dates_grammar import MONTH_NAMES


def _words(text: str) -> frozenset[str]:
    """A word list written as one space-separated string."""
    return frozenset(text.split())


_SMALL_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
SMALL = {w: n for n, w in enumerate(_SMALL_WORDS.split())}
_TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
TENS = {w: 20 + 10 * n for n, w in enumerate(_TENS_WORDS.split())}
SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "dozen": 12.0}
VAGUE = {"dozens": 24.0, "scores": 40.0, "hundreds": 200.0, "thousands": 2e3, "millions": 2e6}
VAGUE_OF = {"tens": 10.0, "hundreds": 100.0, "dozens": 12.0}
VAGUE_BIG = {"thousands": 1e3, "millions": 1e6, "billions": 1e9}
FEW = {"several": 3.0, "few": 2.0}
FRACTIONS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5, "tenth": 10}
FRACTIONS |= {f"{word}s": n for word, n in FRACTIONS.items() if word != "half"}
MULTIPLIERS = {"double": 2.0, "triple": 3.0, "treble": 3.0, "quadruple": 4.0}

# How a qualifier bounds the quantity: "" a plain number, gt/ge/lt/le above or below it,
# "about"/"nearly" around or just under it, "exact", and the two ranges' openers.
FigureMode = Literal["", "gt", "ge", "lt", "le", "about", "nearly", "exact", "between", "from"]
_QUALIFIERS: tuple[tuple[str, FigureMode, str], ...] = (  # (name, mode, phrases)
    ("more than", "gt", "more than|over|above|upwards of|in excess of|greater than|just over"),
    ("more than", "gt", "well over|slightly more than|a little over|just above"),
    ("at least", "ge", "at least|no fewer than|no less than|not less than|a minimum of"),
    ("fewer than", "lt", "fewer than|less than|under|below"),
    ("at most", "le", "at most|no more than|not more than|a maximum of|maximum of"),
    ("up to", "le", "up to|as many as|as much as|as high as"),
    ("about", "about", "about|around|some|roughly|approximately|approx|approx.|circa|ca."),
    ("about", "about", "estimated|an estimated|~|perhaps|maybe|in the region of|more or less"),
    ("nearly", "nearly", "nearly|almost|close to|just under|just below|just shy of"),
    ("only", "exact", "only|just|merely|a mere"),
    ("exactly", "exact", "exactly|precisely"),
    ("between", "between", "between"),
    ("between", "from", "from"),
)
LEFT: dict[tuple[str, ...], tuple[str, FigureMode]] = {
    tuple(phrase.split()): (name, mode)
    for name, mode, phrases in _QUALIFIERS
    for phrase in phrases.split("|")
}
POST: dict[str, tuple[str, FigureMode]] = {
    "more": ("at least", "ge"),
    "over": ("at least", "ge"),
    "so": ("about", "about"),
}
POST |= {"fewer": ("at most", "le"), "less": ("at most", "le")}

CURRENCY = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "₽": "RUB", "₴": "UAH"}
CURRENCY_CODES = _words("USD EUR GBP RUB UAH KZT GEL AMD")
TIME_UNITS = _words(
    "second seconds minute minutes hour hours day days week weeks fortnight month months "
    "year years decade decades night nights"
)
CLOCK = _words("a.m. am p.m. pm o'clock hrs gmt utc msk")
DAYPARTS = _words("morning evening afternoon night")
MONTHS = frozenset(MONTH_NAMES)
DESIGNATORS = _words(  # a number right after these names something ("Article 338")
    "article art no nos number page p pp part section paragraph clause chapter item point "
    "brigade battalion regiment division unit corps platoon squad detachment decree law "
    "resolution vol volume issue edition version # № tel phone telephone fax ext"
)
TITLE_DESIGNATORS = _words(  # ... and these only when capitalised ("Hospital 5", "Colony 7")
    "army company room flat apartment building block house route highway road flight order "
    "case file channel district school hospital colony camp ward bus train line gate floor "
    "level stage phase model grade category class"
)
NOMINAL = _words(
    "wounded dead killed injured missing captured detained displaced arrested mobilised "
    "mobilized conscripted evacuated sick deceased"
)
PEOPLE = _words(
    "soldiers men women children people civilians servicemen deserters prisoners conscripts "
    "recruits fighters troops casualties patients doctors surgeons nurses medics officers "
    "volunteers relatives families bodies victims detainees refugees residents marines "
    "mercenaries sailors pilots wounded dead"
)
PERSON = _words(
    "soldier man woman child person civilian serviceman deserter prisoner conscript recruit "
    "fighter casualty patient doctor surgeon nurse medic officer volunteer body victim "
    "detainee refugee marine mercenary"
)
COUNT_NOUNS = _words("% people personnel wounded dead killed missing")
MEASURES = _words(  # continuous units: "more than 20 km" is at least 20, not 21
    "% km kilometres kilometers kilometre kilometer metres meters metre meter m miles mile "
    "kg tonnes tons hectares times fold usd eur gbp rub uah rubles roubles dollars euros "
    "hryvnias hryvnia pounds"
)
NOT_COUNTED = _words(  # things counted in passing, not the harm being measured
    "regions countries oblasts provinces checkpoints crossings words pages documents sources "
    "source beds tables languages interviews questions photographs photos"
)
REPORTING = _words("say confirm tell describe speak report recount recall corroborate testify")
NAMING_ENTS = _words("ORG PRODUCT FAC LAW WORK_OF_ART EVENT")
NUMERIC_ENTS = _words("CARDINAL QUANTITY PERCENT MONEY")
CHANGE_VERBS = _words("rise grow increase fall drop decline climb jump double triple go surge")
AGE_WORDS = _words("aged age ages")
AGE_SUBJECTS = _words("i he she you we they")
DETS = _words("the those these his her their our its my your every")
NOT_HALF = _words("first second latter former the a an and")
