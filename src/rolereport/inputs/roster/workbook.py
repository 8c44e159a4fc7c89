"""XLSX rosters: the first visible sheet whose first rows name a `name` column, or `--sheet NAME`.

One streaming pass over the sheet's XML (openpyxl's read-only parser, as `load_workbook(
read_only=True)` uses it) gives the cached values, and, which the read-only worksheet hides, the
rows' `hidden` flags and whether an empty value is a formula that was never calculated (files
written by programs, not by Excel or LibreOffice, often carry no results).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from rolereport.inputs.roster.columns import HEADER_SEARCH_ROWS, names_name, no_header_hint, read_header
from rolereport.inputs.roster.table import RawRow, RosterProblem, Table
from rolereport.inputs.roster.values import CellError, CellProblem, Uncalculated, as_text
from rolereport.system.files import Refused, read_capped
from rolereport.system.zips import check_inflated

SheetRow = tuple[int, list[Any], bool]  # (row number, values by column, hidden)

MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024  # every part of the workbook, as really inflated
MAX_SHEET_ROWS = 100_000  # <row> elements read from one sheet, empty ones included


def _unreadable(exc: Exception) -> RosterProblem:
    return RosterProblem(f"is not a readable XLSX workbook ({type(exc).__name__}); save it again "
                         "from your spreadsheet program")


_T = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}t"
_R = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}r"


def _string(node: Any) -> str:
    """The text of a shared or inline string: its `t`, or each run's `t` (never phonetic hints).
    What openpyxl's rich-text objects give, without building one per cell."""
    plain = node.find(_T)
    if plain is not None:
        text = plain.text or ""
    else:
        text = "".join(run.findtext(_T) or "" for run in node.iterfind(_R))
    return text.replace("x005F_", "")


def _parser_class() -> type:
    from openpyxl.utils import coordinate_to_tuple
    from openpyxl.worksheet._reader import FORMULA_TAG, INLINE_STRING, WorkSheetParser

    class Parser(WorkSheetParser):  # type: ignore[misc]
        def parse_cell(self, element: Any) -> dict[str, Any]:
            if element.get("t") == "inlineStr" and element.find(FORMULA_TAG) is None:
                return self._inline(element)  # what openpyxl writes for every text cell
            cell: dict[str, Any] = super().parse_cell(element)
            if cell["value"] is None:
                formula = element.find(FORMULA_TAG)
                if formula is not None:
                    cell["value"] = Uncalculated(formula.text or "")
            elif cell["data_type"] == "e":
                cell["value"] = CellError(str(cell["value"]))
            return cell

        def _inline(self, element: Any) -> dict[str, Any]:
            coordinate = element.get("r")
            if coordinate:
                row, column = coordinate_to_tuple(coordinate)
                self.col_counter = column
            else:
                self.col_counter += 1
                row, column = self.row_counter, self.col_counter
            child = element.find(INLINE_STRING)
            value = _string(child) if child is not None else None
            return {"row": row, "column": column, "value": value, "data_type": "s", "style_id": 0}

    return Parser


def _load(path: Path | io.BytesIO) -> Any:
    """`load_workbook(path, read_only=True, data_only=True)`, with the shared strings read by a
    plain element walk: openpyxl's own reader builds a rich-text object per string, a third of
    the time a roster of unique names and e-mail addresses takes to read."""
    from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    si = f"{{{SHEET_MAIN_NS}}}si"

    class Sheet(ReadOnlyWorksheet):  # type: ignore[misc]
        def _get_size(self) -> None:
            """Not looked for: without a <dimension>, openpyxl parses the whole sheet to find none
            (minutes for a sheet of blank rows); the rows are counted as they stream instead."""

    class Reader(ExcelReader):  # type: ignore[misc]
        def read_worksheets(self) -> None:  # read-only sheets, as openpyxl makes them, less the size pass
            for found, rel in self.parser.find_sheets():
                if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                    ws = Sheet(self.wb, found.name, rel.target, self.shared_strings)
                    ws.sheet_state = found.state
                    self.wb._sheets.append(ws)

        def read_strings(self) -> None:
            part = self.package.find(SHARED_STRINGS)
            if part is None:
                return
            strings: list[str] = []
            with self.archive.open(part.PartName[1:]) as src:
                for _, node in iterparse(src):
                    if node.tag == si:
                        strings.append(_string(node))
                        node.clear()
            self.shared_strings = strings

    reader = Reader(path, read_only=True, data_only=True)
    reader.read()
    return reader.wb


