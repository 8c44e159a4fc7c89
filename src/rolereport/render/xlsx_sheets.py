"""The sheets of the Excel matrix: Roles, Your fit (with a profile), Tools, Best for, About.

Each builder fills one worksheet from the same list of `MatrixRow`s, so every sheet shows the
roles in the same order: the current role first, then the alternatives (by fit when a profile is
given, else by the source's rank).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from rolereport.labels import BANDS, LABELS
from rolereport.model import Fit, Report
from rolereport.render.xlsx_cells import (
    LINE_POINTS,
    fit_widths,
    one_line,
    put_number,
    put_text,
    row_height,
    text_width,
    unique_names,
    wrapped_lines,
)
from rolereport.scripts import isolate

TABLE_STYLE = "TableStyleMedium2"
MAX_EVIDENCE = 4  # "why" lines per role; the rest are counted
TITLE_ROW, SUBTITLE_ROW, HINT_ROW, HEADER_ROW = 1, 2, 3, 4


@dataclass(frozen=True)
class MatrixRow:
    rank: int | None  # None for the current role
    name: str
    tagline: str
    primary_focus: str
    key_responsibility: str
    tools: tuple[str, ...]
    deliverable: str
    best_for: tuple[str, ...]
    pick_if: str
    fit: Fit | None

    @property
    def current(self) -> bool:
        return self.rank is None


def matrix_rows(report: Report) -> list[MatrixRow]:
    """The current role, then the alternatives: best fit first with a profile, else by rank."""
    guide = report.guide
    s = guide.subject
    rows = [MatrixRow(None, s.name, "", s.primary_focus, s.key_responsibility, s.tools,
                      s.deliverable, (), "", None)]
    fit_by_name: dict[str, Fit] = {}
    for fit in report.fits:
        fit_by_name.setdefault(fit.role, fit)
    order = {fit.role: i for i, fit in reversed(list(enumerate(report.fits)))}
    alternatives = sorted(guide.alternatives,
                          key=lambda r: (order.get(r.name, len(order)), r.rank))
    rows += [MatrixRow(r.rank, r.name, r.tagline, r.primary_focus, r.key_responsibility, r.tools,
                       r.deliverable, r.best_for, r.pick_if or "", fit_by_name.get(r.name))
             for r in alternatives]
    return rows


def _field_label(field: str) -> str:
    return LABELS.get(field, field.replace("_", " "))


def why_text(fit: Fit | None) -> str:
    """The evidence in words, worded as the PDF's "Your best matches" section words it."""
    if fit is None:
        return ""
    lines = [f"Your “{isolate(ev.profile_text)}”{f' (read as “{ev.read_as}”)' if ev.read_as else ''} matches "
             f"“{isolate(ev.source_text)}” ({_field_label(ev.field)})." for ev in fit.evidence[:MAX_EVIDENCE]]
    if not fit.evidence:
        lines.append(LABELS["fit_shared_only"] if fit.score else LABELS["fit_nothing"])
    more = len(fit.evidence) - MAX_EVIDENCE
    if more > 0:
        lines.append(f"…and {more} more.")
    lines += [f"{LABELS['caution']}: you said you'd rather leave “{c.profile_text}” behind; this role "
              f"involves it (“{c.source_text}”)." for c in fit.cautions[:1]]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# shared sheet furniture


def _heading_rows(ws: Worksheet, lk: dict[str, Any], title: str, subtitle: str, hint: str,
                  width: int) -> None:
    put_text(ws, TITLE_ROW, 1, title, lk["title"])
    ws.row_dimensions[TITLE_ROW].height = 24
    if subtitle:
        put_text(ws, SUBTITLE_ROW, 1, subtitle, lk["subtitle"])
    put_text(ws, HINT_ROW, 1, hint, lk["hint"])
    for col in range(2, width + 1):  # the hint band runs across the table
        lk["hint"].apply(ws.cell(row=HINT_ROW, column=col))
    ws.row_dimensions[HINT_ROW].height = 22


def _table(ws: Worksheet, name: str, columns: int, last_row: int) -> None:
    """An Excel Table (filter buttons, banded rows) from the header row to the last data row."""
    last_row = max(last_row, HEADER_ROW + 1)  # a Table needs at least one data row
    ref = f"A{HEADER_ROW}:{get_column_letter(columns)}{last_row}"
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True,
                                          showColumnStripes=False, showFirstColumn=False,
                                          showLastColumn=False)
    ws.add_table(table)


