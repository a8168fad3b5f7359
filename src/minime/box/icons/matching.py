"""Match what a user typed ("my red guitar", "espresso", "guitare") to an accessory key."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .registry import ACCESSORIES, PROP

FUZZY_THRESHOLD = 0.8  # difflib ratio; below this a word is not taken as a typo of a known name
_SHORT_THRESHOLD = 0.88  # one edit in a short word changes a lot: "bear" is not a typo of "beaker"
_MIN_FUZZY_LEN = 4  # shorter words ("cap", "pan") are too easy to mistake for one another
_NON_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class Match:
    """The outcome of matching free text to the accessory library."""

    text: str
    key: str
    label: str
    score: float
    known: bool


def _singular(word: str) -> str:
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ives"):  # knives, wives
        return word[:-3] + "fe"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def normalise(text: str) -> str:
    """Casefold, drop accents and punctuation, singularise each word; words joined by single spaces."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = [w for w in _NON_WORD.sub(" ", text.replace("_", " ")).split() if w]
    return " ".join(_singular(w) for w in words)


@lru_cache(maxsize=1)
def _index(generation: int) -> dict[str, str]:
    """Normalised phrase -> key, over keys, labels and synonyms (spaced and run-together forms)."""
    index: dict[str, str] = {}
    # Synonyms go in first so a key or label always wins a clash with another piece's synonym.
    for acc in ACCESSORIES.values():
        for name in acc.synonyms:
            _add(index, name, acc.key)
    for acc in ACCESSORIES.values():
        for name in (acc.key.replace("-", " "), acc.label):
            _add(index, name, acc.key, force=True)
    return index


def _add(index: dict[str, str], name: str, key: str, force: bool = False) -> None:
    phrase = normalise(name)
    if not phrase:
        return
    for form in {phrase, phrase.replace(" ", "")}:
        if force or form not in index:
            index[form] = key


def _result(text: str, key: str, score: float) -> Match:
    return Match(text=text, key=key, label=ACCESSORIES[key].label, score=round(score, 3), known=True)


def match_accessory(text: str) -> Match:
    """Find the accessory a piece of free text names.

    Tries, in order: the whole text as a key, label or synonym; the longest known phrase inside the text
    (the last one when several tie, since English puts the head noun last: "camera bag" is a bag);
    then a close spelling of a name (difflib ratio >= FUZZY_THRESHOLD) for the text or its words.

    Args:
        text: what the user typed, e.g. "Espresso", "my red guitar", "guitare".

    Returns:
        A `Match`. Unknown text gives the neutral "prop" piece with `known=False` and score 0.
    """
    if not isinstance(text, str):
        raise TypeError(f"accessory text must be a string, got {type(text).__name__}")
    index = _index(len(ACCESSORIES))
    phrase = normalise(text)
    if not phrase:
        return _prop(text)
    if phrase in index:
        return _result(text, index[phrase], 1.0)
    words = phrase.split()
    for n in range(min(len(words), 4), 0, -1):
        grams = [" ".join(words[i:i + n]) for i in range(len(words) - n + 1)]
        for gram in reversed(grams):
            for form in (gram, gram.replace(" ", "")):
                if form in index:
                    return _result(text, index[form], 0.9)
    best_key, best = "", 0.0
    names = list(index)
    candidates = [phrase] + [" ".join(words[i:i + n]) for n in (2, 1) for i in range(len(words) - n + 1)]
    for cand in candidates:
        if len(cand) < _MIN_FUZZY_LEN:
            continue
        for name in difflib.get_close_matches(cand, names, n=1, cutoff=FUZZY_THRESHOLD):
            if len(name) < _MIN_FUZZY_LEN:
                continue
            ratio = difflib.SequenceMatcher(None, cand, name).ratio()
            if min(len(cand), len(name)) <= 5 and ratio < _SHORT_THRESHOLD:
                continue
            if ratio > best:
                best_key, best = index[name], ratio
    if best_key:
        return _result(text, best_key, 0.85 * best)
    return _prop(text)


def _prop(text: str) -> Match:
    return Match(text=text, key=PROP.key, label=PROP.label, score=0.0, known=False)
