"""Which roster column is which field: the header row, `--columns` mappings, ignored columns.

Headings are matched loosely (case, spaces, `_`, `-` and `.` do not matter: "Current role",
"current_role" and "E-mail" all count), a heading mapped with `--columns` exactly (case and
spacing aside). A heading that is almost a known one ("Intrests") is an error, since ignoring it
would silently give everyone generic fits; any other heading is ignored, with one warning.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rolereport.errors import Problem, UsageError

FIELDS = ("name", "id", "email", "current_role", "interests", "strengths", "goals", "source")
HEADER_SEARCH_ROWS = 10  # the header is the first of these rows that names a `name` column
NEAR_MISS = 0.8  # difflib ratio at which a heading is taken for a misspelt field

_SQUASH = re.compile(r"[\s_\-.]+")


def squash(heading: str) -> str:
    """The form headings are compared in: "Current Role" and "current_role" are alike."""
    return _SQUASH.sub("", heading).casefold()


def _plain(heading: str) -> str:
    return " ".join(heading.split()).casefold()


_SQUASHED = {squash(f): f for f in FIELDS}


def near_miss(heading: str, fields: Sequence[str]) -> str | None:
    """The field `heading` is probably a misspelling of (close by difflib, or the same letters
    in another order: "Nmae"), or None."""
    key = squash(heading)
    for fld in fields:
        if len(key) > 2 and sorted(key) == sorted(squash(fld)) and key != squash(fld):
            return fld
    guess = difflib.get_close_matches(key, [squash(f) for f in fields], n=1, cutoff=NEAR_MISS)
    return _SQUASHED[guess[0]] if guess else None


def parse_columns(text: str | None) -> dict[str, str]:
    """`--columns "name=Full name,id=Employee ID"` as {field: heading}; bad maps are a UsageError."""
    if not text:
        return {}
    mapping: dict[str, str] = {}
    problems = []
    for part in text.split(","):
        if not part.strip():
            continue
        key, sep, heading = part.partition("=")
        key, heading = key.strip(), heading.strip()
        fld = _SQUASHED.get(squash(key))
        if not sep or not heading:
            problems.append(f"'{part.strip()}' is not FIELD=HEADING (such as name=Full name)")
        elif fld is None:
            problems.append(f"'{key}' is not a roster field; use one of: {', '.join(FIELDS)}")
        elif fld in mapping:
            problems.append(f"'{fld}' is mapped twice")
        else:
            mapping[fld] = heading
    if problems:
        raise UsageError([Problem("--columns", p) for p in problems])
    return mapping


@dataclass
class Header:
    """The header row as found: which column index feeds which field."""

    row: int  # spreadsheet row number
    fields: dict[int, str] = field(default_factory=dict)  # column index (0-based) -> field
    ignored: list[str] = field(default_factory=list)  # headings of the columns left out
    problems: list[str] = field(default_factory=list)  # near-misses, duplicates, unmatched maps
    width: int = 0  # columns up to the last non-empty heading


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def names_name(cells: Sequence[str], mapping: Mapping[str, str]) -> bool:
    """Does this row name a `name` column (as mapped, or by the heading itself)?"""
    wanted = _plain(mapping["name"]) if "name" in mapping else None
    for cell in cells:
        if wanted is not None:
            if _plain(cell) == wanted:
                return True
        elif squash(cell) == "name":
            return True
    return False


def read_header(number: int, cells: Sequence[str], mapping: Mapping[str, str]) -> Header:
    header = Header(row=number)
    mapped = {_plain(h): f for f, h in mapping.items()}
    where: dict[str, list[str]] = {}
    for index, raw in enumerate(cells):
        heading = " ".join(raw.split())
        if not heading:
            continue
        header.width = index + 1
        fld = mapped.get(_plain(heading))
        if fld is None:
            fld = _SQUASHED.get(squash(heading))
            if fld is not None and fld in mapping:
                fld = None  # this field comes from the mapped column
        if fld is None:
            header.ignored.append(heading)
            continue
        header.fields[index] = fld
        where.setdefault(fld, []).append(f"'{heading}' (column {column_letter(index)})")
    for fld, places in where.items():
        if len(places) > 1:
            header.problems.append(f"{' and '.join(places)} both give '{fld}'; keep one, or choose "
                                   f"with --columns {fld}=HEADING")
    for fld in mapped.values():
        if fld not in where:
            header.problems.append(f"no column is headed '{mapping[fld]}' (from --columns {fld}=…)")
    for heading in list(header.ignored):
        guess = near_miss(heading, [f for f in FIELDS if f not in where])
        if guess:
            header.ignored.remove(heading)
            header.problems.append(f"unknown column '{heading}'; did you mean '{guess}'? "
                                   "(rename the heading, or map it with --columns)")
    return header


def no_header_hint(rows: Sequence[Sequence[str]], mapping: Mapping[str, str]) -> str:
    """Why no header was found, for the error: a near-miss of `name`, else what to do."""
    if "name" in mapping:
        return f"no row names the column '{mapping['name']}' given with --columns name=…"
    for cells in rows:
        for cell in cells:
            if cell.strip() and near_miss(cell, ["name"]):
                return f"found '{cell.strip()}'; did you mean 'name'?"
    return ("the header row must name the columns (" + ", ".join(FIELDS)
            + "), or map yours with --columns name=HEADING")