PRINT_SCALE = 80  # 11 pt cells print at 8.8 pt: the smallest size still comfortable to read


def _print_setup(ws: Worksheet, paper: str, repeat_header: bool = True, title_columns: str | None = None) -> None:
    """Landscape pages. A sheet with `title_columns` (too wide for one readable page) prints at
    a fixed readable scale, its columns running on over as many pages as they need, each page
    repeating those columns (which role the row is) and the heading row; other sheets print
    one page wide."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER if paper == "Letter" else ws.PAPERSIZE_A4
    if title_columns:
        ws.page_setup.scale = PRINT_SCALE
        ws.page_setup.pageOrder = "overThenDown"
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.print_title_cols = title_columns
    else:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddFooter.center.text = "&P / &N"
    if repeat_header:
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _header(ws: Worksheet, lk: dict[str, Any], names: list[str], widths: list[float]) -> None:
    for col, name in enumerate(names, start=1):
        put_text(ws, HEADER_ROW, col, name, lk["header"])
    lines = max(wrapped_lines(n, w - 3) for n, w in zip(names, widths, strict=True))
    ws.row_dimensions[HEADER_ROW].height = lines * LINE_POINTS + 8


def _set_widths(ws: Worksheet, widths: list[float]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _rank_cell(ws: Worksheet, lk: dict[str, Any], r: int, c: int, row: MatrixRow) -> None:
    if row.current:
        put_text(ws, r, c, LABELS["current_role_marker"], lk["current_rank"])
    else:
        put_number(ws, r, c, row.rank, lk["number"])


# ---------------------------------------------------------------------------------------------
# Roles


@dataclass(frozen=True)
class Column:
    label: str  # key in LABELS
    cap: int  # widest the column may get
    value: Callable[[MatrixRow], str | int | None]
    kind: str = "text"  # text | role | rank | number


BASE_COLUMNS = (
    Column("role_kind", 14, lambda r: LABELS["current_role_marker" if r.current else "alternative_marker"]),
    Column("rank", 8, lambda r: r.rank, "number"),
    Column("role", 28, lambda r: r.name, "role"),
)
FIT_COLUMNS = (
    Column("fit_score", 11, lambda r: r.fit.score if r.fit else None, "number"),
    Column("fit_band", 14, lambda r: r.fit.band if r.fit else LABELS["current_role_marker"] if r.current else ""),
    Column("why", 60, lambda r: why_text(r.fit)),
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


def roles_columns(with_fit: bool) -> tuple[Column, ...]:
    return BASE_COLUMNS + (FIT_COLUMNS if with_fit else ()) + GUIDE_COLUMNS


def roles_sheet(ws: Worksheet, report: Report, rows: list[MatrixRow], lk: dict[str, Any],
                paper: str, doc_title: str) -> None:
    with_fit = report.profile is not None
    columns = roles_columns(with_fit)
    headers = [LABELS[c.label] for c in columns]
    values = [[c.value(row) for c in columns] for row in rows]
    texts = [[v if isinstance(v, str) else ("" if v is None else str(v)) for v in vals]
             for vals in values]
    widths = fit_widths([list(col) for col in zip(*texts, strict=True)], headers,
                        [c.cap for c in columns])

    title = f"{LABELS['matrix_title']}: {isolate(doc_title)}"
    subtitle = f"{LABELS['source']}: {report.source.name} · {report.source.date.isoformat()}"
    if report.profile is not None:
        title += f" — {LABELS['prepared_for']} {isolate(report.profile.name)}"
        subtitle = LABELS["sorted_by_fit"].format(name=isolate(report.profile.name)) + "   " + subtitle
    _heading_rows(ws, lk, title, subtitle, LABELS["filter_hint"], len(columns))
    _header(ws, lk, headers, widths)

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

    last = HEADER_ROW + len(rows)
    _set_widths(ws, widths)
    _table(ws, "RolesTable", len(columns), last)
    ws.freeze_panes = f"D{HEADER_ROW + 1}"  # role type, rank and role stay in view
    _print_setup(ws, paper, title_columns="A:C")
    if with_fit:
        score_col = get_column_letter(1 + [c.label for c in columns].index("fit_score"))
        ws.conditional_formatting.add(
            f"{score_col}{HEADER_ROW + 1}:{score_col}{last}",
            ColorScaleRule(start_type="num", start_value=0, start_color=lk["scale_low"],
                           end_type="num", end_value=100, end_color=lk["scale_high"]),
        )


# ---------------------------------------------------------------------------------------------
# Your fit: the chart


def fit_sheet(ws: Worksheet, report: Report, rows: list[MatrixRow], lk: dict[str, Any],
              paper: str) -> None:
    assert report.profile is not None
    fits = [row for row in rows if row.fit is not None]
    put_text(ws, TITLE_ROW, 1, f"{LABELS['fit_chart']} — {isolate(report.profile.name)}", lk["title"])
    ws.row_dimensions[TITLE_ROW].height = 24
    headers = [LABELS["role"], LABELS["fit_score"], LABELS["fit_band"]]
    texts = [[row.name, str(row.fit.score), row.fit.band] for row in fits if row.fit]
    widths = fit_widths([list(col) for col in zip(*texts, strict=True)] if texts else [[], [], []],
                        headers, [32, 11, 14])
    for c, name in enumerate(headers, start=1):
        put_text(ws, HEADER_ROW - 1, c, name, lk["header"])
    for i, row in enumerate(fits):
        r = HEADER_ROW + i
        assert row.fit is not None
        put_text(ws, r, 1, row.name, lk["role"])
        put_number(ws, r, 2, row.fit.score, lk["number"])
        put_text(ws, r, 3, row.fit.band, lk["text"])
        ws.row_dimensions[r].height = row_height(texts[i], widths)
    _set_widths(ws, widths)
    if not fits:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.title = LABELS["fit_chart"]
    chart.legend = None
    first, last = HEADER_ROW, HEADER_ROW + len(fits) - 1
    chart.add_data(Reference(ws, min_col=2, min_row=first - 1, max_row=last), titles_from_data=True)
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
    ws.add_chart(chart, f"{get_column_letter(len(headers) + 2)}{HEADER_ROW - 1}")
    ws.freeze_panes = f"A{HEADER_ROW}"
    _print_setup(ws, paper, repeat_header=False)
    ws.page_setup.fitToHeight = 1  # the chart prints whole, on one page


# ---------------------------------------------------------------------------------------------
# Tools: role × tool


def distinct_tools(rows: list[MatrixRow]) -> list[str]:
    """Every tool once (ignoring case and spacing), alphabetically, as first spelled."""
    found: dict[str, str] = {}
    for row in rows:
        for tool in row.tools:
            name = one_line(tool)
            if name:
                found.setdefault(name.casefold(), name)
    return [found[k] for k in sorted(found, key=_natural)]


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts T2 before T10."""
    return tuple((0, int(part)) if part.isdigit() else (1, part)
                 for part in re.split(r"(\d+)", text) if part)


