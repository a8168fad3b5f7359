"""The FastAPI app: one page, and the HTTP API it uses (documented at /docs).

    POST   /api/figures                 multipart: photo (file) + spec (JSON) [+ engine, size, allow_cloud] -> job id
    GET    /api/figures                 this client's figures (the page's gallery)
    GET    /api/figures/{id}            status, stage, receipt, likeness
    GET    /api/figures/{id}/events     the same as server-sent events, live, until it is done
    GET    /api/figures/{id}/image      the box (PNG; ?download=1 to save it)
    POST   /api/figures/{id}/rebox      new name, tagline, colour, template, accessories or size; no engine time
    DELETE /api/figures/{id}            removes everything of the job at once

A job is visible only to the client that made it; any other id answers 404.
"""

from __future__ import annotations

import asyncio
import json
import os
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from collections.abc import AsyncIterable
from typing import Any, Literal

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.sse import EventSourceResponse, ServerSentEvent
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..engines import ENGINES
from ..errors import MinimeError
from ..settings import settings
from .jobs import SIZES, STAGES, Jobs, Maker, NotFound, NotReady, QueueFull, default_maker, describe
from .security import (
    CSRF_HEADER,
    ClientMiddleware,
    RateLimit,
    Signer,
    UploadError,
    client_of,
    cross_site_problem,
    parse_multipart,
)

HERE = Path(__file__).parent
STATIC = HERE / "static"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
FONTS = HERE.parent / "box" / "fonts"  # the page uses the box's own OFL fonts
PAGE_FONTS = ("BebasNeue-Bold.otf", "Inter-Regular.otf", "Inter-SemiBold.otf", "Inter-Bold.otf")

STAGE_LABELS = {
    "queued": "Waiting for a free workshop",
    "intake": "Reading your photo",
    "look": "Finding your face",
    "engine": "Sculpting your figure",
    "pick": "Picking the best look",
    "box": "Printing the box",
    "export": "Signing and labelling",
}
SUGGESTIONS = ("Coffee cup", "Laptop", "Headphones", "Camera", "Guitar", "Dog", "Cat", "Book", "Sneaker",
               "Pizza", "Rocket", "Trophy", "Game controller", "Paintbrush")
SWATCHES = (("Red", "#d62839"), ("Orange", "#f77f00"), ("Gold", "#f2b705"), ("Green", "#2a9d8f"),
            ("Blue", "#1d4e89"), ("Purple", "#6a4c93"), ("Pink", "#e05780"), ("Black", "#22223b"))
SIZE_LABELS = {"feed": "Feed 4:5", "square": "Square", "story": "Story 9:16", "print": "Print 300 dpi"}


class WebError(Exception):
    """A refusal with a status, a code the page maps to a title, and a one-line message."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


class ErrorBody(BaseModel):
    code: str = Field(description="bad_photo, no_face, bad_spec, too_large, too_many_jobs, rate_limited, consent, not_found, ...")
    message: str = Field(description="One line that says what is wrong and what is allowed.")


class ErrorResponse(BaseModel):
    error: ErrorBody


class Created(BaseModel):
    id: str = Field(description="The job id (unguessable; only this client can see the job).")
    status: str
    links: dict[str, str]


class Status(BaseModel):
    """A figure job."""

    model_config = ConfigDict(extra="allow")

    id: str
    status: Literal["queued", "running", "done", "failed"]
    stage: str = Field(description="The stage running now (or last run): " + ", ".join(STAGES))
    stages: list[str]
    ahead: int = Field(description="Jobs ahead of this one while it is queued.")
    error: ErrorBody | None
    created: float
    expires: float | None = Field(description="When the result is purged (Unix time).")
    engine: str
    size: str
    spec: dict[str, Any]
    likeness: float | None = Field(description="0-100: how much the figure's face matches the photo's.")
    receipt: dict[str, Any] | None = Field(description="Energy and CO2e of making the figure, and how each was found.")
    receipt_summary: str | None
    warnings: list[str]
    version: int = Field(description="Goes up with each re-box.")
    links: dict[str, str]


class Rebox(BaseModel):
    """What to change on the box; the figure is not generated again. Fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    tagline: str | None = None
    color: str | None = None
    template: str | None = None
    accessories: list[str] | None = None
    size: str | None = Field(None, description="feed, square, story or print")


class Token(BaseModel):
    token: str = Field(description="Send as 'Authorization: Bearer <token>'. Valid until the server stops.")


