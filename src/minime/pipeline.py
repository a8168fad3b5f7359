"""make(): photo -> intake -> look -> engine -> pick -> box -> Result. Each line below is one stage."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from PIL import Image

from . import outputs
from .box.render import Box, get_template, needs_mesh, render
from .engines import get_engine
from .engines.base import Engine, check_consent, check_mesh
from .errors import MinimeError
from .figure import Figure
from .files import atomic_write, check_folder, write_all
from .footprint import Meter, Receipt, receipt, record
from .photo import WORK_SIDE, load_work_photo
from .provenance.xmp import IPTC_TRAINED
from .settings import settings
from .spec import BrandKit, FigureSpec, build_spec, check_people


@dataclass
class Result:
    """What `make` made: the boxed image, the figure inside it, and how long each stage took."""

    box: Box | None  # None in a slim copy kept only to box the figure again (see `rebox`)
    figure: Figure
    spec: FigureSpec
    template: str
    size: str
    engine: str
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    likeness: float | None = None  # 0-100, how much the figure's face matches the photo's
    receipt: Receipt | None = None  # energy and CO2e of making the figure
    candidates: list[Candidate] = field(default_factory=list)  # every variant kept, best first, with its scores
    quality: float | None = None  # 0-100, how clean, well exposed and sharp the figure is
    brand: BrandKit | None = None  # the brand kit the box was drawn with
    back: Box | None = None        # the back of the box, when asked for
    # What measured `make`'s stages; the outputs encoded from this result are measured on it too (see `metered`).
    meter: Meter | None = field(default=None, repr=False, compare=False)
    # For a result without a box (a model file, a figure clip): its accessories as a box would list them.
    loose: list[dict] = field(default_factory=list, repr=False, compare=False)
    _depth: int = field(default=0, init=False, repr=False, compare=False)
    _recorded: bool = field(default=False, init=False, repr=False, compare=False)

    @property
    def image(self) -> Image.Image:
        if self.box is None:
            raise MinimeError("this result keeps no box image; box it again with rebox()")
        return self.box.image

    @property
    def accessories(self) -> list[dict]:
        """Each accessory as matched (text, piece key, label, whether it is known and held): the box's list, or
        for a figure made without a box the same list."""
        return self.box.accessories if self.box is not None else self.loose

    @property
    def warnings(self) -> list[str]:
        return self.notes + (self.box.warnings if self.box is not None else [])

    def rebox(self, spec: FigureSpec | dict | None = None, *, template: str | None = None, size: str | None = None) -> Result:
        """Box the same figure again with another spec, template or size; no engine time, no energy.

        Args:
            spec: a new spec (or a dict of fields to change); the old one if None.
            template: a template name; the spec's template if None.
            size: a size name; the current size if None.
        Returns:
            A new Result sharing this figure.
        """
        if isinstance(spec, dict):
            spec = build_spec(**{**self.spec.model_dump(), **spec})
        spec = spec or self.spec
        template = template or self.template
        size = size or self.size
        start = time.perf_counter()
        box = box_figure(self.figure, spec, template, size, brand=self.brand)
        back = box_figure(self.figure, spec, template, size, brand=self.brand, side="back") if self.back else None
        timings = {"box": time.perf_counter() - start}
        return Result(box, self.figure, spec, template, size, self.engine, timings, list(self.notes), self.likeness,
                      self.receipt, quality=self.quality, brand=self.brand, back=back)

    def save(self, path: str | Path, options: outputs.OutputOptions | None = None) -> Path:
        """Write the box to `path` (.png, .jpg or .webp; .pdf for the print kit; .stl, .3mf, .glb, .mp4 or .gif
        for the figure's model or clip, made as `options` say)."""
        return atomic_write(path, self.encode(outputs.check_output(path, self.size), options))

    def encode(self, format: str, options: outputs.OutputOptions | None = None) -> bytes:
        """The finished file in a registered format (see `outputs.encode`), its encoding metered as the
        "export" stage of this result's receipt and timings."""
        with self.metered():
            return outputs.encode(self, format, options)

    @contextmanager
    def metered(self, stage: str = "export") -> Iterator[None]:
        """Measure work done for this figure after `make` returned (encoding a box, a model, a clip) as one
        more stage: its seconds join `timings` and, where `make` metered the figure, its energy joins the
        receipt. A stage inside another (the figure layer inside the layers) is counted once, by the outer."""
        if self._depth:
            yield
            return
        self._depth += 1
        start = time.perf_counter()
        try:
            if self.meter is None:
                yield
            else:
                with self.meter.stage(stage):
                    yield
        finally:
            self._depth -= 1
            seconds = time.perf_counter() - start
            if self.meter is not None:  # the meter's own reading: the receipt and the timings agree
                seconds = next((r.seconds for r in reversed(self.meter.readings) if r.stage == stage), seconds)
                self.receipt = receipt(self.meter)
            self.timings[stage] = self.timings.get(stage, 0.0) + seconds

    def record(self, engine: str | None = None) -> None:
        """Add this figure's receipt, every metered stage so far included, to the local history; once."""
        if self.receipt is None or self._recorded:
            return
        self._recorded = True
        record(self.receipt, engine=engine or self.engine)

    def save_back(self, path: str | Path) -> Path:
        """Write the back of the box (rendered on the first call if `make` was not asked for it)."""
        check_folder(path)
        return atomic_write(path, self.encode_back(outputs.format_of(path)))

    def save_layers(self, folder: str | Path) -> list[Path]:
        """Write front, back, figure and each accessory as separate transparent PNGs into `folder`, for designers."""
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise MinimeError(f"cannot write layers to {str(folder)!r}: it is a file; give a folder")
        layers = self.encode_layers()
        folder.mkdir(parents=True, exist_ok=True)
        return write_all({folder / name: data for name, data in layers.items()})  # all the layers, or none

    def save_figure(self, path: str | Path) -> Path:
        """Write the figure layer alone (RGBA PNG), to box it again later with `minime box`."""
        if outputs.format_of(path) != "PNG":
            raise MinimeError("the figure layer keeps its transparency only as PNG: use a .png file name")
        check_folder(path)
        return atomic_write(path, self.encode_figure())

    def encode_back(self, format: str = "png") -> bytes:
        """The back of the box as a labelled, signed image file (see `outputs.encode_image`)."""
        with self.metered():
            if self.back is None:
                self.back = box_figure(self.figure, self.spec, self.template, self.size, brand=self.brand, side="back")
            return outputs.encode_image(self.back.image, format, dpi=outputs.size_of(self.size)[2],
                                        text=self.metadata(), label=self.label())

    def encode_figure(self) -> bytes:
        """The figure layer alone as a labelled, signed RGBA PNG."""
        with self.metered():
            return outputs.encode_image(self.figure.image, "png", label=self.label(),
                                        text={"Software": "minime", "minime:layer": "figure",
                                              "DigitalSourceType": IPTC_TRAINED})

    def encode_layers(self) -> dict[str, bytes]:
        """Front, back, figure and each accessory as transparent PNGs, by file name."""
        with self.metered():
            return self._encode_layers()

    def _encode_layers(self) -> dict[str, bytes]:
        from .box.render import accessory_layers

        dpi = outputs.size_of(self.size)[2]
        layers = {}
        for side in ("front", "back"):
            layer = box_figure(self.figure, self.spec, self.template, self.size, brand=self.brand, side=side, scene=False)
            layers[f"{side}.png"] = outputs.encode_image(layer.image, "png", dpi=dpi, text=self.metadata(), label=self.label())
        layers["figure.png"] = self.encode_figure()
        for key, image in accessory_layers(self.figure, self.spec).items():
            layers[f"accessory-{key}.png"] = outputs.encode_image(image, "png", text={"Software": "minime"})
        return layers

    def label(self) -> dict:
        """What the provenance label of an output says: engine, model and the energy receipt."""
        return {"engine": self.engine, "model": self.figure.model,
                "receipt": self.receipt.to_dict() if self.receipt is not None else None}

    def metadata(self) -> dict[str, str]:
        """Text recorded in the output file: the AI label, what made it, and its energy receipt."""
        meta = {
            "Software": "minime",
            "Description": "AI-generated figure",
            "DigitalSourceType": IPTC_TRAINED,
            "minime:engine": self.engine,
            "minime:model": self.figure.model,
            "minime:template": self.template,
        }
        if self.receipt is not None:
            meta["minime:receipt"] = json.dumps(self.receipt.to_dict(), ensure_ascii=False)
        if self.likeness is not None:
            meta["minime:likeness"] = f"{self.likeness:.1f}"
        if self.quality is not None:
            meta["minime:quality"] = f"{self.quality:.1f}"
        return meta



def as_spec(spec: FigureSpec | dict[str, Any] | str) -> FigureSpec:
    if isinstance(spec, FigureSpec):
        return spec
    if isinstance(spec, str):
        return build_spec(name=spec)
    return build_spec(**spec)


def box_figure(figure: Figure, spec: FigureSpec, template: str, size: str, *, brand: BrandKit | None = None,
               side: str = "front", scene: bool = True) -> Box:
    width, height, _ = outputs.size_of(size)
    return render(figure, spec, template=template, width=width, height=height, brand=brand, side=side, scene=scene)


def make(photo: Any, spec: FigureSpec | dict[str, Any] | str, *, engine: str | Engine = "sculpt", template: str | None = None,
         size: str = "feed", n: int = 1, seed: int | None = None, likeness: bool = True,
         allow_cloud: bool | None = None, engine_options: dict[str, Any] | None = None,
         brand: BrandKit | None = None, back: bool = False,
         progress: Callable[[str], None] | None = None, record: bool = True, boxed: bool = True) -> Result:
    """Turn a photo into a boxed action figure.

    Args:
        photo: a path, the file's bytes, or a PIL image; or the future `minime.photo.start_loading` returned
            for one, to decode it while other work goes on (its errors come out in the intake stage).
        spec: a FigureSpec (or a dict of its fields, or just a name).
        engine: a registered engine name ("sculpt", the default, and "studio" run offline on the CPU), or an
            engine object (a batch worker keeps one loaded; tests pass fakes).
        template: a box template name; the spec's template if None.
        size: "feed", "square", "story", "print" or "print-kit" (save it as a .pdf).
        n: how many candidates the engine makes; the best is boxed.
        seed: for engines that sample.
        likeness: score the figure against the photo's face (embeddings stay in memory); False skips it.
        allow_cloud: consent to send the photo to a cloud engine's provider; settings().allow_cloud if None.
        engine_options: options for the engine, e.g. {"model": ..., "lora": ...}.
        brand: a brand kit (see `load_brand`) applied to the template.
        back: also render the back of the box (the figure's bio), in `Result.back`.
        progress: called with each stage's name (intake, look, engine, pick, box) as it starts.
        record: add the receipt to the local history now. A caller that goes on to encode outputs passes
            False, encodes them with `Result.encode` (metered as the "export" stage), then calls `Result.record`.
        boxed: draw the box. False is for outputs of the figure alone (a model file, a clip of the figure
            turning): no box is drawn, and a single candidate is not ranked; `Result.box` is None.
    Returns:
        A Result holding the box image, the figure, per-stage timings and the energy receipt.
    """
    from .look import look_upright
    from .look.likeness import references

    spec = as_spec(spec)
    template = template or spec.template
    get_template(template)  # fail on a bad name before any work
    if needs_mesh(template):
        check_mesh(engine, f"the {template} template")
    outputs.size_of(size)
    consent = settings().allow_cloud if allow_cloud is None else allow_cloud
    if isinstance(engine, str):  # by its registry entry, before any of a plugin's code runs
        provider = check_consent(engine, consent)
    engine_obj = get_engine(engine, **(engine_options or {}))
    if not isinstance(engine, str):
        provider = check_consent(engine_obj, consent)
    meter = Meter()

    def stage(name: str):
        if progress is not None:  # e.g. the web app's live progress
            progress(name)
        return meter.stage(name)

    with stage("intake"):
        picture, work = photo.result() if isinstance(photo, Future) else load_work_photo(photo, WORK_SIDE)
    with stage("look"):
        subject, turn = look_upright(work)
        check_people(spec, len(subject.faces))  # one name for the group, or one per face: before any engine time
        picture.notes += subject.notes  # a face left out, and why
        if turn:  # a phone photo stored turned, without an orientation tag
            how = "upside down" if turn == 180 else "sideways"
            picture.notes.append(f"the photo was stored {how}; turned it {turn} degrees")
    # The photo's face descriptors (in memory only) for the likeness check, on a thread of their own from now:
    # their network runs in BLAS, which leaves the interpreter to the engine meanwhile.
    refs = _start(references, subject) if likeness and (boxed or n > 1 or engine_obj.generative) else None
    with stage("engine"):
        candidates = engine_obj.generate(subject, spec, n=n, seed=seed)
    if provider:  # the receipt names who received the photo and counts the images made there
        meter.add_cloud("engine", provider, sum(getattr(f, "requests", 1) for f in candidates), meter.readings[-1].seconds)
    box = back_box = None
    scored: list[Candidate] = []
    notes: list[str] = []
    score: float | None = None
    quality: float | None = None
    if not boxed and len(candidates) == 1 and not engine_obj.generative:  # nothing to choose and no box to fill
        figure = candidates[0]
    else:
        with stage("pick"):
            scored, notes = rank(candidates, subject if likeness else None, generated=engine_obj.generative, pending=refs)
            figure, score, quality = scored[0]
            if engine_obj.generative and score is not None and score < SAME_PERSON:
                notes.append(f"the figure's face may not read as the person in the photo (likeness {score:.0f}/100; "
                             f"a face matcher calls under {SAME_PERSON} someone else); try more --variants or another --seed")
    loose: list[dict] = []
    if boxed:
        with stage("box"):
            box = box_figure(figure, spec, template, size, brand=brand)
            back_box = box_figure(figure, spec, template, size, brand=brand, side="back") if back else None
    else:
        loose, missing = unboxed_accessories(figure, spec)
        notes += missing
    timings = {r.stage: r.seconds for r in meter.readings}
    result = Result(box, figure, spec, template, size, figure.engine or engine_obj.name, timings, picture.notes + figure.notes + notes, brand=brand,
                    back=back_box)
    result.loose = loose
    result.likeness = score
    result.quality = quality
    result.candidates = scored
    result.receipt = receipt(meter)
    result.meter = meter
    if record:
        result.record(engine_obj.name)
    return result


def unboxed_accessories(figure: Figure, spec: FigureSpec) -> tuple[list[dict], list[str]]:
    """The accessories of a figure made without a box, listed as the box lists them, and a note for each that
    only a box could show (a labelled prop lives in its well)."""
    from .accessories import match_accessory

    items = list(dict.fromkeys([*spec.accessories, *(a for p in spec.people for a in p.accessories)]))
    entries, notes = [], []
    for item in items:
        m = match_accessory(item)
        entries.append({"text": item, "key": m.key, "label": m.label, "known": m.known, "score": round(m.score, 3),
                        "emoji": m.emoji, "engine_art": False, "held": item in figure.held})
        if not m.known:
            notes.append(f"no piece for {item!r}: a labelled prop needs the box's well, so this file has none")
    return entries, notes


class Candidate(NamedTuple):
    """One figure an engine made, with its scores (0-100)."""

    figure: Figure
    likeness: float | None  # None without a likeness check, or when no face was found in it
    quality: float


LIKENESS_WEIGHT = 0.7  # of the ranking score; quality is the rest
SAME_PERSON = 50  # likeness under which a face matcher calls the figure someone else (dlib's 0.6)


def _start(fn: Callable[..., Any], *args: Any) -> Future:
    """`fn(*args)` on a thread of its own; the future gives its result or raises what it raised."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="minime-refs")
    future = pool.submit(fn, *args)
    pool.shutdown(wait=False)  # no more jobs: the thread ends with this one
    return future


def rank(candidates: list[Figure], subject=None, *, generated: bool = False,
         pending: Future | None = None) -> tuple[list[Candidate], list[str]]:
    """Score the candidates and order them best first; also return notes on any dropped.

    Each is ranked by 0.7 x likeness + 0.3 x quality with a subject (by quality alone without one;
    a figure whose face is lost comes last). Figures a model `generated` are dropped when they show
    no face or carry stray text (letters, a logo), which our box must be the only place for.

    Raises:
        EngineError: every candidate was dropped.

    `pending`: the subject's face descriptors, already on their way (see `make`).
    """

    from .engines.base import EngineError
    from .look.faces import faces_in
    from .look.likeness import on_backdrop, references, score_faces
    from .look.quality import quality
    from .look.text import has_text

    if not candidates:
        raise EngineError("the engine returned no figure")
    # The photo's face descriptors, once for all candidates and in memory only, on a second thread while the
    # first candidate's faces are found (the face detector and the descriptors' network let go of the GIL).
    if subject is None:
        pending = None
    elif pending is None:
        pending = _start(references, subject)
    kept, faceless, texty = [], 0, 0
    for figure in candidates:
        likeness = None
        if pending is not None or generated:
            rgb = on_backdrop(figure.image)
            boxes = [f.box for f in faces_in(rgb)]  # rgb: on_backdrop's RGB image
            if generated and not boxes:
                faceless += 1
                continue
            if generated and has_text(rgb):
                texty += 1
                continue
            likeness = score_faces(rgb, boxes, pending.result()) if pending is not None else None
        kept.append(Candidate(figure, likeness, quality(figure.image)))
    refs = pending.result() if pending is not None else None
    dropped = [f"{k} with {why}" for k, why in ((faceless, "no face"), (texty, "stray text")) if k]
    if not kept:
        raise EngineError(f"none of the {len(candidates)} figures could be used ({', '.join(dropped)}); "
                          "try again with another --seed or more --variants")
    notes = [f"dropped {len(candidates) - len(kept)} of {len(candidates)} figures: {', '.join(dropped)}"] if dropped else []

    def key(c: Candidate) -> float:
        if refs is None:
            return c.quality
        return -1.0 if c.likeness is None else LIKENESS_WEIGHT * c.likeness + (1 - LIKENESS_WEIGHT) * c.quality

    return sorted(kept, key=key, reverse=True), notes  # sorted() is stable: ties keep the engine's order


def box_saved_figure(path: str | Path, spec: FigureSpec, *, template: str | None = None, size: str = "feed",
                     brand: BrandKit | None = None, back: bool = False) -> Result:
    """Box a figure layer saved earlier with `Result.save_figure` (no photo, no engine)."""
    from .photo import PhotoError

    template = template or spec.template
    if needs_mesh(template):
        raise MinimeError(f"the {template} template needs the figure's 3D mesh, and a saved figure layer is a "
                                 "picture: make the figure again with `minime make --engine sculpt`")
    path = Path(path)
    try:
        with Image.open(path) as img:
            img.load()
            image = img.convert("RGBA")
    except FileNotFoundError:
        raise PhotoError(f"figure not found: {path}") from None
    except (OSError, ValueError, SyntaxError):
        raise PhotoError(f"{path.name!r} is not a figure image; use a .png saved with --save-figure") from None
    if image.getchannel("A").getextrema()[0] == 255:
        raise PhotoError(f"{path.name!r} has no transparent background; use a .png saved with --save-figure")
    figure = Figure(image, "saved", "figure layer")
    start = time.perf_counter()
    box = box_figure(figure, spec, template, size, brand=brand)
    back_box = box_figure(figure, spec, template, size, brand=brand, side="back") if back else None
    return Result(box, figure, spec, template, size, "saved", {"box": time.perf_counter() - start}, brand=brand,
                  back=back_box)
