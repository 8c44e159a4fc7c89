"""The batch manifest: one row per person or bad input, as a CSV that Excel opens safely.

This module owns the file format only (columns, encoding, neutralised cells); what the rows
say is decided by the batch. `read_manifest` gives back exactly what was written, for the
commands that work on a finished batch (such as sending the guides).

Columns, in order: name, id, email, slug, input, page, status, error, warnings, run, then for each
format `<fmt>_file`, `<fmt>_bytes`, `<fmt>_sha256`. The file is UTF-8 with a BOM (so Excel on
Windows reads accents right); every cell that starts like a formula is neutralised (`cells.py`).

Beside it, `manifest.xlsx` holds the same rows as an Excel Table (filter buttons, frozen header,
readable column widths) for HR who filter it: every text cell is a string cell, and one that
starts like a formula also carries Excel's quote prefix, exactly as in the role matrix.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rolereport.jobs.folders import FileInfo
from rolereport.jobs.outputs import read_own, write_all
from rolereport.text.cells import neutralise, restore, risky

MANIFEST = "manifest.csv"
MANIFEST_XLSX = "manifest.xlsx"
NUMBER_COLUMNS = ("_bytes",)  # sizes are numbers in the workbook, so they sort and sum
MAX_WIDTH = {"error": 80, "warnings": 80, "input": 50}  # other columns: at most 40 characters
COLUMNS = ("name", "id", "email", "slug", "input", "page", "status", "error", "warnings", "run")
STATUSES = ("ok", "failed", "skipped", "not-started")


@dataclass
class ManifestRow:
    name: str = ""
    id: str = ""
    email: str = ""
    slug: str = ""  # the person's folder under the batch folder; "" when nothing was written
    input: str = ""  # "people/jane.yaml" or "staff.csv row 7"
    page: str = ""  # the page the person got (its path in the library, or the one page's file name)
    status: str = ""  # one of STATUSES
    error: str = ""
    warnings: tuple[str, ...] = ()  # one line each (notices.line)
    run: str = ""  # which run built the files (its start time and process), "" if none did
    files: dict[str, FileInfo] = field(default_factory=dict)  # format -> (name, size, sha256)


def header(formats: Sequence[str]) -> list[str]:
    cols = list(COLUMNS)
    for fmt in formats:
        cols += [f"{fmt}_file", f"{fmt}_bytes", f"{fmt}_sha256"]
    return cols


def _cells(r: ManifestRow, formats: Sequence[str]) -> list[str]:
    """The row's cells as text, not yet neutralised."""
    cells = [r.name, r.id, r.email, r.slug, r.input, r.page, r.status, r.error, " | ".join(r.warnings), r.run]
    for fmt in formats:
        name, size, sha = r.files.get(fmt, ("", "", ""))
        cells += [f"{r.slug}/{name}" if name else "", str(size), sha]
    return cells


def write_manifest(out: Path, rows: Sequence[ManifestRow], formats: Sequence[str]) -> Path:
    """Write `manifest.csv` and `manifest.xlsx` (both or neither); returns the CSV's path."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header(formats))
    table = [_cells(r, formats) for r in rows]
    for cells in table:
        writer.writerow([neutralise(c) for c in cells])
    path = Path(out) / MANIFEST
    write_all({path: buf.getvalue().encode("utf-8-sig"),
               Path(out) / MANIFEST_XLSX: workbook_bytes(header(formats), table)})
    return path


def workbook_bytes(columns: Sequence[str], table: Sequence[Sequence[str]], sheet: str = "Manifest",
                   widths: dict[str, int] | None = None, properties: dict[str, str] | None = None) -> bytes:
    """Rows as an Excel Table on one sheet (write-only: thousands of rows stay quick): the manifest,
    or another table of text (`widths`: the widest each column may get, by name)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

    from rolereport.render.xlsx.cells import clean, literal, text_width

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    for key, value in (properties or {}).items():
        setattr(wb.properties, key, value)
    caps = widths or MAX_WIDTH
    numbers = {i for i, c in enumerate(columns) if c.endswith(NUMBER_COLUMNS)}
    for i, name in enumerate(columns):
        longest = max([text_width(row[i]) for row in table[:2000]] + [len(name) + 3])
        cap = caps.get(name, 40)
        ws.column_dimensions[get_column_letter(i + 1)].width = min(cap, max(8, longest + 2))
    ws.freeze_panes = "A2"
    last = get_column_letter(len(columns))
    ref = f"A1:{last}{max(2, len(table) + 1)}"
    tab = Table(displayName=sheet.replace(" ", "_"), ref=ref, autoFilter=AutoFilter(ref=ref),  # filter buttons
                tableStyleInfo=TableStyleInfo(name="TableStyleMedium2", showRowStripes=True))
    tab.tableColumns = [TableColumn(id=i + 1, name=n) for i, n in enumerate(columns)]
    with warnings.catch_warnings():  # "add table columns manually": done above
        warnings.simplefilter("ignore", UserWarning)
        ws.add_table(tab)
    bold = Font(bold=True)

    def text(value: str) -> object:
        value = clean(value)
        if not risky(value):
            return value
        return literal(WriteOnlyCell(ws, value))

    head = []
    for name in columns:
        cell = WriteOnlyCell(ws, name)
        cell.font = bold
        head.append(cell)
    ws.append(head)
    for row in table:
        ws.append([None if not v else int(v) if i in numbers and v.isdigit() else text(v)
                   for i, v in enumerate(row)])
    if not table:
        ws.append([""] * len(columns))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_manifest(path: Path) -> list[dict[str, str]]:
    """The rows of a manifest as dicts keyed by column name, neutralised cells restored."""
    text = read_own(Path(path)).decode("utf-8-sig")
    return [{k: restore(v or "") for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))]
