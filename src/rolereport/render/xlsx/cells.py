"""Cell-level helpers for the Excel matrix: safe text cells, cached styles, sizes that fit.

Every value that came from a source or a profile goes through `put_text`, which stores it as a
string cell (`data_type = "s"`), so `=1+1`, `+cmd`, `-x`, `@y` or a leading tab stay literal
text and never become formulas.
"""

from __future__ import annotations

import math
import re
import unicodedata
import weakref
from copy import copy
from dataclasses import dataclass
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from rolereport.render.context import Context
from rolereport.text.cells import risky
from rolereport.text.direction import direction

MAX_CELL_CHARS = 32767  # Excel's limit; longer text is cut with an ellipsis
MAX_HEADER_CHARS = 255  # table column names
LINE_POINTS = 14.5  # one line of 11 pt text
BODY_FONT = "Calibri"  # present in Excel and Google Sheets; LibreOffice maps it to Carlito
# The body font is the theme's minor font (openpyxl's Office theme: Calibri), so that Excel takes
# text in other scripts from the theme's fonts for them (Japanese, Chinese, Korean, Arabic, Hebrew,
# Thai, Indic…); LibreOffice and Google Sheets fall back to installed fonts by themselves.
BODY_SCHEME = "minor"
_SPACES = re.compile(r"\s+")
_RTL_LOOKS: dict[int, tuple[Look, Look]] = {}  # id(look) → (look, its right-to-left twin)
_STYLE_INDICES: weakref.WeakKeyDictionary[Any, dict[int, tuple[Look, Any]]] = weakref.WeakKeyDictionary()


def clean(text: str, limit: int = MAX_CELL_CHARS) -> str:
    """Text an XLSX cell can hold: no XML-illegal control characters, within Excel's length."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def one_line(text: str, limit: int = MAX_HEADER_CHARS) -> str:
    """A single-line name (table column headings may not hold line breaks)."""
    return clean(_SPACES.sub(" ", text).strip(), limit)


@dataclass(frozen=True)
class Look:
    """A bundle of cell styles, built once per theme and shared by every workbook."""

    font: Font
    fill: PatternFill | None = None
    alignment: Alignment | None = None
    border: Border | None = None
    number_format: str | None = None

    def apply(self, cell: Cell) -> None:
        """Style `cell`: the first cell of a workbook through openpyxl's style registry, every
        later one by copying the resulting style indices (what openpyxl's own sheet copier does;
        the registry hashes every style object on each assignment, two thirds of the matrix's
        build time). Only for cells without a style yet, where both ways give the same."""
        if cell.has_style:
            self._assign(cell)
            return
        known = _STYLE_INDICES.setdefault(cell.parent.parent, {})
        entry = known.get(id(self))
        if entry is not None:
            cell._style = copy(entry[1])
            return
        self._assign(cell)
        known[id(self)] = (self, copy(cell._style))  # holding self keeps its id unique

    def right_to_left(self) -> Look:
        """This look for a cell whose text starts right-to-left: Excel's and Calc's reading order
        right-to-left (`readingOrder="2"`), so the text aligns right and its punctuation stays put."""
        kept = _RTL_LOOKS.get(id(self))
        if kept is None:
            a = self.alignment or Alignment()
            turned = Alignment(horizontal=a.horizontal, vertical=a.vertical, wrap_text=a.wrap_text,
                               shrink_to_fit=a.shrink_to_fit, indent=a.indent, readingOrder=2)
            kept = _RTL_LOOKS[id(self)] = (self, Look(self.font, self.fill, turned, self.border,
                                                      self.number_format))
        return kept[1]

    def _assign(self, cell: Cell) -> None:
        cell.font = self.font
        if self.fill is not None:
            cell.fill = self.fill
        if self.alignment is not None:
            cell.alignment = self.alignment
        if self.border is not None:
            cell.border = self.border
        if self.number_format is not None:
            cell.number_format = self.number_format


def _argb(hex_colour: str) -> str:
    return "FF" + hex_colour.lstrip("#").upper()


def tint(hex_colour: str, amount: float) -> str:
    """Mix a colour with white (`amount` 0 = unchanged, 1 = white); returns RRGGBB."""
    value = hex_colour.lstrip("#")
    rgb = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(c + (255 - c) * amount):02X}" for c in rgb)


def looks(ctx: Context) -> dict[str, Any]:
    """The workbook's styles for this theme, cached in the per-process context."""
    theme = ctx.theme
    key = f"xlsx.looks:{theme.accent}:{theme.accent_light}:{theme.font_family}"
    cached = ctx.cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    accent, light = _argb(theme.accent), _argb(theme.accent_light)
    grey = Side(style="thin", color="FFBFBFBF")
    grid = Border(left=grey, right=grey, top=grey, bottom=grey)
    top_wrap = Alignment(vertical="top", wrap_text=True)
    body = Font(name=BODY_FONT, scheme=BODY_SCHEME, size=11)
    built: dict[str, Any] = {
        "title": Look(Font(name=theme.font_family, size=16, bold=True, color=accent)),
        "subtitle": Look(Font(name=BODY_FONT, scheme=BODY_SCHEME, size=11, color="FF595959")),
        "hint": Look(Font(name=BODY_FONT, scheme=BODY_SCHEME, size=11, bold=True, color=accent),
                     PatternFill("solid", fgColor=light), Alignment(vertical="center")),
        "header": Look(Font(name=BODY_FONT, scheme=BODY_SCHEME, size=11, bold=True, color="FFFFFFFF"),
                       PatternFill("solid", fgColor=accent),
                       Alignment(vertical="center", wrap_text=True), grid),
        "text": Look(body, None, top_wrap, grid),
        "role": Look(Font(name=BODY_FONT, scheme=BODY_SCHEME, size=11, bold=True), None, top_wrap, grid),
        "number": Look(body, None, Alignment(horizontal="center", vertical="top"), grid, "0"),
        "tick": Look(Font(name=BODY_FONT, scheme=BODY_SCHEME, size=12, bold=True, color=accent), None,
                     Alignment(horizontal="center", vertical="top"), grid),
        "empty": Look(body, None, top_wrap, grid),
        "current": Look(Font(name=BODY_FONT, scheme=BODY_SCHEME, size=11, bold=True, color=accent),
                        PatternFill("solid", fgColor=light), top_wrap, grid),
        "current_rank": Look(Font(name=BODY_FONT, scheme=BODY_SCHEME, size=11, bold=True, color=accent),
                             PatternFill("solid", fgColor=light),
                             Alignment(horizontal="center", vertical="top", wrap_text=True), grid),
        "current_fill": Look(body, PatternFill("solid", fgColor=light), top_wrap, grid),
        "note": Look(Font(name=BODY_FONT, scheme=BODY_SCHEME, size=11, bold=True, color="FF9C5700")),
        "section": Look(Font(name=theme.font_family, size=13, bold=True, color=accent)),
        "label": Look(Font(name=BODY_FONT, scheme=BODY_SCHEME, size=11, bold=True), None, top_wrap),
        "plain": Look(body, None, top_wrap),
        "scale_low": "FFFFFF",
        "scale_high": tint(theme.accent, 0.45),
        "accent": theme.accent.lstrip("#").upper(),
    }
    ctx.cache[key] = built
    return built


