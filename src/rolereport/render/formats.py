"""The one list of output formats. The CLI's choices, the batch's disk budget, the file names on
disk, the manifest's columns and `send`'s attachments all read it; adding a format is one row here
(`register`) and its renderer module (`render(report, context) -> bytes`).

Nothing heavy is imported here: a renderer or a title reader is imported when first used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI reads the format names before it imports anything heavy
    from rolereport.model import Report
    from rolereport.render.context import Context

Renderer = Callable[["Report", "Context"], bytes]


class Unreadable(Exception):
    """A file cannot be read as the format its name says."""


@dataclass(frozen=True)
class Format:
    name: str  # what --format and the manifest's columns call it
    file_name: str  # the file in a person's folder
    mime: str  # the attachment's content type
    label: str  # what a reader calls the document ("Career guide – Jane Doe.pdf")
    budget: int  # bytes one person's file may need, checked before a batch starts
    module: str  # the renderer: a module with render(report, context) -> bytes
    title_reader: str | None = None  # "module:function" reading the title a file carries; None: not mailed
    default: bool = True  # built when no --format is given


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> None:
    FORMATS[fmt.name] = fmt


for _fmt in (
    Format("pdf", "career-guide.pdf", "application/pdf", "Career guide", 4 << 20, "rolereport.render.pdf.document",
           "rolereport.render.pdf.title:read_title"),
    Format("html", "career-guide.html", "text/html", "Career guide", 1 << 20, "rolereport.render.html",
           default=False),
    Format("docx", "role-handout.docx",
           "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Role handout", 1 << 20,
           "rolereport.render.docx", "rolereport.render.package:office_title"),
    Format("xlsx", "role-matrix.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "Role matrix", 1 << 20, "rolereport.render.xlsx", "rolereport.render.package:office_title"),
):
    register(_fmt)


def names() -> tuple[str, ...]:
    return tuple(FORMATS)


def default_formats() -> tuple[str, ...]:
    return tuple(f.name for f in FORMATS.values() if f.default)


def attachable() -> tuple[str, ...]:
    """The formats `send` may attach: those whose files say whose they are (a title reader)."""
    return tuple(f.name for f in FORMATS.values() if f.title_reader)


def file_name(fmt: str) -> str:
    return FORMATS[fmt].file_name


def renderer(fmt: str) -> Renderer:
    module = importlib.import_module(FORMATS[fmt].module)
    return module.render  # type: ignore[no-any-return]


def read_title(fmt: str, data: bytes) -> str:
    """The document's title property ('' when it has none); Unreadable when it is not that format."""
    reader = FORMATS[fmt].title_reader if fmt in FORMATS else None
    if reader is None:
        raise Unreadable(f"no title can be read from a {fmt} file")
    module, _, function = reader.partition(":")
    return getattr(importlib.import_module(module), function)(data)  # type: ignore[no-any-return]