def tools_sheet(ws: Worksheet, rows: list[MatrixRow], lk: dict[str, Any], paper: str) -> None:
    tools = distinct_tools(rows)
    fixed = [LABELS["rank"], LABELS["role"]]
    headers = unique_names(fixed + tools)
    tick = LABELS["uses_tool"]
    uses = [{one_line(t).casefold() for t in row.tools} for row in rows]
    names = [row.name for row in rows]
    widths = fit_widths([[LABELS["current_role_marker"]], names], fixed, [13, 28])
    widths += [float(min(18, max(7, text_width(t) + 3))) for t in tools]

    _heading_rows(ws, lk, LABELS["tools_title"], "", LABELS["tools_hint"], len(headers))
    _header(ws, lk, headers, widths)
    for i, row in enumerate(rows):
        r = HEADER_ROW + 1 + i
        _rank_cell(ws, lk, r, 1, row)
        put_text(ws, r, 2, row.name, lk["current"] if row.current else lk["role"])
        for c, tool in enumerate(tools, start=3):
            cell = ws.cell(row=r, column=c)
            if tool.casefold() in uses[i]:
                put_text(ws, r, c, tick, lk["tick"])
            else:
                lk["empty"].apply(cell)
        ws.row_dimensions[r].height = row_height([row.name], widths[1:2])
    _set_widths(ws, widths)
    _table(ws, "ToolsTable", len(headers), HEADER_ROW + len(rows))
    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    _print_setup(ws, paper, title_columns="A:B")


