"""Shared test helpers: OCR with Debian's tesseract, a synthetic figure, and a socket blocker."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

FIXTURES = Path(__file__).parent / "fixtures"


def pytest_collection_modifyitems(items):
    """The slow end-to-end tests (marked `slow`) go first, so that with `-n 2` they run beside the many
    quick ones instead of leaving one worker busy at the end. The sort is stable: the same order on every
    worker."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True, scope="session")
def _private_home(tmp_path_factory):
    """Every test run gets its own user dir, so no test touches the real one."""
    home = tmp_path_factory.mktemp("minime-home")
    os.environ["MINIME_HOME"] = str(home)
    from minime.settings import settings

    settings.cache_clear()
    yield home


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is missing; .ci/run must install it")
        pytest.skip(f"{tool} is not installed (apt-get install {tool})")
    return path


@pytest.fixture(scope="session")
def gl():
    """Skip where no OpenGL context can be made; CI installs Mesa, so there it is a failure."""
    from minime.sculpt.render import available

    reason = available()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; .ci/run must install libegl1 libegl-mesa0 libgl1-mesa-dri")
        pytest.skip(reason)


@pytest.fixture
def ocr():
    """Read text from an image with tesseract; tries the image as it is and inverted."""
    exe = _need("tesseract")

    def read(image: Image.Image, psm: int = 6) -> str:
        grey = image.convert("L")
        rgb = np.asarray(image.convert("RGB"), np.int16)
        # Display type has a fill, a stroke and a shadow; tesseract reads the fill best alone,
        # as black on white, with letters some 30-60 px tall.
        white_fill = Image.fromarray(np.where(rgb.min(-1) > 225, 0, 255).astype(np.uint8))
        variants = []
        for base in (grey, white_fill):
            for target in (None, 110):
                img = base
                if target and img.height > target:
                    img = img.resize((max(1, img.width * target // img.height), target), Image.Resampling.LANCZOS)
                elif img.height < 60:
                    img = img.resize((img.width * 2, img.height * 2), Image.Resampling.LANCZOS)
                variants.append(img)
        texts = []
        with tempfile.TemporaryDirectory() as tmp:
            for i, variant in enumerate(variants):
                path = Path(tmp) / f"{i}.png"
                variant.save(path)
                run = subprocess.run([exe, str(path), "-", "--psm", str(psm)], capture_output=True, text=True, timeout=60)
                texts.append(run.stdout)
        return "\n".join(texts)

    return read


@pytest.fixture(scope="session")
def toy_figure():
    """A deterministic stand-in figure (RGBA): a simple painted mannequin on a base."""
    from minime.engines import Figure

    img = Image.new("RGBA", (400, 620), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.ellipse((130, 20, 270, 180), fill=(230, 180, 150, 255))
    d.rounded_rectangle((70, 170, 330, 520), 60, fill=(40, 90, 200, 255))
    d.ellipse((40, 500, 360, 600), fill=(30, 30, 40, 255))
    return Figure(img, "test", "mannequin")


@pytest.fixture
def no_network(monkeypatch):
    """Fail any attempt to open a network connection (local sockets for IPC stay allowed)."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    real_connect = socket.socket.connect

    def guarded_connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            refuse(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def mean_abs_diff(a: Image.Image, b: Image.Image) -> float:
    return float(np.abs(np.asarray(a.convert("RGB"), np.int16) - np.asarray(b.convert("RGB"), np.int16)).mean())


def assert_matches_golden(pixels: np.ndarray, golden: Path) -> None:
    """A render (RGB or RGBA array) is its golden image within a tolerance: mean difference under 3 levels, 99% of
    values within 60. MINIME_UPDATE_GOLDEN=1 (or a missing golden) writes it instead; a missing one also fails."""
    if os.environ.get("MINIME_UPDATE_GOLDEN") or not golden.exists():
        Image.fromarray(pixels.astype(np.uint8)).save(golden)
        if not os.environ.get("MINIME_UPDATE_GOLDEN"):
            pytest.fail(f"golden image {golden.name} was missing and has been written; look at it, run again")
    expected = np.asarray(Image.open(golden).convert("RGBA" if pixels.shape[-1] == 4 else "RGB"), float)
    assert pixels.shape == expected.shape
    diff = np.abs(pixels.astype(float) - expected)
    assert diff.mean() < 3.0 and np.percentile(diff, 99) < 60
