"""A PDF printed from the page: its text layer, read with pypdf, rebuilt into the common blocks.

A PDF has no paragraphs, lists or tables, only pieces of text at positions. They are rebuilt from
the layout, as a reader's eye does:

- lines: pieces at the same height on a page; the running header and footer a browser prints
  (small text in the top and bottom margins: date, title, address, page numbers) are left out;
- headings: text larger than the body text (the largest is level 1);
- paragraphs: lines that follow at the body's line spacing, start where the paragraph's text
  starts, and continue a line that reached the right margin;
- list items: a line led by a bullet or a number, or indented under the block before it (browsers
  draw bullets as shapes, not text);
- the comparison table: from its header row (the column words) down, pieces grouped into columns
  by where they start and into rows by the wider gap between rows than between a cell's lines.

Reading a PDF is always a reconstruction, so it is always said in one warning. pypdf (pure
Python, already what the team reads PDFs with) is imported only for PDF sources.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field

from rolereport import notices
from rolereport.errors import Problem, SourceError
from rolereport.sources.blocks import Block, Bullet, Para, Table, clean
from rolereport.sources.parse import BEST_FOR, EXPLORE, ITEM
from rolereport.sources.pdfbounds import ContentBudget, check_pages, quiet_pypdf
from rolereport.sources.tables import COLUMNS

_MARKER = re.compile(r"^(?:[•◦▪‣·●○■\uf0b7\uf0a7–-]|\d{1,6}[.)])$")
_BULLET_TEXT = re.compile(r"^[•◦▪‣·●○■\uf0b7\uf0a7]\s*(?P<text>.*)$")
_NUMBER = re.compile(r"^\d{1,6}[.)]\s")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*$")
_CHAR_WIDTH = 0.5  # average glyph width in ems, to tell a line that reached the margin
_SHORT = 10  # a line that stops this many ems before the margin ends its paragraph
_MARGIN = 0.06  # share of the page height where a browser prints its running header and footer


@dataclass
class _Piece:
    x: float
    text: str


@dataclass
class _Line:
    page: int
    y: float
    size: float
    pieces: list[_Piece] = field(default_factory=list)

    @property
    def x(self) -> float:
        return self.pieces[0].x

    @property
    def text_x(self) -> float:
        """Where the text starts, after a list marker."""
        if len(self.pieces) > 1 and _MARKER.match(self.pieces[0].text.strip()):
            return self.pieces[1].x
        return self.x

    @property
    def text(self) -> str:
        return clean(" ".join(p.text for p in self.pieces))

    @property
    def end(self) -> float:
        last = self.pieces[-1]
        return last.x + len(last.text) * self.size * _CHAR_WIDTH


def _lines(data: bytes, file: str, rules: dict[int, list[float]] | None = None) -> tuple[list[_Line], int]:
    """The page's text lines, and the number of running-header lines left out; `rules` gets each
    page's horizontal rules (the heights of the lines a word processor draws between table rows)."""
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        check_pages(len(reader.pages), file)
        if not len(reader.pages):
            raise SourceError(Problem(file, "the PDF has no pages (or its page list cannot be read); print "
                                      "the page again"))
        pages = list(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise SourceError(Problem(file, f"is not a readable PDF ({exc}); check --from")) from None
    lines: list[_Line] = []
    dropped = 0
    budget = ContentBudget(file)
    for number, page in enumerate(pages):
        try:
            budget.charge(page, number + 1)
        except SourceError:
            raise
        except Exception as exc:  # pypdf raises many kinds on damaged content streams
            raise SourceError(Problem(file, f"its text layer cannot be read on page {number + 1} "
                                      f"({type(exc).__name__}); print the page again")) from None
        height = float(page.mediabox.height)
        pieces: list[tuple[float, float, float, str]] = []

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float,
                  pieces: list[tuple[float, float, float, str]] = pieces) -> None:
            if not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1.0
            for k, part in enumerate(text.split("\n")):  # pieces can hold a line break
                if part.strip():
                    pieces.append((y - k * size * scale, x, round(size * scale, 1), part))

        drawn: list[float] = []
        at: list[tuple[float, float]] = []

        def draw(op: bytes, args: list[object], cm: list[float], tm: list[float],
                 drawn: list[float] = drawn, at: list[tuple[float, float]] = at) -> None:
            if op not in (b"m", b"l") or len(args) != 2:
                return
            x = float(args[0]) * cm[0] + float(args[1]) * cm[2] + cm[4]  # type: ignore[arg-type]
            y = float(args[0]) * cm[1] + float(args[1]) * cm[3] + cm[5]  # type: ignore[arg-type]
            if op == b"l" and at and abs(at[-1][1] - y) < 0.5 and abs(at[-1][0] - x) > 40:
                drawn.append(y)  # a horizontal rule
            at[:] = [(x, y)]

        try:
            page.extract_text(visitor_text=visit, visitor_operand_before=draw if rules is not None else None)
        except Exception as exc:  # pypdf raises many kinds on damaged content streams
            raise SourceError(Problem(file, f"its text layer cannot be read on page {number + 1} "
                                      f"({type(exc).__name__}); print the page again")) from None
        page_lines: list[_Line] = []
        for y, x, size, text in sorted(pieces, key=lambda p: (-p[0], p[1])):
            line = page_lines[-1] if page_lines else None
            if line is None or abs(line.y - y) > max(2.0, size * 0.3):
                line = _Line(number, y, size)
                page_lines.append(line)
            line.size = max(line.size, size)
            line.pieces.append(_Piece(x, text))
        for line in page_lines:
            line.pieces.sort(key=lambda p: p.x)
        if rules is not None:
            rules[number] = sorted(drawn)
        body = Counter(ln.size for ln in page_lines).most_common(1)[0][0] if page_lines else 0
        for line in page_lines:
            in_margin = line.y > height * (1 - _MARGIN) or line.y < height * _MARGIN
            if in_margin and line.size < body:
                dropped += 1
                continue
            lines.append(line)
    # What stands at the same place on several pages is the browser's or the site's running
    # matter (a fixed banner printed on every page), not the page's text.
    where: Counter[tuple[str, int]] = Counter((ln.text, round(ln.y)) for ln in lines)
    pages = len({ln.page for ln in lines})
    if pages > 1:
        kept = [ln for ln in lines if where[(ln.text, round(ln.y))] < 2]
        dropped += len(lines) - len(kept)
        lines = kept
    if not lines:
        raise SourceError(Problem(file, f"none of the PDF's {len(reader.pages)} page(s) holds text: it has no "
                                  "text layer (a scan or an image?); give the page as HTML, DOCX or text, or run it "
                                  "through OCR first"))
    return lines, dropped


