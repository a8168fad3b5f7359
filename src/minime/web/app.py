"""The FastAPI app: one page, and the HTTP API it uses (documented at /docs, generated from web/models.py).

    POST   /api/figures                 multipart: photo (file) + spec (JSON) [+ engine, size, allow_cloud] -> job id
    GET    /api/figures                 this client's figures (the page's gallery)
    GET    /api/figures/{id}            status, stage, receipt, likeness
    GET    /api/figures/{id}/events     the same as server-sent events, live, until it is done
    GET    /api/figures/{id}/image      the box (PNG; ?download=1 to save it)
    POST   /api/figures/{id}/rebox      new name, tagline, colour, template, accessories or size; no engine time
    DELETE /api/figures/{id}            removes everything of the job at once

The routes live on routers at module level; what they share (the job store, the limits, the options)
is one `Web` object on `app.state`, reached through dependencies. A job is visible only to the client
that made it (the `owner` dependency); any other id answers 404.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import AsyncIterable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.sse import EventSourceResponse, ServerSentEvent
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..engines import ENGINES
from ..errors import MinimeError
from ..settings import settings
from .clips import ClipBusy, Clips, Renderer, render_clip
from .jobs import SIZES, STAGES, Jobs, Maker, default_maker
from .jobstate import CLIP_FORMATS, NotFound, NotReady, QueueFull, describe, limit_arenas
from .models import REFUSALS, Created, EngineEntry, Rebox, Status, Template, Token, Upload, binary
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
from .uploads import UploadGuard

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
BODY_LABELS = {"": "Auto", "feminine": "Feminine", "masculine": "Masculine", "neutral": "Neutral"}  # spec.BODIES
DESCRIPTION = ("Turn a selfie into a toy action figure in its box. Upload a photo and a spec, follow the job, download "
               "the PNG, re-box it for free. Browsers get a session cookie; scripts may use a bearer token from "
               f"POST /api/tokens. State-changing requests with a cookie need the {CSRF_HEADER} header (any value) "
               "or a same-origin Origin.")


class WebError(Exception):
    """A refusal with a status, a code the page maps to a title, and a one-line message."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


@dataclass
class Web:
    """What the routes share: the job store and its clips, the client signer, the rate limits and the app's options."""

    jobs: Jobs
    clips: Clips
    signer: Signer
    upload_bytes: int
    rate: int
    event: Any = None
    preset: dict[str, Any] = field(default_factory=dict)
    swagger: Path | None = None

    def __post_init__(self):
        self.figures_rate, self.rebox_rate = RateLimit(self.rate), RateLimit(self.rate * 10)
        # Per address as well, looser (people behind one router share it): a client that drops its cookie
        # or asks for a new token for each request is still held back.
        self.address_rate, self.tokens_rate = RateLimit(self.rate * 5), RateLimit(self.rate)

    def limited(self, limit: RateLimit, key: str, what: str) -> None:
        wait = limit.wait(key)
        if wait:
            raise WebError(429, "rate_limited", f"too many {what} in a minute; try again in {wait} s",
                           {"retry-after": str(wait)})


