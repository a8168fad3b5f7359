"""What `verify` checks in the outputs that are not still images: clips, 3D models and the print kit.

Clips (MP4, GIF, animated WebP) carry a signed C2PA manifest like the images (outputs/clip.py signs them;
the MP4 also says it is AI-generated in its metadata). The other formats have no place c2pa-python signs,
so each carries a plain label that anyone can read, and edit without a trace:

- STL: its 80-byte header ("minime figure, AI-generated"); nothing else fits in the format.
- 3MF: the model's metadata (Title, Application "minime", Description "AI-generated figure").
- GLB: glTF's asset (generator "minime", extras with DigitalSourceType trainedAlgorithmicMedia).
- PDF: the document information (Creator "minime", Subject "AI-generated figure: ...").

For those, `verify` checks that the label is there and the file is whole (an STL's size against its triangle
count, a 3MF's CRCs, a GLB's chunk lengths, a PDF's cross-reference table), and says that the format carries
no signature. Everything read here comes from an untrusted file: bounded, no XML parser, no exceptions out.
"""

from __future__ import annotations

import io
import json
import re
import struct
import zipfile
import zlib
from typing import TYPE_CHECKING

from .manifest import CLIP_MIME, GENERATOR_LABEL, RECEIPT_LABEL, action_label, assertion, check_manifest
from .xmp import IPTC_TRAINED

if TYPE_CHECKING:
    from . import Verification

AI_TEXT = "AI-generated"
SOURCE_SHORT = IPTC_TRAINED.rsplit("/", 1)[-1]  # "trainedAlgorithmicMedia", as glTF extras and MP4 metadata say it
UNSIGNED = "this format carries no signature (changes to it cannot be detected)"
MAX_UNZIPPED = 512 * 1024**2  # a minime 3MF unzips to a few MB; a zip bomb declares far more
MAX_GLTF_JSON = 16 * 1024**2  # a minime GLB's JSON chunk is a few kB
MODEL_HEAD = 256 * 1024  # the 3MF metadata comes before the mesh


def kind_of(data: bytes, name: str = "") -> str | None:
    """The output format minime writes that `data` is: PNG, JPEG, WEBP (a still), MP4, GIF, WEBP-CLIP, PDF,
    STL, 3MF or GLB; None for anything else. `name` helps with STL, which has no magic number."""
    from ..photo import sniff

    fmt = sniff(data)
    if fmt in ("PNG", "JPEG"):
        return fmt
    if fmt == "WEBP":
        return "WEBP-CLIP" if _animated_webp(data) else "WEBP"
    if fmt == "GIF":
        return "GIF"
    if fmt == "video or other ISO media":
        return "MP4"
    if fmt == "PDF":
        return "PDF"
    if data[:4] == b"glTF":
        return "GLB"
    if data[:4] == b"PK\x03\x04":
        return "3MF"
    if name.lower().endswith(".stl") or _stl_triangles(data) is not None:
        return "STL"
    return None


def _animated_webp(data: bytes) -> bool:
    """An extended WebP (VP8X) with its animation flag set."""
    return data[12:16] == b"VP8X" and len(data) > 20 and bool(data[20] & 0x02)


KINDS = {"MP4": ("clip", "MP4 clip"), "GIF": ("clip", "GIF clip"), "WEBP-CLIP": ("clip", "animated WebP clip"),
         "STL": ("model", "STL model"), "3MF": ("model", "3MF model"), "GLB": ("model", "GLB model"),
         "PDF": ("print kit", "PDF print kit")}


def verify_other(data: bytes, kind: str, result: Verification) -> Verification:
    """Fill `result` for a clip, a model or the print kit (`kind` from `kind_of`)."""
    result.kind, result.format = KINDS[kind]
    if kind in ("MP4", "GIF", "WEBP-CLIP"):
        _clip(data, kind, result)
        return result
    result.signable = False
    check = {"STL": _stl, "3MF": _threemf, "GLB": _glb, "PDF": _pdf}[kind]
    try:
        check(data, result)
    except Exception as exc:  # noqa: BLE001 - a damaged file must still get a verdict, in one line
        result.tampered = True
        result.problems.append(f"the {result.format} cannot be read: {type(exc).__name__}")
    return result


