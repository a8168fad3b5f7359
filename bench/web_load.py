"""Load-test the web app: N concurrent clients make a figure each through the HTTP API.

Run: .venv/bin/python bench/web_load.py [--clients 50] [--engine studio] [--workers 0]

Starts `minime serve` on 127.0.0.1 (a free port) in a subprocess, then each client (its own cookie)
uploads the portrait with its own name, follows its job's server-sent events until done, downloads the PNG and checks it is
its own: the status names it, the image decodes, no two clients got the same image, and another
client's id answers 404. Prints throughput, job latency (upload to done), API request latency
(p50/p95, in all and per kind: uploads, image downloads, listings), and the server's RSS: its peak, after
the first figure (models and GL context loaded) and at the end (every figure kept); --rss-log writes every
50 ms sample. Exits 1 if any job failed, was lost or was mixed up.
Targets on a 2-core machine, 50 clients, all done: with the studio engine, p95 request latency under 10 s
and RSS under 1.5 GB; with the sculpt engine, peak RSS under 900 MB and at least 1.8 figures/s.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import psutil
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
CSRF = {"x-minime-request": "1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int, clients: int) -> subprocess.Popen:
    # Every client is on 127.0.0.1 here: one address may send as many uploads at once as there are clients.
    env = {**os.environ, "MINIME_WEB_QUEUE_LIMIT": str(max(64, clients + 8)), "MINIME_HISTORY": "0",
           "MINIME_WEB_UPLOADS_PER_ADDRESS": str(max(4, clients))}
    if workers:
        env["MINIME_WEB_WORKERS"] = str(workers)
    proc = subprocess.Popen([sys.executable, "-m", "minime", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    end = time.monotonic() + 60
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start in 60 s")


class PeakRss(threading.Thread):
    """Samples the server's resident memory (with any children) every 50 ms; keeps the peak and every sample."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.proc = psutil.Process(pid)
        self.peak = 0
        self.now = 0
        self.samples: list[tuple[float, int]] = []  # (seconds since the start, bytes)
        self.stop = threading.Event()

    def run(self):
        start = time.monotonic()
        while not self.stop.wait(0.05):
            try:
                rss = self.proc.memory_info().rss + sum(c.memory_info().rss for c in self.proc.children(recursive=True))
            except psutil.Error:
                return
            self.now, self.peak = rss, max(self.peak, rss)
            self.samples.append((time.monotonic() - start, rss))


async def one_client(base: str, index: int, photo: bytes, engine: str, requests: list[tuple[str, float]]) -> dict:
    name = f"Client {index:03d}"
    async with httpx.AsyncClient(base_url=base, headers=CSRF, timeout=120) as c:

        async def call(method: str, url: str, **kw) -> httpx.Response:
            start = time.perf_counter()
            r = await c.request(method, url, **kw)
            kind = "upload" if method == "POST" else "image" if "/image" in url else "list"
            requests.append((kind, time.perf_counter() - start))
            return r

        started = time.perf_counter()
        retries = 0
        while True:
            r = await call("POST", "/api/figures", files={"photo": ("portrait.jpg", photo, "image/jpeg")},
                           data={"spec": json.dumps({"name": name, "accessories": ["laptop"]}), "engine": engine})
            if r.status_code != 503:
                break
            retries += 1  # the queue is full: come back when the server says
            await asyncio.sleep(float(r.headers.get("retry-after", "1")))
        if r.status_code != 202:
            return {"name": name, "ok": False, "why": f"upload answered {r.status_code}: {r.text[:200]}"}
        job = r.json()["id"]
        status = await follow(c, job)  # server-sent events, as the page does
        latency = time.perf_counter() - started
        if status["status"] != "done":
            return {"name": name, "ok": False, "why": f"failed: {status['error']}"}
        image = (await call("GET", status["links"]["image"])).content
        mine = (await call("GET", "/api/figures")).json()
        problems = []
        if status["spec"]["name"] != name:
            problems.append(f"status names {status['spec']['name']!r}")
        if [j["id"] for j in mine] != [job]:
            problems.append(f"lists {len(mine)} jobs")
        try:
            Image.open(io.BytesIO(image)).verify()
        except Exception as exc:  # noqa: BLE001
            problems.append(f"image does not decode ({exc})")
        return {"name": name, "ok": not problems, "why": "; ".join(problems), "job": job, "latency": latency,
                "retries": retries, "digest": hashlib.sha256(image).hexdigest()}