def _gap(a: _Line, b: _Line) -> float | None:
    return a.y - b.y if a.page == b.page else None


def _base_gaps(lines: list[_Line]) -> dict[float, float]:
    """The usual distance between two lines of one paragraph, per font size."""
    found: dict[float, Counter[float]] = {}
    for a, b in zip(lines, lines[1:], strict=False):
        gap = _gap(a, b)
        if gap is not None and a.size == b.size and 0.9 * a.size <= gap <= 2.0 * a.size:
            found.setdefault(a.size, Counter())[round(gap, 1)] += 1
    return {size: min(g for g, n in c.items() if n == max(c.values())) for size, c in found.items()}


def _column_words(text: str) -> set[str]:
    key = text.casefold()
    return {f for f, words in COLUMNS.items() if any(w in key for w in words)}


def _table_at(lines: list[_Line], base: dict[float, float]) -> tuple[int, int] | None:
    """(first, end) of the comparison table's lines: from its header row to where it ends."""
    for k, line in enumerate(lines):
        if not _column_words(line.text):
            continue
        near = [ln for ln in lines[k : k + 4]
                if ln.page == line.page and ln.size == line.size and line.y - ln.y <= 3 * line.size]
        words = set().union(*(_column_words(p.text) for ln in near for p in ln.pieces))
        if len(words) < 4 or sum(len(ln.pieces) for ln in near) < 4:
            continue
        start = k
        step = base.get(line.size, line.size * 1.2)
        while start > 0 and lines[start - 1].size == line.size and (g := _gap(lines[start - 1], lines[start])) \
                is not None and g <= step * 1.3 and lines[start - 1].x > lines[start].x:
            start -= 1
        end = k + 1
        while end < len(lines):
            prev, cur = lines[end - 1], lines[end]
            gap = _gap(prev, cur)
            if cur.size != line.size:
                break
            if gap is None:  # a new page: the table goes on if its first lines still hold cells
                if not any(len(ln.pieces) >= 2 for ln in lines[end : end + 4] if ln.page == cur.page):
                    break
            elif gap > step * 2.2:
                break
            end += 1
        return start, end
    return None


