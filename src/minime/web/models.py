"""The HTTP API's request and response bodies; FastAPI builds the OpenAPI document (/openapi.json) from them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .jobs import SIZES, STAGES


class ErrorBody(BaseModel):
    code: str = Field(description="bad_photo, no_face, bad_spec, too_large, too_many_jobs, rate_limited, consent, not_found, ...")
    message: str = Field(description="One line that says what is wrong and what is allowed.")


class ErrorResponse(BaseModel):
    error: ErrorBody


class Upload(BaseModel):
    """The multipart form of a new figure. The server reads it as a stream with a size cap, in memory."""

    photo: bytes = Field(description="JPEG, PNG, WebP or HEIC, up to the upload limit.")
    spec: str = Field(description='JSON: {"name": "Ada", "tagline": "...", "accessories": ["laptop"], '
                                  '"outfit": "...", "template": "classic", "color": "#1d4e89", "body": "feminine"}; '
                                  'body: feminine, masculine or neutral (sculpt engine), left out: from the clothes')
    engine: str = Field("sculpt", description="An engine name; see GET /api/engines.")
    size: Literal[SIZES] = "feed"  # type: ignore[valid-type]
    allow_cloud: bool = Field(False, description="Consent to send the photo to a cloud engine's provider.")


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


class Template(BaseModel):
    """A box template."""

    name: str
    label: str
    summary: str
    preview: str = Field(description="A JPEG of the template around a sample figure.")


class EngineEntry(BaseModel):
    """An engine, as the engine registry describes it."""

    name: str
    label: str = Field(description="Its name on the page.")
    summary: str = Field(description="One line, as `minime engines` says it.")
    text: str = Field(description="What the page says of it.")
    local: bool = Field(description="True: the photo stays on the machine that runs minime.")
    provider: str = Field(description="Who receives the photo, for a cloud engine (consent needed); empty if local.")


def binary(*media_types: str) -> dict[int | str, dict[str, Any]]:
    """The 200 response of a route that answers a file, in each of these media types."""
    return {200: {"content": {media: {"schema": {"type": "string", "format": "binary"}} for media in media_types}}}


# Every refusal has the same body.
REFUSALS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorResponse} for code in (400, 403, 404, 408, 409, 413, 415, 422, 429, 503)}
