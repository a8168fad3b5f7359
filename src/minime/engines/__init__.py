"""Engines make the figure; the box is drawn by `minime.box`."""

from .base import ENGINES, Engine, EngineError, Figure, check_mesh, get_engine, load_entry_points, register


def _studio(**options):
    if options:
        from ..errors import MinimeError

        raise MinimeError(f"the studio engine takes no options (got {', '.join(options)}); "
                          "--pose and --turn are for the sculpt engine; --model, --lora and --offload for the generative ones")
    from .studio import StudioEngine

    return StudioEngine()


def _options(engine: str, options: dict, allowed: tuple[str, ...]) -> dict:
    extra = [k for k in options if k not in allowed]
    if extra:
        from ..errors import MinimeError

        raise MinimeError(f"the {engine} engine does not take {', '.join(extra)}; it takes {', '.join(allowed)}")
    return options


def _sculpt(**options):
    from .sculpt import SculptEngine

    return SculptEngine(**_options("sculpt", options, ("pose", "turn")))


def _openai(**options):
    from .openai import OpenAIEngine

    return OpenAIEngine(**_options("openai", options, ("model", "style", "guide")))


def _gemini(**options):
    from .gemini import GeminiEngine

    return GeminiEngine(**_options("gemini", options, ("model", "style", "base_url", "guide")))


def _diffusers(**options):
    from .diffusers import DiffusersEngine

    allowed = ("model", "lora", "width", "height", "steps", "guidance", "style", "device", "progress", "compile", "offload",
               "guide")
    return DiffusersEngine(**_options("diffusers", options, allowed))


DEFAULT = "sculpt"

register("sculpt", "a 3D action figure of you, sculpted and rendered on the CPU in about a second, no download "
         "(default; --pose, --turn)", True, _sculpt, mesh=True, label="Sculpt",
         description="A 3D action figure of you, sculpted and rendered on this computer in about a second. "
                     "Nothing to download.")
register("studio", "offline glossy photo bust on the CPU, under a second, no download (the sculpt engine's fallback)",
         True, _studio, label="Studio",
         description="A glossy photo bust, made on this computer in under a second. Nothing to download.")
register("openai", "OpenAI image edit API; needs minime[cloud], OPENAI_API_KEY and --allow-cloud "
         "(the photo goes to OpenAI)", False, _openai, provider="OpenAI", label="OpenAI",
         description="OpenAI's image model sculpts the figure. Needs an OpenAI API key where minime runs.")
register("gemini", "Google Gemini image model; needs minime[cloud], GEMINI_API_KEY and --allow-cloud "
         "(the photo goes to Google)", False, _gemini, provider="Google Gemini", label="Gemini",
         description="Google's Gemini image model sculpts the figure. Needs a Gemini API key where minime runs.")
register("diffusers", "open models on this machine (FLUX.2 klein 4B default; --model kontext-dev, qwen-image-edit, "
         "sdxl-turbo); needs minime[local], a GPU for speed, weights download on first use", True, _diffusers,
         label="Open models", description="FLUX.2 and other open models on this computer. Needs minime[local] and "
                                          "ideally a GPU; downloads its weights the first time.")

__all__ = ["DEFAULT", "ENGINES", "Engine", "EngineError", "Figure", "check_mesh", "get_engine", "load_entry_points", "register"]