def _sheet_rows(wb: Any, ws: Any) -> Iterator[SheetRow]:
    parser_class = _parser_class()
    src = wb._archive.open(ws._worksheet_path)
    try:
        parser = parser_class(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                              date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        dims = parser.row_dimensions
        for seen, (number, cells) in enumerate(parser.parse(), start=1):
            if seen > MAX_SHEET_ROWS:  # empty rows count too: a sheet of a million blank rows is no roster
                raise RosterProblem(f"sheet '{ws.title}' has more than {MAX_SHEET_ROWS:,} rows (filled or "
                                    "not); delete the empty rows below the people, or split the roster")
            attrs = dims.pop(str(number), None)
            hidden = attrs is not None and attrs.get("hidden") in ("1", "true")
            if not cells:
                continue
            values: list[Any] = [None] * max(c["column"] for c in cells)
            for c in cells:
                values[c["column"] - 1] = c["value"]
            yield number, values, hidden
    finally:
        src.close()


def _heading(value: Any) -> str:
    try:
        return as_text(value, "heading")
    except CellProblem:
        return ""


def read_xlsx(path: Path, mapping: Mapping[str, Sequence[str]], sheet: str | None) -> Table:
    from rolereport.inputs.roster import MAX_ROSTER_BYTES

    try:  # its real bytes, and what they really inflate to, before openpyxl sees them
        data = read_capped(path, MAX_ROSTER_BYTES, "rosters")
        check_inflated(data, MAX_XLSX_UNPACKED_BYTES, "XLSX workbook")
    except Refused as exc:
        raise RosterProblem(str(exc)) from None
    try:
        wb = _load(io.BytesIO(data))
    except Exception as exc:  # zip, XML and format errors all mean the same to the user
        raise _unreadable(exc) from None
    try:
        names = [ws.title for ws in wb.worksheets]
        if sheet is not None:
            chosen = [ws for ws in wb.worksheets if ws.title == sheet] or \
                     [ws for ws in wb.worksheets if ws.title.casefold() == sheet.casefold()]
            if not chosen:
                raise RosterProblem(f"has no sheet named '{sheet}' (--sheet); its sheets are "
                                    + ", ".join(f"'{n}'" for n in names))
        else:
            chosen = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
        first_rows: list[list[str]] = []
        for ws in chosen:
            rows = _sheet_rows(wb, ws)
            seen = []
            try:
                for number, values, _hidden in rows:
                    texts = [_heading(v) for v in values]
                    if not any(t.strip() for t in texts):
                        continue
                    seen.append(texts)
                    if names_name(texts, mapping):
                        header = read_header(number, texts, mapping)
                        return Table(header, _data_rows(rows), sheet=ws.title, extra_cells_are_errors=False,
                                     close=wb.close)
                    if len(seen) >= HEADER_SEARCH_ROWS:
                        break
            except RosterProblem:
                raise
            except Exception as exc:
                raise _unreadable(exc) from None
            rows.close()
            first_rows += seen
        if sheet is not None:
            place = f"sheet '{chosen[0].title}' has no"
        elif len(names) == 1:
            place = f"its sheet '{names[0]}' has no"
        else:
            hidden_note = " (hidden sheets are not searched)" if len(chosen) < len(names) else ""
            place = "none of its sheets (" + ", ".join(f"'{n}'" for n in names) + f"){hidden_note} has a"
        raise RosterProblem(f"{place} header row naming a 'name' column in its first {HEADER_SEARCH_ROWS} "
                            f"rows; {no_header_hint(first_rows, mapping)}"
                            + ("; choose the sheet with --sheet NAME" if sheet is None and len(names) > 1 else ""))
    except BaseException:
        wb.close()
        raise


def _data_rows(rows: Iterator[SheetRow]) -> Iterator[RawRow]:
    try:
        for number, values, hidden in rows:
            yield RawRow(number, values, hidden=hidden)
    except RosterProblem:
        raise
    except Exception as exc:
        raise _unreadable(exc) from None