_UPLOAD_DOC = {
    "requestBody": {
        "required": True,
        "content": {"multipart/form-data": {"schema": {
            "type": "object",
            "required": ["photo", "spec"],
            "properties": {
                "photo": {"type": "string", "format": "binary", "description": "JPEG, PNG, WebP or HEIC, up to the upload limit."},
                "spec": {"type": "string", "description": 'JSON: {"name": "Ada", "tagline": "...", "accessories": ["laptop"], '
                                                          '"outfit": "...", "template": "classic", "color": "#1d4e89"}'},
                "engine": {"type": "string", "default": "sculpt", "description": "An engine name; see GET /api/engines."},
                "size": {"type": "string", "default": "feed", "enum": list(SIZES)},
                "allow_cloud": {"type": "boolean", "default": False,
                                "description": "Consent to send the photo to a cloud engine's provider."},
            },
        }}},
    },
}
_REFUSALS = {code: {"model": ErrorResponse} for code in (400, 403, 404, 413, 415, 422, 429, 503)}


def create_app(*, maker: Maker = default_maker, workers: int | None = None, queue_limit: int | None = None,
               ttl: float | None = None, upload_mb: float | None = None, rate_per_minute: int | None = None,
               allowed_hosts: tuple[str, ...] | None = None, warm_previews: bool = False, event: Any = None) -> FastAPI:
    """Build the web app. Options left as None come from settings (MINIME_WEB_*).

    Args:
        maker: makes one figure (default: `pipeline.make`); tests pass fakes.
        workers: figures made at once; settings().web_workers, or one per core.
        queue_limit: jobs waiting or running before 503.
        ttl: seconds a result is kept.
        upload_mb: the largest photo.
        rate_per_minute: new figures per client per minute (re-boxes: ten times that).
        allowed_hosts: Host names served (against DNS rebinding); None serves any.
        warm_previews: render the template previews in the background at start.
        event: event mode: a campaign brief (`batch.load_brief`); its brand kit boxes every figure, and the page
            starts from its template and defaults.
    """
    cfg = settings()
    if event is not None and event.brand is not None and maker is default_maker:
        from functools import partial

        maker = partial(default_maker, brand=event.brand)
    preset = _preset(event)
    workers = workers or cfg.web_workers or os.cpu_count() or 1
    upload_bytes = int((upload_mb or cfg.web_upload_mb) * 1_000_000)
    rate = rate_per_minute or cfg.web_rate_per_minute
    jobs = Jobs(workers=workers, queue_limit=queue_limit or cfg.web_queue_limit, ttl=ttl or cfg.web_ttl_seconds, maker=maker,
                keep=cfg.web_keep_jobs, keep_bytes=int(cfg.web_keep_mb * 1_000_000))
    figures_rate, rebox_rate = RateLimit(rate), RateLimit(rate * 10)
    # Per address as well, looser (people behind one router share it): a client that drops its cookie
    # or asks for a new token for each request is still held back.
    address_rate, tokens_rate = RateLimit(rate * 5), RateLimit(rate)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if warm_previews:
            from . import previews

            asyncio.get_running_loop().run_in_executor(None, previews.warm)
        yield
        jobs.close()

    app = FastAPI(title="minime", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Turn a selfie into a toy action figure in its box. Upload a photo and a spec, follow the "
                              "job, download the PNG, re-box it for free. Browsers get a session cookie; scripts may use "
                              f"a bearer token from POST /api/tokens. State-changing requests with a cookie need the "
                              f"{CSRF_HEADER} header (any value) or a same-origin Origin.")
    app.state.jobs = jobs
    signer = Signer()
    app.add_middleware(ClientMiddleware, signer=signer, allowed_hosts=allowed_hosts)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    swagger = _swagger_dir()
    if swagger is not None:
        app.mount("/docs-assets", StaticFiles(directory=swagger), name="docs-assets")

    # ------------------------------------------------------------ errors

    @app.exception_handler(WebError)
    async def _web_error(request: Request, exc: WebError):
        return JSONResponse({"error": {"code": exc.code, "message": exc.message}}, exc.status, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = "no such figure or page" if exc.status_code == 404 else str(exc.detail)
        return JSONResponse({"error": {"code": code, "message": message}}, exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())[1:]) or "request"
        return JSONResponse({"error": {"code": "bad_request", "message": f"{where}: {first.get('msg', 'invalid')}"}}, 422)

    def check_post(request: Request) -> str:
        client = client_of(request.scope)
        problem = cross_site_problem(client, request.headers, request.url.scheme)
        if problem:
            raise WebError(403, "cross_site", problem)
        return client.id

    def limited(limit: RateLimit, key: str, what: str) -> None:
        wait = limit.wait(key)
        if wait:
            raise WebError(429, "rate_limited", f"too many {what} in a minute; try again in {wait} s",
                           {"retry-after": str(wait)})

    def address(request: Request) -> str:
        return "a:" + (request.client.host if request.client else "")

    def lookup(fn, *args):
        if args and isinstance(args[0], str) and len(args[0]) > ID_MAX:  # no id is that long: answer at once
            raise WebError(404, "not_found", "no such figure (it may have expired or been deleted)")
        try:
            return fn(*args)
        except NotFound:
            raise WebError(404, "not_found", "no such figure (it may have expired or been deleted)") from None
        except NotReady:
            raise WebError(409, "not_ready", "this figure is not finished") from None

    # ------------------------------------------------------------ the page

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request):
        owner = client_of(request.scope).id
        gallery = [job for job in jobs.list(owner) if job["status"] == "done"]
        html = _env().get_template("index.html").render(
            event=event, preset_template=preset.get("template") or next(iter(_templates()), {}).get("name"),
            templates=_templates(), engines=_engines(), gallery=gallery, stage_labels=STAGE_LABELS,
            suggestions=SUGGESTIONS, swatches=SWATCHES, sizes=SIZE_LABELS, upload_mb=round(upload_bytes / 1_000_000),
            accessories=_accessory_names(), version=_static_version(), config=json.dumps({
                "uploadBytes": upload_bytes, "stages": list(STAGES), "stageLabels": STAGE_LABELS,
                "csrfHeader": CSRF_HEADER, "preset": preset}),
        )
        return HTMLResponse(html, headers={"cache-control": "no-store"})

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs():
        if swagger is None:  # the web extra without swagger-ui-bundle: FastAPI's page, from its CDN
            from fastapi.openapi.docs import get_swagger_ui_html

            return get_swagger_ui_html(openapi_url="/openapi.json", title="minime API")
        return HTMLResponse(_env().get_template("docs.html").render(version=_static_version()))

    @app.get("/fonts/{name}", include_in_schema=False)
    def font(name: str):
        if name not in PAGE_FONTS:
            raise WebError(404, "not_found", "no such font")
        return Response((FONTS / name).read_bytes(), media_type="font/otf",
                        headers={"cache-control": "public, max-age=86400"})

    @app.get("/healthz", include_in_schema=False)
    def healthz():
        return {"ok": True, "pending": jobs.pending()}

    # ------------------------------------------------------------ catalogue

    @app.get("/api/templates", tags=["catalogue"], summary="Box templates, with preview images")
    def templates():
        return _templates()

    @app.get("/api/templates/{name}/preview.jpg", tags=["catalogue"], summary="A template around a sample figure",
             response_class=Response, responses={200: {"content": {"image/jpeg": {}}}, 404: {"model": ErrorResponse}})
    async def template_preview(name: str):
        from ..errors import UnknownNameError
        from .previews import preview_jpeg

        try:
            jpeg = await asyncio.get_running_loop().run_in_executor(None, preview_jpeg, name)
        except UnknownNameError as exc:
            raise WebError(404, "not_found", str(exc)) from None
        return Response(jpeg, media_type="image/jpeg", headers={"cache-control": "public, max-age=3600"})

    @app.get("/api/engines", tags=["catalogue"], summary="Engines; cloud ones need consent to send the photo")
    def engines():
        return _engines()

    @app.post("/api/tokens", tags=["clients"], response_model=Token, status_code=201, responses=_REFUSALS,
              summary="A bearer token for scripts (jobs made with it are visible only with it)")
    def token(request: Request):
        check_post(request)
        limited(tokens_rate, address(request), "new tokens")
        tokens_rate.hit(address(request))
        return {"token": signer.issue()}

    # ------------------------------------------------------------ figures

    @app.post("/api/figures", tags=["figures"], status_code=202, response_model=Created, responses=_REFUSALS,
              openapi_extra=_UPLOAD_DOC, summary="Make a figure from a photo and a spec")
    async def create_figure(request: Request):
        owner = check_post(request)
        limited(figures_rate, owner, "new figures")
        limited(address_rate, address(request), "new figures from this address")
        if jobs.pending() >= jobs.queue_limit:
            raise _busy(jobs)
        mb = _size(upload_bytes)
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > upload_bytes + 100_000:
            raise WebError(413, "too_large", f"the photo is too big; the limit is {mb}")
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > upload_bytes + 100_000:
                raise WebError(413, "too_large", f"the photo is too big; the limit is {mb}")
        try:
            parts = parse_multipart(bytes(body), request.headers.get("content-type", ""))
        except UploadError as exc:
            raise WebError(exc.status, exc.code, str(exc)) from None
        del body
        photo = parts.get("photo")
        if photo is None or not photo.data:
            raise WebError(422, "no_photo", "add a photo: a JPEG, PNG, WebP or HEIC file in the 'photo' field")
        if len(photo.data) > upload_bytes:
            raise WebError(413, "too_large", f"the photo is {_size(len(photo.data))}; the limit is {mb}")
        _check_photo(photo.data)
        spec = _spec(parts, preset)
        engine = _text(parts, "engine") or "sculpt"
        size = _text(parts, "size") or "feed"
        consent = _text(parts, "allow_cloud").lower() in ("1", "true", "on", "yes")
        _check_engine(engine, consent)
        if size not in SIZES:
            raise WebError(422, "unknown_name", f"unknown size {size!r}; choose one of: {', '.join(SIZES)}")
        try:
            job_id = jobs.submit(owner, photo.data, spec, engine=engine, size=size, allow_cloud=consent)
        except QueueFull:
            raise _busy(jobs) from None
        figures_rate.hit(owner)
        address_rate.hit(address(request))
        base = f"/api/figures/{job_id}"
        return JSONResponse({"id": job_id, "status": "queued", "links": {"self": base, "events": f"{base}/events"}},
                            202, headers={"location": base})

    @app.get("/api/figures", tags=["figures"], response_model=list[Status], summary="This client's figures, newest first")
    def list_figures(request: Request):
        return jobs.list(client_of(request.scope).id)

    @app.get("/api/figures/{job_id}", tags=["figures"], response_model=Status, responses=_REFUSALS,
             summary="A figure's status, receipt and likeness")
    def get_figure(job_id: str, request: Request):
        return lookup(jobs.get, job_id, client_of(request.scope).id)

    def owned(job_id: str, request: Request) -> str:
        """The caller's id, once the job is known to be theirs (a dependency: a 404 comes before any stream)."""
        owner = client_of(request.scope).id
        lookup(jobs.get, job_id, owner)
        return owner

    @app.get("/api/figures/{job_id}/events", tags=["figures"], response_class=EventSourceResponse, responses=_REFUSALS,
             summary="Live progress as server-sent events: queued, stage, done or failed")
    async def figure_events(job_id: str, owner: str = Depends(owned)) -> AsyncIterable[ServerSentEvent]:
        yield ServerSentEvent(retry=1500)  # how soon a browser reconnects after a dropped stream
        seen = None
        while True:
            tick = jobs.tick(job_id)  # before reading the state, so no change slips between the two
            try:
                state = jobs.get(job_id, owner)
            except NotFound:
                yield ServerSentEvent(event="failed", data={"error": {"code": "not_found", "message": "the figure was deleted"}})
                return
            key = (state["status"], state["stage"], state["ahead"])
            if key != seen:
                seen = key
                kind = state["status"] if state["status"] in ("queued", "done", "failed") else "stage"
                yield ServerSentEvent(event=kind, data=state)
                if kind in ("done", "failed"):
                    return
            await jobs.changed(job_id, tick)

    def _file(data: bytes, media: str, filename: str, download: bool) -> Response:
        disposition = "attachment" if download else "inline"
        return Response(data, media_type=media, headers={
            "content-disposition": f'{disposition}; filename="{filename}"', "cache-control": "private, no-store"})

    @app.get("/api/figures/{job_id}/image", tags=["figures"], response_class=Response, responses={
        200: {"content": {"image/png": {}}}, **_REFUSALS}, summary="The boxed figure (PNG with AI label, C2PA and receipt)")
    def figure_image(job_id: str, request: Request, download: bool = False):
        data, filename = lookup(jobs.image, job_id, client_of(request.scope).id)
        return _file(data, "image/png", filename, download)

    @app.get("/api/figures/{job_id}/thumbnail", tags=["figures"], response_class=Response, responses={
        200: {"content": {"image/jpeg": {}}}, **_REFUSALS}, summary="A small JPEG of the box, for the gallery")
    def figure_thumbnail(job_id: str, request: Request):
        data, filename = lookup(lambda *a: jobs.image(*a, thumb=True), job_id, client_of(request.scope).id)
        return _file(data, "image/jpeg", filename.replace(".png", ".jpg"), False)

    @app.get("/api/figures/{job_id}/figure", tags=["figures"], response_class=Response, responses={
        200: {"content": {"image/png": {}}}, **_REFUSALS}, summary="The figure alone on a transparent background")
    async def figure_layer(job_id: str, request: Request):
        owner = client_of(request.scope).id
        data, filename = await asyncio.get_running_loop().run_in_executor(None, lookup, jobs.figure_png, job_id, owner)
        return _file(data, "image/png", filename, True)

    @app.get("/api/figures/{job_id}/print-kit", tags=["figures"], response_class=Response, responses={
        200: {"content": {"application/pdf": {}}}, **_REFUSALS}, summary="A PDF to print, cut and fold")
    async def figure_print_kit(job_id: str, request: Request):
        owner = client_of(request.scope).id
        data, filename = await asyncio.get_running_loop().run_in_executor(None, lookup, jobs.print_kit, job_id, owner)
        return _file(data, "application/pdf", filename, True)

    async def _figure_file(job_id: str, request: Request, fmt: str, download: bool) -> Response:
        from ..export import ENCODERS

        owner = client_of(request.scope).id
        try:  # a model takes about a second to make, a clip some seconds: off the event loop
            data, filename = await asyncio.get_running_loop().run_in_executor(None, lookup, jobs.figure_file, job_id,
                                                                              owner, fmt)
        except MinimeError as exc:  # a picture-only engine made this figure: there is no 3D model
            code, message = describe(exc)
            raise WebError(409, "no_mesh", message) from None
        return _file(data, ENCODERS[fmt].media_type, filename, download)

    @app.get("/api/figures/{job_id}/model", tags=["figures"], response_class=Response, responses={
        200: {"content": {"model/gltf-binary": {}, "model/stl": {}, "model/3mf": {}}}, **_REFUSALS},
        summary="The figure as a 3D model: GLB for viewers and AR, STL or 3MF (with colours) to print")
    async def figure_model(job_id: str, request: Request, format: Literal["glb", "stl", "3mf"] = "glb",
                           download: bool = True):
        return await _figure_file(job_id, request, format, download)

    @app.get("/api/figures/{job_id}/clip", tags=["figures"], response_class=Response, responses={
        200: {"content": {"video/mp4": {}}}, **_REFUSALS},
        summary="A 3 s turntable clip of the figure (H.264 MP4, labelled and signed)")
    async def figure_clip(job_id: str, request: Request, format: Literal["mp4"] = "mp4", download: bool = True):
        return await _figure_file(job_id, request, format, download)

    @app.post("/api/figures/{job_id}/rebox", tags=["figures"], response_model=Status, responses=_REFUSALS,
              summary="Box the same figure again with a new name, tagline, colour, template, accessories or size")
    async def rebox(job_id: str, changes: Rebox, request: Request):
        owner = check_post(request)
        limited(rebox_rate, owner, "changes")
        if changes.size is not None and changes.size not in SIZES:
            raise WebError(422, "unknown_name", f"unknown size {changes.size!r}; choose one of: {', '.join(SIZES)}")
        if changes.template is not None:
            _check_template(changes.template)
        rebox_rate.hit(owner)
        fields = changes.model_dump(exclude={"size"}, exclude_none=True)
        try:
            return await asyncio.get_running_loop().run_in_executor(None, lookup, jobs.rebox, job_id, owner, fields, changes.size)
        except MinimeError as exc:
            code, message = describe(exc)
            raise WebError(422, code, message) from None

    @app.delete("/api/figures/{job_id}", tags=["figures"], status_code=204, responses=_REFUSALS,
                summary="Delete the figure and everything of its job at once")
    def delete_figure(job_id: str, request: Request):
        owner = check_post(request)
        lookup(jobs.delete, job_id, owner)
        return Response(status_code=204)

    return app


