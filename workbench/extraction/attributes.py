"""Faster stand-ins for spaCy's attribute ruler and lemmatiser, giving every token the same
attributes.

The English model's attribute ruler sets each token's coarse part of speech, morphology and
some lemmas from 179 token patterns (its tag map and exceptions), through spaCy's general
Matcher: 16% of the model's time on our texts, more than the tagger, the sentence
recogniser and the lemmatiser together. All but one of those patterns look at one token, and
only at its tag, its lower-case form, whether it is a space and its dependency label (empty
here: there is no parser). ``FastAttributes`` decides once per distinct combination of these
which patterns match, remembers it, and checks the few longer patterns ("ai n't") token by
token. As in the ruler, every pattern is matched against the tokens as the tagger left them,
then the matches are applied in the order the patterns were added, so a later one wins.
A model whose patterns ask for anything else keeps its ruler (``use_stand_ins``).

The rule lemmatiser's answer for a token depends only on its text, part of speech and
morphology (spaCy caches it by these, except for the cases it answers at once); it calls
Python code for every token. ``FastLemmas`` asks the model's lemmatiser once per distinct
(text, part of speech, morphology) and writes every lemma in one array.
"""

from __future__ import annotations

import re
from typing import Any

import numpy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

NAME = "workbench_attributes"
LEMMAS = "workbench_lemmas"
_READ = {"TAG": 0, "LOWER": 1, "IS_SPACE": 2, "DEP": 3}  # places in a token's key
_COLUMNS: list[int | str] = list(_READ)
Key = tuple[int, int, int, int]
Spec = dict[str, Any]


def _predicate(value: Any) -> Any:
    """A test of one attribute's value, as the Matcher reads a pattern (None: unsupported)."""
    if isinstance(value, str | bool):
        return lambda seen: seen == value
    if isinstance(value, dict) and len(value) == 1:
        ((operator, argument),) = value.items()
        if operator == "IN":
            return lambda seen: seen in argument
        if operator == "NOT_IN":
            return lambda seen: seen not in argument
        if operator == "REGEX":
            regex = re.compile(argument)
            return lambda seen: bool(regex.search(seen))
    return None


def _token_test(spec: Spec) -> Any:
    """A test of one token's values (tag, lower, is_space, dep), or None: unsupported."""
    if not spec or not set(spec) <= set(_READ):
        return None
    tests = [(_READ[name], _predicate(value)) for name, value in spec.items()]
    if any(test is None for _, test in tests):
        return None
    return lambda values: all(test(values[place]) for place, test in tests)


class FastAttributes:
    """The attribute ruler's patterns, matched by token values instead of a Matcher."""

    def __init__(self, nlp: Language, name: str = NAME) -> None:
        self.name = name
        self._strings = nlp.vocab.strings  # the strings of the tokens' own vocabulary
        self._attrs: list[dict[int, Any]] = []
        self._single: list[tuple[int, Any]] = []  # (attr id, test) of one-token patterns
        self._longer: list[tuple[int, list[Any], int]] = []  # (attr id, tests, index)
        self._cache: dict[Key, dict[int, Any]] = {}

    def adopt(self, ruler: Any) -> bool:
        """Take the patterns of a spaCy ``AttributeRuler``; False if one cannot be read."""
        for attr_id, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                tests = [_token_test(spec) for spec in pattern]
                if any(test is None for test in tests):
                    return False
                if len(tests) == 1:
                    self._single.append((attr_id, tests[0]))
                else:
                    self._longer.append((attr_id, tests, entry["index"]))
        self._attrs = list(ruler.attrs)
        return True

    def _values(self, key: Key) -> tuple[str, str, bool, str]:
        tag, lower, space, dep = key
        return self._strings[tag], self._strings[lower], bool(space), self._strings[dep]

    def _matched(self, key: Key) -> list[int]:
        """The one-token patterns a token with these values matches, in order."""
        values = self._values(key)
        return [attr_id for attr_id, test in self._single if test(values)]

    def _merged(self, attr_ids: list[int]) -> dict[int, Any]:
        merged: dict[int, Any] = {}
        for attr_id in sorted(attr_ids):
            merged.update(self._attrs[attr_id])
        return merged

    def __call__(self, doc: Doc) -> Doc:
        keys: list[Key] = list(map(tuple, doc.to_array(_COLUMNS).tolist()))
        extra = self._longer_matches(keys) if self._longer else {}
        for i, key in enumerate(keys):
            if i in extra:
                attrs = self._merged(self._matched(key) + extra[i])
            elif key in self._cache:
                attrs = self._cache[key]
            else:
                attrs = self._cache[key] = self._merged(self._matched(key))
            if attrs:
                set_token_attrs(doc[i], attrs)
        return doc

    def _longer_matches(self, keys: list[Key]) -> dict[int, list[int]]:
        """Token -> the ids of longer patterns whose match puts their attributes on it."""
        values = {key: self._values(key) for key in set(keys)}
        found: dict[int, list[int]] = {}
        for attr_id, tests, index in self._longer:
            passing = [{key for key, seen in values.items() if test(seen)} for test in tests]
            size = len(tests)
            firsts = [i for i, key in enumerate(keys[: len(keys) - size + 1]) if key in passing[0]]
            for start in firsts:  # few: "gon" of "gon na", "ai" of "ai n't"
                if all(keys[start + k] in passing[k] for k in range(1, size)):
                    target = start + index if index >= 0 else start + size + index
                    found.setdefault(target, []).append(attr_id)
        return found

    def pipe(self, docs: Any, **_kwargs: Any) -> Any:
        """Each doc in turn, as ``nlp.pipe`` asks of a component."""
        for doc in docs:
            yield self(doc)


