"""The diffusers engine end to end on the CPU with tiny random-weight pipelines, sockets blocked.

Each family's tiny pipeline is built in code, saved with save_pretrained and loaded back through the
engine's own loading path (a folder's model_index.json picks the class), then run through generate().
"""

from __future__ import annotations

import dataclasses
import sys
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from minime.engines.diffusers import MODELS, DiffusersEngine, LoraError, free_memory, memory_error, pick_device, resolve
from minime.errors import MissingExtraError, UnknownNameError
from minime.spec import build_spec

from . import tiny

pytest.importorskip("diffusers")
pytest.importorskip("transformers")
torch = pytest.importorskip("torch")

SPEC = build_spec(name="Ada", outfit="red hoodie", accessories=["laptop"])
SMALL = dict(width=64, height=80, steps=2, progress=False)
FAMILIES = ["klein-4b", "kontext-dev", "sdxl-turbo", "qwen-image-edit"]


@pytest.fixture(scope="module", autouse=True)
def _one_thread_per_worker():
    """Under pytest-xdist the workers share the cores; torch's own threads on top of that only spin."""
    import os

    if os.environ.get("PYTEST_XDIST_WORKER"):
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        yield
        torch.set_num_threads(threads)
    else:
        yield


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """family -> folder of its tiny pipeline, built and saved once."""
    folders = {}

    def get(family: str) -> str:
        if family not in folders:
            folders[family] = tiny.save(tiny.BUILDERS[family](), tmp_path_factory.mktemp(family))
        return folders[family]

    return get


def qwen_here(monkeypatch) -> None:
    """Let Qwen-Image-Edit be saved and loaded here, for one test.

    Where torchvision is missing (as in CI: the test extra leaves it out), transformers can neither build nor
    load Qwen2VLProcessor's video processor. The processor is then saved and loaded without it (the pipeline
    never gives it a video), and the engine's own check for torchvision, which a user running the real model
    needs, is lifted. Everything else is saved to the folder and loaded back from it as usual.
    """
    if tiny.torchvision_missing():
        tiny.qwen_without_video(monkeypatch)
        monkeypatch.setitem(MODELS, "qwen-image-edit", dataclasses.replace(MODELS["qwen-image-edit"], needs=()))
    elif reason := tiny.torchvision_broken():
        pytest.skip(reason)


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_loads_from_its_folder_and_makes_rgba_figures(family, saved, subject, no_network, monkeypatch):
    if family == "qwen-image-edit":
        qwen_here(monkeypatch)
    folder = saved(family)
    engine = DiffusersEngine(model=folder, **SMALL)
    assert engine.family.key == family
    figures = engine.generate(subject, SPEC, n=2, seed=5)
    assert [f.seed for f in figures] == [5, 6]
    for fig in figures:
        assert fig.image.mode == "RGBA" and fig.engine == "diffusers" and fig.people == 1
        assert fig.model.startswith(f"{family} (") and "/" not in fig.model  # no local path in metadata
        assert fig.image.width <= 64 and fig.image.height <= 80
        assert "red hoodie" in fig.prompt and "Ada" not in fig.prompt


def test_seeds_reproduce_each_variant(saved, subject, no_network):
    engine = DiffusersEngine(model=saved("klein-4b"), **SMALL)
    pair = engine.generate(subject, SPEC, n=2, seed=21)
    again = engine.generate(subject, SPEC, n=1, seed=22)[0]
    a, b = (np.asarray(f.image.convert("RGB"), np.float32) for f in (pair[1], again))
    assert a.shape == b.shape and np.abs(a - b).mean() < 1.0
    other = np.asarray(pair[0].image.convert("RGB"), np.float32)
    assert other.shape == a.shape and np.abs(other - a).mean() > 1.0  # the other seed: the same size, another image


def test_klein_text_embeddings_are_computed_once_per_prompt(saved, subject, no_network, monkeypatch):
    engine = DiffusersEngine(model=saved("klein-4b"), **SMALL)
    pipe = engine.loaded().pipe
    calls = []
    real = pipe._get_qwen3_prompt_embeds  # the text encoder's forward pass
    monkeypatch.setattr(pipe, "_get_qwen3_prompt_embeds", lambda *a, **k: calls.append(1) or real(*a, **k))
    engine.loaded().embeds.clear()
    engine.generate(subject, SPEC, n=1, seed=1)
    engine.generate(subject, SPEC, n=1, seed=2)
    assert len(calls) == 1


