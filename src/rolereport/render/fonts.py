"""The bundled typeface: Source Sans Pro from the `font-source-sans-pro` package, as @font-face.

The PDF loads these TrueType files through the safe URL fetcher (their folder is allowed), so the
booklet looks the same on every machine and every glyph it uses is embedded (subset) in the PDF.
The HTML output does not reference them (it must stay one self-contained file); browsers use the
same family when installed locally and fall back to their sans-serif font otherwise.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

FAMILY = "Source Sans Pro"
# (file stem, CSS weight, CSS style): only the faces the stylesheet uses, to keep loading cheap.
FACES: tuple[tuple[str, int, str], ...] = (
    ("SourceSansPro-Regular", 400, "normal"),
    ("SourceSansPro-It", 400, "italic"),
    ("SourceSansPro-Semibold", 600, "normal"),
    ("SourceSansPro-Bold", 700, "normal"),
    ("SourceSansPro-BoldIt", 700, "italic"),
    ("SourceSansPro-Light", 300, "normal"),
)


@cache
def font_dir() -> Path:
    """Where the installed package keeps its font files."""
    folder = Path(str(resources.files("font_source_sans_pro") / "files")).resolve()
    missing = [stem for stem, _, _ in FACES if not (folder / f"{stem}.ttf").is_file()]
    if missing:
        from rolereport.errors import Problem, TemplateError

        raise TemplateError(Problem(str(folder), "font files missing from the font-source-sans-pro "
                                    f"package: {', '.join(missing)}; reinstall it"))
    return folder


@cache
def font_face_css() -> str:
    """@font-face rules for the bundled family, pointing at the installed TrueType files."""
    rules = []
    for stem, weight, style in FACES:
        url = (font_dir() / f"{stem}.ttf").as_uri()
        rules.append(f'@font-face {{ font-family: "{FAMILY}"; src: url("{url}") format("truetype"); '
                     f"font-weight: {weight}; font-style: {style}; }}")
    return "\n".join(rules) + "\n"