# ---------------------------------------------------------------- helpers

ID_MAX = 64  # job ids are 24 characters; anything much longer is not one


def _size(count: int) -> str:
    if count < 1_000_000:
        return f"{round(count / 1000)} kB"
    return f"{count / 1_000_000:.1f}".removesuffix(".0") + " MB"


def _busy(jobs: Jobs) -> WebError:
    wait = jobs.retry_after()
    return WebError(503, "too_many_jobs", f"too many figures are being made right now; try again in {wait} s",
                    {"retry-after": str(wait)})


def _text(parts: dict, name: str) -> str:
    part = parts.get(name)
    if part is None:
        return ""
    try:
        return part.data.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise WebError(400, "bad_upload", f"the {name!r} field is not UTF-8 text") from None


def _preset(event) -> dict[str, Any]:
    """Event mode: the template and spec defaults the page starts from (and API calls fall back on)."""
    if event is None:
        return {}
    return {**event.defaults, "template": event.template}


def _spec(parts: dict, preset: dict[str, Any] | None = None):
    from ..errors import SpecError
    from ..spec import build_spec

    raw = _text(parts, "spec")
    if not raw:
        raise WebError(422, "bad_spec", 'add a spec: a JSON field like {"name": "Ada"}')
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise WebError(422, "bad_spec", "the spec is not valid JSON") from None
    if not isinstance(data, dict):
        raise WebError(422, "bad_spec", 'the spec must be a JSON object like {"name": "Ada"}')
    data = {**(preset or {}), **data}  # event mode: fields left out take the campaign's defaults
    try:
        spec = build_spec(**data)
    except SpecError as exc:
        raise WebError(422, "bad_spec", str(exc)) from None
    except TypeError:
        raise WebError(422, "bad_spec", "the spec's field names must be text") from None
    _check_template(spec.template)
    return spec


