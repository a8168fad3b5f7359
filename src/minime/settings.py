"""Settings: one class, read from MINIME_* environment variables (and a .env file if present)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import BeforeValidator, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_home() -> Path:
    import os

    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "minime"


def _switch(value: object) -> object:
    """A switch set in the environment: any text but an empty or a plain 'off' value turns it on."""
    if isinstance(value, str):
        return value.strip().lower() not in ("", "0", "false", "no", "off")
    return value


class Settings(BaseSettings):
    """Everything minime can be configured with. Each field is the env var MINIME_<FIELD>."""

    model_config = SettingsConfigDict(env_prefix="MINIME_", env_file=".env", extra="ignore")

    home: Path = Field(default_factory=_default_home, description="The one user dir: signing key, history. Never photos.")
    country: str = Field(default="WORLD", description="ISO 3166 alpha-3 (or alpha-2) country code for the grid's carbon intensity.")
    allow_cloud: bool = Field(default=False, description="Consent to send the photo to a cloud engine without --allow-cloud.")
    openai_image_model: str = Field(
        default="gpt-image-2.6-sunburst",
        description="OpenAI image model for the openai engine (gpt-image-1 was shut down on 2026-10-23; more retire "
                    "on 2026-12-01). The key and endpoint come from the SDK's OPENAI_API_KEY and OPENAI_BASE_URL.")
    gemini_image_model: str = Field(
        default="gemini-3.1-flash-image",
        description="Gemini image model for the gemini engine: a generally available name (gemini-3.1-flash-image, "
                    "gemini-3-pro-image), since the API retires preview names. The key comes from GEMINI_API_KEY "
                    "(or GOOGLE_API_KEY).")
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias="OPENAI_API_KEY", description="OPENAI_API_KEY, the SDK's own variable: the openai engine's key.")
    gemini_api_key: SecretStr | None = Field(
        default=None, validation_alias="GEMINI_API_KEY", description="GEMINI_API_KEY: the gemini engine's key.")
    google_api_key: SecretStr | None = Field(
        default=None, validation_alias="GOOGLE_API_KEY", description="GOOGLE_API_KEY: the gemini engine's key when GEMINI_API_KEY is unset.")
    gemini_base_url: str | None = Field(
        default=None, description="Another endpoint for the Gemini API, e.g. a self-hosted gateway; Google's if unset.")
    cloud_timeout: float = Field(
        default=240.0, gt=0, description="Seconds a cloud engine waits for one answer (a high-fidelity edit can take minutes).")
    cloud_retries: int = Field(
        default=3, ge=0, le=10, description="Times a cloud engine asks again after a timeout, a 429 or a 5xx, with growing waits.")
    diffusers_model: str = Field(
        default="klein-4b",
        description="Model for the diffusers engine: klein-4b, kontext-dev, qwen-image-edit, sdxl-turbo, "
                    "a Hugging Face repo id or a local folder saved with save_pretrained.")
    signing_cert: Path | None = Field(default=None, description="A brand's own C2PA certificate chain (PEM); a local one is made if unset.")
    signing_key: Path | None = Field(default=None, description="The private key (PEM) for signing_cert.")
    cpu_watts_per_core: float = Field(default=15.0, description="Stated power per busy core when no energy counter is readable.")
    history: bool = Field(default=True, description="Keep a local history of counts, seconds and energy (no photos, no names).")
    debug: Annotated[bool, BeforeValidator(_switch)] = Field(
        default=False, description="Log the full traceback of an internal error (a failed web job, the CLI's): any value but "
                           "empty, 0, false, no or off turns it on.")
    web_workers: int = Field(default=0, ge=0, description="`minime serve`: figures made at once; 0 means one per CPU core.")
    web_queue_limit: int = Field(default=64, ge=1, description="`minime serve`: jobs waiting or running before new ones get 503 with Retry-After.")
    web_ttl_seconds: float = Field(default=3600.0, gt=0, description="`minime serve`: seconds a finished figure is kept before it is purged.")
    web_upload_mb: float = Field(default=20.0, gt=0, description="`minime serve`: the largest photo upload, in MB.")
    web_keep_jobs: int = Field(default=500, ge=1, description="`minime serve`: finished figures kept at most (the oldest go first).")
    web_keep_mb: float = Field(default=1000.0, gt=0, description="`minime serve`: MB of finished figures kept at most (the oldest go first).")
    web_rate_per_minute: int = Field(
        default=12, ge=1, description="`minime serve`: new figures one client may start per minute (re-boxing may run ten times as often).")
    web_clips_at_once: int = Field(
        default=0, ge=0, description="`minime serve`: turntable clips made at once, each a different client's (a client has one "
                                     "at a time: 429; past this: 503, both with Retry-After); 0 means half the workers, at least one.")
    web_upload_floor_bytes: float = Field(
        default=1000.0, ge=0, description="`minime serve`: bytes a second a request body must average once "
                                          "MINIME_WEB_UPLOAD_GRACE_SECONDS have passed; a slower one is cut off with 408 (0: no floor).")
    web_upload_grace_seconds: float = Field(
        default=10.0, gt=0, description="`minime serve`: seconds a request body may take before the speed floor applies.")
    web_uploads_per_address: int = Field(
        default=4, ge=1, description="`minime serve`: request bodies one client address may send at once (past it, 429 with "
                                     "Retry-After); behind a proxy the address is the X-Forwarded-For one uvicorn trusts.")
    web_proxy_hosts: str = Field(
        default="", description="`minime serve` on loopback behind a reverse proxy: the public host names it also answers to, "
                                "comma-separated (e.g. minime.example.org); on loopback it answers to loopback names only.")


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The settings, read once (see `read_settings`)."""
    return read_settings()


def read_settings() -> Settings:
    """The settings as the environment gives them now.

    Raises:
        MinimeError: a MINIME_* variable (or a key) holds a value its setting does not take; one line.
    """
    from pydantic import ValidationError

    from .errors import MinimeError

    try:
        return Settings()
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        name = str(err["loc"][0]) if err.get("loc") else "?"
        field = Settings.model_fields.get(name)
        env = field.validation_alias if field is not None and isinstance(field.validation_alias, str) else f"MINIME_{name.upper()}"
        got = str(err.get("input", ""))
        shown = got[:40] if got[:40].isprintable() else got[:40].encode("unicode_escape").decode()
        raise MinimeError(f"{env}='{shown}{'...' if len(got) > 40 else ''}' is not allowed: {err['msg'][:200]}") from None
