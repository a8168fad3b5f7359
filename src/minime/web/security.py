"""Who a client is (session cookie or API token), security headers, CSRF and rate limits, upload parsing.

A client is a signed random id: a browser gets it as a SameSite=Strict, HttpOnly session cookie on its
first request; a script may instead ask `POST /api/tokens` for a bearer token. Jobs belong to that id,
and every other client gets 404 for them. Ids are signed with a key made when the server starts, so
they cannot be forged, and they end with the server (so do its jobs).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import MutableMapping

    from python_multipart.multipart import MultipartCallbacks
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "minime_session"
CSRF_HEADER = "x-minime-request"

# The 3D viewer (static/model-viewer.min.js) compiles its bundled mesh decoder to WebAssembly, which
# 'wasm-unsafe-eval' allows without allowing eval() of script, and adds one fixed style element of its own,
# allowed by its hash alone.
_VIEWER_STYLE = "'sha256-PXtZZkJMMyc18o/DN1ZEFOJ2qEGq95IQbVaJFMOXOb0='"
_CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' " + _VIEWER_STYLE + "; "
        "img-src 'self' blob: data:; font-src 'self'; "
        "connect-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'")
# Swagger UI sets inline styles from its script; its page gets that one relaxation, nothing else.
_DOCS_CSP = _CSP.replace("style-src 'self' " + _VIEWER_STYLE, "style-src 'self' 'unsafe-inline'")

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "permissions-policy": "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}


class Signer:
    """Makes and checks client ids: 'random.signature', signed with a per-server key."""

    def __init__(self, key: bytes | None = None):
        self._key = key or secrets.token_bytes(32)

    def _sign(self, raw: str) -> str:
        return hmac.new(self._key, raw.encode(), hashlib.sha256).hexdigest()[:32]

    def issue(self) -> str:
        raw = secrets.token_urlsafe(18)
        return f"{raw}.{self._sign(raw)}"

    def verify(self, value: str | None) -> str | None:
        """The client id in a signed value, or None if it is missing or forged."""
        if not value or len(value) > 200 or "." not in value:
            return None
        raw, _, sig = value.rpartition(".")
        return raw if raw and hmac.compare_digest(sig, self._sign(raw)) else None


@dataclass
class Client:
    id: str
    via: str  # "cookie", "new" (a cookie is being issued) or "token"


def client_of(scope: MutableMapping[str, Any]) -> Client:
    return scope["minime.client"]


class ClientMiddleware:
    """Pure ASGI: names the client (issuing a cookie if needed), checks the Host, adds security headers."""

    def __init__(self, app: ASGIApp, *, signer: Signer, allowed_hosts: tuple[str, ...] | None = None):
        self.app = app
        self.signer = signer
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = headers.get("host", "").rsplit(":", 1)[0].strip("[]").lower()
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            # A page on another site that points its own host name at this machine (DNS rebinding).
            return await _send_json(send, 421, "bad_host", f"this server answers only to {', '.join(self.allowed_hosts)}")
        auth = headers.get("authorization", "")
        cookie: str | None = None
        if auth.lower().startswith("bearer "):
            ident = self.signer.verify(auth[7:].strip())
            if ident is None:
                return await _send_json(send, 401, "bad_token", "the API token is not valid here; get one from POST /api/tokens",
                                        {"www-authenticate": "Bearer"})
            client = Client("t:" + ident, "token")
        else:
            jar = SimpleCookie()
            try:
                jar.load(headers.get("cookie", ""))
            except Exception:  # noqa: BLE001 - a broken Cookie header is a missing one
                jar = SimpleCookie()
            ident = self.signer.verify(jar[COOKIE].value if COOKIE in jar else None)
            if ident is None:
                cookie = self.signer.issue()
                ident = self.signer.verify(cookie)
                assert ident is not None  # a cookie just issued always verifies
            client = Client("c:" + ident, "new" if cookie else "cookie")
        scope["minime.client"] = client
        path = scope.get("path", "")
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                present = {k.decode("latin-1").lower() for k, _ in raw}
                extra = dict(SECURITY_HEADERS)
                extra["content-security-policy"] = _DOCS_CSP if path == "/docs" else _CSP
                if path.startswith("/api/") and "cache-control" not in present:
                    extra["cache-control"] = "no-store"
                if https:
                    extra["strict-transport-security"] = "max-age=31536000"
                raw += [(k.encode(), v.encode()) for k, v in extra.items() if k not in present]
                if cookie is not None:
                    flags = "; Secure" if https else ""
                    raw.append((b"set-cookie", f"{COOKIE}={cookie}; Path=/; HttpOnly; SameSite=Strict{flags}".encode()))
                message = {**message, "headers": raw}
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _send_json(send: Send, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in {**SECURITY_HEADERS, "content-security-policy": _CSP, **(headers or {})}.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def cross_site_problem(client: Client, headers: Any, scheme: str = "http") -> str | None:
    """Why a state-changing request may be a cross-site forgery, or None if it is safe.

    A bearer token is never sent by a browser on its own, so token requests pass. Cookie requests must
    come from this origin (Origin matches Host) or carry the X-Minime-Request header, which another site
    cannot add without a CORS preflight that this server never grants.
    """
    if client.via == "token":
        return None
    if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return "a request from another site was refused"
    origin = headers.get("origin")
    if origin:
        own = headers.get("host", "")
        if origin != f"{scheme}://{own}":  # the scheme too: http://host is not https://host's page
            return "a request from another site was refused"
        return None
    if headers.get(CSRF_HEADER) is None:
        return f"send the {CSRF_HEADER} header (any value) or an API token with state-changing requests"
    return None


class RateLimit:
    """At most `per_minute` events per key in any 60-second window (a sliding log per key)."""

    def __init__(self, per_minute: int, window: float = 60.0):
        self.per_minute = per_minute
        self.window = window
        self._log: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, key: str) -> int:
        """0 if `key` may go now, else the seconds until it may."""
        now = time.monotonic()
        with self._lock:
            times = self._log.get(key)
            if times is None:
                return 0
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) < self.per_minute:
                return 0
            return max(1, int(times[0] + self.window - now + 0.999))

    def hit(self, key: str) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._log) > 10_000:  # forget idle clients
                self._log = {k: v for k, v in self._log.items() if v and v[-1] > now - self.window}
            self._log.setdefault(key, deque()).append(now)


# ---------------------------------------------------------------- multipart, in memory only

class UploadError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code


@dataclass
class Part:
    name: str
    filename: str | None
    content_type: str
    data: bytes


MAX_PARTS = 8
MAX_FIELD_BYTES = 64_000


def parse_multipart(body: bytes, content_type: str) -> dict[str, Part]:
    """Parse a multipart/form-data body held in memory. Starlette's own parser spools files over 1 MB to
    disk; a photo must never touch the disk, so the body is parsed here.

    Raises:
        UploadError: not multipart, malformed, or too many or too large fields.
    """
    from python_multipart.multipart import MultipartParser, parse_options_header

    kind, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UploadError(415, "bad_upload", "send multipart/form-data with a 'photo' file and a 'spec' JSON field")
    parts: list[dict] = []
    current: dict = {}
    header_field = bytearray()
    header_value = bytearray()

    def on_part_begin() -> None:
        current.clear()
        current.update(headers={}, data=bytearray())

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header_field.extend(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header_value.extend(data[start:end])

    def on_header_end() -> None:
        current["headers"][bytes(header_field).decode("latin-1").lower()] = bytes(header_value).decode("utf-8", "replace")
        header_field.clear()
        header_value.clear()

    def on_part_data(data: bytes, start: int, end: int) -> None:
        current["data"].extend(data[start:end])

    def on_part_end() -> None:
        if len(parts) >= MAX_PARTS:
            raise UploadError(400, "bad_upload", f"too many form fields (at most {MAX_PARTS})")
        parts.append(dict(current))

    callbacks: MultipartCallbacks = {"on_part_begin": on_part_begin, "on_header_field": on_header_field, "on_header_value": on_header_value,
                 "on_header_end": on_header_end, "on_part_data": on_part_data, "on_part_end": on_part_end}
    try:
        parser = MultipartParser(boundary, callbacks)
        parser.write(body)
        parser.finalize()
    except UploadError:
        raise
    except Exception as exc:  # noqa: BLE001 - untrusted bytes
        raise UploadError(400, "bad_upload", "the upload is not valid multipart/form-data") from exc
    out: dict[str, Part] = {}
    for part in parts:
        disposition, options = parse_options_header(part["headers"].get("content-disposition", ""))
        if disposition != b"form-data" or b"name" not in options:
            continue
        name = options[b"name"].decode("utf-8", "replace")
        filename = options[b"filename"].decode("utf-8", "replace") if b"filename" in options else None
        data = bytes(part["data"])
        if filename is None and len(data) > MAX_FIELD_BYTES:
            raise UploadError(413, "too_large", f"the {name!r} field is over {MAX_FIELD_BYTES // 1000} kB")
        out.setdefault(name, Part(name, filename, part["headers"].get("content-type", ""), data))
    return out
