"""The About sheet: how to read and filter the workbook, from `xlsx/about.txt.j2` (a user's
`--templates` folder may reword it). The template writes one row per line: "# Title",
"## Section", "Label | text", and an empty line for an empty row."""

from __future__ import annotations

import re
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from rolereport.model import Report
from rolereport.render.content import baseline
from rolereport.render.context import Context
from rolereport.render.xlsx.cells import put_text, row_height
from rolereport.render.xlsx.furniture import one_page_wide, paper, set_widths
from rolereport.render.xlsx.lists import distinct_tools, merged_example
from rolereport.render.xlsx.roles import roles_columns
from rolereport.render.xlsx.rows import MatrixRow
from rolereport.text.labels import BANDS, LABELS

TEMPLATE = "xlsx/about.txt.j2"
WIDTHS = [24.0, 100.0]

_FUNCTION_WORDS = frozenset(
    "about above after also among and any are been being both but can could each either for from "
    "have having her here him his how into its just like many more most much must not off once only "
    "other our out over own same she should some such than that the their them then there these "
    "they this those through too under until very was were what when where which while who whom "
    "why will with would you your yours".split())


def example_words(rows: list[MatrixRow], n: int = 2) -> list[str]:
    """Words that really occur in the best-for statements, the most widespread first: examples of
    what to filter the Best for sheet by."""
    counts: dict[str, int] = {}
    for row in rows:
        for item in row.best_for:
            for word in {w.casefold() for w in re.findall(r"[^\W\d_]{4,}", item)}:
                if word not in _FUNCTION_WORDS:
                    counts[word] = counts.get(word, 0) + 1
    return sorted(counts, key=lambda w: (-counts[w], w))[:n]


def bands_text() -> str:
    return ", ".join(f"{band} ({low}–{BANDS[i - 1][1] - 1})" if i else f"{band} ({low}–100)"
                     for i, (band, low) in enumerate(BANDS))


def about_lines(report: Report, rows: list[MatrixRow], ctx: Context) -> list[str]:
    tools = distinct_tools(rows)
    sheets = {key: LABELS[f"sheet_{key}"] for key in ("roles", "fit", "tools", "best_for", "about")}
    text = ctx.templates.plain_text(
        TEMPLATE, subject=report.guide.subject.name, n=len(report.guide.alternatives),
        personal=report.profile is not None, person=report.profile.name if report.profile else "",
        baseline=baseline(report),
        organisation=ctx.theme.organisation, guide_title=report.guide.title, source=report.source,
        sheets=sheets, tool=tools[0] if tools else None, merged=merged_example(rows),
        words=example_words(rows), bands=bands_text(),
        columns=[c.label for c in roles_columns(report.profile is not None)], notes=report.fit_notes)
    return text.splitlines()


def about_sheet(ws: Worksheet, report: Report, rows: list[MatrixRow], lk: dict[str, Any],
                ctx: Context) -> None:
    r = 0
    blank = True  # no empty row at the top, nor two in a row
    for line in about_lines(report, rows, ctx):
        line = line.rstrip()
        if not line:
            if not blank:
                r += 1
                blank = True
            continue
        r += 1
        blank = False
        if line.startswith("## "):
            put_text(ws, r, 1, line[3:].strip(), lk["section"])
            ws.row_dimensions[r].height = 22
        elif line.startswith("# "):
            put_text(ws, r, 1, line[2:].strip(), lk["title"])
            ws.row_dimensions[r].height = 24
        else:
            label, _, text = line.partition(" | ")
            put_text(ws, r, 1, label.strip(), lk["label"])
            put_text(ws, r, 2, text.strip(), lk["plain"])
            ws.row_dimensions[r].height = row_height([label, text], WIDTHS, extra=3)
    set_widths(ws, WIDTHS)
    paper(ws, ctx.theme.page_size, "portrait")
    one_page_wide(ws)
