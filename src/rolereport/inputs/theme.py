"""The theme: organisation name, logo, colours, font and page size for every output.

A theme file is TOML, YAML or JSON, validated strictly like every other input: unknown keys get
a "did you mean" hint, colours must be `#RRGGBB`, the logo must be a real image next to (or below)
the theme file, and the accent colour must stay readable as text on white.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from rolereport.errors import Problem, ThemeError
from rolereport.inputs.loaders import load_mapping, validate
from rolereport.system.files import Refused, read_capped

HEX = r"^#[0-9A-Fa-f]{6}$"
LOGO_TYPES = {".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp"}
MAX_LOGO_BYTES = 2 * 1024 * 1024
MIN_ACCENT_CONTRAST = 3.0  # WCAG 2 minimum for large text (headings) on white
# A font family is a name, never CSS: no quotes, semicolons or braces can reach the stylesheet.
FONT_NAME = r"^[A-Za-z0-9][A-Za-z0-9 \-]*$"


class Theme(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    organisation: str = Field("Career Development", min_length=1, max_length=120)
    title: str | None = Field(None, min_length=1, max_length=200)  # replaces the source's title
    subtitle: str | None = Field(None, max_length=200)
    logo: Path | None = None  # resolved against the theme file's folder
    logo_alt: str | None = Field(None, min_length=1, max_length=200)
    accent: str = Field("#1F5F8B", pattern=HEX)
    accent_light: str = Field("#E6EFF6", pattern=HEX)
    font_family: str = Field("Source Sans Pro", min_length=1, max_length=80, pattern=FONT_NAME)
    page_size: Literal["A4", "Letter"] = "A4"
    language: str = Field("en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")

    _folder: Path | None = PrivateAttr(None)

    @field_validator("logo", mode="before")
    @classmethod
    def _path(cls, value: object) -> object:
        return Path(value) if isinstance(value, str) else value

    @property
    def folder(self) -> Path | None:
        """The theme file's folder: the PDF may load files from it (the logo, for one)."""
        if self._folder is not None:
            return self._folder
        return self.logo.parent if self.logo else None

    @property
    def alt_text(self) -> str:
        """What a screen reader says for the logo."""
        return self.logo_alt or f"{self.organisation} logo"


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _looks_like(data: bytes, suffix: str) -> bool:
    head = data[:512]
    if suffix == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if suffix in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if suffix == ".gif":
        return head.startswith((b"GIF87a", b"GIF89a"))
    if suffix == ".webp":
        return head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    return b"<svg" in data[:4096]


def _check_logo(theme: Theme, file: str, folder: Path) -> tuple[Path | None, list[Problem]]:
    if theme.logo is None:
        return None, []
    where = "field 'logo'"
    logo = (folder / theme.logo).resolve()
    if logo.suffix.lower() not in LOGO_TYPES:
        return None, [Problem(file, f"logo must be an image ({', '.join(sorted(LOGO_TYPES))})", where)]
    if not logo.is_relative_to(folder):
        return None, [Problem(file, f"logo '{theme.logo}' is outside the theme's folder; put the image "
                              "next to the theme file (or in a folder below it)", where)]
    if not logo.is_file():
        return None, [Problem(file, f"logo file '{theme.logo}' does not exist; give a path relative to "
                              "the theme file", where)]
    try:
        data = read_capped(logo, MAX_LOGO_BYTES, rule=f"keep it under {MAX_LOGO_BYTES:,}")
    except (Refused, OSError) as exc:
        return None, [Problem(file, f"logo: {exc}", where)]
    if not _looks_like(data, logo.suffix.lower()):
        return None, [Problem(file, f"logo '{theme.logo}' is not a {logo.suffix.lower()[1:].upper()} image",
                              where)]
    if logo.suffix.lower() == ".svg" and (why := _unloadable_svg(data)):
        from rolereport import notices

        notices.warn(file, f"logo '{theme.logo}' cannot be drawn ({why}); the documents are made without "
                     "a logo: save the SVG again from a drawing program", where)
        return None, []
    return logo, []


def _unloadable_svg(data: bytes) -> str:
    """Why an SVG would not be drawn (broken XML, entities: an XML bomb or a file read through
    them, which the renderer refuses and so drops the image without a word), or ""."""
    from defusedxml import DefusedXmlException, ElementTree

    try:
        root = ElementTree.fromstring(data)
    except DefusedXmlException:
        return "it declares XML entities, which an image must not"
    except ElementTree.ParseError as exc:
        return f"it is not well-formed XML: {exc}"
    return "" if str(root.tag).rsplit("}", 1)[-1] == "svg" else "its outermost element is not <svg>"


def with_titles(theme: Theme, title: str | None = None, subtitle: str | None = None) -> Theme:
    """The theme with a title and subtitle given on the command line (over the theme file's)."""
    changes: dict[str, str] = {}
    for key, value in (("title", title), ("subtitle", subtitle)):
        if value is not None:
            value = " ".join(value.split())
            if not value or len(value) > 200:
                raise ThemeError(Problem(f"--{key}", "must be 1 to 200 characters"))
            changes[key] = value
    if not changes:
        return theme
    folder = theme._folder
    theme = theme.model_copy(update=changes)
    theme._folder = folder
    return theme


def load_theme(path: Path | str | None) -> Theme:
    if path is None:
        return Theme()
    path = Path(path)
    file = str(path)
    data = load_mapping(path, ThemeError, "theme")
    theme: Theme = validate(Theme, data, file, ThemeError)
    folder = path.parent.resolve()
    logo, problems = _check_logo(theme, file, folder)
    ratio = contrast(theme.accent, "#FFFFFF")
    if ratio < MIN_ACCENT_CONTRAST:
        problems.append(Problem(file, f"accent {theme.accent} is too light to read as text on white "
                                f"(contrast {ratio:.1f}:1, needs {MIN_ACCENT_CONTRAST:.0f}:1); choose a "
                                "darker shade", "field 'accent'"))
    if problems:
        raise ThemeError(problems)
    theme = theme.model_copy(update={"logo": logo})
    theme._folder = folder
    return theme
