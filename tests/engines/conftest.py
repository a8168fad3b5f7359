"""Fixtures for the engine tests: one looked-at photo, and settings read afresh in each test."""

from __future__ import annotations

import pytest
from PIL import Image

from ..conftest import FIXTURES


@pytest.fixture(scope="session")
def subject():
    from minime.look import look

    return look(Image.open(FIXTURES / "obama.jpg").convert("RGB"))


@pytest.fixture(autouse=True)
def _fresh_settings():
    """Settings are cached per process; tests that set MINIME_* variables need them read again."""
    from minime.settings import settings

    settings.cache_clear()
    yield
    settings.cache_clear()
