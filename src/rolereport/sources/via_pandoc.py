"""HTML, Markdown and DOCX copies of a page: pandoc's AST reduced to the common blocks."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from rolereport import notices
from rolereport.errors import Problem, SourceError
from rolereport.sources.blocks import Block, Bullet, Para, Table, clean, clean_lines
from rolereport.sources.htmlpage import page_content
from rolereport.sources.parse import ITEM
from rolereport.sources.segments import segments
from rolereport.sources.wordhtml import word_lists
from rolereport.system.files import Refused

PANDOC_READERS = {
    "html": "html",
    "markdown": "markdown+lists_without_preceding_blankline-smart",
    "docx": "docx",
    "odt": "odt",
    "rtf": "rtf",
    "epub": "epub",
}
# pandoc's own Markdown writer spells — as `---` and – as `--` (its "smart" extension); a file
# that does so is read back with smart punctuation, as pandoc's Markdown is meant to be read.
SMART_READER = "markdown+lists_without_preceding_blankline+smart"
_PANDOC_DASHES = re.compile(r"[^\s|`-] ?---? ?[^\s|`-]")

# Elements that are never page content, and those that are not when outside main/article.
_TABLE_LINE = re.compile(r"^\s*(?:\||\+[-=:+]+\s*$)")
_LONE_DASH = re.compile(r"^[ \t]*[-–—][ \t]*$", re.MULTILINE)
_BR_TAG = re.compile(r"^<br\s*/?>$", re.IGNORECASE)
_NUMBERED_TEXT = re.compile(r"^\d{1,6}[.)]\s")


def _inlines(items: list[dict[str, Any]], soft: str = " ") -> str:
    """Inline text; a line break (`<br>`, hard break) is kept as `\n`, a soft break as `soft`."""
    parts: list[str] = []
    for node in items:
        t, c = node.get("t"), node.get("c")
        if t == "Str":
            parts.append(c)
        elif t == "Space":
            parts.append(" ")
        elif t == "SoftBreak":
            parts.append(soft)
        elif t == "LineBreak":
            parts.append("\n")
        elif t == "RawInline" and c[0] == "html" and _BR_TAG.match(c[1].strip()):
            parts.append("\n")
        elif t in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript",
                   "SmallCaps"):
            parts.append(_inlines(c, soft))
        elif t == "Quoted":  # a <q>, or "…" read with smart punctuation: shown as curly quotes
            left, right = ("“", "”") if c[0]["t"] == "DoubleQuote" else ("‘", "’")
            parts.append(left + _inlines(c[1], soft) + right)
        elif t in ("Cite",):
            parts.append(_inlines(c[1], soft))
        elif t in ("Link", "Span"):
            parts.append(_inlines(c[1], soft))
        elif t in ("Code", "Math"):
            parts.append(c[1])
    return "".join(parts)


class _Walker:
    def __init__(self, numbers: list[tuple[str, int]] | None = None) -> None:
        self.blocks: list[Block] = []
        # (heading text, number) of headings numbered by Word list formatting, in page order
        self.numbers = list(numbers or [])

    def where(self, text: str) -> str:
        snippet = text if len(text) <= 40 else text[:39] + "…"
        return f"block {len(self.blocks) + 1} (“{snippet}”)"

    def para(self, text: str, heading: int | None = None, listed: bool = False) -> None:
        text = clean(text)
        if text:
            self.blocks.append(Para(text, self.where(text), heading, listed))

    def lines(self, text: str, first_as: str | None = None, lead: bool = False,
              heading: int | None = None) -> None:
        """A paragraph (or list item's first paragraph) as one or more blocks."""
        numbered = first_as is not None and first_as != "bullet"
        for k, (seg, is_bullet) in enumerate(segments(text, head=numbered)):
            if k == 0 and first_as == "bullet" or is_bullet:
                self.blocks.append(Bullet(seg, self.where(seg), lead and k == 0))
            elif k == 0 and first_as is not None and not _NUMBERED_TEXT.match(seg):
                self.para(f"{first_as} {seg}", heading, listed=True)  # (unless also typed)
            else:
                self.para(seg, heading if k == 0 else None)

    def header(self, level: int, text: str) -> None:
        text = clean(text)
        at = next((k for k, (t, _) in enumerate(self.numbers) if t == text), None)
        if at is not None:
            number = self.numbers[at][1]
            del self.numbers[: at + 1]
            if not _NUMBERED_TEXT.match(text):
                self.para(f"{number}. {text}", level, listed=True)
                return
        # A sentence underlined by a Markdown "---" separator is not a heading.
        self.para(text, None if text.endswith(".") else level)

    def walk(self, blocks: list[dict[str, Any]], number_items: bool = True) -> None:
        raw: _RawTable | None = None
        for node in blocks:
            t, c = node.get("t"), node.get("c")
            if raw is not None or (t == "RawBlock" and c[0] == "html" and _RAW_TABLE.match(c[1])):
                # a raw HTML <table> inside Markdown: pandoc leaves its tags as raw blocks
                raw = raw or _RawTable()
                if raw.feed(node):
                    self.table_rows(raw.rows)
                    raw = None
                continue
            if t in ("Para", "Plain"):
                self.lines(_inlines(c, "\n"))
            elif t == "Header":
                self.header(c[0], _inlines(c[2]))
            elif t == "LineBlock":
                for line in c:
                    self.lines(_inlines(line, "\n"))
            elif t in ("Div", "Figure"):
                self.walk(c[-1], number_items)
            elif t == "BlockQuote":
                self.walk(c, number_items)
            elif t == "BulletList":
                for item in c:
                    self._item(item, None, number_items)
            elif t == "OrderedList":
                start = c[0][0]
                for n, item in enumerate(c[1]):
                    self._item(item, start + n if number_items else None, number_items)
            elif t == "Table":
                self._table(c)

    def _item(self, item: list[dict[str, Any]], number: int | None, number_items: bool) -> None:
        while item and item[0].get("t") == "Div":  # <li><div class="card">…</div></li>
            item = item[0]["c"][1] + item[1:]
        if not item:
            return
        first, rest = item[0], item[1:]
        if first.get("t") in ("BulletList", "OrderedList"):
            # An item holding only a nested list (how LibreOffice's ODT nests a list of
            # headings): the inner lists restart at 1 where the page counts on, so their numbers
            # are not the page's; the entries' own text decides.
            self.walk(item, number_items=number is None and number_items)
            return
        if first.get("t") in ("Para", "Plain", "Header"):
            is_header = first["t"] == "Header"
            inl = first["c"][2] if is_header else first["c"]
            text = _inlines(inl, "\n")
            level = first["c"][0] if is_header else None
            if number is not None:
                self.lines(text, f"{number}.", heading=level)
            elif is_header or ITEM.match(clean(text)):
                # a heading inside a <ul> (or a typed "1. Name — tagline") is an entry, not a bullet
                self.lines(text, heading=level)
            else:
                self.lines(text, "bullet", lead=bool(rest))
        else:
            rest = item
        self.walk(rest, number_items)

    def _table(self, c: list[Any]) -> None:
        _attr, _caption, _colspecs, thead, tbodies, _tfoot = c

        def cell_text(blocks: list[dict[str, Any]]) -> list[str]:
            texts = []
            for b in blocks:
                t = b.get("t")
                if t in ("Para", "Plain"):
                    texts.append(_inlines(b["c"]))
                elif t == "LineBlock":
                    texts += [_inlines(line) for line in b["c"]]
                elif t in ("BulletList", "OrderedList"):
                    for item in b["c"] if t == "BulletList" else b["c"][1]:
                        texts += cell_text(item)
                elif t == "Div":
                    texts += cell_text(b["c"][1])
            return texts

        def row_cells(row: list[Any]) -> tuple[str, ...]:
            return tuple(clean_lines("\n".join(cell_text(cell[4]))) for cell in row[1])

        rows = [row_cells(r) for r in thead[1]]
        for body in tbodies:
            rows += [row_cells(r) for r in body[2] + body[3]]
        self.table_rows(rows)

    def table_rows(self, rows: list[tuple[str, ...]]) -> None:
        rows = [r for r in rows if any(r)]
        if rows:
            base = len(self.blocks) + 1
            wheres = tuple(f"table row {i + 1} of block {base}" for i in range(len(rows)))
            self.blocks.append(Table(tuple(rows), wheres))


_RAW_TABLE = re.compile(r"^<table\b", re.IGNORECASE)
_RAW_TAG = re.compile(r"<(/?)(table|tr|td|th)\b", re.IGNORECASE)


class _RawTable:
    """Rows of a raw HTML table, fed pandoc's blocks one by one (tags come as RawBlocks)."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def feed(self, node: dict[str, Any]) -> bool:
        """Take one block; True once the table is closed."""
        t, c = node.get("t"), node.get("c")
        if t == "RawBlock" and c[0] == "html":
            for m in _RAW_TAG.finditer(c[1]):
                closing, tag = m.group(1), m.group(2).lower()
                if tag == "table" and closing:
                    self._end_row()
                    return True
                if tag == "tr":
                    self._end_row()
                    if not closing:
                        self.row = []
                elif tag in ("td", "th"):
                    self._end_cell()
                    if not closing:
                        self.cell = []
            return False
        if self.cell is not None and t in ("Para", "Plain"):
            self.cell.append(_inlines(c))
        return False

    def _end_cell(self) -> None:
        if self.cell is not None:
            if self.row is None:
                self.row = []
            self.row.append(clean_lines("\n".join(self.cell)))
            self.cell = None

    def _end_row(self) -> None:
        self._end_cell()
        if self.row:
            self.rows.append(tuple(self.row))
        self.row = None


_TAB_ROW = re.compile(r"^[^\t\n]*\t.*$")


def tab_tables(text: str) -> str:
    """Runs of two or more tab-separated lines (a table copied from a browser or Word and pasted
    as text) as pipe tables, the first line the header."""
    if "\t" not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    k = 0
    while k < len(lines):
        j = k
        while j < len(lines) and _TAB_ROW.match(lines[j]) and lines[j].strip():
            j += 1
        if j - k >= 2:
            rows = [[c.strip().replace("|", "\\|") for c in line.strip("\t ").split("\t")]
                    for line in lines[k:j]]
            width = max(len(r) for r in rows)
            if out and out[-1].strip():
                out.append("")
            out.append("| " + " | ".join(rows[0]) + " |")
            out.append("|" + "---|" * width)
            out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
            if j < len(lines) and lines[j].strip():
                out.append("")
            k = j
        else:
            out.append(lines[k])
            k += 1
    return "\n".join(out)


def markdown_fixups(text: str) -> str:
    """Two habits of pages saved as Markdown that pandoc's reader would misread: the family's
    lone "-" separator lines (they underline the line before as a heading), and a pipe table
    with no blank line around it (it joins the paragraph before)."""
    lines = _LONE_DASH.sub("", tab_tables(text.replace("\r\n", "\n"))).split("\n")
    out: list[str] = []
    for k, line in enumerate(lines):
        piped = bool(_TABLE_LINE.match(line))
        before = bool(_TABLE_LINE.match(lines[k - 1])) if k else piped
        if k and piped != before and line.strip() and lines[k - 1].strip():
            out.append("")
        out.append(line)
    return "\n".join(out)


def pandoc_blocks(path: Path, data: bytes, fmt: str, file: str) -> list[Block]:
    """`data` is the file's bytes for DOCX, ODT, EPUB and RTF (pandoc opens the file), else its text as UTF-8."""
    import subprocess

    from rolereport.system.deadline import ENV
    from rolereport.system.pandoc import run_pandoc

    numbers: list[tuple[str, int]] = []
    try:
        if fmt in ("docx", "odt", "epub", "rtf"):  # files pandoc opens itself
            if fmt == "docx":
                from rolereport.sources.docxnum import numbered_headings

                try:
                    numbers = numbered_headings(data)
                except Refused as exc:
                    raise SourceError(Problem(file, str(exc))) from None
            done = run_pandoc([f"--from={fmt}", "--to=json"], data)  # the bytes checked, not the file again
        else:
            text = data.decode("utf-8-sig")
            reader = PANDOC_READERS[fmt]
            if fmt == "html":
                text, moved = page_content(word_lists(text))
                if moved:
                    notices.warn(file, f"the title '{moved}' stands in a header above the page's "
                                 "main content; took it as the title")
            else:
                text = markdown_fixups(text)
                if _PANDOC_DASHES.search(_prose(text)):
                    reader = SMART_READER
            done = run_pandoc([f"--from={reader}", "--to=json"], text.encode("utf-8"))
    except subprocess.TimeoutExpired as exc:
        # pandoc's Markdown reader is exponential on some inputs (e.g. a long run of "[").
        raise SourceError(Problem(file, f"pandoc took longer than the limit of {exc.timeout:g} s to read "
                                  f"it as {fmt} and was stopped; check the file or raise {ENV}")) from None
    except OSError as exc:
        raise SourceError(Problem(file, f"could not run pandoc to read it: {exc.strerror}")) from None
    if done.returncode != 0:
        first = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["unknown error"]
        raise SourceError(
            Problem(file, f"pandoc could not read it as {fmt}: {first[0]}; check the file or --from")
        )
    out = done.stdout.decode("utf-8", "replace")
    doc = json.loads(out)
    walker = _Walker(numbers)
    title = doc.get("meta", {}).get("title")
    if title and title.get("t") == "MetaInlines":
        walker.para(_inlines(title["c"]), heading=1)
    walker.walk(doc.get("blocks", []))
    return walker.blocks


_CODE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)


def _prose(markdown: str) -> str:
    """Markdown without fenced code, table rows and inline code: where dashes are prose."""
    text = _CODE.sub("", markdown)
    return re.sub(r"`[^`]*`", "", "\n".join(x for x in text.split("\n") if not _TABLE_LINE.match(x)))