def test_a_lora_changes_the_figure(saved, subject, tmp_path, no_network):
    peft = pytest.importorskip("peft")
    from diffusers import Flux2KleinPipeline

    pipe = tiny.klein()
    config = peft.LoraConfig(r=4, lora_alpha=64, target_modules=["to_q", "to_k", "to_v", "to_out.0"],
                             init_lora_weights=False)
    pipe.transformer.add_adapter(config)
    layers = peft.get_peft_model_state_dict(pipe.transformer)
    Flux2KleinPipeline.save_lora_weights(str(tmp_path), transformer_lora_layers=layers)
    lora_file = tmp_path / "pytorch_lora_weights.safetensors"
    assert lora_file.is_file()

    base = DiffusersEngine(model=saved("klein-4b"), **SMALL).generate(subject, SPEC, n=1, seed=3)[0]
    styled_engine = DiffusersEngine(model=saved("klein-4b"), lora=str(lora_file), **SMALL)
    styled = styled_engine.generate(subject, SPEC, n=1, seed=3)[0]
    assert "style" in styled_engine.loaded().pipe.get_active_adapters()
    a, b = (np.asarray(f.image.convert("RGB").resize((64, 80)), np.float32) for f in (base, styled))
    assert np.abs(a - b).max() >= 1  # the tiny model's output is mostly its noise; any change shows the LoRA ran

    with pytest.raises(LoraError, match="LoRA not found"):
        DiffusersEngine(model=saved("klein-4b"), lora=str(tmp_path / "missing.safetensors"), **SMALL).loaded()
    wrong = tmp_path / "wrong.safetensors"
    from safetensors.torch import save_file

    save_file({"unet.nothing.lora_A.weight": torch.zeros(2, 2)}, str(wrong))
    with pytest.raises(LoraError, match="does not load"):
        DiffusersEngine(model=saved("klein-4b"), lora=str(wrong), **SMALL).loaded()


def test_through_make_figures_without_a_face_are_dropped(saved, no_network):
    """A random-weight model draws noise, never a face: make runs both variants and drops them both."""
    import minime
    from minime.engines.base import EngineError

    from ..conftest import FIXTURES

    options = dict(model=saved("klein-4b"), **SMALL)
    with pytest.raises(EngineError, match=r"none of the 2 figures could be used \(2 with no face\)"):
        minime.make(FIXTURES / "obama.jpg", SPEC, engine="diffusers", engine_options=options, n=2, seed=9)


def test_model_names_and_errors(tmp_path):
    assert resolve("klein-4b") == (MODELS["klein-4b"].repo, MODELS["klein-4b"])
    assert resolve("black-forest-labs/FLUX.1-Kontext-dev")[1].key == "kontext-dev"
    assert resolve("someone/their-sdxl-finetune") == ("someone/their-sdxl-finetune", None)
    with pytest.raises(UnknownNameError, match="klein-4b, kontext-dev, qwen-image-edit, sdxl-turbo"):
        resolve("nope")
    with pytest.raises(UnknownNameError, match="no model_index.json"):
        resolve(str(tmp_path))
    (tmp_path / "model_index.json").write_text('{"_class_name": "StableVideoDiffusionPipeline"}')
    with pytest.raises(UnknownNameError, match="cannot run a StableVideoDiffusionPipeline"):
        resolve(str(tmp_path))


def test_default_model_is_klein(monkeypatch):
    engine = DiffusersEngine()
    assert engine.family.key == "klein-4b" and engine.source == "black-forest-labs/FLUX.2-klein-4B"
    monkeypatch.setenv("MINIME_DIFFUSERS_MODEL", "sdxl-turbo")
    from minime.settings import settings

    settings.cache_clear()
    assert DiffusersEngine().family.key == "sdxl-turbo"


def test_missing_extra_gives_the_install_command(saved, monkeypatch):
    from minime.engines import diffusers as engine_module

    monkeypatch.setitem(sys.modules, "diffusers", None)  # as if it were not installed
    engine_module._CACHE.clear()
    with pytest.raises(MissingExtraError, match=r"pip install 'minime\[local\]'"):
        DiffusersEngine(model="klein-4b").loaded()


def test_a_model_too_big_for_this_machine_stops_before_the_download(monkeypatch, no_network):
    from minime.engines import diffusers as engine_module
    from minime.engines.base import EngineError

    klein = MODELS["klein-4b"]
    gb = 1e9
    assert memory_error(klein, "cuda", 2, 80 * gb, offload=False) is None
    assert memory_error(klein, "cuda", 2, None, offload=False) is None  # unknown: try
    assert memory_error(klein, "cuda", 2, 8 * gb, offload=True) is None  # only the active part on the GPU
    assert memory_error(klein, "cuda", 2, 8 * gb, offload=False) == (
        "klein-4b needs about 19 GB of GPU memory and 8 GB is free; add --offload to keep only the active part "
        "on the GPU (slower), or use --model sdxl-turbo (about 8 GB)")
    assert memory_error(klein, "cpu", 4, 16 * gb, offload=False) == (
        "klein-4b needs about 39 GB of memory on the CPU and 16 GB is free; use a machine with a GPU, "
        "--model sdxl-turbo (about 17 GB), or the studio engine")
    assert "a smaller model" in memory_error(MODELS["sdxl-turbo"], "cpu", 4, 1 * gb, offload=False)
    assert free_memory(None, "cpu") > 0 and free_memory(None, "mps") is None
    # Through the engine: nothing is fetched from a hub when the model could not run anyway.
    monkeypatch.setattr(engine_module, "free_memory", lambda torch, device: 2 * gb)
    engine_module._CACHE.clear()
    with pytest.raises(EngineError, match=r"^klein-4b needs about \d+ GB of memory on the CPU and 2 GB is free"):
        DiffusersEngine(model="klein-4b", device="cpu").loaded()


