"""The API's routes as FastAPI documents them, and engines reaching the page from the registry alone."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute

from minime.engines import ENGINES, register
from minime.engines.studio import StudioEngine
from minime.web.app import ROUTERS

from .conftest import client, post_figure, wait_done

pytestmark = pytest.mark.anyio


def _schemas(operation: dict) -> list[tuple[str, str, dict]]:
    """(status, media type, schema) of each answer an operation documents with a body."""
    return [(status, media, body.get("schema") or body.get("itemSchema") or {})
            for status, answer in operation["responses"].items() for media, body in answer.get("content", {}).items()]


async def test_the_openapi_document_lists_every_route_with_typed_schemas(make_app):
    app = make_app(workers=1)
    async with client(app) as c:
        spec = (await c.get("/openapi.json")).json()
    components = spec["components"]["schemas"]

    def resolve(schema: dict) -> dict:
        ref = schema.get("$ref") or schema.get("items", {}).get("$ref")
        if ref is None:
            return schema
        name = ref.rsplit("/", 1)[-1]
        assert name in components, ref
        return components[name]

    routes = [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute) and r.include_in_schema]
    assert len(routes) >= 16
    for route in routes:
        for method in route.methods:
            operation = spec["paths"][route.path][method.lower()]
            assert operation.get("summary") and operation.get("tags"), (method, route.path)
            for param in operation.get("parameters", []):
                assert param["schema"].get("type") or param["schema"].get("anyOf") or param["schema"].get("enum"), param
            answers = _schemas(operation)
            ok = [(status, media, schema) for status, media, schema in answers if status.startswith("2")]
            if method != "DELETE":
                assert ok, (method, route.path)
            for status, media, schema in ok:
                if media == "application/json":  # a named model (or a list of one), with typed properties
                    model = resolve(schema)
                    assert model.get("properties"), (route.path, status)
                    assert all(p.get("type") or p.get("anyOf") or p.get("$ref") or p.get("enum")
                               for p in model["properties"].values()), (route.path, model)
                elif media == "text/event-stream":
                    assert set(schema["properties"]) >= {"event", "data", "retry"}
                else:  # a file
                    assert schema == {"type": "string", "format": "binary"}, (route.path, media)
            for status, media, schema in answers:  # every refusal has the one error body
                if status[0] in "45":
                    assert resolve(schema)["properties"].keys() == {"error"}, (route.path, status)

    rebox = spec["paths"]["/api/figures/{job_id}/rebox"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert set(resolve(rebox)["properties"]) == {"name", "tagline", "color", "template", "accessories", "size"}
    upload = spec["paths"]["/api/figures"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert upload["properties"]["photo"] == {**upload["properties"]["photo"], "type": "string", "format": "binary"}
    assert upload["properties"]["size"]["enum"] == ["feed", "square", "story", "print"]
    assert upload["properties"]["allow_cloud"]["type"] == "boolean"
    # The page, its fonts and the health check are not API.
    assert not {"/", "/docs", "/healthz", "/fonts/{name}"} & set(spec["paths"])


class ToyEngine(StudioEngine):
    """An engine the web code has never heard of."""

    name = "toy"
    model = "toy-v1"

    def generate(self, subject, spec, *, n=1, seed=None):
        figures = super().generate(subject, spec, n=n, seed=seed)
        for figure in figures:
            figure.engine = self.name
        return figures


@pytest.fixture
def toy_engines(monkeypatch):
    """Two engines registered the way a new engine file registers itself; taken out again after the test."""
    for name in ("toy", "toy-cloud"):
        monkeypatch.setitem(ENGINES, name, ENGINES["studio"])  # so the registry is put back after the test
    register("toy", "a toy engine for tests", True, ToyEngine, label="Toy Box",
             description="A toy engine that paints the photo, for tests.")
    register("toy-cloud", "a toy cloud engine", False, ToyEngine, provider="Toy Cloud Inc")


async def test_an_engine_added_to_the_registry_is_on_the_page_and_in_the_api(make_app, toy_engines):
    app = make_app(workers=1)
    async with client(app) as c:
        listed = {e["name"]: e for e in (await c.get("/api/engines")).json()}
        assert listed["toy"] == {"name": "toy", "label": "Toy Box", "summary": "a toy engine for tests",
                                 "text": "A toy engine that paints the photo, for tests.", "local": True, "provider": ""}
        # Without a label or description, the page falls back on the name and the summary.
        assert listed["toy-cloud"]["label"] == "Toy-cloud" and listed["toy-cloud"]["text"] == "a toy cloud engine"
        assert listed["toy-cloud"]["provider"] == "Toy Cloud Inc" and not listed["toy-cloud"]["local"]

        page = (await c.get("/")).text
        assert 'value="toy"' in page and "Toy Box" in page and "A toy engine that paints the photo, for tests." in page
        assert 'data-provider="Toy Cloud Inc"' in page

        # The API makes figures with it, and asks consent for the cloud one, naming its provider.
        r = await post_figure(c, engine="toy-cloud")
        assert r.status_code == 422 and r.json()["error"]["code"] == "consent"
        assert "Toy Cloud Inc" in r.json()["error"]["message"]
        r = await post_figure(c, engine="toy")
        assert r.status_code == 202, r.text
        status = await wait_done(c, r.json()["id"])
        assert status["status"] == "done" and status["engine"] == "toy"