async def follow(c: httpx.AsyncClient, job: str) -> dict:
    """Read the job's event stream until it says done or failed; returns the last status."""
    async with c.stream("GET", f"/api/figures/{job}/events") as r:
        kind = ""
        async for line in r.aiter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: ") and kind in ("done", "failed"):
                return json.loads(line[6:])
    return (await c.get(f"/api/figures/{job}")).json()  # the stream ended early: ask once


async def cross_check(base: str, jobs: list[str]) -> int:
    """Another client asks for some of these ids: every answer must be 404."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as stranger:
        leaks = 0
        for job in jobs[:10]:
            if (await stranger.get(f"/api/figures/{job}")).status_code != 404:
                leaks += 1
    return leaks


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


async def run(args) -> int:
    photo = Path(args.photo).read_bytes()
    port = free_port()
    server = start_server(port, args.workers, args.clients)
    rss = PeakRss(server.pid)
    rss.start()
    base = f"http://127.0.0.1:{port}"
    try:
        # One figure first, so imports and model loading are not counted as load.
        await one_client(base, 0, photo, args.engine, [])
        await asyncio.sleep(0.2)
        warm = rss.now
        requests: list[tuple[str, float]] = []
        started = time.perf_counter()
        results = await asyncio.gather(*(one_client(base, i, photo, args.engine, requests)
                                         for i in range(1, args.clients + 1)))
        wall = time.perf_counter() - started
        leaks = await cross_check(base, [r["job"] for r in results if r.get("job")])
        await asyncio.sleep(0.2)
        end = rss.now
    finally:
        rss.stop.set()
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
    done = [r for r in results if r["ok"]]
    bad = [r for r in results if not r["ok"]]
    digests = {r["digest"] for r in done}
    latencies = [r["latency"] for r in done]
    cores = os.cpu_count()
    print(f"web load: {args.clients} clients, engine {args.engine}, {cores} cores, "
          f"workers {args.workers or cores}, photo {len(photo) / 1000:.0f} kB")
    print(f"{'jobs done':<28}{len(done)}/{args.clients}")
    print(f"{'wall time':<28}{wall:.1f} s")
    print(f"{'throughput':<28}{len(done) / wall:.2f} figures/s")
    if latencies:
        print(f"{'job latency p50 / p95':<28}{pct(latencies, 50):.2f} s / {pct(latencies, 95):.2f} s  (upload to done, queueing included)")
    every = [seconds for _, seconds in requests]
    print(f"{'request latency p50 / p95':<28}{pct(every, 50) * 1000:.0f} ms / {pct(every, 95) * 1000:.0f} ms  ({len(every)} API requests)")
    for kind in ("upload", "image", "list"):
        these = [seconds for k, seconds in requests if k == kind]
        if these:
            print(f"{'  ' + kind + ' p50 / p95':<28}{pct(these, 50) * 1000:.0f} ms / {pct(these, 95) * 1000:.0f} ms")
    print(f"{'503 retries':<28}{sum(r.get('retries', 0) for r in done)}")
    print(f"{'server peak RSS':<28}{rss.peak / 1e6:.0f} MB  (after the first figure {warm / 1e6:.0f} MB, "
          f"at the end {end / 1e6:.0f} MB)")
    if args.rss_log:
        Path(args.rss_log).write_text("".join(f"{t:.2f} {b / 1e6:.1f}\n" for t, b in rss.samples))
    print(f"{'distinct images':<28}{len(digests)}  (one per client: none mixed up)")
    print(f"{'cross-client reads':<28}{'all 404' if not leaks else f'{leaks} NOT 404'}")
    for r in bad[:10]:
        print(f"FAILED {r['name']}: {r['why']}")
    ok = not bad and len(digests) == len(done) and not leaks
    print("result: " + ("every job finished, none lost or mixed up" if ok else "PROBLEMS, see above"))
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients, one figure each (default 50)")
    parser.add_argument("--engine", default="studio", help="engine for every figure (default studio)")
    parser.add_argument("--workers", type=int, default=0, help="server workers; 0 = one per core")
    parser.add_argument("--rss-log", default="", help="write the server's RSS samples here (seconds MB, one a line)")
    parser.add_argument("--photo", default=str(ROOT / "tests" / "fixtures" / "obama.jpg"), help="the portrait to upload")
    sys.exit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
