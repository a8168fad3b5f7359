"""Provenance: every output says it is AI-generated, three ways.

1. An XMP packet with IPTC DigitalSourceType ``trainedAlgorithmicMedia`` (what most apps and sites read).
2. A C2PA manifest signed offline with a local key (or a brand's own certificate), embedded last.
3. An invisible watermark in the luma channel, a backup that survives re-encoding and resizing when the
   metadata has been stripped.

The manifest carries no ingredient and no thumbnail, so no copy of the user's photo ends up in a file.
Nothing here touches the network: no timestamp authority, no OCSP, no remote manifests.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import os
import re
import tempfile
import threading
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import quoteattr, unescape

import numpy as np
from PIL import Image

from .errors import MinimeError

IPTC_TRAINED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
IPTC_EXT_NS = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
MINIME_NS = "urn:minime:xmp:1.0/"
GENERATOR_LABEL = "org.minime.generator"
RECEIPT_LABEL = "org.minime.receipt"

__all__ = [
    "IPTC_TRAINED",
    "Verification",
    "embed_watermark",
    "read_watermark",
    "save_options",
    "sign_file",
    "verify",
    "xmp_packet",
]

_MIME = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


# --------------------------------------------------------------------------------------------- XMP


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
    name = _format_name(fmt)
    if name == "PNG":
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_itxt("XML:com.adobe.xmp", xmp.decode("utf-8"), zip=False)
        return {"pnginfo": info}
    return {"xmp": xmp}


def _format_name(fmt: str) -> str:
    name = fmt.strip().lstrip(".").upper()
    name = {"JPG": "JPEG", "JPE": "JPEG"}.get(name, name)
    if name not in _MIME:
        raise MinimeError(f"cannot label a {fmt!r} file: use PNG, JPEG or WEBP")
    return name


def _sniff(data: bytes) -> str | None:
    """The format name from the file's first bytes, or None when it is not PNG, JPEG or WebP."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


_XMP_RAW = re.compile(rb"<x:xmpmeta[\s>].*?</x:xmpmeta>", re.DOTALL)


def _read_xmp(data: bytes) -> str | None:
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


def _xmp_field(xmp: str | None, name: str) -> str | None:
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


# ----------------------------------------------------------------------------------------- watermark
#
# The image's luma is resampled to a fixed 512x512 grid, so the mark does not depend on the file's size
# (a 0.5x resize reads the same grid). One Haar DWT level gives the 256x256 LL band; each 8x8 block of it
# carries the three lowest AC DCT coefficients, each quantised (dithered QIM) to one bit: 3072 slots. A 120-bit
# frame (length, payload, CRC-32) is spread over the slots about 25 times in a keyed random order and read
# back by soft voting. The CRC makes a random image read as None (false positive rate ~2e-10). The change is
# made on the grid, then resampled to the image's size and added equally to R, G and B.

_WM_N = 512
_WM_B = 8
_WM_COEFFS = ((0, 1), (1, 0), (1, 1))
_WM_STEP = 44.0
_WM_MAXLEN = 10
_WM_FRAME_BITS = (1 + _WM_MAXLEN + 4) * 8
_WM_MIN_SIDE = 128  # smaller images cannot carry the mark through the resampling


def _dct_matrix(n: int) -> np.ndarray:
    k = np.arange(n)[:, None]
    x = np.arange(n)[None, :]
    m = np.cos(np.pi * (2 * x + 1) * k / (2 * n)) * np.sqrt(2 / n)
    m[0] /= np.sqrt(2)
    return m


