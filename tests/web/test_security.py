"""Safety of the web app: limits, ownership, escaping, CSRF, headers, purging, and where the photo goes."""

from __future__ import annotations

import asyncio
import threading

import pytest

from minime.settings import Settings

from .conftest import PORTRAIT, client, post_figure, wait_done

pytestmark = pytest.mark.anyio


def test_default_limits():
    defaults = Settings()
    assert defaults.web_upload_mb == 20 and defaults.web_ttl_seconds == 3600 and defaults.web_workers == 0


async def test_oversized_upload_is_refused(make_app):
    app = make_app(workers=1, upload_mb=0.05)  # 50 kB; the portrait is 61 kB
    async with client(app) as c:
        r = await post_figure(c)
        assert r.status_code == 413
        assert r.json()["error"] == {"code": "too_large", "message": "the photo is 61 kB; the limit is 50 kB"}

        async def chunks():  # no Content-Length: the body is counted as it arrives
            for _ in range(40):
                yield b"x" * 10_000

        r = await c.post("/api/figures", content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"})
        assert r.status_code == 413
    assert app.state.jobs.counts()["live"] == 0


async def test_another_clients_job_is_404(make_app):
    app = make_app(workers=1)
    async with client(app) as alice, client(app) as mallory:
        status = await wait_done(alice, (await post_figure(alice)).json()["id"])
        job = status["id"]
        for path in ("", "/image", "/thumbnail", "/figure", "/print-kit", "/events"):
            r = await mallory.get(f"/api/figures/{job}{path}")
            assert r.status_code == 404, path
            assert r.json()["error"]["code"] == "not_found"
        assert (await mallory.post(f"/api/figures/{job}/rebox", json={"name": "Pwned"})).status_code == 404
        assert (await mallory.delete(f"/api/figures/{job}")).status_code == 404
        assert (await mallory.get("/api/figures")).json() == []
        # A forged cookie is a new client, not Alice.
        forged = client(app, headers={"cookie": "minime_session=" + alice.cookies["minime_session"].split(".")[0] + ".00"})
        async with forged:
            assert (await forged.get(f"/api/figures/{job}")).status_code == 404
        # Alice still has it, untouched.
        r = await alice.get(f"/api/figures/{job}")
        assert r.status_code == 200 and r.json()["spec"]["name"] == "Barack" and r.json()["version"] == 1


async def test_api_tokens_own_their_jobs(make_app):
    app = make_app(workers=1)
    async with client(app) as browser:
        token = (await browser.post("/api/tokens")).json()["token"]
    script = client(app, headers={"authorization": f"Bearer {token}"}, csrf=False)
    async with script, client(app) as other:
        r = await post_figure(script)  # no CSRF header needed: a browser never sends the token by itself
        assert r.status_code == 202, r.text
        assert "set-cookie" not in r.headers
        job = r.json()["id"]
        assert (await script.get(f"/api/figures/{job}")).status_code == 200
        assert (await other.get(f"/api/figures/{job}")).status_code == 404
        r = await other.get("/api/figures", headers={"authorization": "Bearer made-up.token"})
        assert r.status_code == 401 and r.json()["error"]["code"] == "bad_token"
        await wait_done(script, job)


async def test_html_in_the_name_is_shown_as_text(make_app):
    name = '<img src=x onerror="alert(1)">'
    app = make_app(workers=1)
    async with client(app) as c:
        status = await wait_done(c, (await post_figure(c, {"name": name})).json()["id"])
        assert status["status"] == "done" and status["spec"]["name"] == name
        page = await c.get("/")
        assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page.text  # the gallery, server-rendered
        assert name not in page.text
        r = await c.get(f"/api/figures/{status['id']}")
        assert r.headers["content-type"] == "application/json"


async def test_state_changes_need_same_origin(make_app):
    app = make_app(workers=1)
    async with client(app, csrf=False) as c:
        r = await post_figure(c)
        assert r.status_code == 403 and r.json()["error"]["code"] == "cross_site"
        r = await c.post("/api/figures", headers={"origin": "https://evil.example"}, files={"photo": ("p.jpg", PORTRAIT)},
                         data={"spec": '{"name": "A"}'})
        assert r.status_code == 403
        r = await c.post("/api/figures", headers={"x-minime-request": "1", "sec-fetch-site": "cross-site"},
                         files={"photo": ("p.jpg", PORTRAIT)}, data={"spec": '{"name": "A"}'})
        assert r.status_code == 403
        r = await c.post("/api/figures", headers={"origin": "http://testserver"}, files={"photo": ("p.jpg", PORTRAIT)},
                         data={"spec": '{"name": "A"}'})
        assert r.status_code == 202
        job = r.json()["id"]
        assert (await c.delete(f"/api/figures/{job}")).status_code == 403
        assert (await c.delete(f"/api/figures/{job}", headers={"x-minime-request": "1"})).status_code == 204


async def test_security_headers_and_cookie(make_app):
    app = make_app(workers=1)
    async with client(app) as c:
        r = await c.get("/")
        csp = r.headers["content-security-policy"]
        # WebAssembly for the 3D viewer's decoder, never eval() of script nor inline script or style
        assert "script-src 'self' 'wasm-unsafe-eval';" in csp and "'unsafe-eval'" not in csp
        assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"
        cookie = r.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
        assert "set-cookie" not in (await c.get("/")).headers  # issued once
        assert (await c.get("/api/engines")).headers["cache-control"] == "no-store"


async def test_host_check_stops_dns_rebinding(make_app):
    app = make_app(workers=1, allowed_hosts=("127.0.0.1", "localhost"))
    async with client(app, base_url="http://127.0.0.1:8000") as good, client(app, base_url="http://attacker.example") as bad:
        assert (await good.get("/")).status_code == 200
        r = await bad.get("/api/figures")
        assert r.status_code == 421 and r.json()["error"]["code"] == "bad_host"


class FakeClock:
    """A wall clock the test moves on by hand."""

    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


async def test_purged_after_ttl(make_app):
    clock = FakeClock()
    app = make_app(workers=1, ttl=3600, clock=clock)
    jobs = app.state.jobs
    async with client(app) as c:
        status = await wait_done(c, (await post_figure(c)).json()["id"])
        assert status["status"] == "done"
        assert (await c.get(status["links"]["image"])).status_code == 200
        clock.now += 3599
        assert jobs.purge() == 0 and (await c.get(f"/api/figures/{status['id']}")).status_code == 200
        clock.now += 2
        assert jobs.purge() == 1
        assert (await c.get(f"/api/figures/{status['id']}")).status_code == 404
        assert (await c.get("/api/figures")).json() == []
    counts = jobs.counts()
    assert counts["live"] == 0 and sum(v for k, v in counts.items() if k not in ("live", "photos_in_memory")) == 0


async def test_purge_runs_without_requests(make_app):
    clock = FakeClock()
    app = make_app(workers=1, ttl=0.4, clock=clock)  # the purger looks every 0.1 s
    async with client(app) as c:
        await wait_done(c, (await post_figure(c)).json()["id"])
    clock.now += 1.0  # nobody asks; the purger thread still removes it (pytest-timeout stops a hang)
    while app.state.jobs.counts()["live"]:
        await asyncio.sleep(0.05)


async def test_queue_full_is_503_with_retry_after(make_app):
    release = threading.Event()

    def stuck(photo, spec, **options):
        release.wait(30)
        raise RuntimeError("released")

    app = make_app(workers=1, queue_limit=2, maker=stuck)
    try:
        async with client(app) as a, client(app) as b:
            assert (await post_figure(a)).status_code == 202
            assert (await post_figure(b)).status_code == 202
            r = await post_figure(a)
            assert r.status_code == 503
            assert int(r.headers["retry-after"]) >= 1
            assert r.json()["error"]["code"] == "too_many_jobs"
            assert "try again in" in r.json()["error"]["message"]
            queued = (await b.get("/api/figures")).json()[0]
            assert queued["status"] == "queued" and queued["ahead"] == 1
    finally:
        release.set()


async def test_rate_limit_per_client(make_app):
    app = make_app(workers=2, rate_per_minute=2)
    async with client(app) as c, client(app) as other:
        for _ in range(2):
            assert (await post_figure(c)).status_code == 202
        r = await post_figure(c)
        assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
        assert 1 <= int(r.headers["retry-after"]) <= 60
        assert (await post_figure(other)).status_code == 202  # another client is not held back
        for job in (await c.get("/api/figures")).json():
            await wait_done(c, job["id"])


async def test_photo_stays_in_memory(make_app, tmp_path, monkeypatch):
    """A whole job, and every download of it, writes nothing to disk: no photo, no box, no database."""
    import tempfile
    from pathlib import Path

    spool = tmp_path / "tmp"
    spool.mkdir()
    monkeypatch.setenv("TMPDIR", str(spool))
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    app = make_app(workers=1)
    jobs = app.state.jobs
    async with client(app) as c:
        status = await wait_done(c, (await post_figure(c)).json()["id"])
        assert status["status"] == "done"
        for link in ("image", "thumbnail", "figure", "print_kit"):
            assert (await c.get(status["links"][link])).status_code == 200, link
    assert jobs.counts()["photos_in_memory"] == 0
    assert list(spool.rglob("*")) == []
    assert list(Path.cwd().glob(".minime-*")) == []


def _failing(photo, spec, **options):
    raise RuntimeError("no figure needed here")


async def test_a_client_that_drops_its_cookie_is_still_limited(make_app):
    app = make_app(workers=1, rate_per_minute=1, queue_limit=50, maker=_failing)
    codes = []
    for _ in range(7):
        async with client(app) as fresh:  # a new cookie jar each time
            codes.append((await post_figure(fresh)).status_code)
    assert codes[:5] == [202] * 5 and codes[5:] == [429, 429]


async def test_new_tokens_are_limited(make_app):
    app = make_app(rate_per_minute=2)
    async with client(app) as c:
        codes = [(await c.post("/api/tokens")).status_code for _ in range(3)]
    assert codes == [201, 201, 429]


async def test_an_id_longer_than_any_id_is_404_at_once(make_app):
    app = make_app()
    async with client(app) as c:
        for path in ("", "/image", "/events"):
            r = await c.get(f"/api/figures/{'x' * 10_000}{path}")
            assert r.status_code == 404, path


async def test_the_origin_check_compares_the_scheme(make_app):
    app = make_app(maker=_failing)
    async with client(app, csrf=False, headers={"origin": "https://testserver"}) as c:
        r = await post_figure(c)
    assert r.status_code == 403 and r.json()["error"]["code"] == "cross_site"
    async with client(app, csrf=False, headers={"origin": "http://testserver"}) as c:
        assert (await post_figure(c)).status_code == 202


def test_finished_jobs_are_bounded_in_count(monkeypatch):
    import time

    from minime.web.jobs import Jobs

    class Slim:
        def __init__(self):
            from minime.spec import build_spec

            self.spec, self.receipt, self.likeness, self.warnings, self.image = build_spec(name="Ada"), None, None, [], None

        def record(self):
            pass

    jobs = Jobs(workers=1, queue_limit=10, ttl=3600, maker=lambda *a, **k: Slim(), keep=2)
    monkeypatch.setattr(jobs, "_encode", lambda job_id, result: {"image": b"x" * 10, "thumb": b"", "filename": "a.png"})
    monkeypatch.setattr("minime.web.jobs.Kept", lambda result: result)
    try:
        from minime.spec import build_spec

        ids = [jobs.submit("me", b"photo", build_spec(name="Ada")) for _ in range(4)]
        deadline = time.monotonic() + 30
        while jobs.pending() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [job["id"] for job in jobs.list("me")] == ids[:1:-1]  # the two newest stay
    finally:
        jobs.close()
