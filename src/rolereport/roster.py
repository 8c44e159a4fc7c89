"""Batch inputs: profile files, folders of them, and CSV/XLSX rosters, expanded to one entry a person.

Nothing here validates a person: each entry keeps its raw mapping and where it came from, so
one bad row is reported alone and never stops the others.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rolereport.errors import Problem
from rolereport.loaders import SUFFIXES as PROFILE_SUFFIXES

ROSTER_SUFFIXES = {".csv", ".xlsx"}
COLUMNS = ("name", "id", "current_role", "interests", "strengths", "goals")
LIST_COLUMNS = ("interests", "strengths")
MAX_ROSTER_ROWS = 5000
MAX_ROSTER_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Entry:
    """One person to build, or one input that could not be read."""

    label: str  # "people/jane.yaml" or "staff.csv row 7"
    file: str
    path: Path | None = None  # a profile file
    data: dict[str, Any] | None = None  # a roster row
    where: str = ""  # "row 7, " for roster rows
    problems: tuple[Problem, ...] = ()


def expand(inputs: list[str | Path]) -> list[Entry]:
    entries: list[Entry] = []
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and not p.name.startswith(".")
                and p.suffix.lower() in PROFILE_SUFFIXES.keys() | ROSTER_SUFFIXES
            )
            if not found:
                entries.append(_bad(path, "the folder holds no profile files or rosters"))
            for p in found:
                entries.extend(_file_entries(p))
        else:
            entries.extend(_file_entries(path))
    return entries


def _bad(path: Path, message: str, where: str | None = None) -> Entry:
    return Entry(label=str(path), file=str(path), problems=(Problem(str(path), message, where),))


def _file_entries(path: Path) -> list[Entry]:
    suffix = path.suffix.lower()
    if not path.exists():
        return [_bad(path, "no such file or folder; check the path")]
    if suffix in PROFILE_SUFFIXES:
        return [Entry(label=str(path), file=str(path), path=path)]
    if suffix in ROSTER_SUFFIXES:
        try:
            return list(_roster_entries(path))
        except _RosterProblem as exc:
            return [_bad(path, exc.message, exc.where)]
    return [_bad(path, "not a profile (.yaml, .yml, .toml, .json) or roster (.csv, .xlsx); "
                       "rename it or leave it out")]


class _RosterProblem(Exception):
    def __init__(self, message: str, where: str | None = None) -> None:
        self.message, self.where = message, where


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row number, cells as text) for every row, header first."""
    if path.stat().st_size > MAX_ROSTER_BYTES:
        raise _RosterProblem(f"the roster is larger than {MAX_ROSTER_BYTES // 2**20} MB; split it")
    if path.suffix.lower() == ".csv":
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise _RosterProblem("is not UTF-8 text; save the CSV as UTF-8", f"row {line}") from None
        try:
            for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
                yield number, row
        except csv.Error as exc:
            raise _RosterProblem(f"is not a readable CSV file: {exc}") from None
        return
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zip, XML and format errors all mean the same to the user
        raise _RosterProblem(f"is not a readable XLSX workbook ({type(exc).__name__}); "
                             "save it again from your spreadsheet program") from None
    try:
        sheet = wb.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, ["" if v is None else str(v) for v in row]
    finally:
        wb.close()


def _roster_entries(path: Path) -> Iterator[Entry]:
    rows = _rows(path)
    header_row = next(rows, None)
    if header_row is None:
        raise _RosterProblem("the roster is empty; the first row must name the columns "
                             f"({', '.join(COLUMNS)})")
    header = [h.strip().lower().replace(" ", "_") for h in header_row[1]]
    problems = []
    for col, name in enumerate(header):
        if name and name not in COLUMNS:
            guess = difflib.get_close_matches(name, COLUMNS, n=1)
            hint = f"did you mean '{guess[0]}'?" if guess else f"known columns: {', '.join(COLUMNS)}"
            problems.append(f"unknown column '{header_row[1][col]}'; {hint}")
    if "name" not in header:
        problems.append("no 'name' column; the first row must name the columns")
    if problems:
        raise _RosterProblem("; ".join(problems), "row 1")
    count = 0
    for number, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        count += 1
        if count > MAX_ROSTER_ROWS:
            raise _RosterProblem(f"more than {MAX_ROSTER_ROWS} people; split the roster")
        data: dict[str, Any] = {}
        for name, cell in zip(header, cells, strict=False):
            value = cell.strip()
            if not name or not value:
                continue
            data[name] = [v.strip() for v in value.split(";") if v.strip()] if name in LIST_COLUMNS else value
        label = f"{path} row {number}"
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            yield Entry(label=label, file=str(path), problems=(
                Problem(str(path), "the row has more cells than the header has columns", f"row {number}"),))
            continue
        yield Entry(label=label, file=str(path), data=data, where=f"row {number}, ")
