"""The page-family text format: one paragraph per line, `- ` bullets, `|` pipe tables; and the
shapes a table takes when a page is copied or exported as text: tab-separated rows (a browser's or
Word's copy), or one cell per line (LibreOffice's text export, some copies)."""

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
    if not any(isinstance(b, Table) for b in blocks):
        return cell_per_line(blocks)
    return blocks


_ENTRY_LINE = re.compile(r"^\d{1,6}[.)]\s+\S")


def cell_per_line(blocks: list[Block]) -> list[Block]:
    """A table written one cell per line: its header is a run of short lines that name the
    comparison columns (Role, Primary Focus, …); it has one row for the page's own role and one per
    numbered entry before it, each as many lines as the header."""
    from rolereport.sources.tables import COLUMNS

    def field(b: Block) -> str | None:
        if not isinstance(b, Para) or len(b.text) > 40:
            return None
        key = b.text.casefold()
        return next((f for f, words in COLUMNS.items() if any(w in key for w in words)), None)

    for k in range(len(blocks)):
        width, seen = 0, set()
        while k + width < len(blocks) and (f := field(blocks[k + width])) and f not in seen:
            seen.add(f)
            width += 1
        if width < 3 or "name" not in seen:
            continue
        entries = sum(1 for b in blocks[:k] if isinstance(b, Para) and _ENTRY_LINE.match(b.text))
        count = entries + 2 if entries else _named_rows(blocks, k, width)
        cells = blocks[k : k + width * count]
        if count < 3 or len(cells) < width * count or not all(isinstance(c, Para) for c in cells):
            return blocks
        rows = tuple(tuple(c.text for c in cells[r : r + width]) for r in range(0, len(cells), width))  # type: ignore[union-attr]
        wheres = tuple(cells[r].where for r in range(0, len(cells), width))
        return [*blocks[:k], Table(rows, wheres), *blocks[k + len(cells) :]]
    return blocks


def _named_rows(blocks: list[Block], k: int, width: int) -> int:
    """Rows (the header included) of a table written one cell per line after unnumbered entries
    (a browser's copy, whose rank numbers were drawn by CSS): each row's first cell names the
    page's own role or an entry, as a line before the table starts with that name."""
    before = [b.text.casefold() for b in blocks[:k] if isinstance(b, Para)]

    def named(cell: Block) -> bool:
        if not isinstance(cell, Para) or not cell.text:
            return False
        name = cell.text.casefold()
        return any(t == name or t.startswith(name + " ") or t.startswith(name + ":") or f" {name} " in f" {t} "
                   for t in before)

    rows = 1
    while k + width * (rows + 1) <= len(blocks) and named(blocks[k + width * rows]):
        rows += 1
    return rows
