"""Match what a user typed ("my red guitar", "a cup of espresso", "Katze", "猫") to one piece, or to none.

A wrong piece shown as if right is worse than an honest labelled prop, so a piece is chosen only when
every word of the text is explained: by a piece's name, a filler ("my", "a", "two"), a describing word
("red", "wooden") or a close spelling of a name. Names come, most trusted first, from the drawn pieces
and our own aliases, the English CLDR names of the emoji pieces, the English keywords that name only one
piece (or are the last word of its name), then other languages' names and keywords.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .aliases import ADJECTIVES, ALIASES, CONTAINERS, FILLERS, SAME_AS
from .emoji import bare, by_emoji, emoji_pieces, english_words
from .registry import ACCESSORIES, PROP

_NON_WORD = re.compile(r"[^\w]+")
_MIN_TYPO_LEN = 5  # a one-letter slip in a shorter word too often makes another real word: "cap", "cat"
_AMBIGUOUS = ""  # an index entry claimed equally by two pieces: names neither


@dataclass(frozen=True)
class Match:
    """The outcome of matching free text to the catalogue.

    `key` is a piece key (a drawn piece or an emoji piece) or "prop"; `emoji` is the emoji the piece
    shows or stands for ("" for the prop and the drawn pieces that have none).
    """

    text: str
    key: str
    label: str
    score: float
    known: bool
    emoji: str = ""


def _singular(word: str) -> str:
    if len(word) <= 3 or word.endswith(("ss", "us", "is")) or not word.isascii():
        return word
    if word.endswith("ives"):  # knives, wives
        return word[:-3] + "fe"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "zes", "oes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def _words(text: str) -> list[str]:
    text = text.casefold()
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text.replace("_", " ")).split()


def normalise(text: str) -> str:
    """Casefold, drop accents and punctuation, singularise each word; words joined by single spaces."""
    return " ".join(_singular(w) for w in _words(text))


class _Index:
    """Phrase -> piece key. Each name is a claim with a rank (lower is more trusted); the best claims win,
    and when two pieces claim a phrase equally it names one only if they are the same kind of thing."""

    def __init__(self) -> None:
        self.claims: dict[str, list[tuple[float, str]]] = {}
        self.names: dict[str, tuple[float, str]] = {}
        self.vocab: set[str] = set()
        self.spelled: set[str] = set()  # names a close misspelling may stand for: things, not roles

    def add(self, words: list[str], key: str, rank: float, english: bool = True) -> None:
        if not words:
            return
        phrase = " ".join(words)
        forms = {phrase: rank, phrase.replace(" ", ""): rank}
        if english:  # a plural made singular is a weaker name than the word as written ("glasses")
            single = " ".join(_singular(w) for w in words)
            forms.setdefault(single, rank + 0.5)
            forms.setdefault(single.replace(" ", ""), rank + 0.5)
        for form, r in forms.items():
            self.claims.setdefault(form, []).append((r, key))

    def resolve(self, head: dict[str, tuple[str, int, int]]) -> None:
        for form, claims in self.claims.items():
            best = min(r for r, _ in claims)
            keys = sorted({k for r, k in claims if r == best}, key=lambda k: head.get(k, ("", 0, 0))[1:])
            if len(keys) > 1 and len({head.get(k, (k,))[0] for k in keys}) > 1:
                keys = [_most_are(keys, head)]
            self.names[form] = (best, keys[0])
        self.claims = {}


def _most_are(keys: list[str], head: dict[str, tuple[str, int, int]]) -> str:
    """Of pieces of different kinds that claim a name equally, the plainest of the kind most of them are
    (Japanese 犬 names a dog, a dog face, a guide dog, a service dog and a poodle: a dog); no piece when no
    kind has a majority. `keys` come plainest first."""
    kinds = [head.get(k, (k,))[0] for k in keys]
    top = max(kinds, key=kinds.count)
    if 2 * kinds.count(top) <= len(kinds):
        return _AMBIGUOUS
    return keys[kinds.index(top)]


def _piece_key(target: str) -> str:
    """An alias target (a drawn key, an emoji piece key or an emoji) as the key that shows it."""
    if target in ACCESSORIES:
        return target
    e = bare(target)
    if e in SAME_AS_KEY():
        return SAME_AS_KEY()[e]
    if e in by_emoji():
        return by_emoji()[e]
    raise KeyError(f"alias target {target!r} is not a piece")


@cache
def SAME_AS_KEY() -> dict[str, str]:  # noqa: N802 - a constant built once
    """Emoji -> the drawn piece that stands for it (drawn pieces win where they exist)."""
    return {bare(e): key for key, e in SAME_AS.items()}


@cache
def _index(generation: int) -> _Index:
    """The phrase index: the one prebuilt in the package when it was built from the catalogue as it is now
    (read a bucket at a time, so a first match costs milliseconds, not the half second a build takes);
    built here otherwise (a package registered more pieces)."""
    return _stored_index() or _build_index()


# ------------------------------------------------------------------------ the prebuilt index

INDEX = Path(__file__).resolve().parent / "assets" / "index.zip"
_BUCKETS = 64


def _bucket(form: str) -> int:
    return zlib.crc32(form.encode("utf-8")) % _BUCKETS


def fingerprint() -> str:
    """What the index is built from: the drawn pieces' names, the aliases, the word lists and the emoji names
    (by the archive's checksum). A prebuilt index is used only when it was built from the same."""
    from .emoji import ARCHIVE

    h = hashlib.sha256(b"index 1")  # the build's own version: bump it when `_build_index` changes
    for acc in ACCESSORIES.values():
        h.update(repr((acc.key, acc.label, tuple(acc.synonyms))).encode())
    for table in (ALIASES, SAME_AS):
        h.update(repr(sorted(table.items())).encode())
    h.update(repr(sorted(FILLERS | ADJECTIVES | CONTAINERS)).encode())
    with zipfile.ZipFile(ARCHIVE) as z:
        h.update(str(z.getinfo("pieces.json").CRC).encode())
    return h.hexdigest()[:16]


class _StoredNames:
    """The prebuilt index's phrase table, read one bucket at a time as queries need it."""

    def __init__(self) -> None:
        self._buckets: dict[int, dict[str, tuple[float, str]]] = {}

    def _table(self, form: str) -> dict[str, tuple[float, str]]:
        b = _bucket(form)
        if b not in self._buckets:
            with zipfile.ZipFile(INDEX) as z:
                self._buckets[b] = {k: (r, key) for k, (r, key) in json.loads(z.read(f"names/{b:02d}.json")).items()}
        return self._buckets[b]

    def __contains__(self, form: str) -> bool:
        return form in self._table(form)

    def __getitem__(self, form: str) -> tuple[float, str]:
        return self._table(form)[form]

    def get(self, form: str, default=None):
        return self._table(form).get(form, default)


def _stored_index() -> _Index | None:
    try:
        with zipfile.ZipFile(INDEX) as z:
            meta = json.loads(z.read("meta.json"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None
    if meta.get("fingerprint") != fingerprint():
        return None
    idx = _Index()
    idx.names = _StoredNames()  # type: ignore[assignment]
    idx.vocab, idx.spelled = set(meta["vocab"]), set(meta["spelled"])
    return idx


def write_index() -> None:
    """Build the index from the catalogue and write it into the package (run after changing a piece's
    names, the aliases or the emoji archive; a test fails until it is current)."""
    idx = _build_index()
    buckets: dict[int, dict] = {}
    for form, entry in idx.names.items():
        buckets.setdefault(_bucket(form), {})[form] = entry
    with zipfile.ZipFile(INDEX, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("meta.json", json.dumps({"fingerprint": fingerprint(), "vocab": sorted(idx.vocab),
                                            "spelled": sorted(idx.spelled)}, ensure_ascii=False))
        for b in range(_BUCKETS):
            z.writestr(f"names/{b:02d}.json", json.dumps(buckets.get(b, {}), ensure_ascii=False, sort_keys=True,
                                                          separators=(",", ":")))
    print(f"{len(idx.names)} names -> {INDEX} ({INDEX.stat().st_size / 1e6:.1f} MB)")


def _build_index() -> _Index:
    idx = _Index()
    for acc in ACCESSORIES.values():
        for name in (acc.key.replace("-", " "), acc.label, *acc.synonyms):
            idx.add(_words(name), acc.key, 0)
        idx.spelled.update((acc.key.replace("-", " "), " ".join(_words(acc.label))))
    for word, target in ALIASES.items():
        idx.add(_words(word), _piece_key(target), 0)
        idx.spelled.add(" ".join(_words(word)))
    pieces = emoji_pieces()
    show = {k: SAME_AS_KEY().get(bare(p.emoji), k) for k, p in pieces.items()}
    # What kind of thing each piece is (its English name's last word) and how plain its name is.
    head: dict[str, tuple[str, int, int]] = {}
    for order, (k, p) in enumerate(pieces.items()):
        label = p.names["en"][0].split()
        kind = label[-2] if label[-1] == "face" and len(label) > 1 else label[-1]  # a dog face is a dog
        head.setdefault(show[k], (_singular(kind), len(label), order))
        idx.vocab.update(w for name in p.names["en"] for w in name.split())
        if p.label.casefold().startswith("flag:"):
            country = label[1:]
            for words in (label, country + ["flag"], ["flag", "of"] + country):
                idx.add(words, show[k], 1)
            continue
        idx.add(label, show[k], 1)
        idx.spelled.add(" ".join(label))
    for acc in ACCESSORIES.values():
        head[acc.key] = (_singular(acc.label.casefold().split()[-1]), 1, -1)
    # Other languages: their names, and keywords that are (part of) the piece's name there; never a word
    # that is also English, where it might mean something else ("chat", "gift").
    for k, p in pieces.items():
        for lang, names in p.names.items():
            if lang.startswith("en") or not names:
                continue
            native = names[0]
            if not set(native.split()) <= idx.vocab:
                idx.add(native.split(), show[k], 4, english=False)
            for tag in names[1:]:
                words = tag.split()
                if not words or set(words) <= idx.vocab or len(tag) < 3 and tag.isascii():
                    continue
                if tag in native.split() or (" " not in tag and tag in native.replace(" ", "")) or not tag.isascii():
                    idx.add(words, show[k], 5, english=False)
    idx.vocab |= FILLERS | ADJECTIVES | CONTAINERS
    idx.resolve(head)
    return idx


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


@cache
def _typos(generation: int) -> dict[str, list[str]]:
    """Each one-letter deletion of a single-word thing name -> the names it comes from."""
    idx = _index(generation)
    out: dict[str, list[str]] = {}
    for name in idx.spelled:
        if " " in name or len(name) < _MIN_TYPO_LEN or not name.isascii() or not idx.names.get(name, (0, ""))[1]:
            continue
        for form in _deletes(name) | {name}:
            out.setdefault(form, []).append(name)
    return out


def _one_slip(a: str, b: str) -> bool:
    """True when b is a with one letter missing, added, changed, or two neighbours swapped."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:] or (a[i:i + 2] == b[i:i + 2][::-1] and a[i + 2:] == b[i + 2:])
    return a[i + 1:] == b[i:] if len(a) > len(b) else a[i:] == b[i + 1:]


def _lookup(idx: _Index, words: list[str]) -> str | None:
    """The key the words name ("" when they name two things equally), or None when they name nothing."""
    phrase, single = " ".join(words), " ".join(_singular(w) for w in words)
    bare_s = phrase[:-1] if phrase.endswith("ies") else single  # "cookies" is a cookie, "puppies" a puppy
    forms = ((phrase, 0.0), (phrase.replace(" ", ""), 0.0), (single, 0.5), (single.replace(" ", ""), 0.5),
             (bare_s, 0.5))  # the words as typed beat the same words made singular ("movies", "glasses")
    hits = [(idx.names[f][0] + extra, i, idx.names[f][1]) for i, (f, extra) in enumerate(forms) if f in idx.names]
    return min(hits)[2] if hits else None


def _typo(generation: int, word: str) -> str | None:
    if len(word) < _MIN_TYPO_LEN or not word.isascii() or word in english_words():
        return None
    idx, table = _index(generation), _typos(generation)
    names = {n for f in _deletes(word) | {word} for n in table.get(f, ()) if _one_slip(word, n)}
    keys = {idx.names[n][1] for n in names}
    return keys.pop() if len(keys) == 1 else None


def _head(generation: int, words: list[str]) -> tuple[str, float] | None:
    """The piece a run of words names: a name at the end, every word before it a describing word."""
    idx = _index(generation)
    for start in range(len(words)):
        rest, tail = words[:start], words[start:]
        key = _lookup(idx, tail)
        # Words before the name may describe it, or name the same piece again ("tennis racquet").
        if any(w not in ADJECTIVES and (not key or _lookup(idx, [w]) != key) for w in rest):
            continue
        if key is not None:
            return (key, 1.0 if not rest else 0.9) if key else None
        if len(tail) == 1 and tail[0] not in idx.vocab:
            key = _typo(generation, tail[0])
            if key:
                return key, 0.8
    return None


def _understand(generation: int, words: list[str]) -> tuple[str, float] | None:
    idx = _index(generation)
    key = _lookup(idx, words)
    if key is not None:
        return (key, 1.0) if key else None
    words = [w for w in words if w not in FILLERS and not w.isdigit()]
    if not words:
        return None
    key = _lookup(idx, words)
    if key is not None:
        return (key, 1.0) if key else None
    # "a cup of espresso", "a slice of pizza": the thing is what comes after "of".
    if "of" in words:
        i = words.index("of")
        if all(w in CONTAINERS or w in ADJECTIVES for w in words[:i]) and i + 1 < len(words):
            return _understand(generation, words[i + 1:])
    # "the chef's knife": the owner goes, the thing stays.
    if "s" in words[1:]:
        return _understand(generation, words[words.index("s", 1) + 1:])
    if "with" in words[1:]:
        return _understand(generation, words[:words.index("with", 1)])
    return _head(generation, words)


def match_accessory(text: str) -> Match:
    """Find the piece a piece of free text names, only when confident.

    Args:
        text: what the user typed, e.g. "Espresso", "my red guitar", "two dice", "Katze".

    Returns:
        A `Match`: score 1.0 for a name, 0.9 for a name with describing words, 0.8 for a close spelling.
        Text that names no piece with confidence gives the neutral "prop" with `known=False` and score 0.
    """
    if not isinstance(text, str):
        raise TypeError(f"accessory text must be a string, got {type(text).__name__}")
    generation = len(ACCESSORIES)
    words = _words(text)
    found = _understand(generation, words) if words else None
    if not found:
        return Match(text=text, key=PROP.key, label=PROP.label, score=0.0, known=False)
    key, score = found
    return Match(text=text, key=key, label=piece_label(key), score=score, known=True, emoji=piece_emoji(key))


def piece_label(key: str) -> str:
    if key in ACCESSORIES:
        return ACCESSORIES[key].label
    return emoji_pieces()[key].label


def piece_emoji(key: str) -> str:
    if key in ACCESSORIES:
        return SAME_AS.get(key, "")
    return emoji_pieces()[key].emoji


if __name__ == "__main__":
    write_index()
