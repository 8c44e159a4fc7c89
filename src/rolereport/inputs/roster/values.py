"""Spreadsheet cell values as the text a person typed: dates, numbers, and the values we refuse.

A CSV cell is text already. An XLSX cell may be a number, a date, a yes/no value, an error or a
formula: dates become ISO dates (`2026-12-31`), whole numbers lose Excel's `.0` (so an id stored
as a number keeps its digits), and the rest is refused with a message saying what to do.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

EXACT_DIGITS = 15  # what a spreadsheet number keeps; longer numbers are already rounded
_SCIENTIFIC = re.compile(r"^[+-]?\d(?:[.,]\d+)?E[+-]?\d+$", re.IGNORECASE)


@dataclass(frozen=True)
class Uncalculated:
    """A formula cell saved without its calculated value (written by a program, never opened)."""

    formula: str


@dataclass(frozen=True)
class CellError:
    """A cell showing a spreadsheet error such as #N/A or #REF!."""

    code: str


class CellProblem(ValueError):
    pass


def as_text(value: Any, fld: str) -> str:
    """The cell's text for field `fld`; raises CellProblem with a message for the user."""
    if value is None:
        return ""
    if isinstance(value, str):
        if fld == "id" and _SCIENTIFIC.match(value.strip()):
            raise CellProblem(f"'{value.strip()}' is a number the spreadsheet shortened to scientific "
                              "notation, so its digits are lost; format the id column as Text, type "
                              "the ids again and save")
        return value
    if isinstance(value, bool):
        raise CellProblem(f"is a yes/no cell ({str(value).upper()}), not text; type the text "
                          "instead, or format the cell as Text")
    if isinstance(value, Uncalculated):
        formula = value.formula if len(value.formula) <= 40 else value.formula[:39] + "…"
        raise CellProblem(f"is a formula (={formula}) saved without its result; open the roster in "
                          "Excel or LibreOffice and save it again, or paste the values instead")
    if isinstance(value, CellError):
        raise CellProblem(f"shows the spreadsheet error {value.code}; fix the formula or type the value")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            digits = str(int(value))
            if len(digits.lstrip("-")) > EXACT_DIGITS:
                raise CellProblem(f"is a number with more than {EXACT_DIGITS} digits, which the "
                                  "spreadsheet has already rounded; format the column as Text and type it again")
            return digits
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.second else "minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)
