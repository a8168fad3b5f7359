"""Text shaping and fitting: every slot on the box fits its text by itself.

Shaping is skia's paragraph module (HarfBuzz + ICU): right-to-left scripts, CJK and Devanagari
shape correctly, and each character falls back through the committed fonts in order.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import skia

from ..errors import BIDI_CONTROLS

tl = skia.textlayout
FONT_DIR = Path(__file__).parent / "fonts"

# (file, family) pairs; several files of one family give it several weights.
FONT_FILES = [
    ("BebasNeue-Bold.otf", "Bebas Neue"),
    ("Inter-Regular.otf", "Inter"),
    ("Inter-SemiBold.otf", "Inter"),
    ("Inter-Bold.otf", "Inter"),
    ("Inter-ExtraBold.otf", "Inter"),
    ("Inter-Black.otf", "Inter"),
    ("NotoSansArabic-Regular.ttf", "Noto Sans Arabic"),
    ("NotoSansArabic-Bold.ttf", "Noto Sans Arabic"),
    ("NotoSansHebrew-Regular.ttf", "Noto Sans Hebrew"),
    ("NotoSansHebrew-Bold.ttf", "Noto Sans Hebrew"),
    ("NotoSansDevanagari-Regular.ttf", "Noto Sans Devanagari"),
    ("NotoSansDevanagari-Bold.ttf", "Noto Sans Devanagari"),
    ("DroidSansFallbackFull.ttf", "Droid Sans Fallback"),
    ("NanumGothicBold.ttf", "Nanum Gothic"),
    ("NotoSerifDisplay-Bold.ttf", "Noto Serif Display"),
    ("NotoSerifDisplay-Italic.ttf", "Noto Serif Display"),
    ("NotoColorEmoji.ttf", "Noto Color Emoji"),  # colour bitmap (CBDT) glyphs
]
# Characters missing from the first family are looked up in the next ones.
FALLBACK = ["Inter", "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Devanagari", "Droid Sans Fallback", "Nanum Gothic",
            "Noto Color Emoji"]
DISPLAY = ["Bebas Neue", *FALLBACK]
BODY = FALLBACK
SERIF = ["Noto Serif Display", *FALLBACK]

MAX_CHARS = 400  # longer text is cut (and marked truncated) before shaping: no slot holds more
MAX_MARKS = 3    # combining marks kept per character: "Zalgo" text cannot tower over the card

# Bidi controls: stripped from user text so a name cannot reorder the rest of the card.
_BIDI_CONTROLS = dict.fromkeys(map(ord, BIDI_CONTROLS))
# Invisible format characters that shaping needs: joiners, and the emoji tag characters of flags.
_SURROGATES = re.compile("[\ud800-\udfff]")
_KEEP_FORMAT = frozenset("\u200c\u200d") | frozenset(map(chr, range(0xE0020, 0xE0080)))


@lru_cache(maxsize=1)
def _fonts() -> tuple[skia.textlayout.FontCollection, skia.Unicode, dict[str, skia.Typeface],
                      skia.textlayout.TypefaceFontProvider]:
    provider = tl.TypefaceFontProvider()
    faces: dict[str, skia.Typeface] = {}
    loader = skia.FontMgr.New_Custom_Empty()  # never consults the system's fonts
    for file, family in FONT_FILES:
        face = loader.makeFromFile(str(FONT_DIR / file))
        if face is None:
            raise RuntimeError(f"font file missing or unreadable: {file}")
        provider.registerTypeface(face, family)
        faces[file] = face
    collection = tl.FontCollection()
    # Only committed fonts, so a box renders the same on every machine.
    collection.setDefaultFontManager(provider, "Inter")
    return collection, skia.Unicodes.ICU.Make(), faces, provider


_REGISTERED: dict[str, str] = {}  # resolved path -> family alias


def register_font(path: str | Path) -> str:
    """Add a brand's TTF/OTF font at run time; returns the family name to put first in a Style's families.

    Raises:
        ValueError: the file is not a font skia can read.
    """
    key = str(Path(path).resolve())
    if key in _REGISTERED:
        return _REGISTERED[key]
    face = skia.FontMgr.New_Custom_Empty().makeFromFile(key)
    if face is None:
        raise ValueError(f"{Path(path).name!r} is not a TTF or OTF font")
    _, _, faces, provider = _fonts()
    # A private alias, so a brand font named "Inter" cannot replace the committed one.
    family = f"brand-{len(_REGISTERED) + 1}-{face.getFamilyName()}"
    provider.registerTypeface(face, family)
    faces[key] = face
    _REGISTERED[key] = family
    _measure.cache_clear()
    return family


def typeface(file: str) -> skia.Typeface:
    """A committed typeface by file name, for single-line labels drawn without shaping."""
    return _fonts()[2][file]


def clean(text: str) -> str:
    """NFC text without bidi controls, control characters, lone surrogates, mark towers or whitespace runs.

    Joiners (ZWJ, ZWNJ) and variation selectors stay: emoji sequences and Indic and Arabic shaping need them.
    """
    text = _SURROGATES.sub("\ufffd", text)  # lone surrogates cannot be encoded for shaping
    text = unicodedata.normalize("NFC", text).translate(_BIDI_CONTROLS)
    out: list[str] = []
    marks = 0
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Zl", "Zp"):
            ch, cat = " ", "Zs"
        if cat == "Cf" and ch not in _KEEP_FORMAT:
            continue
        if cat in ("Mn", "Me"):
            marks += 1
            if marks > MAX_MARKS:
                continue
        else:
            marks = 0
        out.append(ch)
    return " ".join("".join(out).split())


def visible(text: str) -> bool:
    """Whether `text` has anything that draws ink (not only spaces, joiners or marks)."""
    return any(unicodedata.category(ch)[0] in "LNPS" for ch in text)


def display_caps(text: str) -> str:
    """Upper-case for the display face; Greek capitals drop their accents, as typesetters do."""
    upper = clean(text).upper()
    if any("\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff" for ch in upper):
        decomposed = unicodedata.normalize("NFD", upper)
        upper = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"))
    return upper


@dataclass(frozen=True)
class Style:
    size: float
    color: int = skia.ColorBLACK
    families: tuple[str, ...] = tuple(BODY)
    weight: int = 400
    letter_spacing: float = 0.0
    align: str = "center"
    line_height: float | None = None  # multiple of the font size
    italic: bool = False


_ALIGN = {"center": tl.TextAlign.kCenter, "left": tl.TextAlign.kLeft, "right": tl.TextAlign.kRight}


def paragraph(text: str, style: Style, width: float, paint: skia.Paint | None = None) -> skia.textlayout.Paragraph:
    """Shape and lay out `text` in `width` pixels; `paint` overrides the fill (e.g. a stroke or a foil gradient)."""
    collection, unicode = _fonts()[:2]
    ts = tl.TextStyle()
    ts.setFontSize(style.size)
    ts.setFontFamilies(list(style.families))
    slant = skia.FontStyle.kItalic_Slant if style.italic else skia.FontStyle.kUpright_Slant
    ts.setFontStyle(skia.FontStyle(style.weight, skia.FontStyle.kNormal_Width, slant))
    ts.setLetterSpacing(style.letter_spacing)
    if style.line_height:
        ts.setHeight(style.line_height)
        ts.setHeightOverride(True)
    if paint is not None:
        ts.setForegroundPaint(paint)
    else:
        ts.setColor(style.color)
    ps = tl.ParagraphStyle()
    ps.setTextStyle(ts)
    ps.setTextAlign(_ALIGN[style.align])
    builder = tl.ParagraphBuilder.make(ps, collection, unicode)
    builder.pushStyle(ts)
    builder.addText(text)
    para = builder.Build()
    para.layout(width)
    return para


@lru_cache(maxsize=4096)
def _measure(text: str, style: Style, width: float) -> tuple[float, float, float]:
    """(height, longest word, longest line) of `text` laid out in `width`; cached, boxes repeat their labels."""
    para = paragraph(text, style, width)
    return para.Height, para.MinIntrinsicWidth, para.MaxIntrinsicWidth


@dataclass(frozen=True)
class Fitted:
    """Text fitted to a box: its final text, style and size, ready to draw."""

    text: str
    style: Style
    width: float
    height: float
    lines: int
    truncated: bool

    @property
    def natural_width(self) -> float:
        """The width of the longest laid-out line (for centring or drawing a panel behind it)."""
        return min(self.width, _measure(self.text, self.style, 1e6)[2]) if self.lines == 1 else self.width

    def draw(self, canvas: skia.Canvas, x: float, y: float, paint: skia.Paint | None = None) -> None:
        paragraph(self.text, self.style, self.width, paint).paint(canvas, x, y)


def _lines(text: str, style: Style, width: float) -> tuple[int, float, float]:
    """(line count, laid-out height, longest word) of `text` in `width`."""
    h, word, _ = _measure(text, style, width)
    one = _measure(text, style, 1e6)[0]
    lines = max(1, round(h / max(one, 1e-3)))
    return lines, h, word


def _safe_cut(text: str, n: int) -> str:
    """`text[:n]`, moved back so it never splits a character from its marks or an emoji sequence."""
    while 0 < n < len(text) and (unicodedata.category(text[n]) in ("Mn", "Mc", "Me", "Sk")
                                 or text[n] in "\u200d\ufe0f" or text[n - 1] == "\u200d"
                                 or "\U000e0020" <= text[n] <= "\U000e007f" or "\U0001f3fb" <= text[n] <= "\U0001f3ff"):
        n -= 1
    return text[:n].rstrip()


def fit(text: str, style: Style, width: float, height: float, *, max_lines: int = 2, min_size: float = 8.0) -> Fitted:
    """Fit `text` in a width x height box: shrink first, then wrap, then cut with an ellipsis.

    The font size never exceeds `style.size`. One line is kept while the text can stay at least
    60% of the full size; then up to `max_lines` lines; a last resort cuts the text and marks it
    `truncated` so callers can warn. Text longer than MAX_CHARS is cut before any shaping.
    """
    return _fit(text, style, round(width, 3), round(height, 3), max_lines, min_size)


@lru_cache(maxsize=2048)
def _fit(text: str, style: Style, width: float, height: float, max_lines: int, min_size: float) -> Fitted:
    text = clean(text)
    if not text:
        return Fitted("", style, width, 0.0, 0, False)
    if len(text) > MAX_CHARS:
        return _cut(text[:MAX_CHARS], _replace(style, min_size), width, height, max_lines)
    base_h, _, base_w = _measure(text, style, 1e6)
    # One line: width scales with font size, so the fitting size is computed directly.
    scale = min(1.0, width / max(base_w, 1e-3) * 0.995, height / max(base_h, 1e-3))
    single_floor = 0.6 if max_lines > 1 else 0.0
    size = style.size * scale
    # Letter spacing does not scale with the size, so the estimate is checked and nudged down.
    while scale >= single_floor and size >= max(min_size, style.size * single_floor):
        s = _replace(style, size)
        lines, h, _ = _lines(text, s, width)
        if lines == 1 and h <= height:
            return Fitted(text, s, width, h, 1, False)
        size *= 0.97
    size = style.size
    while size >= min_size and max_lines > 1:
        s = _replace(style, size)
        lines, h, word = _lines(text, s, width)
        if lines <= max_lines and h <= height and word <= width:
            return Fitted(text, s, width, h, lines, False)
        size *= 0.94
    return _cut(text, _replace(style, min_size), width, height, max_lines)


def _cut(text: str, s: Style, width: float, height: float, max_lines: int) -> Fitted:
    """Last resort: the smallest size, cut to fit with an ellipsis, marked so the caller warns."""
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lines, h, word = _lines(_safe_cut(text, mid) + "…", s, width)
        if lines <= max_lines and h <= height and word <= width:
            lo = mid
        else:
            hi = mid - 1
    cut = _safe_cut(text, lo) + "…"
    return Fitted(cut, s, width, _measure(cut, s, width)[0], max_lines, True)


def _replace(style: Style, size: float) -> Style:
    return replace(style, size=size)
