"""Footprint: the energy each stage took, and a receipt in Wh and g CO2e for the figure.

Energy comes from the first counter that reads, in this order: NVML's total-energy counter (GPUs),
RAPL (CPU packages, where the kernel lets us read it), otherwise the process's CPU time times a stated
power per busy core, marked as an estimate. Grid intensity comes from a table copied from codecarbon
(data/grid_intensity.json); nothing here calls out to the network.
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from .errors import MinimeError

RAPL_ROOT = Path("/sys/class/powercap")

# Luccioni, Jernite, Strubell (2024), "Power Hungry Processing: Watts Driving the Cost of AI Deployment?",
# ACM FAccT '24 (arXiv:2311.16863), Table 2: image generation, mean 2.907 kWh per 1,000 inferences,
# measured on an NVIDIA A100 80GB. Proprietary cloud models publish no per-image figure.
CLOUD_WH_PER_IMAGE = 2.907
CLOUD_SOURCE = ("Luccioni, Jernite, Strubell (2024), Power Hungry Processing, ACM FAccT: "
                "image generation averages 2.907 kWh per 1,000 inferences")
_CLOUD_SHORT = "Luccioni et al. 2024"

_WORLD = "WORLD"


@dataclass
class Reading:
    """The energy of one stage.

    Args:
        stage: the stage name ("look", "engine", ...).
        seconds: wall seconds.
        wh: energy in watt-hours.
        method: "nvml", "rapl", "cpu-time-estimate" or "cloud-estimate".
        estimate: True when the figure is derived rather than metered.
        note: how it was derived, or why it is an estimate.
    """

    stage: str
    seconds: float
    wh: float
    method: str
    estimate: bool
    note: str = ""


class Counter(Protocol):
    """A cumulative energy counter. Fakes for tests need `method` and `joules()`; the rest has defaults."""

    method: str  # the Reading.method it produces
    estimate: bool  # True when its joules are derived, not metered
    note: str  # said with every reading it makes
    min_window_s: float  # windows shorter than this are too coarse to call measured

    def joules(self) -> float:
        """Energy since an arbitrary origin; only differences between two calls mean anything."""
        ...


# ---------------------------------------------------------------- counters

class NvmlCounter:
    """NVIDIA GPUs' total-energy counters (Volta and newer), summed over the GPUs this process may use."""

    method = "nvml"
    estimate = False
    note = "GPU energy only"
    # The counter advances in coarse steps; a short window can read zero or a whole step.
    min_window_s = 1.0

    def __init__(self, nvml: Any, handles: list[Any]):
        self._nvml = nvml
        self._handles = handles

    @classmethod
    def open(cls) -> NvmlCounter | None:
        """The counter, or None when nvidia-ml-py, a driver or a supporting GPU is missing."""
        found = _nvml_handles()
        return cls(*found) if found else None

    def joules(self) -> float:
        return sum(self._nvml.nvmlDeviceGetTotalEnergyConsumption(h) for h in self._handles) / 1000.0  # mJ


@lru_cache(maxsize=1)
def _nvml_handles() -> tuple[Any, list[Any]] | None:
    try:
        import pynvml  # nvidia-ml-py: optional
    except ImportError:
        return None
    try:
        pynvml.nvmlInit()
        count = pynvml.nvmlDeviceGetCount()
        handles = [pynvml.nvmlDeviceGetHandleByIndex(i) for i in range(count)]
        visible = os.environ.get("CUDA_VISIBLE_DEVICES")
        if visible is not None:
            wanted = [v.strip() for v in visible.split(",") if v.strip()]
            # Only plain indices are mapped; UUIDs or MIG names keep every GPU rather than guess.
            if all(v.isdigit() for v in wanted):
                handles = [handles[int(v)] for v in wanted if int(v) < count]
        for h in handles:
            pynvml.nvmlDeviceGetTotalEnergyConsumption(h)  # raises where unsupported (pre-Volta, some vGPUs)
    except Exception:  # NVMLError and its many subclasses: no driver, no GPU, not supported
        return None
    return (pynvml, handles) if handles else None


