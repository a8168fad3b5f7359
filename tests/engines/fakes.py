"""A scripted HTTP server on 127.0.0.1 that the real SDKs talk to, and figure images for it to return."""

from __future__ import annotations

import base64
import io
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import default as email_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from ..conftest import FIXTURES


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)

    def form(self) -> dict[str, bytes]:
        """A multipart/form-data body as {field name: bytes} (repeated names keep the last)."""
        head = f"Content-Type: {self.headers['content-type']}\r\n\r\n".encode()
        message = BytesParser(policy=email_policy).parsebytes(head + self.body)
        return {part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
                for part in message.iter_parts()}

    def parts(self, name: str) -> list[bytes]:
        """Every multipart field of this name, in order (an SDK sends a list of images as image[])."""
        head = f"Content-Type: {self.headers['content-type']}\r\n\r\n".encode()
        message = BytesParser(policy=email_policy).parsebytes(head + self.body)
        return [part.get_payload(decode=True) for part in message.iter_parts()
                if part.get_param("name", header="content-disposition") == name]


class FakeServer:
    """Answers each request with the next scripted reply (the last one repeats)."""

    def __init__(self):
        self.replies: deque[Reply] = deque()
        self.requests: list[Request] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                server.requests.append(Request("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                reply = server.replies.popleft() if len(server.replies) > 1 else server.replies[0]
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", reply.content_type)
                    self.send_header("content-length", str(len(reply.body)))
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(reply.body)
                except OSError:  # the client gave up (a timeout test)
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def reply(self, status: int = 200, payload=None, *, text: str | None = None, delay: float = 0.0,
              headers: dict[str, str] | None = None) -> FakeServer:
        if text is not None:
            body, kind = text.encode(), "text/plain"
        else:
            body, kind = json.dumps(payload).encode(), "application/json"
        self.replies.append(Reply(status, body, kind, dict(headers or {}), delay))
        return self

    def __enter__(self) -> FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def png_bytes(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def b64(image: Image.Image) -> str:
    return base64.b64encode(png_bytes(image)).decode()


def portrait_figure(size: tuple[int, int] = (360, 450), photo: str = "obama.jpg") -> Image.Image:
    """A stand-in figure that has a real face: a test portrait cut out in an oval (RGBA)."""
    photo = Image.open(FIXTURES / photo).convert("RGB").resize(size)
    alpha = Image.new("L", size, 0)
    ImageDraw.Draw(alpha).ellipse((size[0] * 0.08, size[1] * 0.02, size[0] * 0.92, size[1] * 1.4), fill=255)
    alpha = alpha.filter(ImageFilter.GaussianBlur(1.5))  # anti-aliased, as a model paints an edge
    figure = photo.convert("RGBA")
    figure.putalpha(alpha)
    canvas = Image.new("RGBA", (size[0] + 80, size[1] + 80), (0, 0, 0, 0))
    canvas.alpha_composite(figure, (40, 40))
    return canvas


def on_key(figure: Image.Image, key=(0, 177, 64)) -> Image.Image:
    """The figure on a flat key colour, opaque, as an edit model paints it."""
    back = Image.new("RGBA", figure.size, key + (255,))
    back.alpha_composite(figure)
    return back.convert("RGB")


def is_clean_png(data: bytes) -> bool:
    """True for a PNG with image chunks only (no text, EXIF, ICC or time chunks)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return False
    pos, kinds = 8, []
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kinds.append(data[pos + 4:pos + 8].decode("latin-1"))
        pos += 12 + length
    return set(kinds) <= {"IHDR", "IDAT", "IEND", "PLTE"}


def alpha_of(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGBA"))[..., 3]
