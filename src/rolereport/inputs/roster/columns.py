"""Which roster column is which field: the header row, `--columns` mappings, ignored columns.

Headings are matched loosely (case, spaces, `_`, `-` and `.` do not matter) against each field's
usual names as HR systems and survey tools write them ("Full name", "Email Address", "Work Email",
"Job Title", "Business Title", "First Name"…). A heading mapped with `--columns` is matched
exactly (case and spacing aside), or names a column by its letter (`interests=F`); the list fields
take several columns each. A heading that is almost a known one ("Intrests") is an error, since
ignoring it would silently give everyone generic fits; any other heading is ignored, with one
warning. The mapping's own syntax is in `mapping.py`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

FIELDS = ("name", "id", "email", "current_role", "interests", "strengths", "goals", "source")
# Columns read to make a field: the parts of a name, and when a survey answer was sent.
PARTS = ("first_name", "last_name", "preferred_name", "submitted")
MAPPABLE = FIELDS + PARTS
MULTI = ("interests", "strengths", "goals")  # fields several columns may feed
HEADER_SEARCH_ROWS = 10  # the header is the first of these rows that names a `name` column
NEAR_MISS = 0.8  # difflib ratio at which a heading is taken for a misspelt field

Mapping_ = Mapping[str, Sequence[str]]  # field -> the headings (or column letters) it is read from

# What HR systems and survey tools head each field with (compared squashed).
KNOWN = {
    "name": ("name", "full name", "your name", "employee name", "display name", "worker name",
             "employee full name"),
    "id": ("id", "employee id", "employee number", "employee no", "worker id", "staff id",
           "personnel number", "person id"),
    "email": ("email", "email address", "work email", "work email address", "business email",
              "primary work email", "your email", "your email address", "email id"),
    "current_role": ("current role", "job title", "business title", "position", "position title",
                     "job", "role", "your role", "your current role"),
    "interests": ("interests", "career interests", "your interests"),
    "strengths": ("strengths", "skills", "your strengths", "your skills"),
    "goals": ("goals", "career goals", "your goals", "career aspirations"),
    "source": ("source", "page", "source page", "guide page"),  # the person's page in a library
    "first_name": ("first name", "given name", "legal first name", "forename", "firstname"),
    "last_name": ("last name", "surname", "family name", "legal last name", "lastname"),
    "preferred_name": ("preferred name", "preferred first name", "known as", "nickname"),
    # when the answer was sent, best first: a later one in the list is left out when an earlier is there
    "submitted": ("completion time", "timestamp", "submitted", "submitted at", "submission time",
                  "submit date", "end time", "last modified time"),
}

_SQUASH = re.compile(r"[\s_\-.]+")
_LETTERS = re.compile(r"^[A-Z]{1,3}$")


def squash(heading: str) -> str:
    """The form headings are compared in: "Current Role" and "current_role" are alike."""
    return _SQUASH.sub("", heading).casefold()


def plain(heading: str) -> str:
    return " ".join(heading.split()).casefold()


_SQUASHED = {squash(f): f for f in MAPPABLE}
_KNOWN = {squash(h): f for f, names in KNOWN.items() for h in names}


def field_of(key: str) -> str | None:
    """The field a `--columns` key names ("Current role", "first-name"), or None."""
    return _SQUASHED.get(squash(key))


def known_field(heading: str) -> str | None:
    """The field a heading gives by itself ("Work Email" -> email), or None."""
    return _KNOWN.get(squash(heading))


def near_miss(heading: str, fields: Sequence[str]) -> str | None:
    """The field `heading` is probably a misspelling of (close by difflib, or the same letters
    in another order: "Nmae"), or None."""
    key = squash(heading)
    for fld in fields:
        if len(key) > 2 and sorted(key) == sorted(squash(fld)) and key != squash(fld):
            return fld
    guess = difflib.get_close_matches(key, [squash(f) for f in fields], n=1, cutoff=NEAR_MISS)
    return _SQUASHED[guess[0]] if guess else None


@dataclass
class Header:
    """The header row as found: which column index feeds which field."""

    row: int  # spreadsheet row number
    fields: dict[int, str] = field(default_factory=dict)  # column index (0-based) -> field
    ignored: list[str] = field(default_factory=list)  # headings of the columns left out
    problems: list[str] = field(default_factory=list)  # near-misses, duplicates, unmatched maps
    width: int = 0  # columns up to the last non-empty heading
    headings: list[str] = field(default_factory=list)  # every heading, by column
    mapped: set[str] = field(default_factory=set)  # fields given by --columns (not recognised)

    def columns(self, fld: str) -> list[int]:
        return [i for i, f in self.fields.items() if f == fld]

    def used(self) -> list[tuple[str, str]]:
        """(field, "'Heading' (column C)") for every column read, in field order: the mapping used."""
        out = []
        for fld in MAPPABLE:
            for i in self.columns(fld):
                out.append((fld, f"'{self.headings[i] if i < len(self.headings) else ''}' (column {column_letter(i)})"))
        return out


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def letter_index(text: str) -> int | None:
    """"F" -> 5, "AA" -> 26: a column named by its letters (capitals, as spreadsheets show them)."""
    if not _LETTERS.match(text):
        return None
    index = 0
    for ch in text:
        index = index * 26 + ord(ch) - 64
    return index - 1


def names_name(cells: Sequence[str], mapping: Mapping_) -> bool:
    """Does this row name the person: a `name` column (as mapped, or by a usual heading), or
    first and last name columns?"""
    headings = {plain(c) for c in cells if c.strip()}
    if not headings:
        return False
    found = {known_field(c) for c in cells if c.strip()}
    for fld, wanted in mapping.items():
        if any(plain(w) in headings for w in wanted):
            found.add(fld)
        elif fld in ("name", "first_name", "last_name", "preferred_name") and all(letter_index(w) is not None
                                                                                  for w in wanted):
            found.add(fld)  # a column letter: any row with headings will do
    return "name" in found or ("last_name" in found and bool({"first_name", "preferred_name"} & found))


def read_header(number: int, cells: Sequence[str], mapping: Mapping_) -> Header:
    header = Header(row=number, headings=[" ".join(c.split()) for c in cells])
    by_heading = {plain(h): f for f, hs in mapping.items() for h in hs}
    where: dict[str, list[str]] = {}

    def take(index: int, fld: str) -> None:
        header.fields[index] = fld
        where.setdefault(fld, []).append(f"'{header.headings[index] if index < len(header.headings) else ''}' "
                                         f"(column {column_letter(index)})")

    for index, heading in enumerate(header.headings):
        if heading:
            header.width = index + 1
    found_maps: set[tuple[str, str]] = set()
    for index, heading in enumerate(header.headings):
        if not heading:
            continue
        fld = by_heading.get(plain(heading))
        if fld is not None:
            found_maps.add((fld, plain(heading)))
            header.mapped.add(fld)
            take(index, fld)
            continue
        fld = known_field(heading)
        if fld is None or fld in mapping or (fld == "submitted" and _later_choice(heading, header.headings)):
            header.ignored.append(heading)
            continue
        take(index, fld)
    for fld, wanted in mapping.items():  # headings not found: a column letter, or a mistake
        for heading in wanted:
            if (fld, plain(heading)) in found_maps:
                continue
            index = letter_index(heading)
            if index is not None:
                if index < len(header.headings) and header.headings[index] in header.ignored:
                    header.ignored.remove(header.headings[index])
                header.mapped.add(fld)
                take(index, fld)
                continue
            guess = difflib.get_close_matches(heading, [h for h in header.headings if h], n=1, cutoff=0.6)
            hint = (f"; did you mean '{guess[0]}'?" if guess
                    else "; give the heading as the file has it, or the column's letter")
            header.problems.append(f"no column is headed '{heading}' (from --columns {fld}=…){hint}")
    for fld, places in where.items():
        if len(places) > 1 and fld not in MULTI:
            header.problems.append(f"{' and '.join(places)} both give '{fld}'; keep one, or choose "
                                   f"with --columns {fld}=HEADING")
        elif len(places) > 1 and fld not in header.mapped:
            header.problems.append(f"{' and '.join(places)} both give '{fld}'; to read both, map them: "
                                   f"--columns {fld}=HEADING --columns {fld}=OTHER")
    for heading in list(header.ignored):
        guess = near_miss(heading, [f for f in FIELDS if f not in where])
        if guess:
            header.ignored.remove(heading)
            header.problems.append(f"unknown column '{heading}'; did you mean '{guess}'? "
                                   "(rename the heading, or map it with --columns)")
    return header


def _later_choice(heading: str, headings: Sequence[str]) -> bool:
    """A `submitted` heading with a better one in the same row (Forms' "Completion time" beats its
    "Last modified time")."""
    order = [squash(h) for h in KNOWN["submitted"]]
    mine = order.index(squash(heading))
    return any(squash(h) in order[:mine] for h in headings if h)


def no_header_hint(rows: Sequence[Sequence[str]], mapping: Mapping_) -> str:
    """Why no header was found, for the error: a near-miss of `name`, else what to do."""
    if "name" in mapping:
        return f"no row names the column '{mapping['name'][0]}' given with --columns name=…"
    for cells in rows:
        for cell in cells:
            if cell.strip() and near_miss(cell, ["name"]):
                return f"found '{cell.strip()}'; did you mean 'name'?"
    return ("the header row must name the person's column ('Name', 'Full name', or 'First name' and "
            "'Last name'), or map yours with --columns name=HEADING")
