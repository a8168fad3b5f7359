"""The diffusers engine: open image-edit models on this machine (extra `minime[local]`); the photo stays here.

Models (`--model`): FLUX.2 klein 4B (default; Apache-2.0; edits a reference photo in 4 steps), FLUX.1
Kontext dev, Qwen-Image-Edit and SDXL-Turbo img2img, or any Hugging Face repo id or local folder
(saved with `save_pretrained`) whose pipeline class is one of those. Weights come through the Hugging
Face cache the first time the engine runs, never at import or in tests. CUDA, MPS or CPU is picked
automatically, bf16 on a GPU. Variants are one batch (`num_images_per_prompt`) with one seeded
generator each, so any single variant can be made again from its seed. The model paints the figure
on a flat key colour, which `cutout` removes.
"""

from __future__ import annotations

import gc
import json
import random
import sys
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from ..errors import MinimeError, UnknownNameError
from .base import EngineError, Figure, need
from .cloud import one_line, resolve_guide
from .cutout import cut_out, split_pieces
from .prompt import Family, build_prompt, clean_style, key_for, negative_prompt, photo_colours

EXTRA = "local"


@dataclass(frozen=True)
class ModelFamily:
    """One supported model family and how to run it.

    Args:
        key: the short name for `--model`.
        repo: its Hugging Face repo id.
        loader: the diffusers class that loads it.
        classes: pipeline class names (model_index.json `_class_name`) that belong to this family.
        prompt: the prompt family (see prompt.py).
        steps: inference steps.
        guidance: guidance scale (true CFG scale for Qwen).
        size: default output (width, height).
        licence: the weights' licence, for `minime engines`.
        params: billions of parameters in the whole pipeline (denoiser, text encoders, VAE), for the
            memory check before loading.
        strength: for img2img models, how much of the photo is repainted.
        needs: modules it needs beyond the `local` extra.
    """

    key: str
    repo: str
    loader: str
    classes: tuple[str, ...]
    prompt: Family
    steps: int
    guidance: float
    size: tuple[int, int]
    licence: str
    params: float
    strength: float | None = None
    needs: tuple[str, ...] = ()


MODELS: dict[str, ModelFamily] = {
    "klein-4b": ModelFamily("klein-4b", "black-forest-labs/FLUX.2-klein-4B", "Flux2KleinPipeline",
                            ("Flux2KleinPipeline",), "flux", 4, 1.0, (768, 1024), "Apache-2.0", 8.1),
    "kontext-dev": ModelFamily("kontext-dev", "black-forest-labs/FLUX.1-Kontext-dev", "FluxKontextPipeline",
                               ("FluxKontextPipeline",), "flux", 28, 2.5, (880, 1184),
                               "FLUX.1 [dev] non-commercial licence", 16.9),
    "qwen-image-edit": ModelFamily("qwen-image-edit", "Qwen/Qwen-Image-Edit", "QwenImageEditPipeline",
                                   ("QwenImageEditPipeline",), "qwen", 40, 4.0, (864, 1152), "Apache-2.0", 28.7,
                                   needs=("torchvision",)),
    "sdxl-turbo": ModelFamily("sdxl-turbo", "stabilityai/sdxl-turbo", "AutoPipelineForImage2Image",
                              ("StableDiffusionXLPipeline", "StableDiffusionXLImg2ImgPipeline"), "sdxl", 4, 0.0,
                              (512, 640), "Stability AI community licence", 3.5, strength=0.7),
}
DEFAULT_MODEL = "klein-4b"
GUIDED = ("klein-4b",)  # families whose pipeline takes several reference images
MAX_BATCH = 4  # variants per forward pass; more go in further batches
EMBED_CACHE = 32  # prompts whose text embeddings are kept (klein)
HEADROOM = 1.2  # memory for activations and the VAE's decode on top of the weights
GB = 1e9


class LoraError(MinimeError):
    """A LoRA that cannot be found or does not fit the model."""


class TooBigError(MinimeError, EngineError):
    """The model needs more memory than this machine has: the user's choice of model or engine (exit 2)."""


