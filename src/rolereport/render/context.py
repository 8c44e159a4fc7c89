"""What a renderer needs besides the report: theme, templates and per-process caches.

Built once per process and reused for every report (batch workers keep theirs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rolereport.inputs.theme import Theme, load_theme, with_titles
from rolereport.render.templating import Templates


@dataclass
class Context:
    theme: Theme
    templates: Templates
    cache: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def create(cls, templates_dir: Path | str | None = None,
               theme_file: Path | str | None = None, *, title: str | None = None,
               subtitle: str | None = None) -> Context:
        """`title`/`subtitle` (the command line's) override the theme's and the source's."""
        theme = with_titles(load_theme(theme_file), title, subtitle)
        return cls(theme=theme, templates=Templates(templates_dir))

    def allowed_dirs(self) -> tuple[Path, ...]:
        """Folders whose files the PDF may load: the templates and the theme's folder."""
        dirs = list(self.templates.dirs)
        if self.theme.folder is not None:
            dirs.append(self.theme.folder)
        return tuple(dirs)
