"""HTML, Markdown and DOCX copies of a page: pandoc's AST reduced to the common blocks."""

from __future__ import annotations

import json
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from rolereport.errors import Problem, SourceError
from rolereport.sources.blocks import Block, Bullet, Para, Table, clean

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
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


class _ContentOnly(HTMLParser):
    """Re-emits an HTML page without its scripts, styles, navigation, site header and footer."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip: list[str] = []  # stack of open skipped elements
        self.content_depth = 0  # open <main>/<article> elements

    def _skipped(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        if tag in _VOID:
            return False
        role = (dict(attrs).get("role") or "").lower()
        if tag in _NEVER or role in ("navigation", "search"):
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
        self.out.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.skip:
            self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            return
        if tag in ("main", "article"):
            self.content_depth = max(0, self.content_depth - 1)
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(escape(data, quote=False))


def content_html(html: str) -> str:
    parser = _ContentOnly()
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


def _inlines(items: list[dict[str, Any]]) -> str:
    parts: list[str] = []
    for node in items:
        t, c = node.get("t"), node.get("c")
        if t == "Str":
            parts.append(c)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif t in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript",
                   "SmallCaps"):
            parts.append(_inlines(c))
        elif t == "Quoted":
            q = '"' if c[0]["t"] == "DoubleQuote" else "'"
            parts.append(q + _inlines(c[1]) + q)
        elif t in ("Cite",):
            parts.append(_inlines(c[1]))
        elif t in ("Link", "Span"):
            parts.append(_inlines(c[1]))
        elif t in ("Code", "Math"):
            parts.append(c[1])
    return "".join(parts)


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

    def walk(self, blocks: list[dict[str, Any]]) -> None:
        for node in blocks:
            t, c = node.get("t"), node.get("c")
            if t in ("Para", "Plain"):
                self.para(_inlines(c))
            elif t == "Header":
                self.para(_inlines(c[2]), heading=c[0])
            elif t == "LineBlock":
                for line in c:
                    self.para(_inlines(line))
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
        if not item:
            return
        first, rest = item[0], item[1:]
        if first.get("t") in ("Para", "Plain", "Header"):
            inl = first["c"][2] if first["t"] == "Header" else first["c"]
            text = clean(_inlines(inl))
            if number is None:
                if text:
                    self.blocks.append(Bullet(text, self.where(text)))
            else:
                self.para(f"{number}. {text}")
        else:
            rest = item
        self.walk(rest)

    def _table(self, c: list[Any]) -> None:
        _attr, _caption, _colspecs, thead, tbodies, _tfoot = c

        def row_cells(row: list[Any]) -> tuple[str, ...]:
            cells = []
            for cell in row[1]:
                texts = []
                for b in cell[4]:
                    if b.get("t") in ("Para", "Plain"):
                        texts.append(_inlines(b["c"]))
                cells.append(clean(" ".join(texts)))
            return tuple(cells)

        rows = [row_cells(r) for r in thead[1]]
        for body in tbodies:
            rows += [row_cells(r) for r in body[2] + body[3]]
        rows = [r for r in rows if any(r)]
        if rows:
            base = len(self.blocks) + 1
            wheres = tuple(f"table row {i + 1} of block {base}" for i in range(len(rows)))
            self.blocks.append(Table(tuple(rows), wheres))


def pandoc_blocks(path: Path, data: bytes, fmt: str, file: str) -> list[Block]:
    import pypandoc  # imported here: plain-text sources never pay for it

    args = ["--sandbox"]
    try:
        if fmt == "docx":
            out = pypandoc.convert_file(str(path), "json", format="docx", extra_args=args)
        else:
            text = data.decode("utf-8-sig")
            if fmt == "html":
                text = content_html(text)
            out = pypandoc.convert_text(text, "json", format=PANDOC_READERS[fmt], extra_args=args)
    except (RuntimeError, OSError) as exc:
        first = str(exc).strip().splitlines()[-1:] or ["unknown error"]
        raise SourceError(
            Problem(file, f"pandoc could not read it as {fmt}: {first[0]}; check the file or --from")
        ) from None
    doc = json.loads(out)
    walker = _Walker()
    title = doc.get("meta", {}).get("title")
    if title and title.get("t") == "MetaInlines":
        walker.para(_inlines(title["c"]), heading=1)
    walker.walk(doc.get("blocks", []))
    return walker.blocks
