"""From flags to a spec: the people and whose accessories, the back of the box, the brand, the guide, consent."""

from __future__ import annotations

from typer.core import TyperCommand

from .app import err


def cloud_note(engine: str, allow_cloud: bool) -> bool:
    """Consent from the flag or the setting; with it, say once which provider receives the photo."""
    from ..engines.base import provider_of
    from ..settings import settings

    consent = allow_cloud or settings().allow_cloud
    provider = provider_of(engine)
    if provider and consent:
        err.print(f"[yellow]note:[/] the photo goes to {provider} (the {engine} engine runs in their cloud)", highlight=False)
    return consent


def guide_maker(name: str):
    """What --guide names: a maker of the guide image from (subject, spec), imported only when asked for."""
    from ..errors import MinimeError, UnknownNameError

    if name != "sculpt":
        raise UnknownNameError(f"unknown guide {name!r}; the guide is sculpt (the sculpt engine's 3D render)")
    try:
        from ..engines.sculpt import guide_image
    except ImportError as exc:
        why = "" if getattr(exc, "name", "") in ("minime.engines.sculpt", None) else f" ({exc})"
        raise MinimeError(f"--guide sculpt needs the sculpt engine's guide_image, which this install does not "
                          f"have{why}; leave out --guide") from None
    return guide_image


class InOrder(TyperCommand):
    """Keeps the command line as typed: Click gathers each repeated option into its own list, and which
    --accessory follows which --name says whose it is."""

    def parse_args(self, ctx, args):
        global _TYPED
        flags = {o for p in self.params if getattr(p, "is_flag", False) for o in (*p.opts, *p.secondary_opts)}
        _TYPED = (list(args), flags)
        return super().parse_args(ctx, args)


_TYPED: tuple[list[str], set[str]] | None = None  # the running command's words and its options that take no value


def _owners(argv: list[str], flags: set[str]) -> list[int]:
    """For each --accessory on the command line, the index of the --name before it (-1: none yet);
    `flags` are the options that take no value."""
    owners, person, i = [], -1, 0
    while i < len(argv) and argv[i] != "--":
        arg = argv[i]
        flag = arg.split("=", 1)[0] if arg.startswith("--") else arg[:2]
        takes = "=" not in arg and (arg.startswith("--") or len(arg) == 2)  # its value is the next word
        if flag in ("--name", "-n"):
            person += 1
        elif flag in ("--accessory", "-a"):
            owners.append(person)
        elif arg.startswith("-") and takes and flag not in flags:
            i += 1  # another option's value, even one that looks like --name
        i += 1
    return owners


def _people(name, accessory) -> list[dict] | None:
    """One accessory list per person when some --accessory comes between two --names; None for a shared list."""
    from ..errors import SpecError

    if _TYPED is None or not name or len(name) < 2 or not accessory:
        return None
    owners = _owners(*_TYPED)
    if len(owners) != len(accessory) or all(o == owners[0] for o in owners) and owners[0] in (-1, len(name) - 1):
        return None  # all before the first name or after the last: the group shares the list
    if min(owners) < 0:
        raise SpecError("accessories: put each person's --accessory after their --name (or all after the last "
                        "--name, to share them)")
    return [{"name": n, "accessories": [a for a, o in zip(accessory, owners) if o == k]} for k, n in enumerate(name)]


def check_style(style: str) -> None:
    """An unknown body style fails before any work, with the styles there are."""
    from ..sculpt.recipe import body_style

    body_style(style)


def spec_from_flags(name, tagline, accessory, outfit, template, color, spec_file, bio=None, style=None, body=None):
    from ..spec import build_spec, load_spec

    fields = {"name": name[0] if name else None, "tagline": tagline, "accessories": accessory or None,
              "outfit": outfit, "template": template, "color": color, "style": style,
              "body": body, **_bio(*(bio or ()))}
    if name and len(name) > 1:
        fields["names"] = list(name)
    people = _people(name, accessory)
    if people:
        fields["people"] = people
        fields.pop("accessories")
    fields = {k: v for k, v in fields.items() if v is not None}
    if spec_file:
        return load_spec(spec_file, **fields)
    if "name" not in fields:
        from ..errors import SpecError

        raise SpecError("name: required; give --name NAME (or --spec FILE)")
    return build_spec(**fields)


def _bio(job=None, power=None, quote=None, stat=None) -> dict:
    """The back-of-box fields from flags; --stat takes LABEL=N."""
    from ..errors import SpecError

    stats = {}
    for item in stat or []:
        label, sep, value = item.rpartition("=")
        if not sep or not label.strip() or not value.strip().isdigit():
            raise SpecError(f"stats: {item!r} is not LABEL=N, like --stat Strength=8")
        stats[label.strip()] = int(value)
    return {"job": job, "powers": power or None, "quote": quote, "stats": stats or None}


def brand_kit(path):
    from ..spec import load_brand

    return load_brand(path) if path is not None else None
