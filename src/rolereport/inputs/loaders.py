"""Reading small YAML, TOML and JSON input files into plain mappings, strictly.

YAML goes through `yaml.safe_load` with duplicate keys refused; the typed validation that
follows (pydantic, strict) refuses YAML's surprises such as `NO` → false or `0755` → 493.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from rolereport.errors import Problem, RoleReportError
from rolereport.system.files import Refused, read_capped

SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".json": "json"}


def _yaml_loader() -> type:
    import yaml

    class StrictLoader(yaml.SafeLoader):
        pass

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None,
                    f"duplicate key '{key}' (first on line {seen[key] + 1}); keep one",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line
        return loader.construct_mapping(node, deep=deep)

    StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    return StrictLoader


def load_mapping(
    path: Path, error: type[RoleReportError], what: str, max_bytes: int = 64 * 1024
) -> dict[str, Any]:
    """Load a YAML/TOML/JSON file whose top level is a mapping; `error` carries the problems."""
    file = str(path)

    def fail(message: str, where: str | None = None) -> RoleReportError:
        return error(Problem(file, message, where))

    if path.is_dir():
        raise fail(_folder_hint(path, what))
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise fail(f"a {what} must be .yaml, .yml, .toml or .json, not '{path.suffix}'")
    try:
        # a regular file, and never more than the limit read
        data = read_capped(path, max_bytes, rule=f"a {what} may be at most {max_bytes:,} bytes")
    except Refused as exc:
        raise fail(str(exc)) from None
    except FileNotFoundError:
        raise fail("no such file; check the path") from None
    except IsADirectoryError:
        raise fail(_folder_hint(path, what)) from None
    except OSError as exc:
        raise fail(f"cannot be read: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise fail("is not UTF-8 text; save it as UTF-8", f"line {line}") from None
    if not text.strip():
        raise fail(f"the file is empty; a {what} needs at least a name")
    try:
        if kind == "toml":
            value: Any = tomllib.loads(text)
        elif kind == "json":
            value = json.loads(text, object_pairs_hook=_no_duplicates)
        else:
            import yaml

            value = yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a SafeLoader subclass
    except tomllib.TOMLDecodeError as exc:
        raise fail(f"is not valid TOML: {exc}") from None
    except json.JSONDecodeError as exc:
        raise fail(f"is not valid JSON: {exc.msg}", f"line {exc.lineno}") from None
    except ValueError as exc:  # duplicate JSON keys
        raise fail(str(exc)) from None
    except RecursionError:
        raise fail(f"is nested too deeply to be a {what}") from None
    except Exception as exc:  # yaml.YAMLError and its subclasses
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise fail(f"is not valid YAML: {reason}", where) from None
    if not isinstance(value, dict):
        raise fail(f"a {what} must be a mapping of keys to values at the top level")
    return value


def _folder_hint(path: Path, what: str) -> str:
    """What to say when a folder is given where one file is expected."""
    inside = sorted(p.name for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file()) \
        if path.is_dir() else []
    if what == "profile":
        return ("is a folder: give one profile file, or use `rolereport batch` for a folder"
                + (f" (it holds {', '.join(inside[:3])}{', …' if len(inside) > 3 else ''})" if inside else ""))
    if len(inside) == 1:
        return f"is a folder: pass its {inside[0]}"
    if inside:
        return f"is a folder: pass one {what} file in it ({', '.join(inside[:3])})"
    return f"is a folder with no {what} file in it; give a {what} file (.yaml, .yml, .toml or .json)"


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key '{key}'; keep one")
        out[key] = value
    return out


def validate(model: type, data: dict[str, Any], file: str, error: type[RoleReportError],
             where_prefix: str = "") -> Any:
    """Validate `data` against a strict pydantic model; every problem becomes one line."""
    import difflib

    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        known = list(model.model_fields)
        problems = []
        for err in exc.errors():
            where = _where(err["loc"], where_prefix)
            if err["type"] == "extra_forbidden":
                guess = difflib.get_close_matches(str(err["loc"][0]), known, n=1)
                hint = f"; did you mean '{guess[0]}'?" if guess else f"; known keys: {', '.join(known)}"
                problems.append(Problem(file, f"unknown key{hint}", where))
                continue
            problems.append(Problem(file, _explain(err), where))
        raise error(problems) from None


def _where(loc: tuple[Any, ...], where_prefix: str = "") -> str | None:
    """`('interests', 2)` → "field 'interests', item 3": list positions counted from 1."""
    names = ".".join(str(p) for p in loc if not isinstance(p, int))
    items = "".join(f", item {p + 1}" for p in loc if isinstance(p, int))
    if not names and not items:
        return where_prefix.strip(", ") or None
    return f"{where_prefix}field '{names}'{items}"


def _explain(err: dict[str, Any]) -> str:
    value = err.get("input")
    kind = err["type"]
    if kind == "value_error" and err.get("ctx", {}).get("error") is not None:
        return str(err["ctx"]["error"])
    if kind in ("string_type", "list_type") and isinstance(value, bool):
        return ("expected text but YAML read a yes/no word (such as NO or on) as "
                f"{str(value).lower()}; put the value in quotes")
    if kind == "string_type" and isinstance(value, int | float):
        return (f"expected text but got the number {value!r}; put the value in quotes "
                "(unquoted digits are read as a number: in YAML 0755 becomes 493)")
    if kind == "string_type":
        return f"expected text, got {type(value).__name__}"
    if kind == "list_type":
        return "expected a list of text items (in YAML, one '- item' per line)"
    if kind == "missing":
        return "is required; add it"
    return err["msg"].rstrip(".") + "; fix the value"