def family_of_class(class_name: str) -> ModelFamily:
    """The family a diffusers pipeline class belongs to."""
    for family in MODELS.values():
        if class_name in family.classes or class_name == family.loader:
            return family
    names = ", ".join(sorted({c for f in MODELS.values() for c in f.classes}))
    raise UnknownNameError(f"the diffusers engine cannot run a {class_name}; it runs {names}")


def resolve(model: str) -> tuple[str, ModelFamily | None]:
    """(source to load, family) for a --model value; the family is None for a repo id not known yet.

    Raises:
        UnknownNameError: neither a known name, a folder with a model_index.json, nor a repo id.
    """
    if model in MODELS:
        return MODELS[model].repo, MODELS[model]
    for family in MODELS.values():
        if model == family.repo:
            return model, family
    path = Path(model).expanduser()
    if path.is_dir():
        index = path / "model_index.json"
        if not index.is_file():
            raise UnknownNameError(f"{path.name!r} has no model_index.json; give a folder saved with save_pretrained")
        try:
            class_name = json.loads(index.read_text(encoding="utf-8")).get("_class_name", "")
        except (OSError, ValueError):
            raise UnknownNameError(f"{path.name!r}: model_index.json cannot be read") from None
        return str(path), family_of_class(class_name)
    if model.count("/") == 1 and all(model.split("/")) and not path.exists():
        return model, None
    raise UnknownNameError(f"unknown model {model!r}; choose one of: {', '.join(MODELS)}, "
                           "a Hugging Face repo id or a folder saved with save_pretrained")


def pick_device(torch, device: str | None = None):
    """(device, dtype): CUDA, then MPS, then CPU; bf16 on a GPU, float32 on the CPU."""
    if device is None:
        if torch.cuda.is_available():
            device = "cuda"
        elif getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            device = "mps"
        else:
            device = "cpu"
    return device, (torch.float32 if device == "cpu" else torch.bfloat16)


def free_memory(torch, device: str) -> float | None:
    """Bytes free for a model on `device`: the GPU's free memory, or on the CPU the system's available
    memory and swap (Linux); None where it cannot be read (Apple's unified memory, other systems)."""
    if device == "cuda":
        return float(torch.cuda.mem_get_info()[0])
    if device != "cpu":
        return None
    try:
        info = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines() if ":" in line)
        return sum(float(info[k].split()[0]) * 1024 for k in ("MemAvailable", "SwapFree"))
    except (OSError, KeyError, ValueError):
        return None


def memory_error(family: ModelFamily, device: str, dtype_bytes: int, free: float | None, offload: bool) -> str | None:
    """Why the model cannot be loaded here (one line with what to do instead), or None when it fits."""
    need = family.params * GB * dtype_bytes * HEADROOM
    if free is None or free >= need or (offload and device == "cuda"):
        return None
    smallest = min(MODELS.values(), key=lambda f: f.params)
    smaller = (f"--model {smallest.key} (about {smallest.params * dtype_bytes * HEADROOM:.0f} GB)"
               if smallest.params < family.params else "a smaller model")
    if device == "cuda":
        return (f"{family.key} needs about {need / GB:.0f} GB of GPU memory and {free / GB:.0f} GB is free; "
                f"add --offload to keep only the active part on the GPU (slower), or use {smaller}")
    return (f"{family.key} needs about {need / GB:.0f} GB of memory on the CPU and {free / GB:.0f} GB is free; "
            f"use a machine with a GPU, {smaller}, or the studio engine")


class _Loaded:
    """A loaded pipeline and the text embeddings computed with it."""

    def __init__(self, pipe, family: ModelFamily):
        self.pipe = pipe
        self.family = family
        self.embeds: OrderedDict[str, object] = OrderedDict()


# One pipeline stays loaded between calls (a batch run reuses it); loading a 4B model takes seconds.
_CACHE: dict[tuple, _Loaded] = {}
_CACHE_LOCK = threading.Lock()