def test_a_model_that_cannot_be_fetched_says_so(monkeypatch, no_network, tmp_path):
    import huggingface_hub.constants

    from minime.engines import diffusers as engine_module
    from minime.engines.base import EngineError

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)  # as with no connection
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    engine_module._CACHE.clear()
    with pytest.raises(EngineError, match=r"^cannot download someone/their-sdxl-finetune from Hugging Face; check the "
                                          r"connection \(gated models also need `hf auth login`\)"):
        DiffusersEngine(model="someone/their-sdxl-finetune").loaded()


def test_pixels_made_on_the_device_are_the_pipelines_own_pil_output():
    import torch
    from diffusers.image_processor import VaeImageProcessor

    from minime.engines.cutout import _on_device

    decoded = torch.rand(2, 3, 64, 48, generator=torch.Generator().manual_seed(0)) * 2.2 - 1.1  # past [-1, 1] too
    processor = VaeImageProcessor()
    pil = processor.postprocess(decoded, output_type="pil")
    for theirs, tensor in zip(pil, processor.postprocess(decoded, output_type="pt")):
        ours = _on_device(tensor)[0]
        assert ours.dtype == np.uint8 and ours.shape == (64, 48, 3) and np.array_equal(np.asarray(theirs), ours)


def test_device_choice():
    fake = SimpleNamespace(float32="f32", bfloat16="bf16",
                           cuda=SimpleNamespace(is_available=lambda: False),
                           backends=SimpleNamespace(mps=SimpleNamespace(is_available=lambda: False)))
    assert pick_device(fake) == ("cpu", "f32")
    fake.backends.mps.is_available = lambda: True
    assert pick_device(fake) == ("mps", "bf16")
    fake.cuda.is_available = lambda: True
    assert pick_device(fake) == ("cuda", "bf16")


def test_an_injected_pipeline_is_used_as_is(subject):
    engine = DiffusersEngine(tiny.sdxl(), **SMALL)
    assert engine.family.key == "sdxl-turbo"  # a text-to-image SDXL pipeline object is still its family
    fig = engine.generate(subject, SPEC, n=1, seed=0)[0]
    assert fig.image.mode == "RGBA" and fig.model == "StableDiffusionXLPipeline"
    with pytest.raises(UnknownNameError):
        DiffusersEngine(object())


def test_qwen_edit_asks_for_torchvision_where_it_is_missing(monkeypatch, no_network):
    """The real model's processor has a video half, which transformers loads only with torchvision."""
    from minime.engines import diffusers as engine_module

    monkeypatch.setitem(sys.modules, "torchvision", None)  # as if it were not installed
    engine_module._CACHE.clear()
    with pytest.raises(MissingExtraError, match=r"qwen-image-edit needs torchvision: pip install 'minime\[local\]'"):
        DiffusersEngine(model="qwen-image-edit").loaded()


class Recording:
    """The tiny pipeline, run for real, with each call's arguments kept; `picture` stands in for its
    output (a random-weight model draws noise, which has no face to box)."""

    def __init__(self, pipe, picture=None):
        self.pipe, self.picture, self.calls = pipe, picture, []

    def __getattr__(self, name):
        return getattr(self.pipe, name)

    def __call__(self, **kwargs):
        self.calls.append(kwargs)
        out = self.pipe(**kwargs)
        if self.picture is not None:
            pixels = torch.from_numpy(np.asarray(self.picture.convert("RGB"))).permute(2, 0, 1).float() / 255
            out.images = pixels[None].repeat(len(out.images), 1, 1, 1)
        return out


def test_klein_gets_the_guide_as_a_second_reference_and_the_figure_is_boxed(no_network):
    import minime
    from minime.engines.prompt import GUIDE

    from ..conftest import FIXTURES
    from .fakes import on_key, portrait_figure

    guide = Image.new("RGBA", (40, 90), (0, 0, 0, 0))
    guide.paste((230, 40, 40, 255), (10, 10, 30, 80))
    engine = DiffusersEngine(tiny.klein(), guide=guide, **SMALL)
    pipe = engine._loaded.pipe = Recording(engine._loaded.pipe, on_key(portrait_figure()))
    result = minime.make(FIXTURES / "obama.jpg", SPEC, engine=engine, seed=4)
    (call,) = pipe.calls
    photo, sent = call["image"]
    assert photo.size == sent.size == (64, 80)
    assert sent.getpixel((32, 40)) == (230, 40, 40) and sent.getpixel((1, 1)) == (0, 177, 64)  # whole, on the key
    assert GUIDE in result.figure.prompt and result.engine == "diffusers" and result.likeness is not None
    assert result.image.size == (1080, 1350)


def test_a_model_that_takes_one_image_says_so_for_a_guide(subject):
    from minime.errors import MinimeError

    engine = DiffusersEngine(tiny.sdxl(), guide=Image.new("RGBA", (8, 8)), **SMALL)
    with pytest.raises(MinimeError, match=r"several reference images \(klein-4b\); sdxl-turbo takes one"):
        engine.generate(subject, SPEC, n=1, seed=0)
