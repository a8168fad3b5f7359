"""Rebuild src/minime/accessories/assets/emoji.zip from the npm packages @svgmoji/noto and emojibase-data.

Run by hand when a new emoji release is wanted; nothing imports this module::

    npm pack @svgmoji/noto emojibase-data            # then unpack both tarballs
    apt-get install wamerican                        # an English word list, /usr/share/dict/words
    python -m minime.accessories._vendor_emoji NOTO_PACKAGE_DIR EMOJIBASE_PACKAGE_DIR [WORD_LIST]

Emojibase has no Arabic, Hebrew, Persian, Greek or Turkish names; CLDR's own annotations (npm's
cldr-annotations-full, Unicode License v3) add them, and the languages below, to the archive's pieces::

    npm pack cldr-annotations-full                   # then unpack it
    python -m minime.accessories._vendor_emoji --cldr CLDR_ANNOTATIONS_PACKAGE_DIR

The word list keeps other languages' names that are also English words out ("flute" is a baguette in
French, "chat" a cat), and, shipped as english.txt, stops matching from "correcting" a real word that is
one letter away from a piece's name ("ginger" is not a misspelt "singer").

Only emoji that are things (animals, plants, food, places, vehicles, sport, objects, costumes, hearts, flags)
are kept; faces, people and symbols are not toy pieces.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "assets" / "emoji.zip"
GROUPS = {"animals-nature", "food-drink", "travel-places", "activities", "objects"}
SUBGROUPS = {"face-costume", "heart", "flag", "country-flag"}
# Noto draws a 128-unit square; two decimals are more than a large print well can show.
_NUMBER = re.compile(r"-?\d*\.\d{3,}")


def _plain(text: str) -> str:
    """Casefolded, accents dropped, punctuation as spaces: the form matching compares, made once here."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", text.replace("_", " ")).split())


def _svgs(noto: Path) -> dict[str, str]:
    sprite = (noto / "sprites" / "all.svg").read_text(encoding="utf-8")
    starts = list(re.finditer(r'<svg [^>]*?\bid="([0-9A-F-]+)"[^>]*>', sprite))
    out = {}
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else sprite.rindex("</svg>")
        body = sprite[m.end():end].rstrip().removesuffix("</svg>")
        body = _NUMBER.sub(lambda n: f"{float(n.group()):.2f}".rstrip("0"), body)
        box = re.search(r'viewBox="([^"]+)"', m.group(0))
        if box is None:
            raise ValueError(f"sprite {m.group(1)} has no viewBox")
        out[m.group(1)] = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                           f'viewBox="{box.group(1)}">{body}</svg>')
    return out


def main(noto: Path, base: Path, words: Path) -> None:
    english = {w.strip().casefold() for w in words.read_text(encoding="utf-8").split()
               if w.strip().isalpha() and w.strip().isascii() and w.strip()[:1].islower()}
    svgs = _svgs(noto)
    messages = json.loads((base / "en" / "messages.json").read_text(encoding="utf-8"))
    groups = {g["order"]: g["key"] for g in messages["groups"]}
    subgroups = {g["order"]: g["key"] for g in messages["subgroups"]}
    locales = sorted(p.name for p in base.iterdir() if (p / "data.json").is_file())
    names: dict[str, dict[str, list[str]]] = {}
    for loc in locales:
        for e in json.loads((base / loc / "data.json").read_text(encoding="utf-8")):
            plain = [_plain(t) for t in (e["label"], *e.get("tags", []))]
            if not loc.startswith("en"):
                plain = [t if not set(t.split()) <= english else "" for t in plain]
            names.setdefault(e["hexcode"], {})[loc] = plain
    pieces, files = [], {}
    for e in json.loads((base / "en" / "data.json").read_text(encoding="utf-8")):
        group, sub = groups.get(e.get("group")), subgroups.get(e.get("subgroup"))
        if group not in GROUPS and sub not in SUBGROUPS:
            continue
        hexcode = e["hexcode"]
        art = svgs.get(hexcode) or svgs.get(hexcode.replace("-FE0F", ""))
        if art is None:
            continue
        pieces.append({"hex": hexcode, "emoji": e["emoji"], "group": sub, "label": e["label"],
                       "names": names[hexcode]})
        files[f"svg/{hexcode}.svg"] = art
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(OUT, "w", zipfile.ZIP_LZMA) as z:
        z.writestr("pieces.json", json.dumps(pieces, ensure_ascii=False, separators=(",", ":")))
        z.writestr("english.txt", "\n".join(sorted(w for w in english if len(w) >= 5)))
        for name, art in sorted(files.items()):
            z.writestr(name, art)
    print(f"{len(pieces)} pieces, {len(locales)} languages -> {OUT} ({OUT.stat().st_size / 1e6:.1f} MB)")


# Languages emojibase lacks that CLDR annotates: names in them are added by `add_cldr`.
CLDR_LANGUAGES = ("ar", "he", "fa", "el", "tr", "id", "cs", "ro", "ca", "hr", "sk", "bg", "sr")


def add_cldr(cldr: Path) -> None:
    """Add CLDR's names (its text-to-speech name, then its keywords) in `CLDR_LANGUAGES` to every piece in the
    archive, leaving the rest of it as it is."""
    with zipfile.ZipFile(OUT) as z:
        entries = {name: z.read(name) for name in z.namelist()}
    pieces = json.loads(entries["pieces.json"])
    english = set(entries["english.txt"].decode("utf-8").split())
    bare = lambda e: e.replace("\ufe0f", "")  # noqa: E731 - CLDR's keys carry no variation selector
    added = 0
    for loc in CLDR_LANGUAGES:
        notes = json.loads((cldr / "annotations" / loc / "annotations.json").read_text(encoding="utf-8"))
        table = {bare(k): v for k, v in notes["annotations"]["annotations"].items()}
        for piece in pieces:
            note = table.get(bare(piece["emoji"]))
            if note is None or loc in piece["names"]:
                continue
            plain = [_plain(t) for t in (*note.get("tts", [])[:1], *note.get("default", []))]
            piece["names"][loc] = [t if not set(t.split()) <= english else "" for t in plain]
            added += 1
    entries["pieces.json"] = json.dumps(pieces, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with zipfile.ZipFile(OUT, "w", zipfile.ZIP_LZMA) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    print(f"{added} names in {len(CLDR_LANGUAGES)} languages -> {OUT} ({OUT.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    if sys.argv[1] == "--cldr":
        add_cldr(Path(sys.argv[2]))
    else:
        main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3] if len(sys.argv) > 3 else "/usr/share/dict/words"))