class DiffusersEngine:
    """Figures from a local diffusers image-edit pipeline.

    Args:
        pipeline: a ready diffusers pipeline (tests pass tiny ones); loaded from `model` if None.
        model: a short name (klein-4b, kontext-dev, qwen-image-edit, sdxl-turbo), a repo id or a
            folder; settings().diffusers_model if None.
        lora: a LoRA file, folder or repo id to load on top (needs peft).
        width, height: output size in pixels (multiples of 16); the family's default if None.
        steps: inference steps; the family's default if None.
        guidance: guidance scale; the family's default if None.
        style: an optional style note for the prompt.
        device: "cuda", "mps" or "cpu"; the best available if None.
        progress: show a progress bar over the steps; when stderr is a terminal if None.
        compile: torch.compile the denoiser (GPU; the first call pays for compiling).
        offload: keep only the active part on the GPU (for small GPUs; slower).
        guide: an RGBA render of the figure (or a callable (subject, spec) -> one) given beside the photo
            as a second reference image, for the model to repaint (klein-4b).
    """

    name = "diffusers"
    runs_locally = True
    generative = True  # a model draws the figure: check it for a face and stray text

    def __init__(self, pipeline=None, *, model: str | None = None, lora: str | None = None,
                 width: int | None = None, height: int | None = None, steps: int | None = None,
                 guidance: float | None = None, style: str = "", device: str | None = None,
                 progress: bool | None = None, compile: bool = False, offload: bool = False, guide=None):
        from ..settings import settings

        self.model = model or (None if pipeline is not None else settings().diffusers_model)
        self.lora = lora
        self.width, self.height = width, height
        self.steps, self.guidance = steps, guidance
        self.style = style
        self.device = device
        self.progress = sys.stderr.isatty() if progress is None else progress
        self.compile = compile
        self.offload = offload
        self.guide = guide
        self.family: ModelFamily | None
        if pipeline is not None:
            self.source, self.family = type(pipeline).__name__, family_of_class(type(pipeline).__name__)
            pipeline = _img2img(pipeline, self.family)
            self._loaded: _Loaded | None = _Loaded(pipeline, self.family)
            if lora:
                _load_lora(pipeline, lora)
            if compile:
                _compile(pipeline)
        else:
            assert self.model is not None  # the settings' model when no pipeline is given
            self.source, self.family = resolve(self.model)
            self._loaded = None

    # ---------------------------------------------------------------- loading

    def loaded(self) -> _Loaded:
        """The pipeline, loaded on first use (the Hugging Face cache downloads it the first time)."""
        if self._loaded is not None:
            return self._loaded
        torch = need("torch", EXTRA, "the diffusers engine")
        need("diffusers", EXTRA, "the diffusers engine")
        need("transformers", EXTRA, "the diffusers engine")
        if self.family is not None:
            for module in self.family.needs:
                need(module, EXTRA, f"{self.family.key}")
        device, dtype = pick_device(torch, self.device)
        key = (self.source, self.lora, device, str(dtype), self.compile, self.offload)
        with _CACHE_LOCK:
            if key not in _CACHE:
                if _CACHE:  # one model in memory at a time
                    _CACHE.clear()
                    gc.collect()
                    if device == "cuda":
                        torch.cuda.empty_cache()
                if self.family is not None and self.source == self.family.repo:  # before a download of many GB
                    problem = memory_error(self.family, device, dtype.itemsize, free_memory(torch, device), self.offload)
                    if problem:
                        raise TooBigError(problem)
                _CACHE[key] = self._load(torch, device, dtype)
            self._loaded = _CACHE[key]
        self.family = self._loaded.family
        return self._loaded

    def _load(self, torch, device: str, dtype) -> _Loaded:
        import diffusers

        cls = getattr(diffusers, self.family.loader) if self.family else diffusers.DiffusionPipeline
        try:
            pipe = cls.from_pretrained(self.source, dtype=dtype)
        except (OSError, ValueError) as exc:
            if not Path(self.source).exists() and not _cached(self.source):
                raise EngineError(f"cannot download {self.source} from Hugging Face; check the connection (gated "
                                  "models also need `hf auth login`), or give a folder saved with save_pretrained") from None
            raise EngineError(f"cannot load {self.source}: {one_line(exc, limit=140)}") from None
        family = self.family or family_of_class(type(pipe).__name__)
        pipe = _img2img(pipe, family)
        if self.lora:
            _load_lora(pipe, self.lora)
        if self.offload and device == "cuda":
            pipe.enable_model_cpu_offload()
        else:
            pipe.to(device)
        if self.compile:
            _compile(pipe)
        return _Loaded(pipe, family)

    # ---------------------------------------------------------------- generating

    def generate(self, subject, spec, *, n: int = 1, seed: int | None = None) -> list[Figure]:
        """Make `n` figures in batches of up to 4; variant k uses seed `seed + k` (random if None)."""
        import torch

        loaded = self.loaded()
        pipe, family = loaded.pipe, loaded.family
        pipe.set_progress_bar_config(desc=f"{family.key} steps", leave=False, disable=not self.progress)
        width, height = _multiple(self.width or family.size[0]), _multiple(self.height or family.size[1])
        people = len(subject.faces)
        if self.guide is not None and family.key not in GUIDED:
            raise MinimeError(f"a guide image needs a model that takes several reference images ({', '.join(GUIDED)}); "
                              f"{family.key} takes one")
        avoid = photo_colours(subject)
        guide = resolve_guide(self.guide, subject, spec)
        prompt = build_prompt(spec, family=family.prompt, people=people, style=self.style, avoid=avoid,
                              guide=guide is not None)
        photo = _reference(subject, width, height)
        reference: Image.Image | list[Image.Image] = photo
        if guide is not None:
            key = key_for(spec, style=clean_style(self.style), avoid=avoid)[0]
            reference = [photo, _on_key(guide, key, width, height)]
        base = seed if seed is not None else random.randrange(2**31)
        seeds = [base + k for k in range(max(1, n))]
        label = self.model_label()
        figures: list[Figure] = []
        for start in range(0, len(seeds), MAX_BATCH):
            batch = seeds[start:start + MAX_BATCH]
            generators = [torch.Generator(device="cpu").manual_seed(s) for s in batch]
            args = self._arguments(loaded, prompt, reference, width, height, generators)
            began = time.perf_counter()
            try:
                with torch.inference_mode():
                    images = pipe(**args).images
                    seconds = (time.perf_counter() - began) / len(images)
                    # On the pipeline's own output tensor: the cut-out's per-pixel work stays on its device.
                    cuts = [cut_out(image) for image in images]
            except torch.OutOfMemoryError:
                raise EngineError(f"out of GPU memory making {len(batch)} {width}x{height} figure(s) with {label}; "
                                  "try fewer --variants or a smaller model") from None
            for cut, s in zip(cuts, batch):
                figure, pieces = split_pieces(cut, spec.accessories, people)
                figures.append(Figure(figure, self.name, label, s, prompt, seconds, pieces, people))
        return figures

    def model_label(self) -> str:
        """What made the figure, for its metadata: the repo id or the folder's name, never a full path."""
        if self.family and self.source == self.family.repo:
            return self.source
        path = Path(self.source)
        return f"{self.family.key if self.family else 'diffusers'} ({path.name})" if path.exists() else self.source

    def _arguments(self, loaded: _Loaded, prompt: str, reference, width: int, height: int,
                   generators: list) -> dict:
        family = loaded.family
        steps = self.steps or family.steps
        guidance = family.guidance if self.guidance is None else self.guidance
        args = dict(image=reference, prompt=prompt, num_inference_steps=steps, num_images_per_prompt=len(generators),
                    generator=generators, output_type="pt")
        if family.key == "klein-4b":
            args.update(height=height, width=width, guidance_scale=guidance)
            embeds = self._embeds(loaded, prompt)
            if embeds is not None:
                args.update(prompt=None, prompt_embeds=embeds)
        elif family.key == "kontext-dev":
            # Our size is already one Kontext likes; its auto-resize would override the reference's.
            args.update(height=height, width=width, guidance_scale=guidance, max_area=width * height,
                        _auto_resize=False)
        elif family.key == "qwen-image-edit":
            args.update(height=height, width=width, true_cfg_scale=guidance,
                        negative_prompt=negative_prompt("qwen"))
        else:  # sdxl img2img: the output takes the reference's size
            strength = family.strength or 0.7
            args.update(strength=strength, guidance_scale=guidance, negative_prompt=negative_prompt("sdxl"),
                        num_inference_steps=max(steps, int(round(1 / strength + 0.5))))
        return args

    @staticmethod
    def _embeds(loaded: _Loaded, prompt: str):
        """Klein's text embedding for a prompt, computed once: a campaign's figures share their prompt."""
        pipe = loaded.pipe
        if not hasattr(pipe, "encode_prompt"):
            return None
        if prompt not in loaded.embeds:
            embeds, _ = pipe.encode_prompt(prompt=prompt, device=pipe._execution_device, num_images_per_prompt=1)
            loaded.embeds[prompt] = embeds
            while len(loaded.embeds) > EMBED_CACHE:
                loaded.embeds.popitem(last=False)
        loaded.embeds.move_to_end(prompt)
        return loaded.embeds[prompt]