@lru_cache(maxsize=1)
def _wm_tables():
    d = _dct_matrix(_WM_B)
    basis = np.stack([np.outer(d[u], d[v]) for u, v in _WM_COEFFS]).astype(np.float64)
    blocks = (_WM_N // 2 // _WM_B) ** 2
    slots = blocks * len(_WM_COEFFS)
    rng = np.random.default_rng(0x6D696E696D65)  # "minime": the key; changing it changes every mark
    bit_of_slot = np.empty(slots, np.int64)
    bit_of_slot[rng.permutation(slots)] = np.arange(slots) % _WM_FRAME_BITS
    whiten = rng.integers(0, 2, slots).astype(np.uint8)
    dither = rng.uniform(0, _WM_STEP, slots)
    return basis, bit_of_slot, whiten, dither


def _wm_grid(image: Image.Image) -> np.ndarray:
    """The luma resampled to the fixed grid (BILINEAR in Pillow filters when it shrinks)."""
    grey = image.convert("L") if image.mode in ("RGB", "RGBA", "L", "LA") else image.convert("RGB").convert("L")
    return np.asarray(grey.resize((_WM_N, _WM_N), Image.Resampling.BILINEAR), np.float64)


def _wm_coeffs(grid: np.ndarray) -> np.ndarray:
    import pywt

    basis = _wm_tables()[0]
    ll, _ = pywt.dwt2(grid, "haar")
    n = ll.shape[0] // _WM_B
    blocks = ll.reshape(n, _WM_B, n, _WM_B).transpose(0, 2, 1, 3).reshape(n * n, _WM_B, _WM_B)
    return np.einsum("nij,kij->nk", blocks, basis).reshape(-1)


def _wm_frame(payload: bytes) -> np.ndarray:
    body = bytes([len(payload)]) + payload.ljust(_WM_MAXLEN, b"\0")
    frame = body + zlib.crc32(b"minime" + body).to_bytes(4, "big")
    return np.unpackbits(np.frombuffer(frame, np.uint8))


def embed_watermark(image: Image.Image, payload: bytes = b"minime-ai") -> Image.Image:
    """Hide `payload` in the image's luma, invisibly (PSNR about 45 dB).

    Args:
        image: RGB (RGBA keeps its alpha; other modes are converted to RGB).
        payload: up to 10 bytes.
    Returns:
        A new image of the same size and mode. Images under 128 px on a side are returned unchanged (too small
        to carry the mark).
    """
    import pywt

    if len(payload) > _WM_MAXLEN:
        raise MinimeError(f"watermark payload is {len(payload)} bytes; at most {_WM_MAXLEN} fit")
    alpha = image.getchannel("A") if image.mode == "RGBA" else None
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    w, h = rgb.size
    if min(w, h) < _WM_MIN_SIDE:
        return image.copy() if image.mode in ("RGB", "RGBA") else rgb
    basis, bit_of_slot, whiten, dither = _wm_tables()
    coeffs = _wm_coeffs(_wm_grid(rgb))
    bits = _wm_frame(payload)[bit_of_slot] ^ whiten
    offset = dither + bits * (_WM_STEP / 2)
    target = np.round((coeffs - offset) / _WM_STEP) * _WM_STEP + offset
    dcoef = (target - coeffs).reshape(-1, len(_WM_COEFFS))
    n = _WM_N // 2 // _WM_B
    dblocks = np.einsum("nk,kij->nij", dcoef, basis)
    dll = dblocks.reshape(n, n, _WM_B, _WM_B).transpose(0, 2, 1, 3).reshape(n * _WM_B, n * _WM_B)
    zero = np.zeros_like(dll)
    dgrid = pywt.idwt2((dll, (zero, zero, zero)), "haar").astype(np.float32)
    delta = np.asarray(Image.fromarray(dgrid, "F").resize((w, h), Image.Resampling.BILINEAR))
    out = np.asarray(rgb, np.float32) + delta[..., None]
    np.rint(out, out=out)
    np.clip(out, 0, 255, out=out)
    result = Image.fromarray(out.astype(np.uint8), "RGB")
    if alpha is not None:
        result.putalpha(alpha)
    return result


def read_watermark(image: Image.Image) -> bytes | None:
    """The payload hidden by embed_watermark(), or None when there is none (or it did not survive)."""
    if min(image.size) < 16:
        return None
    _, bit_of_slot, whiten, dither = _wm_tables()
    coeffs = _wm_coeffs(_wm_grid(image))
    soft = np.cos(2 * np.pi * (coeffs - dither) / _WM_STEP)  # +1 on the bit-0 lattice, -1 on the bit-1 one
    soft = np.where(whiten == 1, -soft, soft)
    votes = np.bincount(bit_of_slot, weights=soft, minlength=_WM_FRAME_BITS)
    frame = np.packbits((votes < 0).astype(np.uint8)).tobytes()
    body, crc = frame[:-4], frame[-4:]
    if body[0] > _WM_MAXLEN or zlib.crc32(b"minime" + body).to_bytes(4, "big") != crc:
        return None
    return body[1 : 1 + body[0]]


# ------------------------------------------------------------------------------------ keys and trust


@dataclass(frozen=True)
class _Credentials:
    chain: bytes  # PEM, end-entity first
    key: bytes  # PEM
    alg: str  # c2pa's name: es256, ps256, ed25519, ...


_lock = threading.Lock()
_cache: dict[tuple, _Credentials] = {}


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC)


