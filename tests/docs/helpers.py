"""What the documentation tests share: where the docs are, and the reference generator."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
RR = ROOT / ".venv" / "bin" / "rolereport"


def generator():  # type: ignore[no-untyped-def]
    """tools/make_docs_reference.py as a module."""
    path = ROOT / "tools" / "make_docs_reference.py"
    spec = importlib.util.spec_from_file_location("make_docs_reference", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def code_block(markdown: str, after: str) -> list[str]:
    """The lines of the first fenced ```sh block after the heading `after`."""
    text = markdown[markdown.index(after):]
    block = re.search(r"```sh\n(.*?)```", text, re.S)
    assert block, f"no sh block after {after!r}"
    return [line for line in block.group(1).splitlines() if line.strip()]