def create_app(*, maker: Maker = default_maker, workers: int | None = None, queue_limit: int | None = None,
               ttl: float | None = None, upload_mb: float | None = None, rate_per_minute: int | None = None,
               allowed_hosts: tuple[str, ...] | None = None, warm_previews: bool = False, event: Any = None,
               clock: Callable[[], float] = time.time, clip_renderer: Renderer = render_clip) -> FastAPI:
    """Build the web app. Options left as None come from settings (MINIME_WEB_*).

    Args:
        maker: makes one figure (default: `pipeline.make`); tests pass fakes.
        workers: figures made at once; settings().web_workers, or one per core.
        queue_limit: jobs waiting or running before 503.
        ttl: seconds a result is kept.
        upload_mb: the largest photo.
        rate_per_minute: new figures per client per minute (re-boxes: ten times that).
        allowed_hosts: Host names served (against DNS rebinding); None serves any. MINIME_WEB_PROXY_HOSTS adds to them.
        warm_previews: render the template previews in the background at start.
        event: event mode: a campaign brief (`batch.load_brief`); its brand kit boxes every figure, and the page
            starts from its template and defaults.
        clock: the wall clock results are stamped and expired by (tests move a fake one on).
        clip_renderer: makes a turntable clip file (default: `outputs.encode`); tests pass fakes.
    """
    cfg = settings()
    if event is not None and event.brand is not None and maker is default_maker:
        from functools import partial

        maker = partial(default_maker, brand=event.brand)
    jobs = Jobs(workers=workers or cfg.web_workers or os.cpu_count() or 1, queue_limit=queue_limit or cfg.web_queue_limit,
                ttl=ttl or cfg.web_ttl_seconds, maker=maker, keep=cfg.web_keep_jobs,
                keep_bytes=int(cfg.web_keep_mb * 1_000_000), clock=clock)
    limit_arenas(jobs.workers)  # the server's memory: see jobstate.limit_arenas
    clips = Clips(jobs, at_once=cfg.web_clips_at_once or jobs.workers // 2, renderer=clip_renderer)
    web = Web(jobs=jobs, clips=clips, signer=Signer(), upload_bytes=int((upload_mb or cfg.web_upload_mb) * 1_000_000),
              rate=rate_per_minute or cfg.web_rate_per_minute, event=event, preset=_preset(event), swagger=_swagger_dir())

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if warm_previews:
            from . import previews

            asyncio.get_running_loop().run_in_executor(None, previews.warm)
        yield
        jobs.close()

    app = FastAPI(title="minime", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description=DESCRIPTION)
    app.state.jobs = jobs
    app.state.web = web
    if allowed_hosts is not None and cfg.web_proxy_hosts.strip():  # a reverse proxy passes on its public name
        allowed_hosts = (*allowed_hosts, *(h.strip().lower() for h in cfg.web_proxy_hosts.split(",") if h.strip()))
    app.add_middleware(ClientMiddleware, signer=web.signer, allowed_hosts=allowed_hosts)
    # Outermost: a body slower than the floor, or one too many from an address, is stopped before anything else.
    app.add_middleware(UploadGuard, floor=cfg.web_upload_floor_bytes, grace=cfg.web_upload_grace_seconds,
                       per_address=cfg.web_uploads_per_address)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if web.swagger is not None:
        app.mount("/docs-assets", StaticFiles(directory=web.swagger), name="docs-assets")
    # Starlette types a handler as taking any Exception, though it only ever passes the class it is registered for.
    app.add_exception_handler(WebError, _web_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]
    for router in ROUTERS:
        app.include_router(router)
    return app


# ---------------------------------------------------------------- errors

async def _web_error(request: Request, exc: WebError) -> JSONResponse:
    return JSONResponse({"error": {"code": exc.code, "message": exc.message}}, exc.status, headers=exc.headers)


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    code = {404: "not_found", 405: "method_not_allowed", 408: "too_slow"}.get(exc.status_code, "http_error")
    message = "no such figure or page" if exc.status_code == 404 else str(exc.detail)
    return JSONResponse({"error": {"code": code, "message": message}}, exc.status_code, headers=exc.headers)


async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ())[1:]) or "request"
    return JSONResponse({"error": {"code": "bad_request", "message": f"{where}: {first.get('msg', 'invalid')}"}}, 422)


# ---------------------------------------------------------------- dependencies

def shared(request: Request) -> Web:
    """The app's job store, limits and options."""
    return request.app.state.web


def owner(request: Request) -> str:
    """The caller's id: its session cookie's or its bearer token's (named by ClientMiddleware)."""
    return client_of(request.scope).id


def poster(request: Request) -> str:
    """The caller's id for a request that changes state, once it is known not to come from another site."""
    client = client_of(request.scope)
    problem = cross_site_problem(client, request.headers, request.url.scheme)
    if problem:
        raise WebError(403, "cross_site", problem)
    return client.id


def owned(job_id: str, who: str = Depends(owner), web: Web = Depends(shared)) -> str:
    """The caller's id, once the job is known to be theirs (so a 404 comes before any stream starts)."""
    lookup(web.jobs.get, job_id, who)
    return who


def lookup(fn, *args):
    """Call a job store method, its NotFound and NotReady as 404 and 409."""
    if args and isinstance(args[0], str) and len(args[0]) > ID_MAX:  # no id is that long: answer at once
        raise WebError(404, "not_found", "no such figure (it may have expired or been deleted)")
    try:
        return fn(*args)
    except NotFound:
        raise WebError(404, "not_found", "no such figure (it may have expired or been deleted)") from None
    except NotReady:
        raise WebError(409, "not_ready", "this figure is not finished") from None


