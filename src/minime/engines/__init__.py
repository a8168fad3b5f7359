"""Engines make the figure; the box is drawn by `minime.box`."""

from .base import ENGINES, Engine, EngineError, Figure, get_engine, register


def _studio(**options):
    if options:
        from ..errors import MinimeError

        raise MinimeError(f"the studio engine takes no options (got {', '.join(options)}); "
                          "--model, --lora and --offload are for the generative engines")
    from .studio import StudioEngine

    return StudioEngine()


def _options(engine: str, options: dict, allowed: tuple[str, ...]) -> dict:
    extra = [k for k in options if k not in allowed]
    if extra:
        from ..errors import MinimeError

        raise MinimeError(f"the {engine} engine does not take {', '.join(extra)}; it takes {', '.join(allowed)}")
    return options


def _openai(**options):
    from .openai import OpenAIEngine

    return OpenAIEngine(**_options("openai", options, ("model", "style")))


def _gemini(**options):
    from .gemini import GeminiEngine

    return GeminiEngine(**_options("gemini", options, ("model", "style", "base_url")))


def _diffusers(**options):
    from .diffusers import DiffusersEngine

    allowed = ("model", "lora", "width", "height", "steps", "guidance", "style", "device", "progress", "compile", "offload")
    return DiffusersEngine(**_options("diffusers", options, allowed))


register("studio", "offline toy finish on the CPU, about a second, no download (default)", True, _studio)
register("openai", "OpenAI image edit API; needs minime[cloud], OPENAI_API_KEY and --allow-cloud "
         "(the photo goes to OpenAI)", False, _openai, provider="OpenAI")
register("gemini", "Google Gemini image model; needs minime[cloud], GEMINI_API_KEY and --allow-cloud "
         "(the photo goes to Google)", False, _gemini, provider="Google Gemini")
register("diffusers", "open models on this machine (FLUX.2 klein 4B default; --model kontext-dev, qwen-image-edit, "
         "sdxl-turbo); needs minime[local], a GPU for speed, weights download on first use", True, _diffusers)

__all__ = ["ENGINES", "Engine", "EngineError", "Figure", "get_engine", "register"]