def _credentials() -> _Credentials:
    """The signing key and chain: the brand's from settings, else the local one (made on first use)."""
    from .settings import settings

    s = settings()
    key = (str(s.home), str(s.signing_cert), str(s.signing_key))
    with _lock:
        creds = _cache.get(key)
        if creds is None:
            if s.signing_cert or s.signing_key:
                creds = _brand_credentials(s.signing_cert, s.signing_key)
            else:
                creds = _local_credentials(Path(s.home) / "signing")
            _cache[key] = creds
        return creds


def _alg_of(key_pem: bytes) -> str:
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    key = load_pem_private_key(key_pem, password=None)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        algs = {"secp256r1": "es256", "secp384r1": "es384", "secp521r1": "es512"}
        if key.curve.name in algs:
            return algs[key.curve.name]
    elif isinstance(key, rsa.RSAPrivateKey):
        return "ps256"
    elif isinstance(key, ed25519.Ed25519PrivateKey):
        return "ed25519"
    raise MinimeError("signing_key must be an EC P-256/P-384/P-521, RSA or Ed25519 private key (PEM, unencrypted)")


def _brand_credentials(cert: Path | None, key: Path | None) -> _Credentials:
    if not (cert and key):
        raise MinimeError("set both signing_cert and signing_key (MINIME_SIGNING_CERT, MINIME_SIGNING_KEY), or neither")
    try:
        chain, key_pem = Path(cert).read_bytes(), Path(key).read_bytes()
    except OSError as exc:
        raise MinimeError(f"cannot read the signing certificate or key: {exc.strerror or exc}") from None
    try:
        alg = _alg_of(key_pem)
    except (ValueError, TypeError):
        raise MinimeError(f"{Path(key).name} is not an unencrypted PEM private key") from None
    return _Credentials(chain, key_pem, alg)


def _local_credentials(folder: Path) -> _Credentials:
    key_file, chain_file = folder / "key.pem", folder / "chain.pem"
    if not (key_file.exists() and chain_file.exists() and (folder / "ca.pem").exists()):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        with _FolderLock(folder):
            if not (key_file.exists() and chain_file.exists() and (folder / "ca.pem").exists()):
                _make_local_ca(folder)
    return _Credentials(chain_file.read_bytes(), key_file.read_bytes(), "es256")


class _FolderLock:
    """An exclusive lock on folder/.lock so two first runs do not make two mismatched keys."""

    def __init__(self, folder: Path):
        self.path = folder / ".lock"

    def __enter__(self):
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            import fcntl

            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except ImportError:  # Windows: first runs in parallel are unlikely there
            pass
        return self

    def __exit__(self, *exc):
        os.close(self.fd)


def _write_private(path: Path, data: bytes, mode: int) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _make_local_ca(folder: Path) -> None:
    """A small local CA and an ES256 end-entity certificate that C2PA accepts.

    C2PA wants an end-entity certificate (not self-signed, not a CA) with a critical digitalSignature key
    usage and a signing extended key usage; the CA above it is our trust anchor. The CA's key is thrown away
    once the certificate is issued: nothing else can ever be signed by it.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

    now = _now()
    start, end = now - _dt.timedelta(days=1), now + _dt.timedelta(days=3650)
    ku = {
        "content_commitment": False, "key_encipherment": False, "data_encipherment": False,
        "key_agreement": False, "encipher_only": False, "decipher_only": False,
    }  # fmt: skip
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "minime"),
            x509.NameAttribute(NameOID.COMMON_NAME, "minime local CA"),
        ]
    )
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, key_cert_sign=True, crl_sign=True, **ku), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "minime"),
            x509.NameAttribute(NameOID.COMMON_NAME, "minime local signer"),
        ]
    )
    document_signing = ObjectIdentifier("1.3.6.1.5.5.7.3.36")
    leaf = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=False, crl_sign=False, **ku), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, document_signing]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    key_pem = key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    _write_private(folder / "key.pem", key_pem, 0o600)
    _write_private(folder / "chain.pem", leaf.public_bytes(pem) + ca.public_bytes(pem), 0o644)
    _write_private(folder / "ca.pem", ca.public_bytes(pem), 0o644)


def _trust_anchors() -> str:
    """PEM of the CA certificates we trust: our local CA (if made yet) and the brand chain's issuers."""
    from .settings import settings

    s = settings()
    parts: list[str] = []
    ca = Path(s.home) / "signing" / "ca.pem"
    try:
        parts.append(ca.read_text())
    except OSError:
        pass
    if s.signing_cert:
        try:
            from cryptography import x509
            from cryptography.hazmat.primitives import serialization

            certs = x509.load_pem_x509_certificates(Path(s.signing_cert).read_bytes())
            for cert in certs[1:] or certs:
                parts.append(cert.public_bytes(serialization.Encoding.PEM).decode())
        except (OSError, ValueError):
            pass
    return "".join(parts)


