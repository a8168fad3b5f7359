"""The gemini engine: Google's Gemini image model makes the figure from the photo (cloud; needs consent).

One `generate_content` call per candidate, with the photo and image-only output; the calls for
variants run side by side. The figure comes back on a flat key colour, which we remove. The key
comes from GEMINI_API_KEY (or GOOGLE_API_KEY) and is never logged; the endpoint can be moved to a
gateway with MINIME_GEMINI_BASE_URL. 408, 429 and 5xx answers are retried with bounded backoff.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from .base import EngineError, Figure, RefusedError, need
from .cloud import ModelChoiceError, api_key, guide_png, is_timeout, is_unreachable, one_line, photo_png, resolve_guide
from .cutout import cut_out, decode, split_pieces
from .prompt import build_prompt, clean_style, key_for, photo_colours

PROVIDER = "Google Gemini"
KEY_VARS = ("GEMINI_API_KEY", "GOOGLE_API_KEY")
RETRY_DELAY_S = 1.0  # doubles each retry, at most 20 s
RETRY_CODES = [408, 429, 500, 502, 503, 504]
PARALLEL = 4
MODEL_SETTING = "MINIME_GEMINI_IMAGE_MODEL"
# Finish and block reasons that mean the content of the request was refused.
REFUSALS = {"SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT",
            "RECITATION", "IMAGE_RECITATION", "JAILBREAK", "MODEL_ARMOR"}


class GeminiEngine:
    """Figures from the Gemini API's image output.

    Args:
        client: a `google.genai.Client` (tests pass one pointed at a fake server); built here if None.
        model: the image model; settings().gemini_image_model if None.
        base_url: another endpoint (a gateway); settings().gemini_base_url if None.
        style: an optional style note for the prompt.
        guide: an RGBA render of the figure (or a callable (subject, spec) -> one) sent beside the photo
            for the model to repaint.
        timeout: seconds per request, for a client built here; settings().cloud_timeout if None.
        attempts: tries per request (the first and the retries), for a client built here;
            settings().cloud_retries + 1 if None.
        retry_delay: seconds before the first retry, for a client built here.
    """

    name = "gemini"
    runs_locally = False
    generative = True  # a model draws the figure: check it for a face and stray text
    provider = PROVIDER

    def __init__(self, client=None, *, model: str | None = None, base_url: str | None = None, style: str = "",
                 guide=None, timeout: float | None = None, attempts: int | None = None, retry_delay: float = RETRY_DELAY_S):
        from ..settings import settings

        self.model = model or settings().gemini_image_model
        self.base_url = base_url or settings().gemini_base_url
        self.style = style
        self.guide = guide
        self.timeout = settings().cloud_timeout if timeout is None else timeout
        self.attempts = settings().cloud_retries + 1 if attempts is None else attempts
        self.retry_delay = retry_delay
        self._client = client
        self._key = ""

    def client(self):
        if self._client is None:
            genai = need("google.genai", "cloud", "the gemini engine")
            types = genai.types
            self._key = api_key(KEY_VARS, self.name)
            retry = types.HttpRetryOptions(attempts=self.attempts, initial_delay=self.retry_delay, max_delay=20.0,
                                           exp_base=2.0, jitter=self.retry_delay, http_status_codes=RETRY_CODES)
            options = types.HttpOptions(base_url=self.base_url, timeout=int(self.timeout * 1000), retry_options=retry)
            self._client = genai.Client(api_key=self._key, http_options=options)
        return self._client

    def generate(self, subject, spec, *, n: int = 1, seed: int | None = None) -> list[Figure]:
        """Make `n` figures, one request each (run side by side); seed i+k for the k-th, when given."""
        client = self.client()
        people = len(subject.faces)
        avoid = photo_colours(subject)
        guide = resolve_guide(self.guide, subject, spec)
        prompt = build_prompt(spec, family="gemini", people=people, style=self.style, avoid=avoid,
                              guide=guide is not None)
        images = [photo_png(subject.image)]
        if guide is not None:  # on the key the prompt asks for, so the model keeps that background too
            images.append(guide_png(guide, key_for(spec, style=clean_style(self.style), avoid=avoid)[0]))
        seeds = [None if seed is None else seed + k for k in range(max(1, n))]
        if len(seeds) == 1:
            results = [self._one(client, images, prompt, seeds[0])]
        else:
            with ThreadPoolExecutor(min(PARALLEL, len(seeds))) as pool:
                results = list(pool.map(lambda s: self._one(client, images, prompt, s), seeds))
        figures = []
        for img, s, secs in results:
            figure, pieces = split_pieces(cut_out(img), spec.accessories, people)
            figures.append(Figure(figure, self.name, self.model, s, prompt, secs, pieces, people))
        return figures

    def _one(self, client, images: list[bytes], prompt: str, seed: int | None):
        genai = need("google.genai", "cloud", "the gemini engine")
        types = genai.types
        config = types.GenerateContentConfig(response_modalities=["IMAGE"], seed=seed)
        contents = [*(types.Part.from_bytes(data=image, mime_type="image/png") for image in images), prompt]
        start = time.perf_counter()
        try:
            reply = client.models.generate_content(model=self.model, contents=contents, config=config)
        except genai.errors.APIError as exc:
            raise self._api_error(exc) from None
        except (ValueError, TypeError) as exc:  # the reply did not parse (e.g. bad base64 in inlineData)
            raise EngineError(f"{PROVIDER} sent an unusable reply ({type(exc).__name__}); "
                              "it may be a damaged image") from None
        except Exception as exc:
            if is_timeout(exc):
                raise EngineError(f"{PROVIDER} did not answer within {self.timeout:g} s "
                                  f"(tried {self.attempts} times); try again later") from None
            if is_unreachable(exc):
                raise EngineError(f"cannot reach {PROVIDER} at {self.base_url or 'its API'}; "
                                  "check the network or MINIME_GEMINI_BASE_URL") from None
            raise
        return self._image(reply), seed, time.perf_counter() - start

    def _image(self, reply):
        """The first image in the reply; a block, a refusal or a text-only answer is an error."""
        feedback = getattr(reply, "prompt_feedback", None)
        blocked = _value(getattr(feedback, "block_reason", None))
        if blocked:
            raise RefusedError(f"{PROVIDER} blocked this request ({blocked}); try another photo, outfit or accessories")
        candidates = getattr(reply, "candidates", None) or []
        parts = []
        reason = ""
        for candidate in candidates:
            reason = reason or _value(getattr(candidate, "finish_reason", None))
            content = getattr(candidate, "content", None)
            parts += list(getattr(content, "parts", None) or [])
        blobs = [p.inline_data for p in parts if getattr(p, "inline_data", None) is not None]
        images = [b for b in blobs if b.data and (b.mime_type or "image/").startswith("image/")]
        if images:
            return decode(images[0].data, PROVIDER)
        if reason in REFUSALS:
            raise RefusedError(f"{PROVIDER} refused to make this image ({reason}); "
                               "try another photo, outfit or accessories")
        text = " ".join(p.text for p in parts if getattr(p, "text", None))
        said = f": {one_line(text, secrets=(self._key,), limit=100)}" if text else ""
        why = f" (finish reason {reason})" if reason and reason != "STOP" else ""
        raise EngineError(f"{PROVIDER} replied without an image{why}{said}")

    def _api_error(self, exc) -> Exception:
        """One line for a google.genai.errors.APIError (its ClientError for 4xx, ServerError for 5xx)."""
        errors = need("google.genai.errors", "cloud", "the gemini engine")
        code = exc.code
        status = exc.status or ""
        message = one_line(exc.message or "", secrets=(self._key,))
        if status in REFUSALS or (code == 400 and "safety" in message.lower()):
            return RefusedError(f"{PROVIDER} refused this request ({status or 'safety'}); "
                                "try another photo, outfit or accessories")
        if code in (401, 403) or (code == 400 and "api key" in message.lower()):
            return EngineError(f"{PROVIDER} rejected the API key (HTTP {code}); check GEMINI_API_KEY")
        if code == 404:  # a retired preview name answers like an unknown one
            return ModelChoiceError(f"{PROVIDER} does not offer the image model {self.model!r} (HTTP 404, it may be "
                                    f"retired); set {MODEL_SETTING} (or --model) to one it offers")
        if code == 400:
            return ModelChoiceError(f"{PROVIDER}'s model {self.model!r} refused the request (HTTP 400: {message}); "
                                    f"set {MODEL_SETTING} (or --model) to an image model that takes it")
        if code == 429:
            return EngineError(f"{PROVIDER} is rate limiting this key (HTTP 429) after {self.attempts} tries; "
                               "try again later")
        if isinstance(exc, errors.ServerError):
            return EngineError(f"{PROVIDER} failed (HTTP {code}) after {self.attempts} tries; try again later")
        return EngineError(f"{PROVIDER} rejected the request (HTTP {code} {status}): {message}".replace("  ", " "))


def _value(enum) -> str:
    """An SDK enum (or plain string) as its name, "" for none."""
    if enum is None:
        return ""
    return str(getattr(enum, "value", enum) or "")
