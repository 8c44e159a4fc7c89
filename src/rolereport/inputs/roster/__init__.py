"""Batch inputs: profile files, folders of them, and CSV/XLSX rosters, expanded to one entry a person.

Nothing here validates a person: each entry keeps its raw mapping and where it came from, so
one bad row is reported alone and never stops the others. Rosters are read as HR has them
(`delimited` for CSV: encodings and delimiters; `workbook` for XLSX: sheets, Excel's types,
hidden rows; `columns` for the header row). Warnings about a whole file (an encoding guessed,
columns ignored, hidden rows skipped) are given once through `notices.warn`; warnings about one
row travel on its entry (`Entry.warnings`) for that person's manifest row.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rolereport import notices
from rolereport.errors import Problem
from rolereport.inputs.loaders import SUFFIXES as PROFILE_SUFFIXES
from rolereport.inputs.roster.columns import FIELDS, column_letter, parse_columns
from rolereport.inputs.roster.table import RosterProblem, Table
from rolereport.inputs.roster.values import CellProblem, as_text

__all__ = ["COLUMNS", "Entry", "ROSTER_SUFFIXES", "expand", "parse_columns"]

ROSTER_SUFFIXES = {".csv", ".tsv", ".xlsx", ".xlsm"}
OTHER_SPREADSHEETS = {".xls", ".xlsb", ".ods", ".numbers"}
COLUMNS = FIELDS
LIST_COLUMNS = ("interests", "strengths")
ONE_LINE_COLUMNS = ("name", "id", "email", "current_role", "source")
MAX_ROSTER_ROWS = 5000
MAX_ROSTER_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Entry:
    """One person to build, or one input that could not be read."""

    label: str  # "people/jane.yaml", "staff.csv row 7" or "staff.xlsx sheet 'Staff' row 7"
    file: str
    path: Path | None = None  # a profile file
    data: dict[str, Any] | None = None  # a roster row
    where: str = ""  # "row 7, " (or "sheet 'Staff', row 7, ") for roster rows
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()  # about this row only, for its manifest row


@dataclass(frozen=True)
class Options:
    sheet: str | None = None
    columns: Mapping[str, str] | None = None
    include_hidden: bool = False


def expand(inputs: list[str | Path], *, sheet: str | None = None,
           columns: Mapping[str, str] | str | None = None, include_hidden: bool = False) -> list[Entry]:
    """Every person in `inputs`. `sheet` picks a workbook's sheet, `columns` maps fields to other
    headings ({"name": "Full name"} or "name=Full name"), `include_hidden` keeps hidden rows."""
    mapping = parse_columns(columns) if isinstance(columns, str) else dict(columns or {})
    options = Options(sheet, mapping, include_hidden)
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
                entries.extend(_file_entries(p, options))
        else:
            entries.extend(_file_entries(path, options))
    return entries


def _bad(path: Path, message: str, where: str | None = None) -> Entry:
    return Entry(label=str(path), file=str(path), problems=(Problem(str(path), message, where),))


def _file_entries(path: Path, options: Options) -> list[Entry]:
    suffix = path.suffix.lower()
    if not path.exists():
        return [_bad(path, "no such file or folder; check the path")]
    if suffix in PROFILE_SUFFIXES:
        return [Entry(label=str(path), file=str(path), path=path)]
    if suffix in ROSTER_SUFFIXES:
        try:
            return _roster_entries(path, options)
        except RosterProblem as exc:
            return [_bad(path, exc.message, exc.where)]
    if suffix in OTHER_SPREADSHEETS:
        return [_bad(path, f"rosters are read from .xlsx, .csv or .tsv, not {suffix}; save it as an Excel "
                           "workbook (.xlsx) or as 'CSV UTF-8'")]
    return [_bad(path, "not a profile (.yaml, .yml, .toml, .json) or roster (.csv, .tsv, .xlsx); "
                       "rename it or leave it out")]


def read_table(path: Path, options: Options) -> Table:
    if path.stat().st_size > MAX_ROSTER_BYTES:
        raise RosterProblem(f"the roster is larger than {MAX_ROSTER_BYTES // 2**20} MB; split it")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from rolereport.inputs.roster.workbook import read_xlsx

        return read_xlsx(path, options.columns or {}, options.sheet)
    from rolereport.inputs.roster.delimited import read_csv

    return read_csv(path, options.columns or {})


def _roster_entries(path: Path, options: Options) -> list[Entry]:
    table = read_table(path, options)
    try:
        return list(_table_entries(path, table, options))
    finally:
        table.close()


def _table_entries(path: Path, table: Table, options: Options) -> Iterator[Entry]:
    file, header = str(path), table.header
    head_where = f"{table.where}row {header.row}"
    if header.problems:
        raise RosterProblem("; ".join(header.problems), head_where)
    if header.ignored:
        notices.warn(file, "ignored the column" + ("s " if len(header.ignored) > 1 else " ")
                     + ", ".join(f"'{h}'" for h in header.ignored)
                     + f" (rolereport reads {', '.join(FIELDS)}; map others with --columns)", head_where)
    label_base = f"{path} sheet '{table.sheet}'" if table.sheet is not None else str(path)
    count = 0
    hidden: list[int] = []
    unheaded: set[int] = set()
    for raw in table.rows:
        if not any(_filled(c) for c in raw.cells):
            continue
        if raw.hidden and not options.include_hidden:
            hidden.append(raw.number)
            continue
        count += 1
        if count > MAX_ROSTER_ROWS:
            raise RosterProblem(f"more than {MAX_ROSTER_ROWS} people; split the roster")
        where = f"{table.where}row {raw.number}"
        label = f"{label_base} row {raw.number}"
        if raw.problem:
            yield Entry(label=label, file=file, problems=(Problem(file, raw.problem, where),))
            continue
        extra = [i for i in range(header.width, len(raw.cells)) if _filled(raw.cells[i])]
        if extra and table.extra_cells_are_errors:
            yield Entry(label=label, file=file, problems=(Problem(
                file, f"the row has {len(raw.cells)} cells but the header has {header.width} columns "
                "(a value with an unquoted delimiter?); quote that value or remove the extra cells", where),))
            continue
        unheaded.update(extra)
        data: dict[str, Any] = {}
        problems: list[Problem] = []
        warnings: list[Problem] = []
        for index, fld in header.fields.items():
            value = raw.cells[index] if index < len(raw.cells) else None
            try:
                text = as_text(value, fld).strip()
            except CellProblem as exc:
                problems.append(Problem(file, str(exc), f"{where}, field '{fld}' (column {column_letter(index)})"))
                continue
            if not text:
                continue
            if fld in ONE_LINE_COLUMNS and ("\n" in text or "\r" in text):
                text = " ".join(text.split())
                warnings.append(Problem(file, "the cell has line breaks; read as one line",
                                        f"{where}, field '{fld}'"))
            data[fld] = text  # lists are split on ';' and line breaks by the profile, as in files
        if problems:  # the row's readable cells stay with it (its name and id for the manifest)
            yield Entry(label=label, file=file, data=data, where=f"{where}, ", problems=tuple(problems),
                        warnings=tuple(warnings))
            continue
        yield Entry(label=label, file=file, data=data, where=f"{where}, ", warnings=tuple(warnings))
    if count == 0:
        notices.warn(file, "has a header row but nobody below it" + (" who is not hidden" if hidden else ""),
                     head_where)
    if hidden:
        notices.warn(file, f"skipped {_count(len(hidden), 'hidden row')} ({_ranges(hidden)}); "
                     "--include-hidden builds them too", table.where.rstrip(", ") or None)
    if unheaded:
        cols = ", ".join(column_letter(i) for i in sorted(unheaded))
        notices.warn(file, f"ignored the cells in column{'s' if len(unheaded) > 1 else ''} {cols}, "
                     "which have no heading", head_where)


def _filled(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _ranges(numbers: list[int]) -> str:
    """[3, 4, 5, 9] -> "rows 3-5, 9" (at most 10 ranges shown)."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    parts = [f"{a}" if a == b else f"{a}-{b}" for a, b in spans]
    shown = ", ".join(parts[:10]) + (", …" if len(parts) > 10 else "")
    return ("row " if len(numbers) == 1 else "rows ") + shown
