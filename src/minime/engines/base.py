"""The engine contract and the engine registry."""

from __future__ import annotations

from collections import UserDict
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ..errors import MinimeError, MissingExtraError, UnknownNameError
from ..figure import Figure  # here too, so engines and their callers need one import

if TYPE_CHECKING:
    from ..look import Subject
    from ..spec import FigureSpec


class Engine(Protocol):
    name: str
    runs_locally: bool  # False means the photo leaves the machine
    generative: bool  # a model draws the figure, so it may lose the face or add text

    def generate(self, subject: Subject, spec: FigureSpec, *, n: int, seed: int | None) -> list[Figure]: ...


@dataclass(frozen=True)
class EngineInfo:
    name: str
    summary: str
    runs_locally: bool
    factory: Callable[..., Engine]
    provider: str = ""  # who receives the photo, for a cloud engine
    mesh: bool = False  # its figures carry a 3D mesh (model files, clips, the desk scene)
    label: str = ""  # its name on the web page
    description: str = ""  # what the web page says of it, without command-line flags


class _Registry(UserDict[str, EngineInfo]):
    """The engines by name. Those from other packages (`load_entry_points`) join on the first look, not at
    import: a package's engine may itself import minime, and `minime --help` need not load every plugin."""

    plugins_loaded = False

    def _load(self) -> None:
        if not self.plugins_loaded:
            self.plugins_loaded = True
            load_entry_points()

    def __getitem__(self, key: str) -> EngineInfo:
        self._load()
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self._load()
        return super().__contains__(key)

    def __iter__(self) -> Iterator[str]:
        self._load()
        return super().__iter__()

    def __len__(self) -> int:
        self._load()
        return super().__len__()


ENGINES: MutableMapping[str, EngineInfo] = _Registry()


def register(name: str, summary: str, runs_locally: bool, factory: Callable[..., Engine], provider: str = "",
             mesh: bool = False, *, label: str = "", description: str = "") -> None:
    """Add an engine to the registry; `factory(**options)` builds it (and imports heavy extras) only when used.

    Args:
        summary: one line for `minime engines` (it may name command-line flags).
        label: its name on the web page; the name capitalised if empty.
        description: what the web page and GET /api/engines say of it; the summary if empty.
    """
    ENGINES[name] = EngineInfo(name, summary, runs_locally, factory, provider, mesh,
                               label or name.capitalize(), description or summary)


def check_mesh(engine: str | Engine, wanted: str) -> None:
    """Fail before any work when `wanted` (an output or template) needs a 3D mesh the engine does not make.

    An engine object, or an unknown name (which fails on its own with the list of names), passes: its
    figure is checked when the mesh is used.
    """
    info = ENGINES.get(engine) if isinstance(engine, str) else None
    if info is not None and not info.mesh:
        meshed = ", ".join(name for name, e in ENGINES.items() if e.mesh)
        raise MinimeError(f"{wanted} needs the figure's 3D mesh, which the {info.name} engine does not make: "
                          f"use --engine {meshed}")


def get_engine(name: str | Engine, **options) -> Engine:
    """Return the engine for a registry name (or pass an engine object through).

    Args:
        name: a registry name, or an engine object.
        **options: engine options such as model= or lora=; the engine refuses those it does not take.
    """
    if not isinstance(name, str):
        if options:
            raise MinimeError(f"engine options ({', '.join(options)}) go with an engine name, not an engine object")
        return name
    info = ENGINES.get(name)
    if info is None:
        raise UnknownNameError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")
    return info.factory(**options)


class EngineError(Exception):
    """The engine's provider or model failed (network, timeout, server error, unusable reply).

    Not the user's doing, so the CLI exits 1; the message is one line and never holds a credential.
    """


class RefusedError(MinimeError):
    """The provider refused the request for its content (a moderation block): the user can change it."""


class ConsentError(MinimeError):
    """A cloud engine was asked for without consent to send the photo."""


def provider_of(engine: str | Engine) -> str:
    """Who receives the photo when this engine runs ("" for a local engine)."""
    if isinstance(engine, str):
        info = ENGINES.get(engine)
        return info.provider if info is not None and not info.runs_locally else ""
    if getattr(engine, "runs_locally", True):
        return ""
    return getattr(engine, "provider", "") or engine.name


def check_consent(engine: str | Engine, allow_cloud: bool) -> str:
    """Refuse a cloud engine unless the user agreed to send the photo; return the provider ("" if local).

    Raises:
        ConsentError: a cloud engine and no consent.
    """
    provider = provider_of(engine)
    if provider and not allow_cloud:
        name = engine if isinstance(engine, str) else engine.name
        raise ConsentError(f"the {name} engine sends your photo to {provider}; add --allow-cloud "
                           "(or set MINIME_ALLOW_CLOUD=1) to agree, or use a local engine")
    return provider


def need(module: str, extra: str, what: str):
    """Import an optional dependency, or raise MissingExtraError with the command that installs it."""
    import importlib

    package = module.split(".")[0]
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(f"{what} needs {package}: pip install 'minime[{extra}]'") from None
    except (RuntimeError, OSError) as exc:  # installed, but built for another version of its dependencies
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise MissingExtraError(f"{what} needs {package}, which is installed but does not load ({first}); "
                                f"reinstall it to match your torch: pip install --force-reinstall 'minime[{extra}]'") from None


ENTRY_POINTS = "minime.engines"  # the entry point group a package names its engine in


def load_entry_points() -> list[str]:
    """Register the engines that installed packages name in the `minime.engines` entry point group.

    Each entry point is `name = "package.module:EngineClass"`: the class (or any factory) is called with the
    engine options and returns an Engine; its attributes `summary`, `runs_locally` (default False, so a
    cloud engine is never run without consent), `provider`, `mesh`, `label` and `description` fill the
    registry. A built-in name is never replaced, and a package that fails to load is left out with a
    warning: one broken plugin must not stop minime.

    Returns:
        The names registered.
    """
    import inspect
    import logging
    from importlib.metadata import entry_points

    log = logging.getLogger("minime.engines")
    added = []
    for ep in entry_points(group=ENTRY_POINTS):
        if ep.name in ENGINES:
            log.warning("the engine %r from %s is left out: minime already has an engine of that name", ep.name, ep.value)
            continue
        try:
            factory = ep.load()
        except Exception as exc:  # a third party's import error: say which package, carry on
            log.warning("the engine %r from %s could not be loaded: %s", ep.name, ep.value, exc)
            continue
        if not callable(factory):
            log.warning("the engine %r from %s is left out: it names no class or function to build it", ep.name, ep.value)
            continue
        # Read as written on the class (a property would read as true): only a plain True makes it local.
        runs_locally = inspect.getattr_static(factory, "runs_locally", False) is True
        register(ep.name, str(getattr(factory, "summary", "") or f"{ep.name} (from {ep.value.split(':')[0]})"),
                 runs_locally, factory, str(getattr(factory, "provider", "") or ("" if runs_locally else ep.name)),
                 bool(getattr(factory, "mesh", False)), label=str(getattr(factory, "label", "")),
                 description=str(getattr(factory, "description", "")))
        added.append(ep.name)
    return added