# ---------------------------------------------------------------------------------------------
# Best for: one row per (role, statement)


def best_for_sheet(ws: Worksheet, rows: list[MatrixRow], lk: dict[str, Any], paper: str) -> None:
    pairs = [(row, item) for row in rows for item in row.best_for]
    headers = [LABELS["rank"], LABELS["role"], LABELS["best_for"]]
    widths = fit_widths([[str(row.rank) for row, _ in pairs], [row.name for row, _ in pairs],
                         [item for _, item in pairs]], headers, [8, 28, 80])
    _heading_rows(ws, lk, LABELS["best_for_title"], "", LABELS["best_for_hint"], len(headers))
    _header(ws, lk, headers, widths)
    for i, (row, item) in enumerate(pairs):
        r = HEADER_ROW + 1 + i
        put_number(ws, r, 1, row.rank, lk["number"])
        put_text(ws, r, 2, row.name, lk["role"])
        put_text(ws, r, 3, item, lk["text"])
        ws.row_dimensions[r].height = row_height([row.name, item], widths[1:])
    if not pairs:  # the Table still needs one (empty) data row
        for c in range(1, len(headers) + 1):
            lk["empty"].apply(ws.cell(row=HEADER_ROW + 1, column=c))
    _set_widths(ws, widths)
    _table(ws, "BestForTable", len(headers), HEADER_ROW + len(pairs))
    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    _print_setup(ws, paper)


# ---------------------------------------------------------------------------------------------
# About


def _column_meanings(report: Report) -> list[tuple[str, str]]:
    name = report.profile.name if report.profile else ""
    bands = ", ".join(
        f"{band} ({low}–{BANDS[i - 1][1] - 1})" if i else f"{band} ({low}–100)"
        for i, (band, low) in enumerate(BANDS)
    )
    baseline = "your current role" if report.profile is not None else "the role the source starts from"
    meanings = {
        "role_kind": f"“{LABELS['current_role_marker']}” for {report.guide.subject.name} ({baseline}), "
        f"“{LABELS['alternative_marker']}” for the others. After sorting or filtering, filter this column "
        "to find the baseline row again.",
        "rank": "Where the source ranks the alternative (1 = its first suggestion); empty for "
        f"{report.guide.subject.name}.",
        "role": "The role's name.",
        "fit_score": f"How well the role matches {name}'s profile, from 0 to 100 (darker = better). It is "
        "worked out from the words in the profile and in the source.",
        "fit_band": f"The score in words: {bands}. Filter on it to see, say, every strong fit "
        f"(tick “{LABELS['current_role_marker']}” too to keep the baseline row).",
        "why": "The phrases from the profile and from the source that produced the score.",
        "tagline": "The role in one line, as the source puts it.",
        "primary_focus": "What the role mostly works on.",
        "key_responsibility": "What the role is accountable for.",
        "tools": "Common tools and frameworks, one per line. The Tools sheet has one column per tool.",
        "deliverable": "What the role typically produces.",
        "best_for": "Who the role suits, one statement per line. The Best for sheet lists them one per row.",
        "pick_if": "The source's advice on when to choose this role.",
    }
    return [(LABELS[c.label], meanings[c.label]) for c in roles_columns(report.profile is not None)]


_FUNCTION_WORDS = frozenset(
    "about above after also among and any are been being both but can could each either for from "
    "have having her here him his how into its just like many more most much must not off once only "
    "other our out over own same she should some such than that the their them then there these "
    "they this those through too under until very was were what when where which while who whom "
    "why will with would you your yours".split())


def _example_words(rows: list[MatrixRow], n: int = 2) -> list[str]:
    """Words that really occur in the best-for statements, the most widespread first: examples of
    what to filter the Best for sheet by."""
    counts: dict[str, int] = {}
    for row in rows:
        for item in row.best_for:
            for word in {w.casefold() for w in re.findall(r"[^\W\d_]{4,}", item)}:
                if word not in _FUNCTION_WORDS:
                    counts[word] = counts.get(word, 0) + 1
    return sorted(counts, key=lambda w: (-counts[w], w))[:n]


def _example_tool(rows: list[MatrixRow]) -> str | None:
    tools = distinct_tools(rows)
    if not tools:
        return None
    counts = {t: sum(t.casefold() in {one_line(x).casefold() for x in r.tools} for r in rows)
              for t in tools}
    return max(tools, key=lambda t: counts[t])  # first of the most used, alphabetically