def _check_template(name: str) -> None:
    from ..box.render import get_template
    from ..errors import UnknownNameError

    try:
        get_template(name)
    except UnknownNameError as exc:
        raise WebError(422, "unknown_name", str(exc)) from None


def _check_engine(engine: str, consent: bool) -> None:
    from ..engines.base import ConsentError, check_consent

    if engine not in ENGINES:
        raise WebError(422, "unknown_name", f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
    try:
        check_consent(engine, consent)
    except ConsentError:
        provider = ENGINES[engine].provider or engine
        raise WebError(422, "consent", f"the {engine} engine sends your photo to {provider}; tick the box that agrees "
                                       "to that, or pick a local engine") from None


def _check_photo(data: bytes) -> None:
    """Refuse what is clearly not a photo at once (415), with intake's own message; intake checks the rest."""
    from ..photo import load_photo, sniff

    if sniff(data) in ("JPEG", "PNG", "GIF", "WEBP", "HEIF", "AVIF", "video or other ISO media"):
        return
    from ..photo import load_photo

    try:
        load_photo(data)
    except MinimeError as exc:
        raise WebError(415, "bad_photo", str(exc)) from None


@lru_cache(maxsize=1)
def _env():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True)


@lru_cache(maxsize=1)
def _static_version() -> str:
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(STATIC.rglob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def _templates() -> list[dict]:
    from ..box.render import get_template, template_names

    return [{"name": name, "label": " ".join(w.capitalize() for w in name.split("-")),
             "summary": get_template(name).get("summary", ""), "preview": f"/api/templates/{name}/preview.jpg"}
            for name in template_names()]


# What the page says of the engines it knows (the registry's summaries speak of command-line flags).
ENGINE_TEXT = {
    "sculpt": ("Sculpt", "A 3D action figure of you, sculpted and rendered on this computer in about a second. "
                         "Nothing to download."),
    "studio": ("Studio", "A glossy photo bust, made on this computer in under a second. Nothing to download."),
    "openai": ("OpenAI", "OpenAI's image model sculpts the figure. Needs an OpenAI API key where minime runs."),
    "gemini": ("Gemini", "Google's Gemini image model sculpts the figure. Needs a Gemini API key where minime runs."),
    "diffusers": ("Open models", "FLUX.2 and other open models on this computer. Needs minime[local] and ideally a GPU; "
                                 "downloads its weights the first time."),
}


def _engines() -> list[dict]:
    out = []
    for info in ENGINES.values():
        label, text = ENGINE_TEXT.get(info.name, (info.name.capitalize(), info.summary))
        out.append({"name": info.name, "label": label, "summary": info.summary, "text": text, "local": info.runs_locally,
                    "provider": "" if info.runs_locally else (info.provider or info.name)})
    return out


@lru_cache(maxsize=1)
def _accessory_names() -> list[str]:
    try:
        from ..box.icons import ACCESSORIES
    except ImportError:
        return []
    return sorted(a.label for a in ACCESSORIES.values() if a.key != "prop")


def _swagger_dir() -> Path | None:
    try:
        import swagger_ui_bundle
    except ImportError:
        return None
    return Path(swagger_ui_bundle.swagger_ui_path)
