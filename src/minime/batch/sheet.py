"""What a run shows: results.csv, the contact sheet (index.html) and the QR code of the event page."""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from ..errors import MinimeError, MissingExtraError, printable
from .brief import QR_MAX, RESULT_COLUMNS, Brief, Row
from .store import Entry, Folder, extra_name, thumb_name

if TYPE_CHECKING:
    from PIL import Image

def results_csv(rows: Iterable[Row], entries: dict[int, Entry], *, header: bool = True) -> str:
    """results.csv: one line per finished row, in roster order (without the header: lines to append)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(RESULT_COLUMNS)
    for row in rows:
        entry = entries.get(row.number)
        if entry is None:
            continue
        writer.writerow([row.number, _cell(row.photo), _cell(row.name), entry.status, _cell(entry.output),
                         "" if entry.likeness is None else f"{entry.likeness:.1f}",
                         "" if entry.seconds is None else f"{entry.seconds:.2f}",
                         "" if entry.wh is None else f"{entry.wh:.6f}", _cell(entry.error)])
    return buffer.getvalue()


def _cell(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (OWASP's advice on CSV injection), with
    control and bidi characters shown as `\\x1b` and `U+202E`."""
    text = printable(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


THUMB_SIDE = 360       # px, the longer side: a 180 px card at twice the pixel density


def thumbnail(image: Image.Image, engine: str, model: str = "") -> bytes:
    """A small JPEG of a finished figure's box, labelled AI-generated in its XMP like the figure."""
    from datetime import UTC, datetime

    from PIL import Image

    from ..provenance import save_options, xmp_packet

    small = image.copy()
    # a box average by a whole factor, then Lanczos over the last 1.5x or more: 7 ms, not 17, for a
    # 1080x1350 box, and within 46 dB of Lanczos over the whole of it
    small.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS, reducing_gap=1.5)
    if small.mode != "RGB":
        rgba = small.convert("RGBA")
        small = Image.new("RGB", rgba.size, (255, 255, 255))
        small.paste(rgba, mask=rgba.getchannel("A"))
    created = datetime.now(UTC).isoformat(timespec="seconds")
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=82, optimize=True,
               **save_options("JPEG", xmp_packet(engine=engine, model=model, created=created)))
    return buffer.getvalue()


def write_thumbs(folder: Folder, entries: dict[int, Entry], engine: str) -> None:
    """Make the thumbnail of every finished figure that has none (one made by an earlier version, or one
    whose run was killed between the two writes) from its file."""
    from PIL import Image

    for entry in entries.values():
        if entry.status != "done" or not entry.output:
            continue
        thumb, figure = folder.path / thumb_name(entry.output), folder.path / entry.output
        if not thumb.is_file() and figure.is_file():
            try:
                with Image.open(figure) as image:
                    image.draft("RGB", (THUMB_SIDE, THUMB_SIDE))  # a JPEG is decoded at a fraction of its size
                    data = thumbnail(image, engine)
            except (OSError, ValueError, Image.DecompressionBombError):  # a figure replaced by something else
                continue
            folder.place(data, thumb_name(entry.output))


def contact_sheet(brief: Brief, entries: dict[int, Entry], *, qr: str | None = None, running: bool = False) -> str:
    """index.html: every figure as a thumbnail linking to the figure, with its name, and every failure with
    its reason. The template escapes all user text."""
    done = sum(1 for e in entries.values() if e.status == "done")
    failed = sum(1 for e in entries.values() if e.status == "failed")
    cards = []
    for row in brief.rows:
        entry = entries.get(row.number)
        if entry is None:
            continue
        card = {"number": row.number, "name": row.name, "photo": row.photo, "done": entry.status == "done",
                "error": entry.error, "tagline": row.spec.tagline if row.spec is not None else ""}
        if card["done"]:
            card.update(href=quote(entry.output), thumb=quote(thumb_name(entry.output)), likeness=entry.likeness,
                        also=[(fmt.upper(), quote(extra_name(entry.output, fmt))) for fmt in brief.also])
        cards.append(card)
    pending = len(brief.rows) - done - failed
    status = f"{done} made, {failed} failed" + (f", {pending} to go" if pending else "")
    return _sheet_template().render(title=brief.title, template=brief.template, engine=brief.engine, status=status,
                                    cards=cards, qr=qr, running=running)


@functools.lru_cache(maxsize=1)
def _sheet_template():
    import jinja2
    import markupsafe

    def shown(value):  # every {{ value }}: control and bidi characters as `\x1b` and `U+202E`, then escaped
        return printable(value) if isinstance(value, str) and not isinstance(value, markupsafe.Markup) else value

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True, finalize=shown)
    return env.get_template("sheet.html")


def write_qr(folder: Folder, url: str) -> list[Path]:
    """A QR code that opens `url` (the event page), as qr.png and qr.svg in the output folder."""
    try:
        import segno
    except ImportError:
        raise MissingExtraError("--qr needs segno: pip install segno") from None
    from ..files import atomic_write

    code = segno.make(url, error="m", micro=False)
    written = []
    for name, options in (("qr.png", {"scale": 10, "border": 4}), ("qr.svg", {"scale": 4, "border": 4, "title": url})):
        buffer = io.BytesIO()
        code.save(buffer, kind=name[-3:], **options)
        written.append(atomic_write(folder.path / name, buffer.getvalue()))
    return written


def check_url(url: str) -> str:
    url = url.strip()
    if not re.fullmatch(r"https?://[^\s]+", url) or len(url) > QR_MAX or not url.isprintable():
        raise MinimeError(f"--qr: {url[:60]!r} is not a web address; give one like http://192.168.1.20:8000/")
    return url