def _ruled(prev: _Line, line: _Line, rules: dict[int, list[float]]) -> bool | None:
    """Whether a drawn rule separates two lines of a table on one page (None: no rules there)."""
    drawn = rules.get(line.page) or []
    if prev.page != line.page or not any(line.y - 2 * line.size < r < prev.y + 2 * line.size for r in drawn):
        return None
    return any(line.y < r < prev.y for r in drawn)


def _table(lines: list[_Line], rules: dict[int, list[float]] | None = None) -> Table:
    size = lines[0].size
    # Rows are further apart than the lines inside a cell: the smallest line-to-line distance is
    # a cell's line spacing when some cells wrap; when none is bigger, every line is a row.
    gaps = sorted(g for a, b in zip(lines, lines[1:], strict=False)
                  if (g := _gap(a, b)) is not None and g >= 0.9 * size)
    inside = gaps[0] if gaps else size
    step = inside if gaps and gaps[-1] > inside * 1.1 else 0.9 * size / 1.1
    starts: Counter[float] = Counter(round(p.x / 2) * 2 for ln in lines for p in ln.pieces)
    top = max(starts.values())
    columns = sorted(x for x, n in starts.items() if n >= max(2, 0.3 * top))
    merged: list[float] = []
    for x in columns:  # neighbours within a few points are one column
        if not merged or x - merged[-1] > size:
            merged.append(x)
    columns = merged

    def column(x: float) -> int:
        return max(0, sum(1 for c in columns if c <= x + size * 0.3) - 1)

    rows: list[list[list[str]]] = []
    wheres: list[str] = []
    prev: _Line | None = None
    for line in lines:
        gap = _gap(prev, line) if prev is not None else None
        ruled = _ruled(prev, line, rules) if prev is not None and rules else None
        if prev is None or gap is None or (gap > step * 1.1 if ruled is None else ruled):
            rows.append([[] for _ in columns])
            wheres.append(f"page {line.page + 1}, table row {len(rows)}")
        for piece in line.pieces:
            rows[-1][column(piece.x)].append(piece.text)
        prev = line
    table = [[_join(cell) for cell in row] for row in rows]
    header = table[0]
    kept: list[list[str]] = [header]
    kept_wheres = [wheres[0]]
    for row, where in zip(table[1:], wheres[1:], strict=True):
        if row[0] == header[0] and sum(a == b for a, b in zip(row, header, strict=True)) * 2 >= len(row):
            continue  # the header row, repeated on a new page
        if not row[0] and len(kept) > 1:  # a row cut by a page break goes on with no name
            kept[-1] = [_join([a, b]) for a, b in zip(kept[-1], row, strict=True)]
            continue
        kept.append(row)
        kept_wheres.append(where)
    return Table(tuple(tuple(r) for r in kept), tuple(kept_wheres))


def _join(parts: list[str]) -> str:
    """A cell's (or paragraph's) lines as one text; a word broken at a hyphen or slash is rejoined."""
    out = ""
    for part in (clean(p) for p in parts):
        if not part:
            continue
        if out and not (out[-1] in "-/" and out[-2:-1].isalpha()):
            out += " "
        out += part
    return clean(out)