# ------------------------------------------------------------------------------------------------ clips

def _clip(data: bytes, kind: str, result: Verification) -> None:
    mime = CLIP_MIME[{"MP4": "mp4", "GIF": "gif", "WEBP-CLIP": "webp"}[kind]]
    manifest = check_manifest(data, mime, result)
    result.ai_label = action_label(manifest)
    if result.signed and manifest is not None:
        parts = ["AI label"] + (["engine"] if assertion(manifest, GENERATOR_LABEL) else [])
        parts += ["energy receipt"] if assertion(manifest, RECEIPT_LABEL) else []
        result.carries.append(f"C2PA manifest ({', '.join(parts)})")
    if kind == "MP4":
        meta = _mp4_comment(data)
        if meta.get("DigitalSourceType") in (SOURCE_SHORT, IPTC_TRAINED):
            result.ai_label = True
            result.carries.append(f"MP4 metadata: {meta.get('label') or AI_TEXT}, engine {meta.get('engine') or '-'}")
        result.engine = result.engine or _text(meta.get("engine"))
    generator = assertion(manifest, GENERATOR_LABEL) or {}
    result.engine = _text(generator.get("engine")) or result.engine
    result.created = _text(generator.get("created"))
    if not result.ai_label and result.signed:  # unsigned: check_manifest's one line says so
        result.problems.append(f"nothing in the file says it is {AI_TEXT}")


def _mp4_comment(data: bytes) -> dict:
    """The JSON minime writes in an MP4's comment tag, or {}."""
    try:
        import av

        with av.open(io.BytesIO(data), "r", format="mp4") as container:
            raw = container.metadata.get("comment", "")
        value = json.loads(raw) if raw.startswith("{") else {}
    except Exception:  # noqa: BLE001 - no tag, or not an MP4 FFmpeg reads: the manifest decides
        return {}
    return value if isinstance(value, dict) else {}


# ----------------------------------------------------------------------------------------------- models

def _stl_triangles(data: bytes) -> int | None:
    """A binary STL's triangle count when the file's size matches it exactly."""
    if len(data) < 84:
        return None
    (count,) = struct.unpack_from("<I", data, 80)
    return count if 84 + 50 * count == len(data) else None


def _stl(data: bytes, result: Verification) -> None:
    if len(data) < 84:
        result.tampered = True
        result.problems.append(f"the STL is cut short: {len(data)} bytes, less than its 84-byte header")
        return
    header = data[:80].rstrip(b" \0").decode("ascii", "replace")
    result.carries.append(f"STL header (80 bytes, the only text an STL holds): {header!r}")
    result.ai_label = AI_TEXT in header
    count = _stl_triangles(data)
    if count is None:
        (declared,) = struct.unpack_from("<I", data, 80)
        result.tampered = True
        result.problems.append(f"the STL is damaged: its header counts {declared:,} triangles, "
                               f"{84 + 50 * declared:,} bytes, but the file has {len(data):,}")
    else:
        result.carries.append(f"{count:,} triangles, no colour")
    if not result.ai_label:
        result.problems.append(f"the STL header does not say it is {AI_TEXT} (it reads {header[:60]!r})")


_METADATA = re.compile(rb"<metadata\b[^>]*?\bname=\"([^\"]{1,80})\"[^>]*>([^<]{0,400})</metadata>")


