"""`rolereport.toml` applied to a command's arguments: what the command line leaves out, the file
gives; then the built-in defaults. The roster's mapping as one value, from every place it can come."""

from __future__ import annotations

import argparse
import sys
from typing import Any

DEFAULTS = {"out": "output/batch", "duplicates": "latest"}


def apply(args: argparse.Namespace, tables: tuple[str, ...] = ("", "roster")) -> argparse.Namespace:
    """Fill the options not given on the command line from `rolereport.toml` (when there is one in
    the working folder), then the defaults."""
    from rolereport.inputs import campaign

    path = campaign.find()
    found = campaign.load(path) if path is not None else None
    if found is not None:
        print(f"rolereport: settings from {path}", file=sys.stderr)
        for table in tables:
            for attribute, value in found.settings.get(table, {}).items():
                if attribute == "columns":
                    args.file_columns = value
                elif getattr(args, attribute, None) in (None, False, []):
                    setattr(args, attribute, _as_arg(attribute, value))
    for attribute, value in DEFAULTS.items():
        if hasattr(args, attribute) and getattr(args, attribute) is None:
            setattr(args, attribute, value)
    return args


def _as_arg(attribute: str, value: Any) -> Any:
    if attribute == "format":
        from rolereport.cli.parser import _formats

        return [f for v in value for f in _formats(v)]
    if attribute == "attach":
        return ",".join(value)
    return value


def roster_columns(args: argparse.Namespace) -> dict[str, list[str]]:
    """The mapping: rolereport.toml's [roster.columns], then --columns-file, then --columns, each
    overriding the one before field by field. A bad map stops before any work (exit 2)."""
    from rolereport.inputs.roster.mapping import merge, parse_columns, read_columns_file

    saved = read_columns_file(args.columns_file) if getattr(args, "columns_file", None) else {}
    return merge(getattr(args, "file_columns", None) or {}, saved, parse_columns(args.columns or []))