class RaplCounter:
    """Intel/AMD RAPL package (and DRAM) counters from the powercap sysfs tree.

    Each domain's energy_uj wraps at max_energy_range_uj; `joules()` adds up deltas, so it must be called
    at least once per wrap period (minutes to hours at real power draws) to stay right.
    """

    method = "rapl"
    estimate = False
    note = "CPU packages"
    min_window_s = 0.0

    def __init__(self, domains: list[tuple[Path, int]]):
        self._domains = domains  # (energy_uj file, max range in uj)
        self._last = [_read_int(path) for path, _ in domains]
        self._total_uj = 0
        self._lock = threading.Lock()

    @classmethod
    def open(cls, root: Path | str = RAPL_ROOT) -> RaplCounter | None:
        """The counter, or None when no domain is readable (usual in containers and for non-root users)."""
        domains = []
        try:
            for path in _rapl_domains(Path(root)):
                _read_int(path / "energy_uj")
                domains.append((path / "energy_uj", _read_int(path / "max_energy_range_uj")))
            return cls(domains) if domains else None
        except (OSError, ValueError):
            return None

    def joules(self) -> float:
        with self._lock:
            for i, (path, max_range) in enumerate(self._domains):
                now = _read_int(path)
                delta = now - self._last[i]
                if delta < 0:  # the counter wrapped
                    delta += max_range
                self._total_uj += delta
                self._last[i] = now
            return self._total_uj / 1e6


def _rapl_domains(root: Path) -> list[Path]:
    """Top-level package domains plus their DRAM subdomains; "psys" would count the packages twice."""
    found = []
    for top in sorted(root.glob("intel-rapl:*")):
        if not re.fullmatch(r"intel-rapl:\d+", top.name):
            continue  # subdomains also appear at the top level as links
        if _read_name(top) == "psys":
            continue
        found.append(top)
        found.extend(sub for sub in sorted(top.glob("intel-rapl:*:*")) if _read_name(sub) == "dram")
    return found


def _read_name(path: Path) -> str:
    try:
        return (path / "name").read_text().strip()
    except OSError:
        return ""


def _read_int(path: Path) -> int:
    return int(path.read_text().strip())


class CpuTimeCounter:
    """Process CPU time (user + system, children included) times a stated power per busy core."""

    method = "cpu-time-estimate"
    estimate = True
    min_window_s = 0.0

    def __init__(self, watts_per_core: float | None = None):
        if watts_per_core is None:
            from .settings import settings

            watts_per_core = settings().cpu_watts_per_core
        self.watts_per_core = float(watts_per_core)
        self.note = f"{self.watts_per_core:g} W per busy core (MINIME_CPU_WATTS_PER_CORE)"

    def joules(self) -> float:
        return cpu_seconds() * self.watts_per_core


def cpu_seconds() -> float:
    """CPU seconds this process and its waited-for children have used."""
    try:
        import resource  # Unix; microsecond resolution

        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    except ImportError:  # Windows
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system


def hardware_counters(rapl_root: Path | str = RAPL_ROOT) -> list[Counter]:
    """The metered counters this machine lets us read, best first (may be empty)."""
    found: list[Counter] = []
    for counter in (NvmlCounter.open(), RaplCounter.open(rapl_root)):
        if counter is not None:
            found.append(counter)
    return found


# ---------------------------------------------------------------- meter

