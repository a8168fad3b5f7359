"""Benchmark the engines: seconds and Wh per figure, median of a few runs after a warm-up.

Run: .venv/bin/python bench/engines.py [--engines studio diffusers] [--model klein-4b] [--size 1024]
     [--steps 4] [--variants 1] [--runs 5] [--random-weights] [--compile]

On a GPU the diffusers engine runs FLUX.2 klein 4B (or --model) at --size x --size (1024) in 4 steps;
--random-weights builds klein 4B's real shapes with random weights, for a machine that cannot download
the weights. Without a GPU it runs the tiny random klein pipeline from the tests at 128x128, so the
script and the engine path are exercised anywhere. A "plain pipeline" row calls the same diffusers
pipeline directly (one image per call, prompt encoded every time), the reference our engine should beat.
Energy comes from minime.footprint (NVML on GPUs, RAPL, else a CPU-time estimate); the method is shown.
Cloud engines run only with --allow-cloud and their API keys (the photo is sent to the provider).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from contextlib import nullcontext
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.engines.tiny

import minime  # noqa: E402
from minime.look import look  # noqa: E402

try:  # the energy meter is optional here: seconds alone still make a table
    from minime.footprint import Meter
except ImportError:  # pragma: no cover
    Meter = None


def _gpu() -> bool:
    try:
        import torch

        return torch.cuda.is_available()
    except ImportError:
        return False


def _diffusers_engine(args):
    """(engine, label, plain pipeline call or None) for the diffusers rows."""
    import torch

    from minime.engines.diffusers import DiffusersEngine

    gpu = _gpu()
    size = args.size or (1024 if gpu else 128)
    common = dict(width=size, height=size, steps=args.steps, progress=False, compile=args.compile)
    if gpu and not args.random_weights and not args.tiny:
        engine = DiffusersEngine(model=args.model or "klein-4b", **common)
        label = f"{engine.model_label()} {size}x{size}, {args.steps} steps"
    else:
        from tests.engines import tiny

        full = gpu and not args.tiny
        if gpu:  # build the weights on the GPU in bf16: 8B random parameters are slow to make on a CPU
            torch.set_default_dtype(torch.bfloat16)
            with torch.device("cuda"):
                pipe = tiny.klein(full_size=full)
            torch.set_default_dtype(torch.float32)
        else:
            pipe = tiny.klein()
        engine = DiffusersEngine(pipe, **common)
        kind = "klein 4B shapes, random weights" if full else "tiny random klein (CPU check, not a speed figure)"
        label = f"{kind} {size}x{size}, {args.steps} steps"
    return engine, label, size


def _plain(engine, subject, spec, size: int, steps: int):
    """One direct pipeline call per image, as in diffusers' examples: the reference."""
    import torch

    from minime.engines.diffusers import _reference
    from minime.engines.prompt import build_prompt

    pipe = engine.loaded().pipe
    prompt = build_prompt(spec, family="flux", people=len(subject.faces))
    image = _reference(subject, size, size)

    def call(_n, seed):
        with torch.inference_mode():
            return pipe(image=image, prompt=prompt, height=size, width=size, num_inference_steps=steps,
                        guidance_scale=1.0, generator=torch.Generator("cpu").manual_seed(seed)).images

    return call


def _sync():
    try:
        import torch

        if torch.cuda.is_available():
            torch.cuda.synchronize()
    except ImportError:
        pass


def _measure(fn, runs: int) -> tuple[float, float, float | None, str]:
    """Median seconds, model seconds and Wh per figure over `runs` calls of fn(run) -> (figures, model
    seconds per figure: the pipeline call alone, without the cut-out; None when that is all there is)."""
    seconds, model, whs, method = [], [], [], ""
    for run in range(runs):
        meter = Meter() if Meter is not None else None
        _sync()
        start = time.perf_counter()
        with meter.stage("engine") if meter is not None else nullcontext():
            count, model_seconds = fn(run)
            _sync()
        elapsed = time.perf_counter() - start
        seconds.append(elapsed / count)
        model.append(elapsed / count if model_seconds is None else model_seconds)
        if meter is not None:
            reading = meter.readings[-1]
            whs.append(reading.wh / count)
            method = reading.method
    return statistics.median(seconds), statistics.median(model), (statistics.median(whs) if whs else None), method


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engines", nargs="+", default=["studio", "diffusers"],
                        help="studio, diffusers, openai, gemini")
    parser.add_argument("--model", default=None, help="diffusers model (default klein-4b)")
    parser.add_argument("--size", type=int, default=None, help="diffusers output side in px (GPU 1024, CPU 128)")
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--variants", type=int, default=1, help="figures per generate() call (batched)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--random-weights", action="store_true", help="klein 4B shapes with random weights (GPU)")
    parser.add_argument("--tiny", action="store_true", help="the tiny random pipeline even on a GPU")
    parser.add_argument("--compile", action="store_true", help="torch.compile the denoiser")
    parser.add_argument("--allow-cloud", action="store_true", help="let openai/gemini send the photo")
    args = parser.parse_args()

    subject = look(Image.open(ROOT / "tests" / "fixtures" / "obama.jpg").convert("RGB"))
    spec = minime.FigureSpec(name="Ada Lovelace", outfit="red hoodie", accessories=["laptop"])
    rows = []
    for name in args.engines:
        if name in ("openai", "gemini") and not args.allow_cloud:
            print(f"skipping {name}: it sends the photo to the provider; add --allow-cloud", file=sys.stderr)
            continue
        plain = None
        if name == "diffusers":
            engine, label, size = _diffusers_engine(args)
            plain = _plain(engine, subject, spec, size, args.steps)
        else:
            engine = minime.engines.get_engine(name)
            label = getattr(engine, "model", "") or name

        def ours(run, engine=engine):
            figures = engine.generate(subject, spec, n=args.variants, seed=run)
            return len(figures), statistics.mean(f.seconds for f in figures)

        ours(0)  # warm-up: load, compile, caches
        rows.append((name, label, *_measure(ours, args.runs)))
        if plain is not None:
            plain(1, 0)
            rows.append(("plain pipeline", "the same pipeline called directly",
                         *_measure(lambda r: (len(plain(1, r)), None), args.runs)))

    device = "GPU" if _gpu() else "CPU"
    print(f"engines on {device}, median of {args.runs} runs after a warm-up, per figure "
          f"({args.variants} figure(s) per call); 'model s' is the pipeline call alone, the rest of "
          f"'s/figure' is the cut-out and loose pieces on the CPU\n")
    print(f"| {'engine':<15} | {'model':<58} | {'s/figure':>9} | {'model s':>8} | {'Wh/figure':>10} | {'energy from':<18} |")
    print(f"|{'-' * 17}|{'-' * 60}|{'-' * 11}|{'-' * 10}|{'-' * 12}|{'-' * 20}|")
    for name, label, secs, model_secs, wh, method in rows:
        wh_text = f"{wh:.4f}" if wh is not None else "n/a"
        print(f"| {name:<15} | {label[:58]:<58} | {secs:>9.3f} | {model_secs:>8.3f} | {wh_text:>10} | {method:<18} |")


if __name__ == "__main__":
    main()
