"""Building a spec from fields or a file, with pydantic's report turned into one SpecError line."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import (
    ValidationError,
)

from minime.errors import SpecError, did_you_mean
from minime.files import read_bounded

from .figure import FIELDS, FigureSpec
from .rules import SPEC_FILE_MAX_BYTES, show, type_name

if TYPE_CHECKING:
    import yaml


def one_error(err: Mapping[str, Any]) -> str:
    kind = err["type"]
    loc = err.get("loc", ())
    field = str(loc[0]) if loc else "spec"
    where = field if len(loc) < 2 else f"{field} item {int(loc[1]) + 1 if isinstance(loc[1], int) else loc[1]}"
    if field == "people" and len(loc) >= 3:  # people item 2 accessories item 1
        where = f"{where} {loc[2]}" + (f" item {int(loc[3]) + 1}" if len(loc) > 3 and isinstance(loc[3], int) else "")
        field = where
    given = err.get("input")
    if kind == "extra_forbidden" and loc[0] == "people" and len(loc) >= 3:
        return f"people item {int(loc[1]) + 1}: unknown field {show(str(loc[2]))}; allowed: name, accessories, body"
    if kind == "extra_forbidden":
        return f"unknown field {show(field)}{did_you_mean(field, FIELDS)}; allowed: {', '.join(FIELDS)}"
    if kind == "missing":
        return f"{field}: is required"
    if kind in ("value_error", "assertion_error"):
        return f"{field}: {err['ctx']['error']}"
    if kind.startswith("string_"):
        return f"{where}: must be text (got {type_name(given)})"
    if kind in ("list_type", "iterable_type") and loc == ("people",):
        return f"people: must be a list like [{{name: Ada, accessories: [laptop]}}] (got {type_name(given)})"
    if kind in ("list_type", "iterable_type"):
        return f"{where}: must be a list of text items (got {type_name(given)})"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"spec: must be a mapping of fields like name, tagline, ... (got {type_name(given)})"
    message = str(err.get("msg", kind))
    return f"{where}: {message[:1].lower()}{message[1:]}"


def spec_error(exc: ValidationError) -> SpecError:
    """Turn pydantic's report into one SpecError line that names the field and the rule.

    Args:
        exc: the ValidationError raised while building a FigureSpec (or another spec model).

    Returns:
        A SpecError whose message is one line: the first two problems joined with "; ".
    """
    errors = exc.errors(include_url=False)
    lines = [one_error(err) for err in errors[:2]]
    if len(errors) > 2:
        lines.append(f"and {len(errors) - 2} more")
    message = "; ".join(lines) or "the spec is not valid"
    return SpecError(" ".join(message.split("\n")))


def build_spec(**fields: Any) -> FigureSpec:
    """Build a FigureSpec, raising a one-line SpecError on any broken rule.

    Args:
        **fields: FigureSpec fields; those given as None keep their defaults.

    Returns:
        The validated, normalised spec.

    Raises:
        SpecError: a field breaks a rule, or a field name is unknown.
    """
    return validate({key: value for key, value in fields.items() if value is not None})


def validate(data: dict[Any, Any]) -> FigureSpec:
    for key in data:
        if not isinstance(key, str):
            raise SpecError(f"unknown field {key!r}; allowed: {', '.join(FIELDS)}")
    try:
        return FigureSpec.model_validate(data)
    except ValidationError as exc:
        raise spec_error(exc) from exc


def display(path: Path | str) -> str:
    text = str(path)
    if not text.isprintable():
        text = repr(text)[1:-1]
    return text if len(text) <= 160 else text[:159] + "…"


def read_mapping(path: str | Path, kind: str, *, max_bytes: int, example: str,
                 suffixes: tuple[str, ...] = (".yaml", ".yml")) -> tuple[dict[Any, Any], str]:
    """Read a small YAML (or JSON) file whose top level is a mapping.

    Args:
        path: the file.
        kind: what it is, for messages ("spec file", "brand kit", "brief").
        max_bytes: the largest file accepted.
        example: a line of the file, shown when its top level is not a mapping.
        suffixes: the accepted extensions; ".json" files are read as JSON.
    Returns:
        (the mapping, the path as shown in messages).
    Raises:
        SpecError: one line naming the file: missing, a folder, wrong extension, too big, not UTF-8,
            not valid YAML/JSON, or not a mapping.
    """
    path = Path(path)
    shown = display(path)
    allowed = ", ".join(suffixes[:-1]) + f" or {suffixes[-1]}" if len(suffixes) > 1 else suffixes[0]
    if path.is_dir():
        raise SpecError(f"{shown} is a directory; pass a {allowed} {kind}")
    suffix = path.suffix.lower()
    if path.exists() and suffix not in suffixes:
        raise SpecError(f"{shown}: a {kind} is a {allowed} file (got {show(path.suffix or 'no extension')})")
    raw = read_bounded(path, kind, limit=max_bytes, error=SpecError)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError(f"{shown}: not UTF-8 text (bad byte at offset {exc.start})") from exc
    data = parse_json(text, shown) if suffix == ".json" else parse_yaml(text, shown)
    if not isinstance(data, dict):
        raise SpecError(f"{shown}: the top level must be a mapping like {example} (got {type_name(data)})")
    return data, shown


def load_spec(path: str | Path, **overrides: Any) -> FigureSpec:
    """Load a FigureSpec from a .yaml, .yml or .json file.

    Args:
        path: the spec file; its top level is a mapping of FigureSpec fields.
        **overrides: fields that win over the file's (e.g. from command-line flags); None ones are ignored.

    Returns:
        The validated, normalised spec.

    Raises:
        SpecError: the file is missing or unreadable, is not valid YAML/JSON, is not a mapping,
            or a field breaks a rule.
    """
    data, shown = read_mapping(path, "spec file", max_bytes=SPEC_FILE_MAX_BYTES, example="'name: Ada'",
                               suffixes=(".yaml", ".yml", ".json"))
    merged = {key: value for key, value in data.items() if value is not None}
    merged.update({key: value for key, value in overrides.items() if value is not None})
    try:
        return validate(merged)
    except SpecError as exc:
        raise SpecError(f"{shown}: {exc}") from exc


def parse_json(text: str, shown: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError(f"{shown}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    except (ValueError, RecursionError) as exc:
        raise SpecError(f"{shown}: invalid JSON ({type(exc).__name__})") from exc


YAML_MAX_NODES = 10_000  # counted with every alias expanded: a spec, brief or brand kit is a few dozen
_YAML_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq",
                                                        "timestamp", "merge")}


def parse_yaml(text: str, shown: str) -> Any:
    """Safe YAML, with limits: aliases may not expand past YAML_MAX_NODES nodes (a "billion laughs" bomb
    fails at once, before anything is built), a key may not appear twice in a mapping, and only the plain
    tags are allowed (no !!binary, !!set, !!python/...). PyYAML is imported here, on the first file read:
    a figure made from flags reads none."""
    import yaml

    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()  # composes the node graph; aliases are shared nodes, not copies yet
        if node is None:
            return None
        check_yaml(node, shown)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = " ".join(str(exc.problem or exc.context or "syntax error").split())[:120]
        raise SpecError(f"{shown}: invalid YAML{where}: {problem}") from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        detail = " ".join(str(exc).split())[:80]
        raise SpecError(f"{shown}: invalid YAML ({detail or type(exc).__name__})") from None
    finally:
        loader.dispose()


def check_yaml(root: yaml.Node, shown: str) -> None:
    import yaml

    seen, stack = 0, [root]
    while stack:
        node = stack.pop()
        seen += 1
        line = node.start_mark.line + 1
        if seen > YAML_MAX_NODES:
            raise SpecError(f"{shown}: invalid YAML: it expands to more than {YAML_MAX_NODES} values (aliases repeated "
                            "inside aliases?); write the values out plainly")
        if node.tag not in _YAML_TAGS:
            raise SpecError(f"{shown}: invalid YAML at line {line}: the tag {show(node.tag.replace('tag:yaml.org,2002:', '!!'), 40)} "
                            "is not allowed; use plain text, numbers, lists and mappings")
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    if key.value in keys:
                        raise SpecError(f"{shown}: invalid YAML at line {key.start_mark.line + 1}: the key {show(key.value, 40)} "
                                        "appears twice; give each field once")
                    keys.add(key.value)
                stack += (key, value)
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value


# ---------------------------------------------------------------- brand kits
