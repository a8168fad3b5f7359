"""The catalogue of emoji pieces: its size, its licences, matching you can trust and the plastic finish."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from minime.accessories import ACCESSORIES, catalogue, match_accessory, render_accessory, search
from minime.accessories.aliases import ALIASES
from minime.accessories.emoji import ARCHIVE, bare, emoji_pieces
from minime.accessories.matching import _piece_key

WORDS = Path(__file__).parent / "fixtures" / "accessory_words.tsv"


def _rows() -> list[tuple[str, set[str]]]:
    rows = [line.split("\t") for line in WORDS.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return [(word, {bare(e) for e in expected.split("|")}) for word, expected in rows]


def _got(word: str) -> str:
    m = match_accessory(word)
    return (bare(m.emoji) or m.key) if m.known else "-"


def test_the_word_list_gives_the_right_piece_and_never_a_wrong_one():
    rows = _rows()
    assert len(rows) >= 200
    results = [(word, expected, _got(word)) for word, expected in rows]
    wrong = [(w, e, g) for w, e, g in results if g not in e and g != "-"]
    right = sum(g in e for _, e, g in results)
    assert wrong == []
    assert right / len(rows) >= 0.95


def test_the_catalogue_has_every_emoji_thing_and_the_drawn_pieces_win():
    pieces = catalogue()
    assert len(pieces) > 1000
    assert len({p.key for p in pieces}) == len(pieces)
    drawn = [p for p in pieces if p.kind == "drawn"]
    assert len(drawn) == len(ACCESSORIES)
    emojis = [bare(p.emoji) for p in pieces if p.emoji]
    assert len(emojis) == len(set(emojis)), "an emoji a drawn piece stands for is listed once"
    assert match_accessory("guitar").key == "guitar"  # drawn, not the emoji
    assert match_accessory("koala").key == "koala"


def test_every_alias_names_a_piece():
    for word, target in ALIASES.items():
        assert _piece_key(target), word


def test_search_finds_pieces_by_words_of_their_names():
    keys = [p.key for p in search("ball")]
    assert "soccer-ball" in keys and "rice-ball" in keys
    assert search("zzzz") == []


def test_the_archive_carries_its_licences():
    folder = ARCHIVE.parent
    notice = (folder / "NOTICE").read_text(encoding="utf-8")
    assert "Apache License" in notice and "emojibase" in notice and "CLDR" in notice
    assert (folder / "LICENSE-Apache-2.0.txt").is_file() and (folder / "LICENSE-emojibase-MIT.txt").is_file()
    with zipfile.ZipFile(ARCHIVE) as z:
        names = set(z.namelist())
    assert {"pieces.json", "english.txt"} <= names
    assert all(f"svg/{p.hexcode}.svg" in names for p in emoji_pieces().values())


@pytest.mark.parametrize("key", ["teddy-bear", "koala", "wine-glass", "automobile", "flag-italy"])
def test_emoji_pieces_render_as_moulded_plastic(key):
    img = render_accessory(key, 128)
    arr = np.asarray(img).astype(int)
    alpha = arr[..., 3]
    assert img.size == (128, 128) and alpha[:3].max() == 0 and alpha[:, :3].max() == 0
    ys, xs = np.nonzero(alpha > 8)
    assert max(xs.max() - xs.min(), ys.max() - ys.min()) > 128 * 0.8
    inside = alpha > 200
    # Lit from the top left: the upper-left rim is brighter than the lower-right rim.
    solid = (alpha > 250).astype(float)
    edge = solid - np.pad(solid, 3, mode="constant")[6:, 6:]  # pixels whose lower-right neighbour is empty
    lit = solid - np.pad(solid, 3, mode="constant")[:-6, :-6]  # pixels whose upper-left neighbour is empty
    brightness = arr[..., :3].mean(axis=2)
    assert brightness[lit > 0].mean() > brightness[edge > 0].mean() + 15
    # A darker moulded edge just outside the art, and a gloss highlight inside it.
    assert (brightness[inside] > 235).any()


def test_unknown_emoji_key_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown accessory 'koalaa'.*did you mean 'koala'"):
        render_accessory("koalaa", 64)


@pytest.mark.parametrize(("word", "piece"), [
    ("tennis ball", "tennis-ball"), ("golf ball", "golf-ball"), ("cricket ball", "cricket-ball"), ("baseball", "baseball"),
    ("cowboy hat", "cowboy-hat"), ("surfboard", "surfboard"), ("reading glasses", "glasses"), ("passport", "passport"),
    ("cape", "cape"), ("犬", "dog"), ("كلب", "dog"), ("כלב", "dog"), ("חתול", "cat"), ("قطة", "cat"),
])
def test_words_new_users_tried_name_their_piece(word, piece):
    """A ball named with its sport is the ball, not the racket or the bat; Japanese, Arabic and Hebrew name pieces."""
    assert match_accessory(word).key == piece


def test_the_prebuilt_index_is_the_one_the_catalogue_builds():
    """The package ships the phrase index so a first match needs no build; it must be the catalogue's own."""
    import json

    from minime.accessories.matching import INDEX, _build_index, fingerprint

    with zipfile.ZipFile(INDEX) as z:
        meta = json.loads(z.read("meta.json"))
        stored = {k: tuple(v) for name in z.namelist() if name.startswith("names/")
                  for k, v in json.loads(z.read(name)).items()}
    assert meta["fingerprint"] == fingerprint(), "rebuild it: python -m minime.accessories.matching"
    fresh = _build_index()
    assert stored == fresh.names
    assert set(meta["vocab"]) == fresh.vocab and set(meta["spelled"]) == fresh.spelled


def test_a_catalogue_changed_by_a_package_builds_its_own_index():
    from minime.accessories import matching
    from minime.accessories.registry import ACCESSORIES, Accessory

    assert isinstance(matching._index(len(ACCESSORIES)).names, matching._StoredNames)
    extra = Accessory("space-elevator-test", "Space elevator", ("orbital lift",))
    ACCESSORIES[extra.key] = extra
    try:
        assert matching._stored_index() is None  # built from another catalogue: not used
        assert isinstance(matching._index(len(ACCESSORIES)).names, dict)
    finally:
        del ACCESSORIES[extra.key]
