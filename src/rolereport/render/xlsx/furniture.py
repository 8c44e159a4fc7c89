"""What every sheet of the matrix shares: the heading rows, the Table, the widths, the print setup."""

from __future__ import annotations

from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from rolereport.render.xlsx.cells import LINE_POINTS, one_line, put_text, wrapped_lines

TABLE_STYLE = "TableStyleMedium2"
TITLE_ROW, SUBTITLE_ROW, HINT_ROW, HEADER_ROW = 1, 2, 3, 4
PRINT_SCALE = 80  # 11 pt cells print at 8.8 pt: the smallest size still comfortable to read


def heading_rows(ws: Worksheet, lk: dict[str, Any], title: str, subtitle: str, hint: str,
                 width: int, subtitle_look: Any = None) -> None:
    put_text(ws, TITLE_ROW, 1, title, lk["title"])
    ws.row_dimensions[TITLE_ROW].height = 24
    if subtitle:
        put_text(ws, SUBTITLE_ROW, 1, subtitle, subtitle_look or lk["subtitle"])
    put_text(ws, HINT_ROW, 1, hint, lk["hint"])
    for col in range(2, width + 1):  # the hint band runs across the table
        lk["hint"].apply(ws.cell(row=HINT_ROW, column=col))
    ws.row_dimensions[HINT_ROW].height = 22


def table(ws: Worksheet, name: str, columns: int, last_row: int) -> None:
    """An Excel Table (filter buttons, banded rows) from the header row to the last data row."""
    last_row = max(last_row, HEADER_ROW + 1)  # a Table needs at least one data row
    ref = f"A{HEADER_ROW}:{get_column_letter(columns)}{last_row}"
    t = Table(displayName=name, ref=ref)
    t.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True, showColumnStripes=False,
                                      showFirstColumn=False, showLastColumn=False)
    ws.add_table(t)


def paper(ws: Worksheet, size: str, orientation: str = "landscape") -> None:
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER if size == "Letter" else ws.PAPERSIZE_A4


def one_page_wide(ws: Worksheet) -> None:
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def print_setup(ws: Worksheet, size: str, repeat_header: bool = True, title_columns: str | None = None) -> None:
    """Landscape pages. A sheet with `title_columns` (too wide for one readable page) prints at
    a fixed readable scale, its columns running on over as many pages as they need, each page
    repeating those columns (which role the row is) and the heading row; other sheets print
    one page wide."""
    paper(ws, size)
    if title_columns:
        ws.page_setup.scale = PRINT_SCALE
        ws.page_setup.pageOrder = "overThenDown"
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.print_title_cols = title_columns
    else:
        one_page_wide(ws)
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddFooter.center.text = "&P / &N"
    if repeat_header:
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def header(ws: Worksheet, lk: dict[str, Any], names: list[str], widths: list[float]) -> None:
    for col, name in enumerate(names, start=1):
        put_text(ws, HEADER_ROW, col, name, lk["header"])
    lines = max(wrapped_lines(n, w - 3) for n, w in zip(names, widths, strict=True))
    ws.row_dimensions[HEADER_ROW].height = lines * LINE_POINTS + 8


def set_widths(ws: Worksheet, widths: list[float]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def sheet_title(label: str, taken: set[str]) -> str:
    """A legal, unique sheet name: ≤ 31 characters, none of []:*?/\\, no edge apostrophes."""
    name = one_line("".join(" " if ch in "[]:*?/\\" else ch for ch in label), 31).strip("'") or "Sheet"
    base, n = name, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name.casefold())
    return name