def _threemf(data: bytes, result: Verification) -> None:
    from xml.sax.saxutils import unescape

    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        result.tampered = True
        result.problems.append(f"the 3MF is not a readable package: {exc}")
        return
    with package:
        infos = package.infolist()
        models = [i.filename for i in infos if i.filename.lower().endswith(".model")]
        if not models:
            result.problems.append("not a 3MF: the package holds no 3D model")
            return
        unzipped = sum(i.file_size for i in infos)
        if unzipped > MAX_UNZIPPED:
            result.tampered = True
            result.problems.append(f"the 3MF says it unzips to {unzipped / 1024**2:,.0f} MB; no minime model does")
            return
        try:
            damaged = package.testzip()
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            damaged = f"a part ({type(exc).__name__})"
        if damaged is not None:
            result.tampered = True
            result.problems.append(f"the 3MF is damaged: {damaged!r} fails its checksum")
            return
        model = "3D/3dmodel.model" if "3D/3dmodel.model" in models else models[0]
        with package.open(model) as handle:
            head = handle.read(MODEL_HEAD)
    meta = {name.decode("utf-8", "replace"): unescape(value.decode("utf-8", "replace"), {"&quot;": '"', "&apos;": "'"})
            for name, value in _METADATA.findall(head)}
    shown = ", ".join(f"{k} {v!r}" for k, v in meta.items() if k in ("Title", "Application", "Description", "Designer"))
    result.carries.append(f"3MF metadata: {shown or 'none'}")
    result.ai_label = any(AI_TEXT in meta.get(k, "") for k in ("Description", "Title"))
    if not result.ai_label:
        result.problems.append(f"the 3MF's metadata does not say it is {AI_TEXT} (no Description saying so)")


def _glb(data: bytes, result: Verification) -> None:
    if len(data) < 20:
        result.tampered = True
        result.problems.append("the GLB is cut short")
        return
    magic, version, length = struct.unpack_from("<4sII", data, 0)
    size, kind = struct.unpack_from("<I4s", data, 12)
    if version != 2 or kind != b"JSON":
        result.problems.append(f"not a glTF 2.0 binary minime writes (version {version}, first chunk {kind!r})")
        return
    if size > MAX_GLTF_JSON:
        result.problems.append(f"the GLB's JSON is {size / 1024**2:.0f} MB; minime writes a few kB")
        return
    if length != len(data) or 20 + size > len(data):
        result.tampered = True
        result.problems.append(f"the GLB is damaged: its header says {length:,} bytes, the file has {len(data):,}")
        return
    try:
        gltf = json.loads(data[20:20 + size])
    except (ValueError, RecursionError):
        gltf = None
    if not isinstance(gltf, dict):
        result.tampered = True
        result.problems.append("the GLB is damaged: its JSON chunk does not parse")
        return
    binary = _glb_binary(data, 20 + size)
    declared = sum(b.get("byteLength", 0) for b in gltf.get("buffers") or [] if isinstance(b, dict) and "uri" not in b)
    if declared > binary:
        result.tampered = True
        result.problems.append(f"the GLB is damaged: its buffers need {declared:,} bytes, its binary chunk holds {binary:,}")
    asset: dict = gltf["asset"] if isinstance(gltf.get("asset"), dict) else {}
    extras: dict = asset["extras"] if isinstance(asset.get("extras"), dict) else {}
    source = extras.get("DigitalSourceType")
    result.carries.append(f"glTF asset: generator {_text(asset.get('generator')) or '-'!r}, DigitalSourceType "
                          f"{_text(source) or '-'!r}, label {_text(extras.get('label')) or '-'!r}")
    result.ai_label = source in (SOURCE_SHORT, IPTC_TRAINED)
    if not result.ai_label:
        result.problems.append(f"the GLB's asset does not say it is {AI_TEXT} (no extras.DigitalSourceType "
                               f"{SOURCE_SHORT})")


def _glb_binary(data: bytes, at: int) -> int:
    """The length of the BIN chunk after the JSON chunk (0 if none); a chunk past the end counts what is there."""
    at += (-at) % 4
    if at + 8 > len(data):
        return 0
    size, kind = struct.unpack_from("<I4s", data, at)
    return min(size, len(data) - at - 8) if kind == b"BIN\0" else 0


