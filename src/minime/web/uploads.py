"""Request bodies that must not hold the server: an upload slower than a floor is cut off, and one address may
send only so many at once.

A client that trickles its body (a byte a second) would otherwise hold a connection, a task and an open file
for as long as it likes. So, for every request with a body:
- once `grace` seconds have passed, the body must have come at `floor` bytes a second on average since the
  request began; the moment it falls behind, the answer is 408 and the connection is closed;
- one client address sends at most `per_address` bodies at once; past that, 429 with Retry-After at once,
  before any of the body is read;
- a request answered before its whole body came (a refusal) closes its connection, so a trickle after the
  answer holds nothing either.
What comes before the body (slow headers) and connections in bulk are a reverse proxy's to bound: see the
README ("Behind a reverse proxy").
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

from .security import _send_json

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

RETRY_SECONDS = 5  # Retry-After for an address at its cap: about how long a photo takes to send


class SlowUpload(HTTPException):
    """Raised from `receive` inside the app when the body fell behind the floor: 408, and the connection closes.
    An HTTPException, so that a body read by the framework itself (a JSON body) is answered as one too."""

    def __init__(self, message: str):
        super().__init__(408, message, {"connection": "close"})


def has_body(scope: Scope) -> bool:
    """Whether the request says a body follows (Content-Length over 0, or chunked)."""
    for key, value in scope.get("headers", ()):
        if key == b"content-length":
            return value.strip() not in (b"", b"0")
        if key == b"transfer-encoding":
            return True
    return False


class UploadGuard:
    """Pure ASGI: the floor under every request body's speed and the cap on one address's bodies at once.

    Args:
        floor: bytes a second a body must average once `grace` has passed (0: no floor).
        grace: seconds before the floor applies (a slow start, a phone waking its radio).
        per_address: bodies one client address may be sending at once.
    """

    def __init__(self, app: ASGIApp, *, floor: float, grace: float, per_address: int):
        self.app = app
        self.floor = floor
        self.grace = grace
        self.per_address = per_address
        self.sending: dict[str, int] = {}  # address -> bodies on their way (no entry at none); one event loop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not has_body(scope):
            return await self.app(scope, receive, send)
        address = (scope.get("client") or ("",))[0]
        if self.sending.get(address, 0) >= self.per_address:
            return await _send_json(send, 429, "too_many_uploads",
                                    f"this address is already sending {self.per_address} uploads; try again in {RETRY_SECONDS} s",
                                    {"retry-after": str(RETRY_SECONDS), "connection": "close"})
        self.sending[address] = self.sending.get(address, 0) + 1
        loop = asyncio.get_running_loop()
        began, got = loop.time(), 0
        state = {"body": False, "answered": False, "hung_up": False}  # the whole body came; the response began; the client left

        def done() -> None:
            if not state["body"]:
                state["body"] = True
                left = self.sending.get(address, 0) - 1
                if left > 0:
                    self.sending[address] = left
                else:
                    self.sending.pop(address, None)

        async def guarded() -> Message:
            nonlocal got
            if state["body"]:  # the body is in: what follows is the app listening for a hang-up
                return await receive()
            if self.floor > 0:
                due = began + max(self.grace, got / self.floor)  # when the average falls below the floor
                try:
                    message = await asyncio.wait_for(receive(), max(0.05, due - loop.time()))
                except TimeoutError:
                    raise SlowUpload(f"the upload came too slowly (under {_rate(self.floor)} after {self.grace:g} s); "
                                     "try again on a better connection") from None
            else:
                message = await receive()
            got += len(message.get("body", b""))
            if message["type"] != "http.request" or not message.get("more_body", False):
                state["hung_up"] = message["type"] == "http.disconnect"
                done()
            return message

        async def answer(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["answered"] = True
                if not state["body"]:  # answered before the whole body came: close, so a trickle holds nothing
                    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"connection"]
                    message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        try:
            await self.app(scope, guarded, answer)
        except SlowUpload as exc:  # an app without a handler for it
            if not state["answered"]:
                await _send_json(send, 408, "too_slow", exc.detail, dict(exc.headers or {}))
        except ClientDisconnect:  # the client hung up mid-body: nobody to answer, nothing to log
            if state["answered"] or not state["hung_up"]:
                raise
        finally:
            done()


def _rate(floor: float) -> str:
    return f"{floor / 1000:g} kB/s" if floor >= 1000 else f"{floor:g} bytes/s"
