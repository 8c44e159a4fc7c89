"""A paragraph's lines split where the page's structure starts a new block, and list items known
by what they look like: a paragraph opening with a bullet glyph is a list item, whatever its
markup (Word's HTML sets its lists as paragraphs whose first character is the bullet)."""

from __future__ import annotations

import re

from rolereport.sources.blocks import clean
from rolereport.sources.parse import BEST_FOR, EXPLORE, ITEM

GLYPHS = "•▪◦‣·●○■\uf0b7\uf0a7"  # the last two: Symbol and Wingdings bullets as a PDF keeps them
# A bullet glyph starts a list item on any line (a site's "•" and <br> list); a hyphen or an
# asterisk only at the start of the paragraph (a wrapped line may start with a spaced dash).
_BULLET_LINE = re.compile(rf"^[{GLYPHS}](?:\s+|(?=\S))(?P<text>.*)$")
_OPENING = re.compile(r"^[-*]\s+(?P<text>\S.*)$")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*$")


def segments(text: str, head: bool = False) -> list[tuple[str, bool]]:
    """Split a paragraph's lines where the page's structure starts a new block.

    Markdown joins lines without a blank line between them ("lazy continuation"), so an item
    line, a "Best for:" line or an "Explore the full … profile" line can end up inside the
    paragraph or list item before it; and a site may set a list with `<br>` and "•". An item
    line (or, with `head`, the first line: a numbered list item's) that ends a sentence ends
    its block. A list item opened by a glyph runs on over the lines that follow it (a wrapped
    source) up to the next glyph or structure line. Returns (text, is_bullet) pairs; other lines
    stay joined, as wrapped text is.
    """
    out: list[tuple[str, bool]] = []
    run: list[str] = []
    run_is_head = False
    in_bullet = False

    def flush() -> None:
        if run:
            out.append((clean(" ".join(run)), in_bullet))
            run.clear()

    for raw in text.split("\n"):
        line = clean(raw)
        if not line:
            continue
        bullet = _BULLET_LINE.match(line) or (_OPENING.match(line) if not out and not run else None)
        if bullet or BEST_FOR.match(line) or EXPLORE.match(line):
            flush()
            in_bullet = bool(bullet)
            if bullet:
                run.append(bullet["text"])
            else:
                out.append((line, False))
            continue
        if in_bullet and not ITEM.match(line):
            run.append(line)
            continue
        starts_head = (head and not out and not run) or bool(ITEM.match(line))
        if in_bullet or starts_head or (run_is_head and _SENTENCE_END.search(run[-1])):
            flush()
            in_bullet = False
            run_is_head = starts_head
        run.append(line)
    flush()
    return [(t, b) for t, b in out if t]
