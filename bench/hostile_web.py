"""Hostile clients against a live `minime serve` on 127.0.0.1: the `--web` section of bench/hostile.py.

    .venv/bin/python bench/hostile.py --web

Starts the server (its own MINIME_HOME and TMPDIR, a free port), makes one figure, then:

- parallel GETs of that figure's clip from one client (each used to render again: memory climbed and stayed);
- another client's figure made while those clips render (how long it waits);
- one upload trickling 1 byte a second (how long the server keeps it open, what it answers);
- many trickling uploads from one address at once (how many it takes, how many files it holds open).

Each row prints the HTTP statuses, wall seconds, the server's peak RSS over the case and its RSS after, and
notes. At the end: the server's RSS against its start, and what it left behind in its TMPDIR and home. It
reports the state the code is in; it asserts nothing. Every case is bounded (CASE_S).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
PHOTO = ROOT / "tests" / "fixtures" / "obama.jpg"
CSRF = {"x-minime-request": "1"}
CLIPS = 4  # parallel clip GETs from one client
TRICKLERS = 40  # slow uploads from one address at once
CASE_S = 120.0  # no case runs longer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`minime serve` in a subprocess, with its memory sampled every 50 ms."""

    def __init__(self, base: Path):
        self.tmp, self.home = base / "tmp", base / "home"
        self.tmp.mkdir()
        self.home.mkdir()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "TMPDIR": str(self.tmp), "MINIME_HOME": str(self.home), "MINIME_HISTORY": "0"}
        self.proc = subprocess.Popen([sys.executable, "-m", "minime", "serve", "--host", "127.0.0.1", "--port",
                                      str(self.port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     start_new_session=True)
        self.peak = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        end = time.monotonic() + 90
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server exited: {self.proc.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            self.stop()
            raise SystemExit("the server did not start in 90 s")
        self.ps = psutil.Process(self.proc.pid)
        self.start_rss = self.rss()
        threading.Thread(target=self._sample, daemon=True).start()

    def rss(self) -> int:
        try:
            return self.ps.memory_info().rss + sum(c.memory_info().rss for c in self.ps.children(recursive=True))
        except psutil.Error:
            return 0

    def fds(self) -> int:
        try:
            return self.ps.num_fds()
        except psutil.Error:
            return 0

    def threads(self) -> int:
        try:
            return self.ps.num_threads()
        except psutil.Error:
            return 0

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            rss = self.rss()
            with self._lock:
                self.peak = max(self.peak, rss)

    def reset_peak(self) -> None:
        time.sleep(0.1)  # a sample taken before the reset lands first
        with self._lock:
            self.peak = self.rss()

    def stop(self) -> tuple[int | None, list[str]]:
        """Ctrl+C, as a user stops it; returns its exit code and what it left in TMPDIR and home."""
        self._stop.set()
        try:
            os.killpg(self.proc.pid, signal.SIGINT)
            code = self.proc.wait(timeout=20)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
            code = self.proc.wait()
        left = [str(p.relative_to(self.tmp.parent)) for p in self.tmp.rglob("*")]
        left += [str(p.relative_to(self.tmp.parent)) for p in self.home.rglob(".minime-*")]
        return code, left


def client() -> httpx.Client:
    return httpx.Client(timeout=httpx.Timeout(CASE_S, connect=10))


def make_figure(server: Server, http: httpx.Client, name: str) -> tuple[str | None, float, str]:
    """Upload the portrait and wait for the figure: (job id or None, seconds, last status)."""
    started = time.perf_counter()
    files = {"photo": ("me.jpg", PHOTO.read_bytes(), "image/jpeg")}
    r = http.post(f"{server.url}/api/figures", files=files, data={"spec": f'{{"name": "{name}"}}'}, headers=CSRF)
    if r.status_code != 202:
        return None, time.perf_counter() - started, f"{r.status_code} {r.text[:80]}"
    job = r.json()["id"]
    status = "queued"
    while time.perf_counter() - started < CASE_S:
        status = http.get(f"{server.url}/api/figures/{job}").json().get("status", "?")
        if status in ("done", "failed"):
            break
        time.sleep(0.25)
    return job, time.perf_counter() - started, status


def parallel_clips(server: Server, http: httpx.Client, job: str) -> dict:
    """CLIPS GETs of one figure's clip at once, from one client; meanwhile another client makes a figure."""
    server.reset_peak()
    started = time.perf_counter()

    def get(_):
        t0 = time.perf_counter()
        try:
            r = http.get(f"{server.url}/api/figures/{job}/clip")
            return r.status_code, r.headers.get("retry-after"), time.perf_counter() - t0, len(r.content)
        except httpx.HTTPError as exc:
            return type(exc).__name__, None, time.perf_counter() - t0, 0

    with ThreadPoolExecutor(CLIPS) as pool:
        pending = [pool.submit(get, i) for i in range(CLIPS)]
        time.sleep(0.5)  # the clips are rendering: now another user asks for a figure
        with client() as other:
            _, other_s, other_status = make_figure(server, other, "Bo")
        answers = [f.result() for f in pending]
    codes = Counter(a[0] for a in answers)
    retry = sorted({a[1] for a in answers if a[1]})
    return {"case": f"{CLIPS} parallel clip GETs, one client", "status": _codes(codes),
            "seconds": time.perf_counter() - started, "peak": server.peak, "after": server.rss(),
            "note": f"slowest {max(a[2] for a in answers):.1f} s; Retry-After {retry or '-'}; "
                    f"another client's figure {other_status} in {other_s:.1f} s; {server.threads()} threads"}


def again_clip(server: Server, http: httpx.Client, job: str) -> dict:
    """The same clip once more: rendered again, or kept with the job?"""
    server.reset_peak()
    t0 = time.perf_counter()
    r = http.get(f"{server.url}/api/figures/{job}/clip")
    return {"case": "the same clip again", "status": str(r.status_code), "seconds": time.perf_counter() - t0,
            "peak": server.peak, "after": server.rss(), "note": f"{len(r.content):,} bytes"}


def _upload_head(server: Server, length: int) -> bytes:
    return (f"POST /api/figures HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nX-Minime-Request: 1\r\n"
            f"Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: {length}\r\n\r\n").encode()


def trickle(server: Server, limit: float = 60.0) -> dict:
    """One upload at 1 byte a second: how long until the server answers or closes."""
    server.reset_peak()
    started = time.perf_counter()
    answer = "still open"
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(_upload_head(server, 100_000))
        sock.settimeout(1.0)
        body = b"--xyz\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n\r\n" + b"x" * 99_000
        for byte in body:
            if time.perf_counter() - started > limit:
                break
            try:
                sock.sendall(bytes([byte]))
                data = sock.recv(4096)
            except TimeoutError:
                continue
            except OSError as exc:
                answer = f"closed ({type(exc).__name__})"
                break
            answer = (data.split(b"\r\n", 1)[0].decode(errors="replace") or "closed") if data else "closed"
            break
    return {"case": "an upload trickling 1 byte/s", "status": answer, "seconds": time.perf_counter() - started,
            "peak": server.peak, "after": server.rss(), "note": f"the bench gives up at {limit:.0f} s"}


def tricklers(server: Server, hold: float = 20.0) -> dict:
    """TRICKLERS slow uploads from one address at once, each sending a byte a second for `hold` seconds."""
    server.reset_peak()
    fds_before = server.fds()
    started = time.perf_counter()
    socks, refused = [], 0
    for _ in range(TRICKLERS):
        try:
            s = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            s.sendall(_upload_head(server, 100_000))
            s.setblocking(False)
            socks.append(s)
        except OSError:
            refused += 1
    answers: Counter = Counter()
    open_fds = 0
    while time.perf_counter() - started < hold and socks:
        time.sleep(1.0)
        for s in list(socks):
            try:
                s.send(b"x")
                data = s.recv(4096)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            answers[(data.split(b"\r\n", 1)[0].decode(errors="replace") if data else "closed")[:24]] += 1
            socks.remove(s)
            s.close()
        open_fds = max(open_fds, server.fds())
    still = len(socks)
    for s in socks:
        s.close()
    status = ", ".join(f"{n} {what}" for what, n in answers.most_common()) or "none answered"
    return {"case": f"{TRICKLERS} trickling uploads, one address", "status": status,
            "seconds": time.perf_counter() - started, "peak": server.peak, "after": server.rss(),
            "note": f"{still} still open after {hold:.0f} s; {refused} refused; server fds {fds_before} -> {open_fds}"}


def _codes(codes: Counter) -> str:
    return ", ".join(f"{n}x {code}" for code, n in sorted(codes.items(), key=str))


def main() -> None:
    print(f"{'web case':42} {'seconds':>8} {'peak MB':>8} {'after MB':>8}  status; notes")
    base = Path(tempfile.mkdtemp(prefix="minime-hostile-web-"))
    server = Server(base)
    rows = []
    loaded = end_rss = server.start_rss
    try:
        with client() as http:
            job, seconds, status = make_figure(server, http, "Ada")
            loaded = server.rss()  # the load starts here: one figure in memory
            rows.append({"case": "make a figure", "status": status, "seconds": seconds, "peak": server.peak,
                         "after": loaded, "note": f"server started at {server.start_rss / 2**20:.0f} MB"})
            _print(rows[-1])
            if job and status == "done":
                for case in (parallel_clips, again_clip):
                    rows.append(case(server, http, job))
                    _print(rows[-1])
        for case in (trickle, tricklers):
            rows.append(case(server))
            _print(rows[-1])
        time.sleep(2.0)  # a moment for memory to come back
        end_rss = server.rss()
    finally:
        code, left = server.stop()
    growth = end_rss / max(loaded, 1)
    print(f"server: {server.start_rss / 2**20:.0f} MB at start, {loaded / 2**20:.0f} MB with one figure (before the "
          f"load), {end_rss / 2**20:.0f} MB at the end ({growth:.2f}x{'; over 1.2x' if growth > 1.2 else ''}); "
          f"exit {code} on Ctrl+C; left behind: {', '.join(left[:5]) if left else 'nothing'}")
    shutil.rmtree(base, ignore_errors=True)


def _print(row: dict) -> None:
    print(f"{row['case'][:42]:42} {row['seconds']:8.1f} {row['peak'] / 2**20:8.0f} {row['after'] / 2**20:8.0f}  "
          f"{row['status']}; {row['note']}", flush=True)


if __name__ == "__main__":
    main()
