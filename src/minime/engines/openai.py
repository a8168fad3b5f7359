"""The openai engine: OpenAI's image edit API makes the figure from the photo (cloud; needs consent).

The photo goes out as a fresh PNG (pixels only). The key is OPENAI_API_KEY, read through Settings, and
the SDK reads OPENAI_BASE_URL itself; the key is never logged or put in a message. 429 and 5xx answers are retried by the SDK
with its bounded exponential backoff (it honours Retry-After).
"""

from __future__ import annotations

import base64
import binascii
import time
from urllib.parse import urlsplit

from .base import EngineError, Figure, RefusedError, need
from .cloud import CloudFigure, ModelChoiceError, api_key, guide_png, is_timeout, is_unreachable, one_line, photo_png, resolve_guide
from .cutout import cut_out, decode, split_pieces
from .prompt import build_prompt, clean_style, key_for, photo_colours

PROVIDER = "OpenAI"
KEY_VARS = ("OPENAI_API_KEY",)
MAX_N = 10  # images per request the API allows
SIZE = "1024x1536"  # portrait: a standing figure
# Error codes OpenAI uses when its safety system refuses the request's content.
MODEL_SETTING = "MINIME_OPENAI_IMAGE_MODEL"
REFUSAL_CODES = {"moderation_blocked", "content_policy_violation", "image_generation_user_error", "safety_violation"}


