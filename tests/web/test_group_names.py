"""The name rule through the web API: one name for the group or one per face, and never more than a box holds."""

from __future__ import annotations

import json

import pytest

from .conftest import client, post_figure, wait_done

pytestmark = pytest.mark.anyio


async def test_a_long_list_of_people_is_refused_at_once_in_one_line(make_app):
    app = make_app(workers=1)
    async with client(app) as c:
        for spec in ({"people": [{"name": f"P{i}"} for i in range(1_000)]},
                     {"name": "A", "names": [f"P{i}" for i in range(1_000)]}):
            r = await post_figure(c, spec)
            assert r.status_code == 422, r.text
            error = r.json()["error"]
            assert error["code"] == "bad_spec" and "at most 4 people fit in one box (got 1000)" in error["message"]
            assert len(r.content) < 1000


async def test_more_names_than_faces_fails_the_job_naming_both_counts(make_app):
    app = make_app(workers=1)
    async with client(app) as c:
        r = await post_figure(c, {"name": "A", "names": ["A", "B", "C"]})  # the portrait shows one face
        assert r.status_code == 202, r.text
        status = await wait_done(c, r.json()["id"])
        assert status["status"] == "failed", json.dumps(status)[:300]
        assert status["error"]["code"] == "bad_spec"
        assert status["error"]["message"].startswith("names: 3 names for a photo with 1 face")
