"""The page-family text format: one paragraph per line, `- ` bullets, `|` pipe tables."""

from __future__ import annotations

import re

from rolereport.sources.blocks import Block, Bullet, Para, Table, clean, clean_lines

_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_BULLET = re.compile(r"^[-*+•▪◦‣–]\s+(.*)$")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_RULE = re.compile(r"^([-*_–—])(\s*\1)*$")


def split_row(line: str) -> tuple[str, ...]:
    """Split a pipe-table row on unescaped `|`, dropping the outer pipes."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells = re.split(r"(?<!\\)\|", body)
    return tuple(clean_lines(_BR.sub("\n", c.replace("\\|", "|"))) for c in cells)


def text_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    rows: list[tuple[str, ...]] = []
    wheres: list[str] = []

    def flush_table() -> None:
        if rows:
            blocks.append(Table(tuple(rows), tuple(wheres)))
            rows.clear()
            wheres.clear()

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        where = f"line {number}"
        if line.startswith("|"):
            if not _SEPARATOR.match(line):
                rows.append(split_row(line))
                wheres.append(where)
            continue
        flush_table()
        if not line or _RULE.match(line):
            continue
        bullet = _BULLET.match(line)
        if bullet:
            blocks.append(Bullet(clean(bullet.group(1)), where))
        else:
            blocks.append(Para(clean(line), where))
    flush_table()
    return blocks
