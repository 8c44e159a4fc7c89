"""HTML, Markdown and DOCX copies of a page: pandoc's AST reduced to the common blocks."""

from __future__ import annotations

import json
import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from rolereport.errors import Problem, SourceError
from rolereport.sources.blocks import Block, Bullet, Para, Table, clean, clean_lines
from rolereport.sources.parse import BEST_FOR, EXPLORE, ITEM

PANDOC_READERS = {
    "html": "html",
    "markdown": "markdown+lists_without_preceding_blankline-smart",
    "docx": "docx",
}

# Elements that are never page content, and those that are not when outside main/article.
_NEVER = {"head", "title", "script", "style", "nav", "noscript", "template", "iframe", "form", "button", "svg",
          "object", "embed", "select", "dialog"}
_CHROME = {"header", "footer", "aside"}
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary"}
_NEVER_ROLES = {"navigation", "search", "dialog", "alertdialog"}
# Consent pop-ups are plain <div>s; their class or id is the only sign.
_CONSENT = re.compile(r"cookie|consent|gdpr", re.IGNORECASE)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


class _ContentOnly(HTMLParser):
    """Re-emits an HTML page without its scripts, styles, navigation, site header and footer,
    cookie banners and hidden parts; when the page marks its `<main>`, only what is inside."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.main_out: list[str] = []  # what lies inside <main> / role="main"
        self.skip: list[str] = []  # stack of open skipped elements
        self.content_depth = 0  # open <main>/<article> elements
        self.main: list[str] = []  # open main elements (tag names)
        self.saw_main = False

    def _emit(self, text: str) -> None:
        self.out.append(text)
        if self.main:
            self.main_out.append(text)

    def _skipped(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        if tag in _VOID:
            return False
        at = dict(attrs)
        role = (at.get("role") or "").lower()
        if tag in _NEVER or role in _NEVER_ROLES:
            return True
        if "hidden" in at or (at.get("aria-hidden") or "").lower() == "true":
            return True
        if _CONSENT.search(f"{at.get('class') or ''} {at.get('id') or ''}"):
            return True
        return (tag in _CHROME or role in _CHROME_ROLES) and self.content_depth == 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.append(tag)
            return
        if self._skipped(tag, attrs):
            self.skip.append(tag)
            return
        if tag in ("main", "article"):
            self.content_depth += 1
        if self.main and tag == self.main[-1]:
            self.main.append(tag)
        elif tag == "main" or (dict(attrs).get("role") or "").lower() == "main":
            self.main.append(tag)
            self.saw_main = True
        self._emit(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.skip:
            self._emit(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            return
        if tag in ("main", "article"):
            self.content_depth = max(0, self.content_depth - 1)
        self._emit(f"</{tag}>")
        if self.main and tag == self.main[-1]:
            self.main.pop()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self._emit(escape(data, quote=False))


def content_html(html: str) -> str:
    parser = _ContentOnly()
    parser.feed(html)
    parser.close()
    return "".join(parser.main_out if parser.saw_main else parser.out)


_TABLE_LINE = re.compile(r"^\s*(?:\||\+[-=:+]+\s*$)")
_LONE_DASH = re.compile(r"^[ \t]*[-–—][ \t]*$", re.MULTILINE)
_BR_TAG = re.compile(r"^<br\s*/?>$", re.IGNORECASE)
_NUMBERED_TEXT = re.compile(r"^\d{1,6}[.)]\s")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*$")
_BULLET_LINE = re.compile(r"^[•▪◦‣·]\s*(?P<text>.+)$")


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
        elif t == "Quoted":
            q = '"' if c[0]["t"] == "DoubleQuote" else "'"
            parts.append(q + _inlines(c[1], soft) + q)
        elif t in ("Cite",):
            parts.append(_inlines(c[1], soft))
        elif t in ("Link", "Span"):
            parts.append(_inlines(c[1], soft))
        elif t in ("Code", "Math"):
            parts.append(c[1])
    return "".join(parts)


def segments(text: str, head: bool = False) -> list[tuple[str, bool]]:
    """Split a paragraph's lines where the page's structure starts a new block.

    Markdown joins lines without a blank line between them ("lazy continuation"), so an item
    line, a "Best for:" line or an "Explore the full … profile" line can end up inside the
    paragraph or list item before it; and a site may set a list with `<br>` and "•". An item
    line (or, with `head`, the first line: a numbered list item's) that ends a sentence ends
    its block. Returns (text, is_bullet) pairs; other lines stay joined, as wrapped text is.
    """
    out: list[tuple[str, bool]] = []
    run: list[str] = []
    run_is_head = False

    def flush() -> None:
        if run:
            out.append((clean(" ".join(run)), False))
            run.clear()

    for raw in text.split("\n"):
        line = clean(raw)
        if not line:
            continue
        bullet = _BULLET_LINE.match(line)
        if bullet or BEST_FOR.match(line) or EXPLORE.match(line):
            flush()
            out.append((bullet["text"], True) if bullet else (line, False))
            continue
        starts_head = (head and not out and not run) or bool(ITEM.match(line))
        if starts_head or (run_is_head and _SENTENCE_END.search(run[-1])):
            flush()
            run_is_head = starts_head
        run.append(line)
    flush()
    return [(t, b) for t, b in out if t]


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []

    def where(self, text: str) -> str:
        snippet = text if len(text) <= 40 else text[:39] + "…"
        return f"block {len(self.blocks) + 1} (“{snippet}”)"

    def para(self, text: str, heading: int | None = None) -> None:
        text = clean(text)
        if text:
            self.blocks.append(Para(text, self.where(text), heading))

    def lines(self, text: str, first_as: str | None = None) -> None:
        """A paragraph (or list item's first paragraph) as one or more blocks."""
        numbered = first_as is not None and first_as != "bullet"
        for k, (seg, is_bullet) in enumerate(segments(text, head=numbered)):
            if k == 0 and first_as == "bullet" or is_bullet:
                self.blocks.append(Bullet(seg, self.where(seg)))
            elif k == 0 and first_as is not None and not _NUMBERED_TEXT.match(seg):
                self.para(f"{first_as} {seg}")  # (unless the site also typed the number)
            else:
                self.para(seg)

    def header(self, level: int, text: str) -> None:
        text = clean(text)
        # A sentence underlined by a Markdown "---" separator is not a heading.
        self.para(text, None if text.endswith(".") else level)

    def walk(self, blocks: list[dict[str, Any]]) -> None:
        for node in blocks:
            t, c = node.get("t"), node.get("c")
            if t in ("Para", "Plain"):
                self.lines(_inlines(c, "\n"))
            elif t == "Header":
                self.header(c[0], _inlines(c[2]))
            elif t == "LineBlock":
                for line in c:
                    self.lines(_inlines(line, "\n"))
            elif t in ("Div", "Figure"):
                self.walk(c[-1])
            elif t == "BlockQuote":
                self.walk(c)
            elif t == "BulletList":
                for item in c:
                    self._item(item, None)
            elif t == "OrderedList":
                start = c[0][0]
                for n, item in enumerate(c[1]):
                    self._item(item, start + n)
            elif t == "Table":
                self._table(c)

    def _item(self, item: list[dict[str, Any]], number: int | None) -> None:
        while item and item[0].get("t") == "Div":  # <li><div class="card">…</div></li>
            item = item[0]["c"][1] + item[1:]
        if not item:
            return
        first, rest = item[0], item[1:]
        if first.get("t") in ("Para", "Plain", "Header"):
            inl = first["c"][2] if first["t"] == "Header" else first["c"]
            self.lines(_inlines(inl, "\n"), "bullet" if number is None else f"{number}.")
        else:
            rest = item
        self.walk(rest)

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
        rows = [r for r in rows if any(r)]
        if rows:
            base = len(self.blocks) + 1
            wheres = tuple(f"table row {i + 1} of block {base}" for i in range(len(rows)))
            self.blocks.append(Table(tuple(rows), wheres))


def markdown_fixups(text: str) -> str:
    """Two habits of pages saved as Markdown that pandoc's reader would misread: the family's
    lone "-" separator lines (they underline the line before as a heading), and a pipe table
    with no blank line around it (it joins the paragraph before)."""
    lines = _LONE_DASH.sub("", text.replace("\r\n", "\n")).split("\n")
    out: list[str] = []
    for k, line in enumerate(lines):
        piped = bool(_TABLE_LINE.match(line))
        before = bool(_TABLE_LINE.match(lines[k - 1])) if k else piped
        if k and piped != before and line.strip() and lines[k - 1].strip():
            out.append("")
        out.append(line)
    return "\n".join(out)


def pandoc_blocks(path: Path, data: bytes, fmt: str, file: str) -> list[Block]:
    import subprocess

    from rolereport.deadline import ENV
    from rolereport.pandoc import run_pandoc

    try:
        if fmt == "docx":
            done = run_pandoc(["--from=docx", "--to=json", str(path)])
        else:
            text = data.decode("utf-8-sig")
            if fmt == "html":
                text = content_html(text)
            else:
                text = markdown_fixups(text)
            done = run_pandoc([f"--from={PANDOC_READERS[fmt]}", "--to=json"], text.encode("utf-8"))
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
    walker = _Walker()
    title = doc.get("meta", {}).get("title")
    if title and title.get("t") == "MetaInlines":
        walker.para(_inlines(title["c"]), heading=1)
    walker.walk(doc.get("blocks", []))
    return walker.blocks