def address(request: Request) -> str:
    return "a:" + (request.client.host if request.client else "")


async def off_loop(fn, *args):
    """Run blocking work (a model, a clip, a PDF, a re-box) in a thread, off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(None, fn, *args)


# A request FastAPI finds invalid is answered with the same error body as every other refusal.
INVALID: dict[int | str, dict[str, Any]] = {422: REFUSALS[422]}


# ---------------------------------------------------------------- the page

pages = APIRouter(include_in_schema=False)


@pages.get("/", response_class=HTMLResponse)
def index(who: str = Depends(owner), web: Web = Depends(shared)):
    gallery = [job for job in web.jobs.list(who) if job["status"] == "done"]
    html = _env().get_template("index.html").render(
        event=web.event, preset_template=web.preset.get("template") or next(iter(_templates()), {}).get("name"),
        templates=_templates(), engines=_engines(), gallery=gallery, stage_labels=STAGE_LABELS,
        suggestions=SUGGESTIONS, swatches=SWATCHES, sizes=SIZE_LABELS, bodies=BODY_LABELS, upload_mb=round(web.upload_bytes / 1_000_000),
        accessories=_accessory_names(), version=_static_version(), config=json.dumps({
            "uploadBytes": web.upload_bytes, "stages": list(STAGES), "stageLabels": STAGE_LABELS,
            "csrfHeader": CSRF_HEADER, "preset": web.preset}),
    )
    return HTMLResponse(html, headers={"cache-control": "no-store"})


@pages.get("/docs", response_class=HTMLResponse)
def docs(web: Web = Depends(shared)):
    if web.swagger is None:  # the web extra without swagger-ui-bundle: FastAPI's page, from its CDN
        from fastapi.openapi.docs import get_swagger_ui_html

        return get_swagger_ui_html(openapi_url="/openapi.json", title="minime API")
    return HTMLResponse(_env().get_template("docs.html").render(version=_static_version()))


@pages.get("/fonts/{name}")
def font(name: str):
    if name not in PAGE_FONTS:
        raise WebError(404, "not_found", "no such font")
    return Response((FONTS / name).read_bytes(), media_type="font/otf", headers={"cache-control": "public, max-age=86400"})


@pages.get("/healthz")
def healthz(web: Web = Depends(shared)):
    return {"ok": True, "pending": web.jobs.pending()}


# ---------------------------------------------------------------- catalogue

catalogue = APIRouter(prefix="/api", tags=["catalogue"], responses=INVALID)


@catalogue.get("/templates", response_model=list[Template], summary="Box templates, with preview images")
def templates():
    return _templates()


@catalogue.get("/templates/{name}/preview.jpg", response_class=Response, summary="A template around a sample figure",
               responses={**binary("image/jpeg"), 404: REFUSALS[404]})
async def template_preview(name: str):
    from ..errors import UnknownNameError
    from .previews import preview_jpeg

    try:
        jpeg = await off_loop(preview_jpeg, name)
    except UnknownNameError as exc:
        raise WebError(404, "not_found", str(exc)) from None
    return Response(jpeg, media_type="image/jpeg", headers={"cache-control": "public, max-age=3600"})


@catalogue.get("/engines", response_model=list[EngineEntry], summary="Engines; cloud ones need consent to send the photo")
def engines():
    return _engines()


# ---------------------------------------------------------------- clients

clients = APIRouter(prefix="/api", tags=["clients"], responses=INVALID)


@clients.post("/tokens", response_model=Token, status_code=201, responses=REFUSALS,
              summary="A bearer token for scripts (jobs made with it are visible only with it)")
def token(request: Request, _: str = Depends(poster), web: Web = Depends(shared)):
    web.limited(web.tokens_rate, address(request), "new tokens")
    web.tokens_rate.hit(address(request))
    return {"token": web.signer.issue()}


# ---------------------------------------------------------------- figures

figures = APIRouter(prefix="/api/figures", tags=["figures"], responses=INVALID)
# The form is read by our own bounded, in-memory multipart reader (never spooled to disk), so FastAPI does
# not parse it; its schema still comes from the Upload model.
_UPLOAD = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": Upload.model_json_schema()}}}}


@figures.post("", status_code=202, response_model=Created, responses=REFUSALS, openapi_extra=_UPLOAD,
              summary="Make a figure from a photo and a spec")
async def create_figure(request: Request, response: Response, who: str = Depends(poster), web: Web = Depends(shared)):
    jobs, upload_bytes = web.jobs, web.upload_bytes
    web.limited(web.figures_rate, who, "new figures")
    web.limited(web.address_rate, address(request), "new figures from this address")
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
    spec = _spec(parts, web.preset)
    engine = _text(parts, "engine") or "sculpt"
    size = _text(parts, "size") or "feed"
    consent = _text(parts, "allow_cloud").lower() in ("1", "true", "on", "yes")
    _check_engine(engine, consent)
    if size not in SIZES:
        raise WebError(422, "unknown_name", f"unknown size {size!r}; choose one of: {', '.join(SIZES)}")
    try:
        job_id = jobs.submit(who, photo.data, spec, engine=engine, size=size, allow_cloud=consent)
    except QueueFull:
        raise _busy(jobs) from None
    web.figures_rate.hit(who)
    web.address_rate.hit(address(request))
    base = f"/api/figures/{job_id}"
    response.headers["location"] = base
    return Created(id=job_id, status="queued", links={"self": base, "events": f"{base}/events"})


@figures.get("", response_model=list[Status], summary="This client's figures, newest first")
def list_figures(who: str = Depends(owner), web: Web = Depends(shared)):
    return web.jobs.list(who)


@figures.get("/{job_id}", response_model=Status, responses=REFUSALS, summary="A figure's status, receipt and likeness")
def get_figure(job_id: str, who: str = Depends(owner), web: Web = Depends(shared)):
    return lookup(web.jobs.get, job_id, who)


@figures.get("/{job_id}/events", response_class=EventSourceResponse, responses=REFUSALS,
             summary="Live progress as server-sent events: queued, stage, done or failed")
async def figure_events(job_id: str, who: str = Depends(owned), web: Web = Depends(shared)) -> AsyncIterable[ServerSentEvent]:
    jobs = web.jobs
    yield ServerSentEvent(retry=1500)  # how soon a browser reconnects after a dropped stream
    seen = None
    while True:
        tick = jobs.tick(job_id)  # before reading the state, so no change slips between the two
        try:
            state = jobs.get(job_id, who)
        except NotFound:
            yield ServerSentEvent(event="failed", data={"error": {"code": "not_found", "message": "the figure was deleted"}})
            return
        key = (state["status"], state["stage"], state["ahead"])
        if key != seen:
            seen = key
            kind = state["status"] if state["status"] in ("queued", "done", "failed") else "stage"
            # Encoded here: FastAPI's generic encoder walks the dict again, for every queued client at each start.
            yield ServerSentEvent(event=kind, raw_data=json.dumps(state, separators=(",", ":")))
            if kind in ("done", "failed"):
                return
        await jobs.changed(job_id, tick)


def _file(data: bytes, media: str, filename: str, download: bool) -> Response:
    disposition = "attachment" if download else "inline"
    return Response(data, media_type=media, headers={
        "content-disposition": f'{disposition}; filename="{filename}"', "cache-control": "private, no-store"})


@figures.get("/{job_id}/image", response_class=Response, responses={**binary("image/png"), **REFUSALS},
             summary="The boxed figure (PNG with AI label, C2PA and receipt)")
def figure_image(job_id: str, download: bool = False, who: str = Depends(owner), web: Web = Depends(shared)):
    data, filename = lookup(web.jobs.image, job_id, who)
    return _file(data, "image/png", filename, download)


@figures.get("/{job_id}/thumbnail", response_class=Response, responses={**binary("image/jpeg"), **REFUSALS},
             summary="A small JPEG of the box, for the gallery")
def figure_thumbnail(job_id: str, who: str = Depends(owner), web: Web = Depends(shared)):
    data, filename = lookup(lambda *a: web.jobs.image(*a, thumb=True), job_id, who)
    return _file(data, "image/jpeg", filename.replace(".png", ".jpg"), False)


@figures.get("/{job_id}/figure", response_class=Response, responses={**binary("image/png"), **REFUSALS},
             summary="The figure alone on a transparent background")
async def figure_layer(job_id: str, who: str = Depends(owner), web: Web = Depends(shared)):
    data, filename = await off_loop(lookup, web.jobs.figure_png, job_id, who)
    return _file(data, "image/png", filename, True)


@figures.get("/{job_id}/print-kit", response_class=Response, responses={**binary("application/pdf"), **REFUSALS},
             summary="A PDF to print, cut and fold")
async def figure_print_kit(job_id: str, who: str = Depends(owner), web: Web = Depends(shared)):
    data, filename = await off_loop(lookup, web.jobs.print_kit, job_id, who)
    return _file(data, "application/pdf", filename, True)


async def _figure_file(web: Web, job_id: str, who: str, fmt: str, download: bool, where: str = "") -> Response:
    from ..outputs import ENCODERS

    try:  # a model takes about a second to make, off the event loop; a clip some seconds, in the job pool, once
        if fmt in CLIP_FORMATS:
            job, kept = lookup(web.jobs.result, job_id, who)
            data, filename = await web.clips.get(job, kept, fmt, where)
        else:
            data, filename = await off_loop(lookup, web.clips.model, job_id, who, fmt)
    except ClipBusy as exc:
        code = "clip_busy" if exc.status == 429 else "too_many_clips"
        raise WebError(exc.status, code, str(exc), {"retry-after": str(exc.retry_after)}) from None
    except NotFound:  # deleted while its clip waited
        raise WebError(404, "not_found", "no such figure (it may have expired or been deleted)") from None
    except MinimeError as exc:  # a picture-only engine made this figure: there is no 3D model
        code, message = describe(exc)
        raise WebError(409, "no_mesh", message) from None
    return _file(data, ENCODERS[fmt].media_type, filename, download)


@figures.get("/{job_id}/model", response_class=Response,
             responses={**binary("model/gltf-binary", "model/stl", "model/3mf"), **REFUSALS},
             summary="The figure as a 3D model: GLB for viewers and AR, STL or 3MF (with colours) to print")
async def figure_model(job_id: str, format: Literal["glb", "stl", "3mf"] = "glb", download: bool = True,
                       who: str = Depends(owner), web: Web = Depends(shared)):
    return await _figure_file(web, job_id, who, format, download)


@figures.get("/{job_id}/clip", response_class=Response, responses={**binary("video/mp4"), **REFUSALS},
             summary="A 3 s turntable clip of the figure (H.264 MP4, labelled and signed); made once, one per client at a time")
async def figure_clip(request: Request, job_id: str, format: Literal["mp4"] = "mp4", download: bool = True,
                      who: str = Depends(owner), web: Web = Depends(shared)):
    return await _figure_file(web, job_id, who, format, download, address(request))


@figures.post("/{job_id}/rebox", response_model=Status, responses=REFUSALS,
              summary="Box the same figure again with a new name, tagline, colour, template, accessories or size")
async def rebox(job_id: str, changes: Rebox, who: str = Depends(poster), web: Web = Depends(shared)):
    web.limited(web.rebox_rate, who, "changes")
    if changes.size is not None and changes.size not in SIZES:
        raise WebError(422, "unknown_name", f"unknown size {changes.size!r}; choose one of: {', '.join(SIZES)}")
    if changes.template is not None:
        _check_template(changes.template)
    web.rebox_rate.hit(who)
    fields = changes.model_dump(exclude={"size"}, exclude_none=True)
    try:
        return await off_loop(lookup, web.jobs.rebox, job_id, who, fields, changes.size)
    except MinimeError as exc:
        code, message = describe(exc)
        raise WebError(422, code, message) from None


@figures.delete("/{job_id}", status_code=204, responses=REFUSALS, summary="Delete the figure and everything of its job at once")
def delete_figure(job_id: str, who: str = Depends(poster), web: Web = Depends(shared)):
    lookup(web.jobs.delete, job_id, who)
    return Response(status_code=204)


ROUTERS = (pages, catalogue, clients, figures)


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


def _engines() -> list[dict]:
    """The engines as the registry describes them: adding an engine changes nothing here."""
    return [{"name": info.name, "label": info.label, "summary": info.summary,
             "text": info.description, "local": info.runs_locally,
             "provider": "" if info.runs_locally else (info.provider or info.name)}
            for info in ENGINES.values()]


@lru_cache(maxsize=1)
def _accessory_names() -> list[str]:
    try:
        from ..accessories import ACCESSORIES
    except ImportError:
        return []
    return sorted(a.label for a in ACCESSORIES.values() if a.key != "prop")


def _swagger_dir() -> Path | None:
    try:
        import swagger_ui_bundle
    except ImportError:
        return None
    return Path(swagger_ui_bundle.swagger_ui_path)
