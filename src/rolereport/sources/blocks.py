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
    listed: bool = False  # its "N." comes from list formatting (an <ol>, Word numbering), not typed

    def looks_like_heading(self) -> bool:
        if self.heading is not None:
            return True
        return len(self.text) <= 120 and not _TERMINAL.search(self.text)


@dataclass(frozen=True)
class Bullet:
    text: str
    where: str
    lead: bool = False  # the first paragraph of a list item that holds more (a card in a <ul>)


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]  # first row is the header
    wheres: tuple[str, ...]  # one location per row

    @property
    def where(self) -> str:
        return self.wheres[0]


Block = Para | Bullet | Table


# C1 control characters are never meant: they are Windows-1252 "smart" punctuation (’ “ ” – —
# …) that went through a Latin-1 step on its way into UTF-8. Zero-width spaces, word joiners,
# BOMs and soft hyphens are invisible and only break matching. The zero-width (non-)joiners stay:
# emoji sequences (👩‍💻) and scripts such as Persian and Devanagari need them.
_FIXES = {c: bytes([c]).decode("cp1252", errors="ignore") or None for c in range(0x80, 0xA0)}
_FIXES.update({ord(c): None for c in "\u00ad\u200b\u2060\ufeff"})
# Other C0 controls and DEL (ESC, BEL, …) are never text; dropped, they cannot reach a terminal
# (`fit` prints role text) or an output as escape sequences.
_FIXES.update({c: None for c in [*range(0x20), 0x7F] if not chr(c).isspace()})


def clean(text: str) -> str:
    """Collapse runs of white space (incl. no-break spaces) to one space and trim."""
    return " ".join(text.translate(_FIXES).split())


def clean_lines(text: str) -> str:
    """`clean` each line, keeping explicit line breaks (a table cell's `<br>`) as `\n`."""
    return "\n".join(filter(None, (clean(line) for line in text.split("\n"))))
