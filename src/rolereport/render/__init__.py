"""Renderers: a package or module per format, each exposing `render(report, context) -> bytes`,
listed in `formats.py`, the one registry of formats."""

from rolereport.render.formats import FORMATS, Format, default_formats, file_name, names, register, renderer

__all__ = ["FORMATS", "Format", "default_formats", "file_name", "names", "register", "renderer"]
