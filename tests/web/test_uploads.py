"""Slow and piled-up uploads against the real server (uvicorn on 127.0.0.1, raw sockets that trickle bytes): a body
slower than the floor is cut off with 408, one address sends only so many bodies at once (429 with Retry-After),
a request refused before its body came closes its connection, and behind a reverse proxy the forwarded address
and the public name count. Few sockets, each with a timeout."""

from __future__ import annotations

import json
import select
import socket
import threading
import time

import httpx
import pytest

from minime.settings import Settings
from minime.web import create_app
from minime.web.app import LOOPBACK_HOSTS
from minime.web.uploads import UploadGuard

from .conftest import CSRF, PORTRAIT
from .test_browser import _free_port

HEAD = ("POST /api/figures HTTP/1.1\r\nHost: 127.0.0.1\r\nx-minime-request: 1\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n")


@pytest.fixture
def serve(monkeypatch):
    """Start the real app under uvicorn on loopback with these settings; returns (app, port)."""
    import uvicorn

    servers = []

    def start(options: dict | None = None, **values):
        monkeypatch.setattr("minime.web.app.settings", lambda: Settings(**values))
        app = create_app(workers=1, **(options or {}))
        port = _free_port()
        srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=srv.run, daemon=True)
        thread.start()
        servers.append((srv, thread))
        end = time.monotonic() + 30
        while not srv.started:
            assert time.monotonic() < end, "the server did not start"
            time.sleep(0.05)
        return app, port

    yield start
    for srv, thread in servers:
        srv.should_exit = True
        thread.join(15)


def _open(port: int, head: str = HEAD, first: bytes = b"--b\r\n") -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(head.encode() + first)
    return sock


def _answer(sock: socket.socket) -> tuple[int, dict[str, str], dict]:
    """Read the whole response (the server closes the connection after it)."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, json.loads(body or b"{}")


def _guard(app) -> UploadGuard:
    layer = app.middleware_stack
    while not isinstance(layer, UploadGuard):
        layer = layer.app
    return layer


REBOX = HEAD.replace("POST /api/figures ", "POST /api/figures/x/rebox ").replace("multipart/form-data; boundary=b", "application/json")


@pytest.mark.parametrize("head", [HEAD, REBOX], ids=["photo", "json"])  # read by the route; read by the framework
def test_a_body_slower_than_the_floor_is_cut_off_with_408(serve, head):
    app, port = serve(web_upload_grace_seconds=1, web_upload_floor_bytes=1000)
    sent = time.monotonic()
    with _open(port, head) as sock:
        # A byte every 0.1 s (10 bytes/s) until 0.7 s into the 1 s grace, then silence. A byte that lands after
        # the server has closed makes its TCP stack answer with a reset, which can overtake the 408 on its way
        # to this socket; the pause leaves the server's answer a clean close.
        while time.monotonic() < sent + 0.7 and not select.select([sock], [], [], 0.1)[0]:
            sock.sendall(b"x")
        if not select.select([sock], [], [], 10)[0]:
            pytest.fail("the trickle was never cut off")
        status, headers, body = _answer(sock)
    assert status == 408 and headers["connection"] == "close"
    assert body["error"]["code"] == "too_slow" and "1 kB/s after 1 s" in body["error"]["message"]
    assert _guard(app).sending == {}
    # A photo sent at an ordinary speed still goes through.
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=CSRF) as c:
        r = c.post("/api/figures", files={"photo": ("p.jpg", PORTRAIT, "image/jpeg")}, data={"spec": '{"name": "Ada"}'})
    assert r.status_code == 202, r.text


def test_one_address_sends_only_so_many_bodies_at_once(serve):
    app, port = serve(web_uploads_per_address=2, web_upload_grace_seconds=60)
    guard = _guard_after_start(app, port)
    held = [_open(port), _open(port)]
    try:
        end = time.monotonic() + 10
        while guard.sending.get("127.0.0.1", 0) < 2:  # both are being read
            assert time.monotonic() < end, guard.sending
            time.sleep(0.02)
        with _open(port) as third:
            status, headers, body = _answer(third)
        assert status == 429 and body["error"]["code"] == "too_many_uploads"
        assert int(headers["retry-after"]) >= 1 and headers["connection"] == "close"
    finally:
        for sock in held:
            sock.close()
    end = time.monotonic() + 10
    while guard.sending:  # the hung-up uploads free their places
        assert time.monotonic() < end, guard.sending
        time.sleep(0.02)


def test_a_request_refused_before_its_body_came_closes_its_connection(serve):
    _, port = serve()
    head = HEAD.replace("x-minime-request: 1\r\n", "")  # refused at once: 403, the body never read
    with _open(port, head) as sock:
        status, headers, body = _answer(sock)
    assert status == 403 and body["error"]["code"] == "cross_site" and headers["connection"] == "close"


def _guard_after_start(app, port: int) -> UploadGuard:
    """The app builds its middleware on its first request."""
    assert httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
    return _guard(app)


def test_behind_a_proxy_the_forwarded_address_and_the_public_name_count(serve):
    """uvicorn trusts X-Forwarded-For from loopback (FORWARDED_ALLOW_IPS), so each client behind a local proxy is
    held to its own cap; MINIME_WEB_PROXY_HOSTS lets a loopback server answer to the proxy's public name."""
    app, port = serve({"allowed_hosts": LOOPBACK_HOSTS}, web_uploads_per_address=1, web_upload_grace_seconds=60,
                      web_proxy_hosts="minime.example.org")
    guard = _guard_after_start(app, port)

    def head(address: str) -> str:
        return HEAD.replace("Host: 127.0.0.1", f"Host: minime.example.org\r\nX-Forwarded-For: {address}")

    held = [_open(port, head("203.0.113.7")), _open(port, head("198.51.100.2"))]  # two clients, one each
    try:
        end = time.monotonic() + 10
        while len(guard.sending) < 2:
            assert time.monotonic() < end, guard.sending
            time.sleep(0.02)
        assert guard.sending == {"203.0.113.7": 1, "198.51.100.2": 1}
        with _open(port, head("203.0.113.7")) as again:  # the first client's second upload
            status, _, body = _answer(again)
        assert status == 429 and body["error"]["code"] == "too_many_uploads"
    finally:
        for sock in held:
            sock.close()
    for name, expected in (("minime.example.org", 200), ("attacker.example", 421)):
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", headers={"host": name}).status_code == expected