def put_text(ws: Worksheet, row: int, col: int, text: str, look: Look | None = None) -> Cell:
    """Write `text` as a literal string cell, whatever it starts with."""
    value = clean(text)
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if look is not None:
        if not value.isascii() and direction(value) == "rtl":
            look = look.right_to_left()
        look.apply(cell)
    return literal(cell)


def literal(cell: Any) -> Any:
    """`cell` (a worksheet's or a write-only one) keeps its text as text, whatever it starts with."""
    cell.data_type = "s"  # openpyxl makes "=…" a formula; this keeps it text
    if risky(cell.value):
        cell.quotePrefix = True  # and Excel keeps it text even after the cell is edited
    return cell


def put_number(ws: Worksheet, row: int, col: int, value: int | None, look: Look | None = None) -> Cell:
    cell = ws.cell(row=row, column=col)
    if value is not None:
        cell.value = int(value)
    if look is not None:
        look.apply(cell)
    return cell


def text_width(text: str) -> int:
    """Width of a line in character cells (wide East Asian characters count twice)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def longest_line(text: str) -> int:
    return max((text_width(line) for line in text.split("\n")), default=0)


def wrapped_lines(text: str, width: float) -> int:
    """How many lines `text` takes in a wrapped cell `width` characters wide (a generous guess)."""
    if not text:
        return 1
    per_line = max(4, int(width * 1.2) - 1)
    count = 0
    for line in text.split("\n"):
        used = 0
        lines = 1
        for word in line.split(" "):
            size = text_width(word)
            if used and used + 1 + size > per_line:
                lines += 1
                used = 0
            if size > per_line:  # a long word breaks across lines
                lines += math.ceil(size / per_line) - 1
                size %= per_line
            used += size + (1 if used else 0)
        count += lines
    return count


def fit_widths(columns: list[list[str]], headers: list[str], caps: list[int], minimum: int = 6) -> list[float]:
    """Column widths that fit the content, capped; the heading leaves room for the filter button
    and stays on one line when the cap allows."""
    widths = []
    for values, header, cap in zip(columns, headers, caps, strict=True):
        need = max([longest_line(v) for v in values] + [0]) + 2
        head = max((text_width(w) for w in header.split()), default=0) + 4
        if text_width(header) + 4 <= cap:  # a short heading on one line keeps the header row low
            head = text_width(header) + 4
        widths.append(float(min(cap, max(minimum, need, head))))
    return widths


def row_height(texts: list[str], widths: list[float], extra: float = 4.0) -> float:
    lines = max(wrapped_lines(t, w) for t, w in zip(texts, widths, strict=True))
    return round(lines * LINE_POINTS + extra, 1)


def unique_names(names: list[str]) -> list[str]:
    """Make column names unique ignoring case (Excel requires it of a Table's columns)."""
    seen: set[str] = set()
    out = []
    for name in names:
        candidate = name or "-"
        n = 2
        while candidate.casefold() in seen:
            suffix = f" ({n})"
            candidate = name[: MAX_HEADER_CHARS - len(suffix)] + suffix
            n += 1
        seen.add(candidate.casefold())
        out.append(candidate)
    return out
