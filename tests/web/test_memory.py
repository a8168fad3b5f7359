"""What a finished job keeps, and the memory a job hands back: the figure packed (`Kept`) and unpacked to the
same figure, every download made from it, the malloc arenas trimmed after each figure, and queued figures
woken when the line moves."""

from __future__ import annotations

import asyncio
import io
import json
import platform
import subprocess
import sys
import threading
import zipfile

import numpy as np
import pytest
from PIL import Image

from minime.pipeline import make
from minime.web.jobs import default_maker
from minime.web.kept import Kept, PackedArray

from .conftest import PORTRAIT, client, post_figure, wait_done

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def sculpted():
    return make(PORTRAIT, {"name": "Barack", "accessories": ["laptop"]}, engine="sculpt", likeness=False, record=False)


def test_a_packed_array_comes_back_bit_for_bit():
    rng = np.random.default_rng(0)
    for array in (rng.normal(size=(500, 3)).astype(np.float32), rng.integers(0, 9000, (700, 3), dtype=np.int32),
                  rng.integers(0, 255, (20, 30, 3), dtype=np.uint8), np.zeros((0, 3), np.float32),
                  np.asfortranarray(rng.normal(size=(40, 2)))):
        back = PackedArray.of(array).unpack()
        assert back.dtype == array.dtype and back.shape == array.shape and np.array_equal(back, array)
        assert back.flags.writeable and back.flags.c_contiguous


def test_a_kept_figure_is_a_fraction_of_the_result_and_unpacks_to_the_same_figure(sculpted):
    figure = sculpted.figure
    kept = Kept(sculpted)
    raw = figure.image.width * figure.image.height * 4 + sum(
        a.nbytes for p in figure.mesh for a in (p.vertices, p.faces, p.colors, p.uv, p.texture, p.paint) if a is not None)
    assert kept.meshed and kept.nbytes < raw / 2.5, (kept.nbytes, raw)

    again = kept.result()
    assert again.box is None and again.candidates == [] and again.spec == sculpted.spec
    assert again.figure.image.mode == figure.image.mode and again.figure.image.tobytes() == figure.image.tobytes()
    assert len(again.figure.mesh) == len(figure.mesh)
    for old, new in zip(figure.mesh, again.figure.mesh):
        assert (new.name, new.material, new.meta) == (old.name, old.material, old.meta)
        for name in ("vertices", "faces", "colors", "uv", "texture", "paint"):
            a, b = getattr(old, name), getattr(new, name)
            assert (a is None and b is None) or (a.dtype == b.dtype and np.array_equal(a, b)), (old.name, name)
    # The print box's redraw draws the unpacked parts, lit as the figure was.
    assert again.figure.redraw.args[0] is again.figure.mesh
    assert np.array_equal(np.asarray(again.figure.redraw(240)), np.asarray(figure.redraw(240)))
    assert kept.result().figure.mesh[0].vertices is not again.figure.mesh[0].vertices  # a new copy each time


@pytest.mark.slow
async def test_every_download_of_a_sculpted_figure_works_from_its_kept_figure(make_app):
    app = make_app(workers=1)
    async with client(app) as c:
        status = await wait_done(c, (await post_figure(c, {"name": "Ada"})).json()["id"])
        assert status["status"] == "done", status
        job = app.state.jobs._live[status["id"]]
        assert isinstance(job.result, Kept) and job.result.nbytes < 2_000_000  # no box image, the figure packed

        layer = Image.open(io.BytesIO((await c.get(status["links"]["figure"])).content))
        assert layer.mode == "RGBA" and layer.getchannel("A").getextrema() == (0, 255)
        glb = await c.get(status["links"]["model_glb"])
        assert glb.status_code == 200 and glb.content[:4] == b"glTF"
        kit = await c.get(status["links"]["print_kit"])
        assert kit.status_code == 200 and kit.content.startswith(b"%PDF-")

        # A re-box keeps the new figure packed too, and its files still come.
        reboxed = (await c.post(status["links"]["rebox"], json={"name": "Grace", "size": "square"})).json()
        assert reboxed["version"] == 2 and isinstance(job.result, Kept)
        box = Image.open(io.BytesIO((await c.get(reboxed["links"]["image"])).content))
        assert box.size == (1080, 1080)
        three = await c.get(reboxed["links"]["model_3mf"])
        assert "3D/3dmodel.model" in zipfile.ZipFile(io.BytesIO(three.content)).namelist()
        assert 'filename="grace-model.3mf"' in three.headers["content-disposition"]