# --------------------------------------------------------------------------------------------- C2PA

_OFFLINE = {"remote_manifest_fetch": False, "ocsp_fetch": False}


@lru_cache(maxsize=8)
def _context(kind: str, anchors: str):
    """A c2pa Context (cached: building one parses the trust anchors). Never reaches the network."""
    import c2pa

    config: dict = {"verify": dict(_OFFLINE, verify_trust=True), "core": {"allowed_network_hosts": []}}
    if anchors:
        config["trust"] = {"user_anchors": anchors}
    if kind == "sign":
        config["verify"]["verify_after_sign"] = True
        config["builder"] = {
            "thumbnail": {"enabled": False},  # privacy rule 3: no picture of anything inside the manifest
            "claim_generator_info": {"name": "minime", "version": _version()},
        }
    return c2pa.Context.from_dict(config)


@lru_cache(maxsize=1)
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("minime")
    except PackageNotFoundError:
        return "0"


def sign_file(path: Path, *, engine: str, model: str, extra: dict | None = None) -> None:
    """Embed a signed C2PA manifest in a PNG, JPEG or WebP file, in place. Call it last: any later change
    to the file breaks the signature.

    The manifest says ``c2pa.created`` with digitalSourceType trainedAlgorithmicMedia, names the engine and
    model (assertion "org.minime.generator"), and carries `extra` as "org.minime.receipt". It has no
    ingredient and no thumbnail.

    Args:
        path: the file to sign; replaced atomically (temp file in the same folder).
        engine: the engine's name.
        model: the model's name.
        extra: JSON-able data, e.g. the energy receipt.
    """
    import c2pa

    path = Path(path)
    data = path.read_bytes()
    fmt = _sniff(data)
    if fmt is None:
        raise MinimeError(f"cannot sign {path.name!r}: only PNG, JPEG and WebP files can be signed")
    created = _xmp_field(_read_xmp(data), "created") or _now().isoformat(timespec="seconds")
    generator = {"engine": engine, "model": model, "created": created}
    assertions = [
        {
            "label": "c2pa.actions.v2",
            "data": {
                "actions": [
                    {
                        "action": "c2pa.created",
                        "digitalSourceType": IPTC_TRAINED,
                        "softwareAgent": {"name": "minime", "version": _version()},
                        "parameters": {"engine": engine, "model": model},
                    }
                ]
            },
        },
        {"label": GENERATOR_LABEL, "data": generator},
    ]
    if extra is not None:
        assertions.append({"label": RECEIPT_LABEL, "data": json.loads(json.dumps(extra, default=str))})
    manifest = {"claim_generator_info": [{"name": "minime", "version": _version()}], "assertions": assertions}

    creds = _credentials()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".signing" + path.suffix, dir=path.parent)
    try:
        try:
            signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(creds.alg, creds.chain, creds.key, None))
            try:
                builder = c2pa.Builder(manifest, context=_context("sign", _trust_anchors()))
                with os.fdopen(fd, "w+b") as dest:
                    builder.sign(signer, _MIME[fmt], io.BytesIO(data), dest)
            finally:
                signer.close()
        except c2pa.C2paError as exc:
            raise MinimeError(f"cannot sign {path.name!r}: {exc}") from None
        os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


# ------------------------------------------------------------------------------------------- verify

# Failures about the certificate rather than the bytes: they make a file invalid, not tampered.
_CREDENTIAL_PREFIXES = ("signingCredential.", "timeStamp.")


@dataclass
class Verification:
    """What verify() found in one file."""

    ai_label: bool = False  # XMP DigitalSourceType, or the C2PA action says trainedAlgorithmicMedia
    signed: bool = False  # a C2PA manifest is present
    valid: bool = False  # signature and hashes check out
    trusted: bool = False  # signed by our local CA or the configured brand chain
    tampered: bool = False
    watermark: bool = False
    engine: str | None = None
    created: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.ai_label and self.signed and self.valid and not self.tampered


