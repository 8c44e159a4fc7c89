"""The Roles sheet (one filterable row per role) and, with a profile, the Your fit sheet: the
score of every role with the phrases behind it and any caution, then a bar chart.

The long "why" text lives on Your fit, not on Roles, so a personalised Roles sheet has rows as
short as the plain one and prints on as many pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from rolereport.model import Report
from rolereport.render.xlsx.cells import fit_widths, put_number, put_text, row_height
from rolereport.render.xlsx.furniture import (
    HEADER_ROW,
    header,
    heading_rows,
    print_setup,
    set_widths,
    table,
)
from rolereport.render.xlsx.rows import MatrixRow, caution_text, why_text
from rolereport.text.direction import isolate
from rolereport.text.labels import LABELS


@dataclass(frozen=True)
class Column:
    label: str  # key in LABELS
    cap: int  # widest the column may get
    value: Callable[[MatrixRow], str | int | None]
    kind: str = "text"  # text | role | number


BASE_COLUMNS = (
    Column("role_kind", 14, lambda r: r.kind),
    Column("rank", 8, lambda r: r.rank, "number"),
    Column("role", 28, lambda r: r.name, "role"),
)
SCORE_COLUMNS = (
    Column("fit_score", 13, lambda r: r.fit.score if r.fit else None, "number"),
    Column("fit_band", 14, lambda r: r.band),
)
GUIDE_COLUMNS = (
    Column("tagline", 40, lambda r: r.tagline),
    Column("primary_focus", 28, lambda r: r.primary_focus),
    Column("key_responsibility", 30, lambda r: r.key_responsibility),
    Column("tools", 28, lambda r: "\n".join(r.tools)),
    Column("deliverable", 28, lambda r: r.deliverable),
    Column("best_for", 55, lambda r: "\n".join(f"• {b}" for b in r.best_for)),
    Column("pick_if", 45, lambda r: r.pick_if),
)
FIT_COLUMNS = (
    Column("role", 28, lambda r: r.name, "role"),
    *SCORE_COLUMNS,
    Column("why", 80, lambda r: why_text(r.fit)),
    Column("caution", 40, lambda r: caution_text(r.fit)),
)


SMALLEST_SCALE = 0.6  # Your fit prints on one page unless that would shrink its text below this
PRINTABLE_HEIGHT = {"A4": 595 - 72, "Letter": 612 - 72}  # landscape, points, less the margins


def roles_columns(with_fit: bool) -> tuple[Column, ...]:
    return BASE_COLUMNS + (SCORE_COLUMNS if with_fit else ()) + GUIDE_COLUMNS


def _rows_table(ws: Worksheet, lk: dict[str, Any], columns: tuple[Column, ...], rows: list[MatrixRow],
                name: str) -> tuple[list[float], int]:
    """The header and one row per role under it, as a Table; returns the widths and last row."""
    headers = [LABELS[c.label] for c in columns]
    values = [[c.value(row) for c in columns] for row in rows]
    texts = [[v if isinstance(v, str) else ("" if v is None else str(v)) for v in vals] for vals in values]
    widths = fit_widths([list(col) for col in zip(*texts, strict=True)] if texts else [[] for _ in columns],
                        headers, [c.cap for c in columns])
    header(ws, lk, headers, widths)
    for i, (row, vals) in enumerate(zip(rows, values, strict=True)):
        r = HEADER_ROW + 1 + i
        for c, (col, value) in enumerate(zip(columns, vals, strict=True), start=1):
            if col.kind == "number":
                put_number(ws, r, c, value if isinstance(value, int) else None,
                           lk["current_fill"] if row.current else lk["number"])
            else:
                look = lk["current"] if row.current else lk["role" if col.kind == "role" else "text"]
                if row.current and col.kind != "role":
                    look = lk["current_fill"]
                put_text(ws, r, c, str(value), look)
        ws.row_dimensions[r].height = row_height(texts[i], widths)
    last = HEADER_ROW + max(len(rows), 1)
    set_widths(ws, widths)
    table(ws, name, len(columns), last)
    return widths, last


def _score_scale(ws: Worksheet, lk: dict[str, Any], columns: tuple[Column, ...], last: int) -> None:
    col = get_column_letter(1 + [c.label for c in columns].index("fit_score"))
    ws.conditional_formatting.add(
        f"{col}{HEADER_ROW + 1}:{col}{last}",
        ColorScaleRule(start_type="num", start_value=0, start_color=lk["scale_low"],
                       end_type="num", end_value=100, end_color=lk["scale_high"]),
    )


def roles_sheet(ws: Worksheet, report: Report, rows: list[MatrixRow], lk: dict[str, Any],
                paper: str, doc_title: str) -> None:
    with_fit = report.profile is not None
    columns = roles_columns(with_fit)
    title = f"{LABELS['matrix_title']}: {isolate(doc_title)}"
    subtitle = f"{LABELS['source']}: {report.source.name} · {report.source.date.isoformat()}"
    if report.profile is not None:
        title += f" — {LABELS['prepared_for']} {isolate(report.profile.name)}"
        subtitle = LABELS["sorted_by_fit"].format(name=isolate(report.profile.name)) + "   " + subtitle
    heading_rows(ws, lk, title, subtitle, LABELS["filter_hint"], len(columns))
    _, last = _rows_table(ws, lk, columns, rows, "RolesTable")
    ws.freeze_panes = f"D{HEADER_ROW + 1}"  # role type, rank and role stay in view
    print_setup(ws, paper, title_columns="A:C")
    if with_fit:
        _score_scale(ws, lk, columns, last)


def fit_sheet(ws: Worksheet, report: Report, rows: list[MatrixRow], lk: dict[str, Any],
              paper: str) -> None:
    """Every alternative's score, band, the phrases behind it and any caution, as a Table; a bar
    chart of the scores under it. A note says when the profile was too short to score."""
    assert report.profile is not None
    fits = [row for row in rows if row.fit is not None]
    note = " ".join(report.fit_notes)
    heading_rows(ws, lk, f"{LABELS['fit_chart']} — {isolate(report.profile.name)}", note,
                 LABELS["fit_hint"], len(FIT_COLUMNS), lk["note"])
    _, last = _rows_table(ws, lk, FIT_COLUMNS, fits, "FitTable")
    ws.freeze_panes = f"B{HEADER_ROW + 1}"
    print_setup(ws, paper)
    if not fits:
        return
    _score_scale(ws, lk, FIT_COLUMNS, last)
    chart = BarChart()
    chart.type = "bar"
    chart.title = LABELS["fit_chart"]
    chart.legend = None
    first = HEADER_ROW + 1
    chart.add_data(Reference(ws, min_col=2, min_row=HEADER_ROW, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    chart.x_axis.scaling.orientation = "maxMin"  # best fit at the top
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.y_axis.majorUnit = 20
    chart.y_axis.title = LABELS["fit_score"]
    chart.y_axis.crosses = "max"  # keep the value axis under the bars
    chart.gapWidth = 60
    series = chart.series[0]
    series.graphicalProperties.solidFill = lk["accent"]
    series.graphicalProperties.line.solidFill = lk["accent"]
    series.dLbls = DataLabelList()
    series.dLbls.showVal = True
    for flag in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
        setattr(series.dLbls, flag, False)
    chart.width = 20
    chart.height = max(7.0, 2.5 + 0.75 * len(fits))
    ws.add_chart(chart, f"A{last + 2}")  # under the table: one page wide, readable
    tall = sum(ws.row_dimensions[r].height or 15 for r in range(1, last + 2)) + chart.height * 28.35
    if tall * SMALLEST_SCALE <= PRINTABLE_HEIGHT[paper]:
        ws.page_setup.fitToHeight = 1  # the scores, the why and the chart on one sheet of paper
