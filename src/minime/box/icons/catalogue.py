"""The whole catalogue of pieces, for listing and searching: the drawn pieces first, then the emoji pieces."""

from __future__ import annotations

from dataclasses import dataclass

from .emoji import bare, emoji_pieces
from .matching import SAME_AS_KEY, _words
from .registry import ACCESSORIES


@dataclass(frozen=True)
class Piece:
    """One piece in the catalogue: its key, label, the emoji it shows or stands for, and how it is made."""

    key: str
    label: str
    emoji: str
    kind: str  # "drawn" or "emoji"
    group: str


def catalogue() -> list[Piece]:
    """Every piece a well can show; an emoji a drawn piece stands for is listed once, as the drawn piece."""
    from .catalog import SAME_AS

    pieces = [Piece(a.key, a.label, SAME_AS.get(a.key, ""), "drawn", "drawn") for a in ACCESSORIES.values()]
    shadowed = SAME_AS_KEY()
    pieces += [Piece(p.key, p.label, p.emoji, "emoji", p.group) for p in emoji_pieces().values()
               if bare(p.emoji) not in shadowed]
    return pieces


def search(query: str, limit: int = 20) -> list[Piece]:
    """Pieces whose English label has every word of `query` in it (as a word or the start of one)."""
    words = _words(query)
    found = []
    for piece in catalogue():
        label = _words(piece.label)
        if words and all(any(w.startswith(q) for w in label) for q in words):
            found.append(piece)
            if len(found) >= limit:
                break
    return found
