"""The page-family text format: one paragraph per line, `- ` bullets, `|` pipe tables; and the
tab-separated rows a table becomes when it is copied from a browser or Word and pasted as text."""

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

    tabbed: list[tuple[str, str]] = []  # (line, where) of a run of tab-separated lines

    def flush_table() -> None:
        if rows:
            blocks.append(Table(tuple(rows), tuple(wheres)))
            rows.clear()
            wheres.clear()

    def flush_tabbed() -> None:
        if len(tabbed) >= 2:  # two rows at least: a header and one role
            blocks.append(Table(tuple(tuple(clean(c) for c in line.split("\t")) for line, _ in tabbed),
                                tuple(w for _, w in tabbed)))
        else:
            for line, where in tabbed:
                blocks.append(Para(clean(line), where))
        tabbed.clear()

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        where = f"line {number}"
        if "\t" in line and not line.startswith("|"):
            flush_table()
            tabbed.append((line.strip("\t "), where))
            continue
        if tabbed:
            flush_tabbed()
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
    flush_tabbed()
    return blocks
