"""Accounting for a page's text after it is read: every paragraph, list item and table cell from
the title to the page's end lands in a field of the guide, or in a warning that names it.

This is the guard against a shape nobody has seen yet: a reader that loses part of a page says
so (and `--strict` refuses the page) instead of leaving a field quietly empty."""

from __future__ import annotations

from collections.abc import Callable

from rolereport.sources.blocks import Block, Bullet, Para, Table


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


def _structure(blocks: list[Block], k: int, used: set[int]) -> bool:
    """A heading: marked as one, or a short unpunctuated line that opens what follows it (a table,
    an entry, text that was used, another heading)."""
    b = blocks[k]
    if not isinstance(b, Para) or not b.looks_like_heading():
        return False
    if b.heading is not None:
        return True
    nxt = blocks[k + 1] if k + 1 < len(blocks) else None
    return nxt is None or isinstance(nxt, Table) or id(nxt) in used or (
        isinstance(nxt, Para) and nxt.heading is not None)


def account(blocks: list[Block], first: int, end: int, used: set[int],
            warn: Callable[[str, str | None], object]) -> None:
    """One warning for each run of blocks in blocks[first:end] that no field took (`used` holds the
    ids of those that one did), naming the blocks."""
    run: list[Block] = []
    for k in range(first, end + 1):
        b = blocks[k] if k < end else None
        if b is not None and id(b) not in used and not _structure(blocks, k, used):
            if isinstance(b, Table):
                _say(run, warn)
                run = []
                cells = sum(len(r) for r in b.rows)
                warn(f"a table of {len(b.rows)} rows and {cells} cells (from “{_snippet(' | '.join(b.rows[0]))}”) "
                     "was not used: it is not the comparison table; check the page there", b.where)
            else:
                run.append(b)
        elif run:
            _say(run, warn)
            run = []


def _say(run: list[Block], warn: Callable[[str, str | None], object]) -> None:
    if not run:
        return
    kinds = {"list item" if isinstance(b, Bullet) else "paragraph" for b in run}
    kind = kinds.pop() if len(kinds) == 1 else "block"
    texts = [f"“{_snippet(b.text)}”" for b in run]  # type: ignore[union-attr]
    if len(run) == 1:
        what = f"{kind} {texts[0]} was"
    elif len(run) <= 3:
        what = f"{len(run)} {kind}s {', '.join(texts)} were"
    else:
        what = f"{len(run)} {kind}s from {texts[0]} to {texts[-1]} were"
    where = "it stands: it fits" if len(run) == 1 else "they stand: they fit"
    warn(f"{what} not used where {where} none of the guide's parts; check the page there", run[0].where)
