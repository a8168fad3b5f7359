"""The C2PA manifest: signed offline with a local key (or a brand's own certificate), and checked.

The manifest carries no ingredient and no thumbnail, so no copy of the user's photo ends up in a file.
Nothing here touches the network: no timestamp authority, no OCSP, no remote manifests.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import MinimeError
from .xmp import IPTC_TRAINED, MIME, read_xmp, xmp_field

GENERATOR_LABEL = "org.minime.generator"
RECEIPT_LABEL = "org.minime.receipt"

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
    from ..settings import settings

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
    from ..files import atomic_write

    atomic_write(path, data, mode=mode)


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
    from ..settings import settings

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


def sign(data: bytes, *, engine: str, model: str, extra: dict | None = None, name: str = "the image") -> bytes:
    """Embed a signed C2PA manifest in a PNG, JPEG or WebP file's bytes, in memory. Call it last: any
    later change to the bytes breaks the signature.

    The manifest says ``c2pa.created`` with digitalSourceType trainedAlgorithmicMedia, names the engine and
    model (assertion "org.minime.generator"), and carries `extra` as "org.minime.receipt". It has no
    ingredient and no thumbnail.

    Args:
        data: the encoded image (with its XMP label, whose creation time the manifest repeats).
        engine: the engine's name.
        model: the model's name.
        extra: JSON-able data, e.g. the energy receipt.
        name: how an error names the image.
    Returns:
        The signed file's bytes.
    """
    from ..photo import sniff

    fmt = sniff(data)
    if fmt not in MIME:
        raise MinimeError(f"cannot sign {name}: only PNG, JPEG and WebP files can be signed")
    created = xmp_field(read_xmp(data), "created")
    return sign_media(data, MIME[fmt], engine=engine, model=model, extra=extra, name=name, created=created)


# Clips are signed too (c2pa-python writes MP4's ISO BMFF, GIF and animated WebP); see outputs/clip.py.
CLIP_MIME = {"mp4": "video/mp4", "gif": "image/gif", "webp": "image/webp"}


def sign_media(data: bytes, mime: str, *, engine: str, model: str, extra: dict | None = None,
               name: str = "the file", created: str | None = None) -> bytes:
    """`sign` for any media type c2pa-python embeds into (an image, or a clip from `CLIP_MIME`), in memory.

    Args:
        data: the finished file.
        mime: its media type ("image/png", "video/mp4", "image/gif", ...).
        engine, model, extra, name: as for `sign`.
        created: when the figure was made (ISO 8601); now if None.
    Returns:
        The signed file's bytes.
    """
    import c2pa

    created = created or _now().isoformat(timespec="seconds")
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
    dest = io.BytesIO()
    try:
        signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(creds.alg, creds.chain, creds.key, None))
        try:
            builder = c2pa.Builder(manifest, context=_context("sign", _trust_anchors()))
            builder.sign(signer, mime, io.BytesIO(data), dest)
        finally:
            signer.close()
    except c2pa.C2paError as exc:
        raise MinimeError(f"cannot sign {name}: {exc}") from None
    return dest.getvalue()


def sign_file(path: Path, *, engine: str, model: str, extra: dict | None = None) -> None:
    """`sign` a file in place, keeping its permissions (see `sign`)."""
    from ..files import atomic_write

    path = Path(path)
    signed = sign(path.read_bytes(), engine=engine, model=model, extra=extra, name=repr(path.name))
    atomic_write(path, signed, mode=os.stat(path).st_mode & 0o7777)


# Failures about the certificate rather than the bytes: they make a file invalid, not tampered.
_CREDENTIAL_PREFIXES = ("signingCredential.", "timeStamp.")

def check_manifest(data: bytes, fmt: str, result) -> dict | None:
    """Read and validate the C2PA manifest into `result`; returns the active manifest (or None).
    `fmt` is an image's format ("PNG", "JPEG", "WEBP") or a media type ("video/mp4")."""
    import c2pa

    try:
        reader = c2pa.Reader.try_create(MIME.get(fmt, fmt), io.BytesIO(data), None, _context("read", _trust_anchors()))
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


def assertion(manifest: dict | None, label: str) -> dict | None:
    for a in (manifest or {}).get("assertions") or []:
        if a.get("label") == label and isinstance(a.get("data"), dict):
            return a["data"]
    return None


def action_label(manifest: dict | None) -> bool:
    for label in ("c2pa.actions.v2", "c2pa.actions"):
        for action in (assertion(manifest, label) or {}).get("actions") or []:
            if isinstance(action, dict) and action.get("digitalSourceType") == IPTC_TRAINED:
                return True
    return False