class _Builder:
    """Lines → blocks, one paragraph or list item at a time."""

    def __init__(self, lines: list[_Line], base: dict[float, float]) -> None:
        self.base = base
        body = Counter(ln.size for ln in lines).most_common(1)[0][0]
        self.bigger = sorted({ln.size for ln in lines if ln.size > body * 1.1}, reverse=True)
        ends = sorted(ln.end for ln in lines if ln.size == body)
        self.right = ends[int(0.9 * (len(ends) - 1))]  # the right margin, near enough
        self.blocks: list[Block] = []
        self.current: list[_Line] = []
        self.para_x: float | None = None  # where the last paragraph's text starts
        self.bullet_x: float | None = None  # where the last list item's text starts

    def ends_block(self, line: _Line) -> bool:
        prev, first = self.current[-1], self.current[0]
        gap = _gap(prev, line)
        step = self.base.get(prev.size, prev.size * 1.2)
        starts_item = any(p.match(line.text) for p in (_BULLET_TEXT, ITEM, _NUMBER, BEST_FOR, EXPLORE))
        if (line.size != prev.size or (gap is not None and gap > step * 1.25) or starts_item
                or abs(line.x - first.text_x) > 2  # not aligned with the paragraph's text
                or prev.end < self.right - _SHORT * prev.size):  # the line before stopped short
            return True
        # An entry's heading line ('1. Name — tagline.') ends with its sentence; in a list (no
        # space between items), a line that ends a sentence and a capital after it start the next
        # item (an item that wraps exactly after a sentence is split: a limit).
        return (_SENTENCE_END.search(prev.text) is not None and line.text[:1].isupper()
                and (self._indented(first) or bool(_NUMBER.match(first.text))))

    def add(self, line: _Line) -> None:
        if self.current and self.ends_block(line):
            self.flush()
        self.current.append(line)

    def table(self, table: Table) -> None:
        self.flush()
        self.blocks.append(table)
        self.para_x = self.bullet_x = None

    def flush(self) -> None:
        if not self.current:
            return
        first = self.current[0]
        text = _join([ln.text for ln in self.current])
        self.current = []
        where = f"page {first.page + 1} (“{text if len(text) <= 40 else text[:39] + '…'}”)"
        bullet = _BULLET_TEXT.match(text)
        level = self.bigger.index(first.size) + 1 if first.size in self.bigger else None
        if bullet and (level is not None or ITEM.match(bullet["text"])):
            # a heading, or '• 1. Name — tagline', in a bulleted list is an entry, not a bullet
            self.blocks.append(Para(clean(bullet["text"]), where, level))
            self.para_x, self.bullet_x = first.text_x, None
        elif bullet or (level is None and self._indented(first)):
            self.blocks.append(Bullet(clean(bullet["text"]) if bullet else text, where))
            self.bullet_x = first.text_x
        else:
            self.blocks.append(Para(text, where, level))
            self.para_x, self.bullet_x = first.text_x, None

    def _indented(self, first: _Line) -> bool:
        """Indented under the paragraph before, or aligned with the list item before: a list whose
        bullets are drawn as shapes, not written."""
        if any(p.match(first.text) for p in (_NUMBER, BEST_FOR, EXPLORE)):
            return False
        if self.bullet_x is not None and abs(first.text_x - self.bullet_x) < 2:
            return True
        return self.para_x is not None and first.text_x > self.para_x + first.size


def pdf_blocks(data: bytes, file: str) -> list[Block]:
    rules: dict[int, list[float]] = {}
    with quiet_pypdf():  # a damaged file is said once, in our words
        lines, dropped = _lines(data, file, rules)
    base = _base_gaps(lines)
    found = _table_at(lines, base)
    build = _Builder(lines, base)
    k = 0
    while k < len(lines):
        if found and k == found[0]:
            build.table(_table(lines[found[0] : found[1]], rules))
            k = found[1]
            continue
        build.add(lines[k])
        k += 1
    build.flush()
    what = f"; left out {dropped} line(s) of the browser's running header and footer" if dropped else ""
    notices.warn(file, "read from the PDF's text layer: headings, paragraphs, lists and the table are "
                 f"rebuilt from where the text stands on the page{what}; check the result")
    return build.blocks
