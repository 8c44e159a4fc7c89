"""Renderers: one module per format, each exposing `render(report, context) -> bytes`.

The registry maps a format name to its module and output file name; modules are imported only
when their format is asked for, so a run pays only for what it renders.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI reads the format names before it imports anything heavy
    from rolereport.model import Report
    from rolereport.render.context import Context

Renderer = Callable[["Report", "Context"], bytes]

OUTPUT_NAMES: dict[str, str] = {
    "pdf": "career-guide.pdf",
    "html": "career-guide.html",
    "docx": "role-handout.docx",
    "xlsx": "role-matrix.xlsx",
}
DEFAULT_FORMATS: tuple[str, ...] = ("pdf", "docx", "xlsx")


def renderer(fmt: str) -> Renderer:
    module = importlib.import_module(f"rolereport.render.{fmt}")
    return module.render  # type: ignore[no-any-return]