async def test_memory_is_handed_back_after_every_figure_made_or_failed(make_app, monkeypatch):
    trims: list[str] = []
    done: list[str] = []

    def maker(photo, spec, **options):
        if spec.name == "Fails":
            raise RuntimeError("the engine broke")
        result = default_maker(photo, spec, **options)
        done.append(spec.name)
        return result

    monkeypatch.setattr("minime.web.jobs.trim_memory", lambda: trims.append(f"trim after {len(done)} made"))
    app = make_app(workers=1, maker=maker)
    async with client(app) as c:
        made = await wait_done(c, (await post_figure(c, {"name": "Ada"}, engine="studio")).json()["id"])
        failed = await wait_done(c, (await post_figure(c, {"name": "Fails"}, engine="studio")).json()["id"])
        assert (made["status"], failed["status"]) == ("done", "failed")
        for _ in range(100):  # the trim comes just after the job is marked done or failed
            if len(trims) == 2:
                break
            await asyncio.sleep(0.05)
    assert trims == ["trim after 1 made", "trim after 1 made"]


async def test_a_queued_figure_hears_it_move_up_the_line(make_app):
    gates = {name: threading.Event() for name in ("A", "B", "C")}

    def gated(photo, spec, **options):
        assert gates[spec.name].wait(60)
        return default_maker(photo, spec, **options)

    app = make_app(workers=1, maker=gated)
    async with client(app) as c:
        ids = [(await post_figure(c, {"name": name}, engine="studio")).json()["id"] for name in "ABC"]
        stream = asyncio.create_task(c.get(f"/api/figures/{ids[2]}/events"))
        await asyncio.sleep(0.3)
        for name, job in zip("AB", ids):
            gates[name].set()
            await wait_done(c, job)
            await asyncio.sleep(0.3)  # the stream reads the new line
        gates["C"].set()
        body = (await asyncio.wait_for(stream, 60)).text
    queued = [json.loads(line[6:])["ahead"] for line in body.split("\n")
              if line.startswith("data: ") and '"status":"queued"' in line.replace(" ", "")]
    assert queued[:2] == [2, 1] and set(queued[2:]) <= {0}, queued  # 0: B is done, C not yet started
    assert "event: done" in body


_ARENAS = """
import ctypes, sys, threading
from minime.web.jobstate import limit_arenas
if sys.argv[1] != "default":
    limit_arenas(int(sys.argv[1]))
libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype = ctypes.c_void_p
libc.fopen.restype = ctypes.c_void_p
held, started = [], threading.Barrier(8)
def work():
    started.wait()  # all eight allocate at once, as a busy server's threads do
    held.extend(libc.malloc(1000) for _ in range(200))
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
out = libc.fopen(sys.argv[2].encode(), b"w")
libc.malloc_info(0, ctypes.c_void_p(out))
libc.fclose(ctypes.c_void_p(out))
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc arenas are glibc's")
def test_the_server_keeps_malloc_to_one_arena_per_job_thread(tmp_path):
    def heaps(limit: str) -> int:
        report = tmp_path / f"{limit}.xml"
        subprocess.run([sys.executable, "-c", _ARENAS, limit, str(report)], check=True, timeout=60)
        return report.read_text().count("<heap nr=")

    assert heaps("2") <= 2
    assert heaps("default") > 2  # without the limit, eight threads get arenas of their own
