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


def code_block(markdown: str, after: str, nth: int = 0) -> list[str]:
    """The lines of the first (or `nth`, from 0) fenced ```sh block after the heading `after`."""
    text = markdown[markdown.index(after):]
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    assert len(blocks) > nth, f"no sh block {nth} after {after!r}"
    return [line.strip() for line in blocks[nth].splitlines() if line.strip()]