class Meter:
    """Measures stages: wall seconds always, energy from the first counter that reads.

    Stages should not nest: each one counts everything the machine (or process) used meanwhile.
    """

    def __init__(self, *, counters: Sequence[Counter] | None = None):
        """Args:
            counters: energy counters to try in order; the machine's own (NVML, RAPL) if None. The
                CPU-time estimate is always the last resort.
        """
        chosen = list(hardware_counters() if counters is None else counters)
        if not any(getattr(c, "method", "") == CpuTimeCounter.method for c in chosen):
            chosen.append(CpuTimeCounter())
        self.counters = chosen
        self.readings: list[Reading] = []
        self.providers: list[str] = []
        self._lock = threading.Lock()

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Measure one stage (also when it raises: the energy was spent all the same)."""
        starts = []
        for counter in self.counters:
            try:
                starts.append((counter, counter.joules()))
            except Exception:  # e.g. a counter that stopped being readable
                continue
        t0 = time.perf_counter()
        try:
            yield
        finally:
            seconds = time.perf_counter() - t0
            self._add(self._reading(name, seconds, starts))

    def _reading(self, name: str, seconds: float, starts: list[tuple[Counter, float]]) -> Reading:
        for counter, start in starts:
            try:
                joules = counter.joules() - start
            except Exception:
                continue
            method = counter.method
            estimate = bool(getattr(counter, "estimate", False))
            notes = [getattr(counter, "note", "")]
            min_window = float(getattr(counter, "min_window_s", 0.0))
            if seconds < min_window:
                estimate = True
                notes.append(f"{_LABELS.get(method, method)} window under {min_window:g} s")
            return Reading(name, seconds, max(joules, 0.0) / 3600.0, method, estimate, "; ".join(n for n in notes if n))
        return Reading(name, seconds, 0.0, "cpu-time-estimate", True, "no energy counter could be read")

    def add_cloud(self, stage: str, provider: str, images: int, seconds: float) -> None:
        """Add a cloud engine's energy: the published per-image estimate times the images it made.

        Args:
            stage: the stage it belongs to (usually "engine").
            provider: who received the photo ("openai", "gemini", ...); named on the receipt.
            images: images the provider generated.
            seconds: wall seconds the calls took (informational; the local stage already timed them).
        """
        if images < 0:
            raise ValueError("images must be 0 or more")
        wh = images * CLOUD_WH_PER_IMAGE
        note = f"{provider}: {images} image(s) x {CLOUD_WH_PER_IMAGE} Wh ({_CLOUD_SHORT})"
        self._add(Reading(stage, float(seconds), wh, "cloud-estimate", True, note))
        with self._lock:
            if provider not in self.providers:
                self.providers.append(provider)

    def _add(self, reading: Reading) -> None:
        with self._lock:
            self.readings.append(reading)


# ---------------------------------------------------------------- grid

@lru_cache(maxsize=1)
def _grid_table() -> dict[str, Any]:
    from importlib.resources import files

    return json.loads(files("minime").joinpath("data/grid_intensity.json").read_text(encoding="utf-8"))


def _alpha3(country: str | None) -> str:
    """ISO 3166 alpha-3 for an alpha-3 or alpha-2 code; WORLD for unset."""
    code = (country or "").strip().upper()
    if code in ("", _WORLD):
        return _WORLD
    table = _grid_table()
    if len(code) == 2 and code in table["alpha2"]:
        return table["alpha2"][code]
    if len(code) == 3 and (code in table["countries"] or code in table["alpha2"].values()):
        return code
    raise MinimeError(f"unknown country code {country!r}: use an ISO 3166 alpha-3 code (FRA) or alpha-2 code (FR), "
                      "or WORLD for the world average")


def grid_intensity(country: str) -> tuple[float, str]:
    """The grid's carbon intensity for a country, from the bundled table (no network).

    Args:
        country: ISO 3166 alpha-3 ("FRA") or alpha-2 ("FR"); "WORLD" or "" for the world average.
    Returns:
        (g CO2e per kWh, where the number comes from). A country the table lacks gets the world average.
    Raises:
        MinimeError: the code is not an ISO 3166 country code.
    """
    code = _alpha3(country)
    table = _grid_table()
    world = table["world"]
    row = table["countries"].get(code)
    if row is None:
        lead = "" if code == _WORLD else f"no figure for {code}; "
        return float(world["g_per_kwh"]), lead + world["source"]
    return float(row["g_per_kwh"]), f"{table['source']}, {row['year']}"


# ---------------------------------------------------------------- receipt

@dataclass
class Receipt:
    """What one figure cost: time, energy, CO2e, and how each number was found."""

    seconds: float
    wh: float
    g_co2e: float
    country: str
    intensity_g_per_kwh: float
    intensity_source: str
    readings: list[Reading]
    estimate: bool
    cloud_wh: float
    cloud_source: str
    times_less: float | None
    providers: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe, for --json and file metadata."""
        return _json_safe(asdict(self))

    def summary(self) -> str:
        """One line for the CLI."""
        methods = []
        for r in self.readings:
            label = _LABELS.get(r.method, r.method)
            if r.estimate and r.method in ("nvml", "rapl"):
                label += " estimate"
            if label not in methods:
                methods.append(label)
        seconds = f"{self.seconds:.1f}" if self.seconds < 10 else f"{self.seconds:.0f}"
        line = (f"{seconds} s, {_num(self.wh)} Wh ({' + '.join(methods) or 'nothing measured'}), "
                f"{_num(self.g_co2e)} g CO2e ({self.country} grid, {self.intensity_g_per_kwh:.0f} g/kWh)")
        if self.providers:
            line += f" - photo sent to {', '.join(self.providers)}"
        elif self.times_less is not None:
            if self.times_less >= 1:
                line += f" - about {_num(self.times_less)}x less than a cloud image"
            else:
                line += f" - about {_num(1 / self.times_less)}x more than a cloud image"
            line += f" ({_CLOUD_SHORT}: {CLOUD_WH_PER_IMAGE} Wh per image)"
        return line


