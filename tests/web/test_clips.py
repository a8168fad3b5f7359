"""Turntable clips in the web app: made once and kept with the job (in its byte budget), one at a time per client
(429) and a limit for the server (503), both with Retry-After, made in the figures' own worker pool, and the
frames' memory handed back after each. The real clip, end to end, is in test_viewer.py."""

from __future__ import annotations

import asyncio
import threading

import pytest

from minime.settings import Settings
from minime.web.jobs import default_maker

from .conftest import client, post_figure, wait_done

pytestmark = pytest.mark.anyio


class FakeRenderer:
    """Stands in for the seconds-long real render: counts its calls, and holds each until `release` is set."""

    def __init__(self, order: list[str] | None = None, size: int = 0):
        self.calls = 0
        self.started = threading.Event()
        self.release = threading.Event()
        self.release.set()
        self.order = order if order is not None else []
        self.size = size

    def __call__(self, result, fmt: str) -> bytes:
        self.calls += 1
        self.order.append("clip")
        self.started.set()
        assert self.release.wait(30)
        return b"\x00\x00\x00\x18ftypmp42" + f" clip {self.calls} of {result.spec.name}".encode() + b"x" * self.size


def _settings(monkeypatch, **values) -> None:
    """The app's settings, with these values (as MINIME_* variables would set them)."""
    monkeypatch.setattr("minime.web.app.settings", lambda: Settings(**values))


async def _figure(c, name: str = "Barack") -> dict:
    status = await wait_done(c, (await post_figure(c, {"name": name})).json()["id"])
    assert status["status"] == "done", status
    return status


async def test_a_clip_is_made_once_kept_and_made_again_after_a_rebox(make_app, monkeypatch):
    trims: list[int] = []
    monkeypatch.setattr("minime.web.clips.release_memory", lambda: trims.append(1))
    render = FakeRenderer()
    app = make_app(workers=1, clip_renderer=render)
    async with client(app) as c:
        status = await _figure(c)
        url = status["links"]["clip_mp4"]
        first, second = await c.get(url), await c.get(url)
        assert first.status_code == second.status_code == 200
        assert first.content == second.content and render.calls == 1  # the second is the kept file
        assert first.headers["content-type"] == "video/mp4"
        assert 'filename="barack-clip.mp4"' in first.headers["content-disposition"]
        assert trims == [1]  # the frames' memory is handed back after each render
        # A re-box changes the box and size the clip shows: the next one is made again, then kept again.
        assert (await c.post(status["links"]["rebox"], json={"size": "square"})).status_code == 200
        third, fourth = await c.get(url), await c.get(url)
        assert third.status_code == fourth.status_code == 200
        assert third.content == fourth.content != first.content and render.calls == 2


async def test_kept_clips_count_in_the_byte_budget(make_app, monkeypatch):
    """A figure's kept clip counts with its image: past `web_keep_mb`, the oldest figure goes."""
    _settings(monkeypatch, web_keep_mb=30)  # the two boxes are a few MB; one 40 MB clip is too much
    app = make_app(workers=1, clip_renderer=FakeRenderer(size=40_000_000))
    async with client(app) as c:
        older, newer = await _figure(c, "Ada"), await _figure(c, "Grace")
        assert (await c.get(older["links"]["clip_mp4"])).status_code == 200
        assert (await c.get(f"/api/figures/{older['id']}")).status_code == 404  # the oldest went
        assert (await c.get(f"/api/figures/{newer['id']}")).status_code == 200  # the newest always stays


async def test_one_clip_at_a_time_per_client_429_with_retry_after(make_app):
    render = FakeRenderer()
    app = make_app(workers=2, clip_renderer=render)
    async with client(app) as c:
        a, b = await _figure(c, "Ada"), await _figure(c, "Grace")
        render.release.clear()
        first = asyncio.create_task(c.get(a["links"]["clip_mp4"]))
        try:
            assert await asyncio.to_thread(render.started.wait, 30)
            for url in (a["links"]["clip_mp4"], b["links"]["clip_mp4"]):  # the same clip again, or another figure's
                r = await c.get(url)
                assert r.status_code == 429, r.text
                assert r.json()["error"]["code"] == "clip_busy" and "try again in" in r.json()["error"]["message"]
                assert 1 <= int(r.headers["retry-after"]) <= 120
        finally:
            render.release.set()
        assert (await first).status_code == 200
        assert (await c.get(b["links"]["clip_mp4"])).status_code == 200  # its turn now
    assert render.calls == 2 and app.state.web.clips.making() == 0  # every place given back


async def test_many_clients_from_one_address_are_one_client_for_clips(make_app):
    render = FakeRenderer()
    app = make_app(workers=4, clip_renderer=render)  # room for two clips at once: the address is the limit
    async with client(app) as one, client(app) as other:  # two identities (cookies), one address
        a, b = await _figure(one, "Ada"), await _figure(other, "Grace")
        render.release.clear()
        first = asyncio.create_task(one.get(a["links"]["clip_mp4"]))
        try:
            assert await asyncio.to_thread(render.started.wait, 30)
            r = await other.get(b["links"]["clip_mp4"])
            assert r.status_code == 429 and r.json()["error"]["code"] == "clip_busy", r.text
        finally:
            render.release.set()
        assert (await first).status_code == 200
        assert (await other.get(b["links"]["clip_mp4"])).status_code == 200
    assert render.calls == 2 and app.state.web.clips.making() == 0


async def test_over_the_servers_clip_limit_503_with_retry_after(make_app, monkeypatch):
    _settings(monkeypatch, web_clips_at_once=1)  # four workers would allow two by default
    render = FakeRenderer()
    app = make_app(workers=4, clip_renderer=render)
    async with client(app) as alice, client(app, address="127.0.0.2") as bob:  # two clients, two addresses
        a, b = await _figure(alice, "Alice"), await _figure(bob, "Bob")
        render.release.clear()
        first = asyncio.create_task(alice.get(a["links"]["clip_mp4"]))
        try:
            assert await asyncio.to_thread(render.started.wait, 30)
            r = await bob.get(b["links"]["clip_mp4"])
            assert r.status_code == 503, r.text
            assert r.json()["error"]["code"] == "too_many_clips" and 1 <= int(r.headers["retry-after"]) <= 120
        finally:
            render.release.set()
        assert (await first).status_code == 200
        assert (await bob.get(b["links"]["clip_mp4"])).status_code == 200  # a slot is free again
    assert render.calls == 2


async def test_clips_wait_their_turn_in_the_figures_worker_pool(make_app):
    """With one worker busy on another client's figure, a clip waits for it rather than running beside it."""
    order: list[str] = []
    gate = threading.Event()

    def maker(photo, spec, **options):
        if spec.name == "Wait":
            gate.wait(30)
            order.append("figure")
            raise RuntimeError("done waiting")
        return default_maker(photo, spec, **options)

    app = make_app(workers=1, maker=maker, clip_renderer=FakeRenderer(order))
    async with client(app) as c, client(app) as other:
        status = await _figure(c)
        assert (await post_figure(other, {"name": "Wait"})).status_code == 202  # takes the only worker
        clip = asyncio.create_task(c.get(status["links"]["clip_mp4"]))
        await asyncio.sleep(0.5)  # time for a clip that skipped the queue to start
        gate.set()
        assert (await clip).status_code == 200
    assert order == ["figure", "clip"]
