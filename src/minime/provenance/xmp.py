"""The XMP label: IPTC DigitalSourceType ``trainedAlgorithmicMedia``, what most apps and sites read."""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import quoteattr, unescape

from PIL import Image

from ..errors import MinimeError

# The one spelling of IPTC's "made by a trained model" source type; the XMP label, the C2PA action and the
# PNG text chunk all use it.
IPTC_TRAINED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
IPTC_EXT_NS = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
MINIME_NS = "urn:minime:xmp:1.0/"

MIME = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


def xmp_packet(*, engine: str, model: str, created: str) -> bytes:
    """An XMP packet that labels the file as AI-generated.

    Args:
        engine: the engine's name ("studio", "openai", ...).
        model: the model's name as the engine reports it.
        created: when the figure was made (ISO 8601).
    Returns:
        UTF-8 XMP with Iptc4xmpExt:DigitalSourceType = IPTC_TRAINED and minime:engine/model/created.
    """
    attrs = {
        "Iptc4xmpExt:DigitalSourceType": IPTC_TRAINED,
        "xmp:CreatorTool": "minime",
        "xmp:CreateDate": created,
        "minime:engine": engine,
        "minime:model": model,
        "minime:created": created,
    }
    body = "\n    ".join(f"{k}={quoteattr(str(v))}" for k, v in attrs.items())
    text = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        f'    xmlns:Iptc4xmpExt="{IPTC_EXT_NS}"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        f'    xmlns:minime="{MINIME_NS}"\n'
        f"    {body}/>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    return text.encode("utf-8")


def save_options(fmt: str, xmp: bytes) -> dict:
    """Pillow save() keyword arguments that embed `xmp` in a file of format `fmt`.

    Args:
        fmt: "PNG", "JPEG" or "WEBP" (Pillow's names; "jpg", ".png" and the like also work).
        xmp: the packet from xmp_packet().
    Returns:
        For PNG ``{"pnginfo": PngInfo}`` with an uncompressed iTXt chunk "XML:com.adobe.xmp" (add your own
        text chunks to that PngInfo); for JPEG and WebP ``{"xmp": xmp}``.
    """
    name = format_name(fmt)
    if name == "PNG":
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_itxt("XML:com.adobe.xmp", xmp.decode("utf-8"), zip=False)
        return {"pnginfo": info}
    return {"xmp": xmp}


def format_name(fmt: str) -> str:
    name = fmt.strip().lstrip(".").upper()
    name = {"JPG": "JPEG", "JPE": "JPEG"}.get(name, name)
    if name not in MIME:
        raise MinimeError(f"cannot label a {fmt!r} file: use PNG, JPEG or WEBP")
    return name



_XMP_RAW = re.compile(rb"<x:xmpmeta[\s>].*?</x:xmpmeta>", re.DOTALL)


def read_xmp(data: bytes) -> str | None:
    """The file's XMP packet as text: Pillow's reading first, then a raw scan (broken files, odd chunks)."""
    try:
        with Image.open(io.BytesIO(data)) as im:
            xmp = im.info.get("xmp")
    except Exception:  # noqa: BLE001 - any undecodable file: fall back to the raw scan
        xmp = None
    if not xmp:
        m = _XMP_RAW.search(data)
        xmp = m.group(0) if m else None
    if xmp is None:
        return None
    return xmp.decode("utf-8", "replace") if isinstance(xmp, bytes) else str(xmp)


def xmp_field(xmp: str | None, name: str) -> str | None:
    """A simple property (attribute or element form, any prefix) from an XMP packet; regex, not an XML parser,
    because the packet comes from an untrusted file."""
    if not xmp:
        return None
    m = re.search(rf"[\w-]+:{name}\s*=\s*(\"[^\"]*\"|'[^']*')", xmp)
    if m:
        value = m.group(1)[1:-1]
    else:
        m = re.search(rf"<[\w-]+:{name}(?:\s[^>]*)?>([^<]*)</[\w-]+:{name}>", xmp)
        if not m:
            return None
        value = m.group(1)
    return unescape(value, {"&quot;": '"', "&apos;": "'"}).strip() or None

