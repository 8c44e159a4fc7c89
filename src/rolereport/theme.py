"""The theme: organisation name, logo, colours, font and page size for every output."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from rolereport.errors import Problem, ThemeError
from rolereport.loaders import load_mapping, validate

HEX = r"^#[0-9A-Fa-f]{6}$"
LOGO_TYPES = {".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp"}


class Theme(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    organisation: str = Field("Career Development", min_length=1, max_length=120)
    subtitle: str | None = Field(None, max_length=200)
    logo: Path | None = None  # resolved against the theme file's folder
    logo_alt: str | None = Field(None, max_length=200)
    accent: str = Field("#1F5F8B", pattern=HEX)
    accent_light: str = Field("#E6EFF6", pattern=HEX)
    font_family: str = Field("Source Sans Pro", min_length=1, max_length=80)
    page_size: Literal["A4", "Letter"] = "A4"
    language: str = Field("en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")

    @field_validator("logo", mode="before")
    @classmethod
    def _path(cls, value: object) -> object:
        return Path(value) if isinstance(value, str) else value

    @property
    def folder(self) -> Path | None:
        return self.logo.parent if self.logo else None


def load_theme(path: Path | str | None) -> Theme:
    if path is None:
        return Theme()
    path = Path(path)
    data = load_mapping(path, ThemeError, "theme")
    theme: Theme = validate(Theme, data, str(path), ThemeError)
    if theme.logo is not None:
        logo = (path.parent / theme.logo).resolve()
        if logo.suffix.lower() not in LOGO_TYPES:
            raise ThemeError(Problem(str(path), f"logo must be an image ({', '.join(sorted(LOGO_TYPES))})",
                                     "field 'logo'"))
        if not logo.is_file():
            raise ThemeError(Problem(str(path), f"logo file '{theme.logo}' does not exist; give a "
                                     "path relative to the theme file", "field 'logo'"))
        theme = theme.model_copy(update={"logo": logo})
    return theme