def verify(path: Path) -> Verification:
    """Check a file's AI label, C2PA manifest and watermark. Never raises for a bad file (a missing one
    raises FileNotFoundError); what is wrong is listed in `problems`."""
    path = Path(path)
    result = Verification()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise
    except OSError as exc:
        result.problems.append(f"cannot read the file: {exc.strerror or exc}")
        return result
    fmt = _sniff(data)
    if fmt is None:
        result.problems.append("not a PNG, JPEG or WebP image")
        return result

    xmp = _read_xmp(data)
    xmp_label = _xmp_field(xmp, "DigitalSourceType") == IPTC_TRAINED
    manifest = _check_manifest(data, fmt, result)
    c2pa_label = _action_label(manifest)
    result.ai_label = xmp_label or c2pa_label
    if not xmp_label:
        result.problems.append("no XMP AI label (IPTC DigitalSourceType trainedAlgorithmicMedia)")
    if not result.ai_label:
        result.problems.append("nothing in the file says it is AI-generated")
    generator = _assertion(manifest, GENERATOR_LABEL) or {}
    result.engine = _str(generator.get("engine")) or _xmp_field(xmp, "engine")
    result.created = _str(generator.get("created")) or _xmp_field(xmp, "created")

    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            result.watermark = read_watermark(im) is not None
    except Exception as exc:  # noqa: BLE001 - a damaged file must still get a verdict
        result.problems.append(f"cannot decode the pixels: {exc}")
    if not result.watermark:
        result.problems.append("no invisible watermark found")
    return result


def _check_manifest(data: bytes, fmt: str, result: Verification) -> dict | None:
    """Read and validate the C2PA manifest into `result`; returns the active manifest (or None)."""
    import c2pa

    try:
        reader = c2pa.Reader.try_create(_MIME[fmt], io.BytesIO(data), None, _context("read", _trust_anchors()))
    except c2pa.C2paError as exc:
        result.signed, result.tampered = True, True
        result.problems.append(f"C2PA manifest cannot be read: {exc}")
        return None
    if reader is None:
        result.problems.append("no C2PA manifest: the file is not signed")
        return None
    try:
        store = json.loads(reader.json())
    except (c2pa.C2paError, ValueError) as exc:
        result.signed, result.tampered = True, True
        result.problems.append(f"C2PA manifest cannot be read: {exc}")
        return None
    finally:
        reader.close()
    result.signed = True
    manifest = store.get("manifests", {}).get(store.get("active_manifest") or "")
    results = (store.get("validation_results") or {}).get("activeManifest") or {}
    failures = list(results.get("failure") or [])
    if not results:  # older layouts: a flat list of failure statuses
        failures = list(store.get("validation_status") or [])
    success = {s.get("code") for s in results.get("success") or []}
    codes = [f.get("code", "") for f in failures]

    result.trusted = "signingCredential.trusted" in success and "signingCredential.untrusted" not in codes
    bad = [f for f in failures if f.get("code") != "signingCredential.untrusted"]
    result.valid = manifest is not None and not bad
    result.tampered = manifest is None or any(not f.get("code", "").startswith(_CREDENTIAL_PREFIXES) for f in bad)
    if manifest is None:
        result.problems.append("C2PA manifest store has no active manifest")
    for f in bad:
        result.problems.append(f"C2PA check failed: {f.get('code')}: {f.get('explanation', '')}".rstrip(": "))
    if not result.trusted:
        info = (manifest or {}).get("signature_info") or {}
        who = ", ".join(x for x in (info.get("common_name"), info.get("issuer")) if x) or "unknown signer"
        result.problems.append(f"signer is not trusted here ({who})")
    return manifest


def _assertion(manifest: dict | None, label: str) -> dict | None:
    for a in (manifest or {}).get("assertions") or []:
        if a.get("label") == label and isinstance(a.get("data"), dict):
            return a["data"]
    return None


def _action_label(manifest: dict | None) -> bool:
    for label in ("c2pa.actions.v2", "c2pa.actions"):
        for action in (_assertion(manifest, label) or {}).get("actions") or []:
            if isinstance(action, dict) and action.get("digitalSourceType") == IPTC_TRAINED:
                return True
    return False


def _str(value) -> str | None:
    return str(value) if value not in (None, "") else None
