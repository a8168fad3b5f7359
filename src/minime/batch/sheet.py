"""What a run shows: results.csv, the contact sheet (index.html) and the QR code of the event page."""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path
from typing import Iterable
from urllib.parse import quote

from ..errors import MinimeError, MissingExtraError
from .brief import QR_MAX, RESULT_COLUMNS, Brief, Row
from .store import Entry, Folder

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
    """A cell a spreadsheet shows as text, never runs as a formula (OWASP's advice on CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def contact_sheet(brief: Brief, entries: dict[int, Entry], *, qr: str | None = None, running: bool = False) -> str:
    """index.html: every figure with its name, and every failure with its reason. All user text is escaped."""
    esc = lambda value: html.escape(str(value), quote=True)  # noqa: E731
    done = sum(1 for e in entries.values() if e.status == "done")
    failed = sum(1 for e in entries.values() if e.status == "failed")
    cards = []
    for row in brief.rows:
        entry = entries.get(row.number)
        tagline = row.spec.tagline if row.spec is not None else ""
        if entry is not None and entry.status == "done":
            src = quote(entry.output)
            likeness = f"<span class=\"meta\">likeness {entry.likeness:.0f}/100</span>" if entry.likeness is not None else ""
            cards.append(f'<figure class="card"><a href="{esc(src)}"><img src="{esc(src)}" alt="{esc(row.name)}" '
                         f'loading="lazy"></a><figcaption><b>{esc(row.name)}</b><span>{esc(tagline)}</span>{likeness}'
                         f'</figcaption></figure>')
        elif entry is not None:
            cards.append(f'<figure class="card failed"><div class="why">{esc(entry.error)}</div><figcaption>'
                         f'<b>{esc(row.name or "(no name)")}</b><span>row {row.number}: {esc(row.photo)}</span></figcaption></figure>')
    pending = len(brief.rows) - done - failed
    status = f"{done} made, {failed} failed" + (f", {pending} to go" if pending else "")
    code = (f'<p class="qr"><img src="qr.svg" alt="QR code" width="160" height="160"><br>'
            f'<a href="{esc(qr)}">{esc(qr)}</a></p>') if qr else ""
    refresh = '<meta http-equiv="refresh" content="10">' if running else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">{refresh}
<title>{esc(brief.title)} · minime campaign</title>
<style>
body{{font:15px/1.4 system-ui,sans-serif;margin:0;padding:24px;background:#f6f3ee;color:#222}}
h1{{margin:0 0 4px}} .sub{{color:#666;margin:0 0 20px}}
.grid{{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:16px}}
.card{{margin:0;background:#fff;border-radius:10px;padding:8px;box-shadow:0 1px 3px #0002}}
.card img{{width:100%;height:auto;display:block;border-radius:6px}}
figcaption{{display:flex;flex-direction:column;padding:6px 2px 0;overflow-wrap:anywhere}}
figcaption span{{color:#666;font-size:13px}} .meta{{color:#2a7d4f}}
.failed{{background:#fff4f2}} .why{{color:#a02020;font-size:13px;min-height:80px;overflow-wrap:anywhere}}
.qr{{float:right;text-align:center;margin:0 0 12px 12px;font-size:13px}}
</style></head><body>
{code}<h1>{esc(brief.title)}</h1>
<p class="sub">{esc(status)} · template {esc(brief.template)} · engine {esc(brief.engine)} · every figure is AI-generated ·
<a href="results.csv">results.csv</a></p>
<main class="grid">
{chr(10).join(cards)}
</main></body></html>
"""


def write_qr(folder: Folder, url: str) -> list[Path]:
    """A QR code that opens `url` (the event page), as qr.png and qr.svg in the output folder."""
    try:
        import segno
    except ImportError:
        raise MissingExtraError("--qr needs segno: pip install segno") from None
    from ..export import atomic_write

    code = segno.make(url, error="m", micro=False)
    written = []
    for name, options in (("qr.png", {"scale": 10, "border": 4}), ("qr.svg", {"scale": 4, "border": 4, "title": url})):
        buffer = io.BytesIO()
        code.save(buffer, kind=name[-3:], **options)
        written.append(atomic_write(folder.path / name, buffer.getvalue()))
    return written


def check_url(url: str) -> str:
    url = url.strip()
    if not re.fullmatch(r"https?://[^\s]+", url) or len(url) > QR_MAX:
        raise MinimeError(f"--qr: {url[:60]!r} is not a web address; give one like http://192.168.1.20:8000/")
    return url