@Language.factory(NAME)
def _make(nlp: Language, name: str) -> FastAttributes:
    return FastAttributes(nlp, name)


class FastLemmas:
    """The model's rule lemmatiser, asked once per distinct (text, part of speech, morphology)."""

    def __init__(self, name: str = LEMMAS) -> None:
        self.name = name
        self._lemmatizer: Any = None
        self._cache: dict[tuple[int, int, int], int] = {}

    def adopt(self, lemmatizer: Any) -> bool:
        """Take over a spaCy rule ``Lemmatizer``; False for one that works otherwise."""
        self._lemmatizer = lemmatizer
        return getattr(lemmatizer, "mode", None) == "rule" and not lemmatizer.overwrite

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        rows = doc.to_array(["ORTH", "POS", "MORPH", "LEMMA"]).tolist()
        lemmas = [self._lemma(doc, i, row) for i, row in enumerate(rows)]
        column: Any = numpy.array(lemmas, dtype=numpy.uint64).reshape(-1, 1)
        doc.from_array(["LEMMA"], column)
        return doc

    def _lemma(self, doc: Doc, i: int, row: list[int]) -> int:
        orth, pos, morph, lemma = row
        if lemma:  # the attribute ruler set it: it stays, as in spaCy
            return lemma
        key = (orth, pos, morph)
        found = self._cache.get(key, 0)
        if not found:
            found = self._cache[key] = doc.vocab.strings.add(self._lemmatizer.lemmatize(doc[i])[0])
        return found

    def pipe(self, docs: Any, **_kwargs: Any) -> Any:
        """Each doc in turn, as ``nlp.pipe`` asks of a component."""
        for doc in docs:
            yield self(doc)


@Language.factory(LEMMAS)
def _make_lemmas(nlp: Language, name: str) -> FastLemmas:  # noqa: ARG001 - spaCy names it
    return FastLemmas(name)


def use_stand_ins(nlp: Language) -> None:
    """Put ``FastAttributes`` and ``FastLemmas`` in the places of the model's attribute ruler
    and lemmatiser, with their patterns and tables, unless a model asks of them something
    they do not do."""
    _replace(nlp, "attribute_ruler", NAME, FastAttributes(nlp).adopt)
    _replace(nlp, "lemmatizer", LEMMAS, FastLemmas().adopt)


def _replace(nlp: Language, name: str, factory: str, fits: Any) -> None:
    if name in nlp.pipe_names and fits(original := nlp.get_pipe(name)):
        stand_in: Any = nlp.replace_pipe(name, factory)
        stand_in.adopt(original)
