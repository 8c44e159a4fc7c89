"""One alternative as the parser assembles it, before it becomes a `Role`."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Entry:
    """A ranked entry of the page: its heading, and the text found for it so far."""

    rank: int
    name: str
    tagline: str
    where: str
    description: list[str] = field(default_factory=list)
    best_for: list[str] = field(default_factory=list)
