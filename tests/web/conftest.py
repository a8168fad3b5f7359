"""Web app helpers: apps that clean up after themselves, clients that talk to them in process, a poller."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import httpx
import pytest

from minime.web import create_app

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PORTRAIT = (FIXTURES / "obama.jpg").read_bytes()
CSRF = {"x-minime-request": "1"}


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
def make_app():
    """Build apps with options; their job stores (threads, private folder) are closed at the end."""
    apps = []

    def build(**options):
        app = create_app(**options)
        apps.append(app)
        return app

    yield build
    for app in apps:
        app.state.jobs.close()


def client(app, *, headers: dict | None = None, base_url: str = "http://testserver", csrf: bool = True,
           address: str = "127.0.0.1") -> httpx.AsyncClient:
    """An in-process client with its own cookie jar (so its own identity) and the address it comes from;
    `csrf` sends the page's header."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(address, 123)), base_url=base_url,
                             headers={**(CSRF if csrf else {}), **(headers or {})}, timeout=60)


async def post_figure(c: httpx.AsyncClient, spec: dict | None = None, *, photo: bytes = PORTRAIT,
                      filename: str = "portrait.jpg", content_type: str = "image/jpeg", **fields) -> httpx.Response:
    data = {"spec": json.dumps(spec or {"name": "Barack"}), **{k: str(v) for k, v in fields.items()}}
    return await c.post("/api/figures", files={"photo": (filename, photo, content_type)}, data=data)


def recording_maker(seen: list, field: str):
    """The real maker, noting each spec's `field` in `seen` as it is called."""
    from minime.web.jobs import default_maker

    def maker(photo, spec, **options):
        seen.append(getattr(spec, field))
        return default_maker(photo, spec, **options)

    return maker


async def wait_done(c: httpx.AsyncClient, job_id: str, timeout: float = 90) -> dict:
    """Poll a job until it is done or failed."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        r = await c.get(f"/api/figures/{job_id}")
        assert r.status_code == 200, r.text
        status = r.json()
        if status["status"] in ("done", "failed"):
            return status
        await asyncio.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")
