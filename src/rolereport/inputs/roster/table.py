"""What the CSV and XLSX readers hand on: a header and the rows below it, cells still raw."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from rolereport.inputs.roster.columns import Header


class RosterProblem(Exception):
    """The roster as a whole cannot be read; one line for the user."""

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.message, self.where = message, where


@dataclass
class RawRow:
    number: int  # the row number a spreadsheet program shows
    cells: Sequence[Any]  # text (CSV) or typed values (XLSX), by column
    hidden: bool = False
    problem: str | None = None  # the row could not be read (bytes not in the file's encoding)


@dataclass
class Table:
    header: Header
    rows: Iterator[RawRow]  # the rows below the header
    sheet: str | None = None  # XLSX: the sheet's name
    extra_cells_are_errors: bool = True  # CSV: a cell beyond the header means a stray delimiter
    close: Callable[[], None] = lambda: None

    @property
    def where(self) -> str:
        """Prefix of a row's place: "" for a CSV, "sheet 'Staff', " for a workbook."""
        return f"sheet '{self.sheet}', " if self.sheet is not None else ""