def about_sheet(ws: Worksheet, report: Report, rows: list[MatrixRow], lk: dict[str, Any],
                organisation: str, paper: str) -> None:
    guide, source = report.guide, report.source
    n = len(guide.alternatives)
    sheets = [LABELS["sheet_roles"], LABELS["sheet_tools"], LABELS["sheet_best_for"]]
    tool = _example_tool(rows)
    words = _example_words(rows)
    tool_example = (f" For example, to see which roles use {tool}: on the {LABELS['sheet_tools']} sheet, "
                    f"click ▼ in the “{tool}” heading and tick only {LABELS['uses_tool']}.") if tool else ""
    entries: list[tuple[str, str, str]] = [  # (kind, label, text)
        ("title", LABELS["about_workbook"], ""),
        ("row", "What this is", f"A side-by-side comparison of {guide.subject.name} "
         f"({'your current role' if report.profile is not None else 'the role the source starts from'}) "
         f"and {n} alternative role{'s' if n != 1 else ''}, taken from the source below. One row per "
         f"role on the {sheets[0]} sheet. Everything here is plain text: no formulas, macros or links."),
    ]
    if report.profile is not None:
        entries.append(("row", LABELS["prepared_for"], report.profile.name))
    entries += [
        ("row", "Prepared by", organisation),
        ("row", LABELS["source"], f"{guide.title} ({source.name})"),
        ("row", LABELS["source_date"], source.date.isoformat()),
        ("gap", "", ""),
        ("section", "How to filter", ""),
        ("row", "The idea", "Each heading cell has a small ▼ button. Click it, tick the values you want to "
         "see and the other rows are hidden; nothing is deleted. A filtered column shows a funnel icon. "
         "Filter several columns to narrow down further." + tool_example),
        ("row", "Microsoft Excel", "Click ▼ in a heading. Untick (Select All), tick what you want and click "
         "OK. To find a word anywhere in a cell, choose Text Filters ▸ Contains… To show everything again, "
         "click ▼ and choose Clear Filter, or Data ▸ Clear."),
        ("row", "LibreOffice Calc", "Click ▼ in a heading and tick what you want. For a word anywhere in a "
         "cell, choose Standard Filter… with the condition Contains. If there are no ▼ buttons, click a "
         "heading and choose Data ▸ AutoFilter."),
        ("row", "Google Sheets", "If there are no filter buttons, click a heading and choose Data ▸ Create a "
         "filter. Then click the filter icon in a heading and use Filter by values, or Filter by condition ▸ "
         "Text contains."),
        ("row", "Sorting", "The same ▼ menu sorts A to Z or Z to A. To get the original order back, sort "
         f"the {LABELS['rank']} column smallest to largest; the {LABELS['role_kind']} column finds "
         f"{guide.subject.name} again, whatever the order."),
        ("gap", "", ""),
        ("section", "The sheets", ""),
        ("row", sheets[0], "One row per role: what it focuses on, its tools, who it suits and when to pick it."),
    ]
    if report.profile is not None:
        entries.append(("row", LABELS["sheet_fit"], f"A bar chart of how well every role fits "
                        f"{report.profile.name}, best first."))
    entries += [
        ("row", sheets[1], f"One column per tool, with {LABELS['uses_tool']} where the role uses it."),
        ("row", sheets[2], "One row per “best for” statement, so you can filter by a word"
         + (" such as " + " or ".join(f"“{w}”" for w in words) if words else "") + "."),
        ("gap", "", ""),
        ("section", f"Columns on the {sheets[0]} sheet", ""),
    ]
    entries += [("row", label, text) for label, text in _column_meanings(report)]

    widths = [24.0, 100.0]
    for r, (kind, label, text) in enumerate(entries, start=1):
        if kind == "title":
            put_text(ws, r, 1, label, lk["title"])
            ws.row_dimensions[r].height = 24
        elif kind == "section":
            put_text(ws, r, 1, label, lk["section"])
            ws.row_dimensions[r].height = 22
        elif kind == "row":
            put_text(ws, r, 1, label, lk["label"])
            put_text(ws, r, 2, text, lk["plain"])
            ws.row_dimensions[r].height = row_height([label, text], widths, extra=3)
    _set_widths(ws, widths)
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER if paper == "Letter" else ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


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
