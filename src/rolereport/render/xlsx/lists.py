"""The long sheets, one row per thing a filter looks for: Tools (one row per role and tool, the
tool under one canonical name) and Best for (one row per role and statement)."""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from rolereport.render.xlsx.cells import fit_widths, put_number, put_text, row_height
from rolereport.render.xlsx.furniture import HEADER_ROW, header, heading_rows, print_setup, set_widths, table
from rolereport.render.xlsx.rows import MatrixRow
from rolereport.render.xlsx.toolnames import canonical_names, read_tool
from rolereport.text.labels import LABELS


def tool_rows(rows: list[MatrixRow]) -> list[tuple[MatrixRow, str, str, str]]:
    """(role, tool, family, as written) for every tool of every role, in the roles' order; an
    entry that names no tool ("specialized AI libraries") keeps a row with an empty Tool."""
    spelling = canonical_names([t for row in rows for t in row.tools])
    out = []
    for row in rows:
        seen: set[str] = set()
        for entry in row.tools:
            tools = read_tool(entry)
            if not tools and entry.strip():
                out.append((row, "", "", entry))
            for tool in tools:
                name = spelling[tool.name.casefold()]
                if name.casefold() not in seen:
                    seen.add(name.casefold())
                    out.append((row, name, tool.family, tool.written))
    return out


def merged_example(rows: list[MatrixRow]) -> tuple[str, str] | None:
    """An entry the source writes otherwise than the tool's name ("Python (Django/Flask)", "Python"),
    to show on the About sheet how names are brought together; None when every entry is a name."""
    for _, tool, _, written in tool_rows(rows):
        if tool and tool != written:
            return written, tool
    return None


def distinct_tools(rows: list[MatrixRow]) -> list[str]:
    """Every canonical tool once, the most used first (then alphabetically)."""
    counts: dict[str, int] = {}
    for _, tool, _, _ in tool_rows(rows):
        if tool:
            counts[tool] = counts.get(tool, 0) + 1
    return sorted(counts, key=lambda t: (-counts[t], t.casefold()))


def _pairs_sheet(ws: Worksheet, lk: dict[str, Any], rows: list[tuple[MatrixRow, list[str]]],
                 headers: list[str], caps: list[int], with_fit: bool) -> None:
    """Role type, rank, role (and fit score and band) then `headers`' text per (role, …) row."""
    fixed = [LABELS["role_kind"], LABELS["rank"], LABELS["role"]]
    if with_fit:
        fixed += [LABELS["fit_score"], LABELS["fit_band"]]
    names = fixed + headers
    cols: list[list[str]] = [[row.kind for row, _ in rows], [str(row.rank or "") for row, _ in rows],
                             [row.name for row, _ in rows]]
    if with_fit:
        cols += [[str(row.fit.score) if row.fit else "" for row, _ in rows], [row.band for row, _ in rows]]
    cols += [list(col) for col in zip(*(texts for _, texts in rows), strict=True)] if rows else [[] for _ in headers]
    widths = fit_widths(cols, names, [14, 8, 28] + ([13, 14] if with_fit else []) + caps)
    header(ws, lk, names, widths)
    for i, (row, texts) in enumerate(rows):
        r = HEADER_ROW + 1 + i
        fill = lk["current_fill"] if row.current else None
        put_text(ws, r, 1, row.kind, fill or lk["text"])
        put_number(ws, r, 2, row.rank, fill or lk["number"])  # empty for the current role
        put_text(ws, r, 3, row.name, lk["current"] if row.current else lk["role"])
        c = 4
        if with_fit:
            put_number(ws, r, 4, row.fit.score if row.fit else None, fill or lk["number"])
            put_text(ws, r, 5, row.band, fill or lk["text"])
            c = 6
        for k, text in enumerate(texts):
            put_text(ws, r, c + k, text, fill or lk["text"])
        ws.row_dimensions[r].height = row_height([row.name, *texts], [widths[2], *widths[c - 1:]])
    if not rows:  # the Table still needs one (empty) data row
        for c in range(1, len(names) + 1):
            lk["empty"].apply(ws.cell(row=HEADER_ROW + 1, column=c))
    set_widths(ws, widths)
    ws.freeze_panes = f"D{HEADER_ROW + 1}"


def tools_sheet(ws: Worksheet, rows: list[MatrixRow], lk: dict[str, Any], paper: str,
                with_fit: bool = False) -> None:
    found = tool_rows(rows)
    headers = [LABELS["tool"], LABELS["tool_family"], LABELS["tool_as_written"]]
    width = 3 + (2 if with_fit else 0) + len(headers)
    heading_rows(ws, lk, LABELS["tools_title"], "", LABELS["tools_hint"], width)
    _pairs_sheet(ws, lk, [(row, [tool, family, written]) for row, tool, family, written in found],
                 headers, [20, 28, 32], with_fit)
    table(ws, "ToolsTable", width, HEADER_ROW + len(found))
    print_setup(ws, paper)


def best_for_sheet(ws: Worksheet, rows: list[MatrixRow], lk: dict[str, Any], paper: str,
                   with_fit: bool = False) -> None:
    pairs = [(row, [item]) for row in rows for item in row.best_for]
    width = 3 + (2 if with_fit else 0) + 1
    heading_rows(ws, lk, LABELS["best_for_title"], "", LABELS["best_for_hint"], width)
    _pairs_sheet(ws, lk, pairs, [LABELS["best_for"]], [80], with_fit)
    table(ws, "BestForTable", width, HEADER_ROW + len(pairs))
    print_setup(ws, paper)
