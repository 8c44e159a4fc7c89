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


# ---- every other script: fallbacks after the theme's family, found through fontconfig ----------
# Debian's fonts-noto-core, fonts-noto-cjk and fonts-noto-color-emoji (what `make` installs as
# root), or the same families from PyPI (requirements-fonts.lock, registered below). A family that is
# not installed is skipped by fontconfig; whatever is left, Pango falls back to any installed font.
# Emoji fonts are left to that fallback: listed, they would take the digits (Pango prefers a
# colour font for characters that may be emoji).
FALLBACK_FAMILIES: tuple[str, ...] = (
    "Noto Sans", "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Devanagari", "Noto Sans Bengali",
    "Noto Sans Gurmukhi", "Noto Sans Gujarati", "Noto Sans Oriya", "Noto Sans Tamil", "Noto Sans Telugu",
    "Noto Sans Kannada", "Noto Sans Malayalam", "Noto Sans Sinhala", "Noto Sans Thai", "Noto Sans Lao",
    "Noto Sans Khmer", "Noto Sans Myanmar", "Noto Sans Georgian", "Noto Sans Armenian",
    "Noto Sans Ethiopic", "Noto Sans CJK SC", "Noto Sans SC", "Noto Sans Symbols",
    "Noto Sans Symbols2",
)
# Han characters take the regional forms of the language they are marked with (`lang`, set by
# render/html.py): the CSS `:lang()` rules put that region's CJK face first. Later rules win.
# (Debian's name of each face, then the PyPI package's.)
CJK_FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("zh", ("Noto Sans CJK SC", "Noto Sans SC")), ("zh-Hant", ("Noto Sans CJK TC", "Noto Sans TC")),
    ("zh-TW", ("Noto Sans CJK TC", "Noto Sans TC")), ("zh-HK", ("Noto Sans CJK HK", "Noto Sans TC")),
    ("zh-MO", ("Noto Sans CJK HK", "Noto Sans TC")), ("ja", ("Noto Sans CJK JP", "Noto Sans JP")),
    ("ko", ("Noto Sans CJK KR", "Noto Sans KR")),
)
# Python packages of the `fonts` extra, whose folders of font files are added to fontconfig.
# (Their CJK faces are TrueType: a CFF2 variable CJK font, as in manimgx-fonts-cjk, cannot be
# embedded in a PDF.)
FONT_PACKAGES = ("manimgx_fonts", "justmytype_intl_cjk")


def _quoted(families: tuple[str, ...]) -> str:
    return ", ".join(f'"{f}"' for f in families)


def family_list(theme_family: str) -> str:
    """The CSS font-family of the guide: the theme's family, the bundled one, then the fallbacks."""
    first = (theme_family,) if theme_family == FAMILY else (theme_family, FAMILY)
    return f"{_quoted(first)}, {_quoted(FALLBACK_FAMILIES)}, sans-serif"


def language_css(theme_family: str) -> str:
    """`:lang()` rules giving Han text its region's face (the text is marked by render/html.py)."""
    first = (theme_family,) if theme_family == FAMILY else (theme_family, FAMILY)
    rules = []
    for lang, faces in CJK_FAMILIES:
        rest = tuple(f for f in FALLBACK_FAMILIES if f not in faces)
        rules.append(f":lang({lang}) {{ font-family: {_quoted((*first, *faces, *rest))}, sans-serif; }}")
    return "\n".join(rules) + "\n"


@cache
def package_font_dirs() -> tuple[Path, ...]:
    """Folders of the installed font packages (requirements-fonts.lock), found without importing them."""
    from importlib.util import find_spec

    found = []
    for name in FONT_PACKAGES:
        try:
            spec = find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is not None and spec.submodule_search_locations:
            found += [Path(p) for p in spec.submodule_search_locations if Path(p).is_dir()]
    return tuple(found)