# ------------------------------------------------------------------------------------------------- PDF

_INFO_KEYS = ("Title", "Creator", "Subject", "Producer")


def _pdf(data: bytes, result: Verification) -> None:
    problem = _pdf_damage(data)
    if problem:
        result.tampered = True
        result.problems.append(f"the PDF is damaged: {problem}")
        return
    info = _pdf_info(data)
    shown = ", ".join(f"{k} {info[k]!r}" for k in _INFO_KEYS if k in info)
    result.carries.append(f"PDF document info: {shown or 'none'}")
    result.ai_label = any(AI_TEXT in info.get(k, "") for k in ("Subject", "Title", "Keywords"))
    if not result.ai_label:
        result.problems.append(f"the PDF's document info does not say it is {AI_TEXT} (no Subject saying so)")


def _pdf_damage(data: bytes) -> str | None:
    """What is wrong with a PDF's structure: no end marker, or a cross-reference table whose offsets do not
    point at the objects (bytes added, cut or moved)."""
    tail = data[-1024:]
    if b"%%EOF" not in tail:
        return "it has no end marker (cut short?)"
    m = re.search(rb"startxref\s+(\d{1,12})\s+%%EOF", tail)
    if not m:
        return "no cross-reference offset at its end"
    start = int(m.group(1))
    if data[start:start + 4] != b"xref":  # a cross-reference stream (not what minime writes): its offset only
        return None if re.match(rb"\d+\s+\d+\s+obj", data[start:start + 32]) else "its cross-reference offset is wrong"
    section = re.match(rb"\s*(\d{1,9}) (\d{1,9})\s*\n", data[start + 4:start + 68])
    if not section:
        return "its cross-reference table cannot be read"
    first, count = int(section.group(1)), int(section.group(2))
    rows = data[start + 4 + section.end():start + 4 + section.end() + 20 * count]  # minime writes one section
    checked = 0
    for i in range(min(count, len(rows) // 20 + 1)):
        row = rows[20 * i:20 * i + 18]
        if row[17:18] != b"n":
            continue
        offset = int(row[:10]) if row[:10].isdigit() else -1
        if offset < 0 or not re.match(rb"%d\s+\d+\s+obj" % (first + i), data[offset:offset + 32]):
            return f"object {first + i} is not where its cross-reference table says"
        checked += 1
    return None if checked else "its cross-reference table is empty"


def _pdf_info(data: bytes) -> dict[str, str]:
    """The document information dictionary's text entries (literal or hex strings)."""
    m = re.search(rb"/Info\s+(\d{1,9})\s+0\s+R", data[-4096:])
    body = data
    if m:
        obj = re.search(rb"(?:^|\s)%s\s+0\s+obj(.{0,8192}?)endobj" % m.group(1), data, re.DOTALL)
        body = obj.group(1) if obj else data
    info = {}
    for key in (*_INFO_KEYS, "Keywords"):
        found = re.search(rb"/%s\s*(\((?:\\.|[^\\)]){0,2000}\)|<[0-9A-Fa-f\s]{0,4000}>)" % key.encode(), body)
        if found:
            info[key] = _pdf_string(found.group(1))
    return info


def _pdf_string(raw: bytes) -> str:
    if raw.startswith(b"<"):
        hexed = bytes.fromhex(re.sub(rb"\s", b"", raw[1:-1]).decode())
        return hexed[2:].decode("utf-16-be", "replace") if hexed.startswith(b"\xfe\xff") else hexed.decode("latin-1")
    text = re.sub(rb"\\([nrtbf()\\])", lambda e: {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
                  .get(e.group(1), e.group(1)), raw[1:-1])
    return text.decode("utf-16-be", "replace")[1:] if text.startswith(b"\xfe\xff") else text.decode("latin-1")


def _text(value) -> str | None:
    return str(value) if value not in (None, "") else None