class OpenAIEngine:
    """Figures from OpenAI's image edit API.

    Args:
        client: an `openai.OpenAI` client (tests pass one pointed at a fake server); built from the
            environment if None.
        model: the image model; settings().openai_image_model if None.
        style: an optional style note for the prompt.
        guide: an RGBA render of the figure (or a callable (subject, spec) -> one) sent beside the photo
            for the model to repaint.
        timeout: seconds per request, for a client built here; settings().cloud_timeout if None.
        max_retries: retries of 429/5xx/timeouts, for a client built here; settings().cloud_retries if None.
    """

    name = "openai"
    runs_locally = False
    generative = True  # a model draws the figure: check it for a face and stray text
    provider = PROVIDER

    def __init__(self, client=None, *, model: str | None = None, style: str = "", guide=None,
                 timeout: float | None = None, max_retries: int | None = None):
        from ..settings import settings

        self.model = model or settings().openai_image_model
        self.style = style
        self.guide = guide
        self._fidelity = True  # until the model says it does not take input_fidelity
        self._opaque = False  # until the model says it cannot return a transparent background
        self.timeout = settings().cloud_timeout if timeout is None else timeout
        self.max_retries = settings().cloud_retries if max_retries is None else max_retries
        if client is not None:  # say what the given client really does
            self.max_retries = int(getattr(client, "max_retries", self.max_retries))
            limit = getattr(client, "timeout", None)
            self.timeout = float(getattr(limit, "read", None) or limit) if limit is not None else self.timeout
        self._client = client
        self._key = ""

    def client(self):
        if self._client is None:
            openai = need("openai", "cloud", "the openai engine")
            self._key = api_key(KEY_VARS, self.name)
            self._client = openai.OpenAI(api_key=self._key, timeout=self.timeout, max_retries=self.max_retries)
        return self._client

    def generate(self, subject, spec, *, n: int = 1, seed: int | None = None) -> list[Figure]:
        """Ask for `n` figures (batched, up to 10 per request); OpenAI takes no seed."""
        client = self.client()
        people = len(subject.faces)
        guide = resolve_guide(self.guide, subject, spec)
        photo = photo_png(subject.image)
        figures: list[Figure] = []
        left = max(1, n)
        while left:
            batch = min(left, MAX_N)
            start = time.perf_counter()
            data, prompt, calls = self._edit(client, subject, spec, photo, guide, batch)
            images = self._images(data)
            seconds = (time.perf_counter() - start) / max(1, len(images))
            for img in images:
                figure, pieces = split_pieces(cut_out(img), spec.accessories, people)
                figures.append(CloudFigure(figure, self.name, self.model, None, prompt, seconds, pieces, people,
                                           requests=calls))
            left -= batch
        return figures

    def _edit(self, client, subject, spec, photo: bytes, guide, n: int):
        """One images.edit call, asked again once for each parameter a model is known to refuse:
        input_fidelity is dropped, and a refused transparent background becomes our key colour, which the
        cut-out removes. Returns (reply, the prompt sent, calls made); the engine remembers what was refused."""
        openai = need("openai", "cloud", "the openai engine")
        calls = 0
        while True:
            prompt, key = self._prompt(subject, spec, guide is not None)
            images = [("photo.png", photo, "image/png")]
            if guide is not None:
                images.append(("guide.png", guide_png(guide, key), "image/png"))
            args = dict(image=images if guide is not None else images[0], prompt=prompt, model=self.model, n=n,
                        background="opaque" if self._opaque else "transparent", output_format="png", size=SIZE)
            if self._fidelity:
                args["input_fidelity"] = "high"
            calls += 1
            try:
                return client.images.edit(**args), prompt, calls
            except openai.BadRequestError as exc:
                if self._fidelity and _about(exc, "input_fidelity"):
                    self._fidelity = False  # e.g. gpt-image-2 models decide fidelity themselves
                    continue
                if not self._opaque and _refuses_transparency(exc):
                    self._opaque = True
                    continue
                raise self._error(exc) from None
            except openai.OpenAIError as exc:
                raise self._error(exc) from None

    def _prompt(self, subject, spec, guide: bool) -> tuple[str, tuple[int, int, int] | None]:
        """The prompt, and the key colour it asks for (None while the model returns transparency)."""
        people = len(subject.faces)
        if not self._opaque:
            return build_prompt(spec, family="openai", people=people, style=self.style, guide=guide), None
        avoid = photo_colours(subject)
        key, _ = key_for(spec, style=clean_style(self.style), avoid=avoid)
        prompt = build_prompt(spec, family="openai", people=people, style=self.style, avoid=avoid,
                              transparent=False, guide=guide)
        return prompt, key

    def _images(self, data) -> list:
        """Decode every image in the reply; a reply with none, or only broken ones, is an error."""
        items = list(getattr(data, "data", None) or []) if not isinstance(data, (str, bytes)) else []
        encoded = [item.b64_json for item in items if getattr(item, "b64_json", None)]
        if not encoded:
            said = next((item.revised_prompt for item in items if getattr(item, "revised_prompt", None)), None)
            said = said or (data if isinstance(data, str) else "")
            tail = f": {one_line(said, secrets=(self._key,), limit=100)}" if said else ""
            raise EngineError(f"{PROVIDER} replied without an image{tail}")
        images, failures = [], []
        for text in encoded:
            try:
                raw = base64.b64decode(text, validate=True)
                images.append(decode(raw, PROVIDER))
            except (binascii.Error, ValueError):
                failures.append("bad base64")
            except EngineError as exc:
                failures.append(str(exc))
        if not images:
            raise EngineError(f"{PROVIDER} returned a damaged image ({failures[0].removeprefix(PROVIDER + ' returned ')})")
        return images

    def _error(self, exc: BaseException) -> Exception:
        """One line for an SDK error: refusals are the user's to fix (exit 2), the rest are ours (exit 1)."""
        openai = need("openai", "cloud", "the openai engine")
        status = exc.status_code if isinstance(exc, openai.APIStatusError) else None
        code = (exc.code if isinstance(exc, openai.APIError) else None) or ""
        message = one_line(getattr(exc, "message", "") or str(exc), secrets=(self._key,))
        if code in REFUSAL_CODES or "safety system" in message.lower():
            return RefusedError(f"{PROVIDER}'s safety system refused this request ({code or 'moderation'}); "
                                "try another photo, outfit or accessories")
        if is_timeout(exc):
            return EngineError(f"{PROVIDER} did not answer within {self.timeout:g} s "
                               f"(tried {self.max_retries + 1} times); try again later")
        if is_unreachable(exc):
            return EngineError(f"cannot reach {PROVIDER} at {_host(exc)}; check the network or OPENAI_BASE_URL")
        if status == 401:
            return EngineError(f"{PROVIDER} rejected the API key (HTTP 401); check OPENAI_API_KEY")
        param = (exc.param if isinstance(exc, openai.APIError) else None) or ""
        if status == 404 or code == "model_not_found" or param == "model" or (status == 403 and "model" in message):
            return ModelChoiceError(f"{PROVIDER} does not offer the image model {self.model!r} to this key "
                                    f"(HTTP {status}); set {MODEL_SETTING} (or --model) to one it offers")
        if status == 400 and param:
            return ModelChoiceError(f"{PROVIDER}'s model {self.model!r} does not take the {param} minime sends "
                                    f"(HTTP 400: {message}); set {MODEL_SETTING} (or --model) to another model")
        if isinstance(exc, openai.RateLimitError):
            return EngineError(f"{PROVIDER} is rate limiting this key (HTTP 429{', ' + code if code else ''}) "
                               f"after {self.max_retries} retries; try again later")
        if status is not None and status >= 500:
            return EngineError(f"{PROVIDER} failed (HTTP {status}) after {self.max_retries} retries; try again later")
        if status is not None:
            return EngineError(f"{PROVIDER} rejected the request (HTTP {status}{', ' + code if code else ''}): {message}")
        return EngineError(f"{PROVIDER} sent an unusable reply ({type(exc).__name__}): {message}")


def _about(exc, param: str) -> bool:
    return getattr(exc, "param", None) == param or param in str(getattr(exc, "message", ""))


def _refuses_transparency(exc) -> bool:
    """"Transparent background is not supported for this model.", with or without param=background."""
    message = str(getattr(exc, "message", "")).lower()
    return "transparent" in message and (getattr(exc, "param", None) == "background" or "background" in message)


def _host(exc) -> str:
    request = getattr(exc, "request", None)
    url = str(getattr(request, "url", "") or "")
    return urlsplit(url).netloc or "the API"