def _cached(repo: str) -> bool:
    """True when the Hugging Face cache already holds this repo's pipeline index."""
    from huggingface_hub import try_to_load_from_cache

    return isinstance(try_to_load_from_cache(repo, "model_index.json"), str)


def _img2img(pipe, family: ModelFamily):
    """SDXL checkpoints are published as text-to-image pipelines; the engine edits the photo with img2img."""
    if family.key == "sdxl-turbo" and "Img2Img" not in type(pipe).__name__:
        import diffusers

        return diffusers.AutoPipelineForImage2Image.from_pipe(pipe)
    return pipe


def _multiple(v: int, m: int = 16) -> int:
    return max(m, int(v) // m * m)


def _reference(subject, width: int, height: int) -> Image.Image:
    """The photo cropped to the output's shape around the faces, at the output's size."""
    image = subject.image.convert("RGB")
    x0 = min(f.box[0] for f in subject.faces)
    x1 = max(f.box[2] for f in subject.faces)
    y0 = min(f.box[1] for f in subject.faces)
    y1 = max(f.box[3] for f in subject.faces)
    centring = (min(1.0, max(0.0, (x0 + x1) / 2 / image.width)), min(1.0, max(0.0, (y0 + y1) / 2 / image.height)))
    return ImageOps.fit(image, (width, height), Image.Resampling.LANCZOS, centering=centring)


def _on_key(guide: Image.Image, key: tuple[int, int, int], width: int, height: int) -> Image.Image:
    """The guide, whole, on the key colour the prompt asks for, at the output's size."""
    flat = Image.new("RGBA", guide.size, key + (255,))
    flat.alpha_composite(guide.convert("RGBA"))
    return ImageOps.pad(flat.convert("RGB"), (width, height), Image.Resampling.LANCZOS, color=key)


def _compile(pipe) -> None:
    """torch.compile the denoiser, where most of the time goes (the first call pays for compiling)."""
    denoiser = getattr(pipe, "transformer", None) or getattr(pipe, "unet")
    denoiser.compile(mode="max-autotune-no-cudagraphs")


def _load_lora(pipe, lora: str) -> None:
    """Load a LoRA (file, folder or repo id) into the pipeline as the adapter "style"."""
    need("peft", EXTRA, "--lora")
    path = Path(lora).expanduser()
    try:
        if path.is_file():
            pipe.load_lora_weights(str(path.parent), weight_name=path.name, adapter_name="style")
        elif path.is_dir():
            pipe.load_lora_weights(str(path), adapter_name="style")
        elif lora.count("/") == 1 and not path.exists():
            pipe.load_lora_weights(lora, adapter_name="style")
        else:
            raise LoraError(f"LoRA not found: {path.name!r}; give a .safetensors file, a folder or a repo id")
    except LoraError:
        raise
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise LoraError(f"the LoRA {path.name!r} does not load into this model: {one_line(exc, limit=120)}") from None
    if not any("style" in names for names in pipe.get_list_adapters().values()):
        # diffusers only warns when none of the file's weights fit the model
        raise LoraError(f"the LoRA {path.name!r} does not load into this model: none of its weights fit it")