_LABELS = {"nvml": "NVML", "rapl": "RAPL", "cpu-time-estimate": "cpu-time estimate", "cloud-estimate": "cloud estimate"}


def receipt(meter: Meter, *, country: str | None = None) -> Receipt:
    """Add up a meter's readings into a receipt.

    Args:
        meter: the meter that measured the stages.
        country: ISO 3166 alpha-3 or alpha-2 code; settings().country if None.
    Returns:
        The receipt. Local energy is converted at the country's grid intensity; cloud energy at the world
        average, since the data centre's grid is not known.
    Raises:
        MinimeError: an unknown country code.
    """
    if country is None:
        from .settings import settings

        country = settings().country
    code = _alpha3(country)
    intensity, source = grid_intensity(code)
    world, _ = grid_intensity(_WORLD)
    readings = list(meter.readings)
    local = [r for r in readings if r.method != "cloud-estimate"]
    local_wh = sum(r.wh for r in local)
    cloud_wh = sum(r.wh for r in readings if r.method == "cloud-estimate")
    wh = local_wh + cloud_wh
    g = local_wh / 1000 * intensity + cloud_wh / 1000 * world
    providers = list(meter.providers)
    times_less = CLOUD_WH_PER_IMAGE / wh if wh > 0 and not providers else None
    return Receipt(
        seconds=sum(r.seconds for r in local),
        wh=wh,
        g_co2e=g,
        country=code,
        intensity_g_per_kwh=intensity,
        intensity_source=source,
        readings=readings,
        estimate=any(r.estimate for r in readings),
        cloud_wh=CLOUD_WH_PER_IMAGE,
        cloud_source=CLOUD_SOURCE,
        times_less=times_less,
        providers=providers,
    )


def _num(x: float) -> str:
    """Two significant digits, never in exponent form."""
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    decimals = 1 - math.floor(math.log10(abs(x)))
    rounded = round(x, decimals)
    if decimals <= 0:
        return f"{rounded:.0f}"
    return f"{rounded:.{decimals}f}".rstrip("0").rstrip(".")


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# ---------------------------------------------------------------- history

def _history_path() -> Path:
    from .settings import settings

    return Path(settings().home) / "history.jsonl"


def record(receipt: Receipt, *, engine: str) -> None:
    """Append one line to the local history: time, engine, seconds, Wh, g CO2e. Nothing else.

    No photo, name, spec text or provider goes in. Skipped when settings().history is False.
    """
    from .settings import settings

    if not settings().history:
        return
    line = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": str(engine),
        "seconds": round(float(receipt.seconds), 3),
        "wh": float(receipt.wh),
        "g_co2e": float(receipt.g_co2e),
    }
    path = _history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as f:  # one short append: whole lines even with two writers
        f.write(json.dumps(line) + "\n")


def totals() -> dict[str, Any]:
    """Totals over the local history.

    Returns:
        {"figures": N, "engines": {engine: count}, "seconds": s, "wh": Wh, "g_co2e": g}; zeros when empty.
    """
    out: dict[str, Any] = {"figures": 0, "engines": {}, "seconds": 0.0, "wh": 0.0, "g_co2e": 0.0}
    try:
        text = _history_path().read_text(encoding="utf-8")
    except FileNotFoundError:
        return out
    for raw in text.splitlines():
        try:
            row = json.loads(raw)
            engine = str(row["engine"])
            seconds, wh, g = float(row["seconds"]), float(row["wh"]), float(row["g_co2e"])
        except (ValueError, KeyError, TypeError):
            continue  # a torn or hand-edited line
        out["figures"] += 1
        out["engines"][engine] = out["engines"].get(engine, 0) + 1
        out["seconds"] += seconds
        out["wh"] += wh
        out["g_co2e"] += g
    return out
