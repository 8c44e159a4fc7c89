"""The common block form every source format is reduced to before parsing."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TERMINAL = re.compile(r"[.!?:;…)\"'”’]$")


@dataclass(frozen=True)
class Para:
    text: str
    where: str
    heading: int | None = None  # heading level when the format says so

    def looks_like_heading(self) -> bool:
        if self.heading is not None:
            return True
        return len(self.text) <= 120 and not _TERMINAL.search(self.text)


@dataclass(frozen=True)
class Bullet:
    text: str
    where: str


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]  # first row is the header
    wheres: tuple[str, ...]  # one location per row

    @property
    def where(self) -> str:
        return self.wheres[0]


Block = Para | Bullet | Table


def clean(text: str) -> str:
    """Collapse runs of white space (incl. no-break spaces) to one space and trim."""
    return " ".join(text.split())
