"""CSV (and tab-separated) rosters: their encoding, their delimiter, their header row.

- Encoding: a BOM decides (UTF-8, UTF-16); otherwise UTF-8 if the bytes are UTF-8. A file that
  holds valid multi-byte UTF-8 characters but also stray bytes is UTF-8 with a few bad rows
  (those rows fail alone); otherwise charset-normalizer names the legacy encoding (among the
  candidates that read without mess, a Windows code page as Excel writes, windows-1252 first),
  and a warning says which was used.
- Delimiter: `,`, `;` and tab are each tried against the first rows; the one that yields a
  header naming a `name` column wins (the most columns if several do). Excel's `sep=;` first
  line is honoured.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from itertools import islice
from pathlib import Path

from rolereport import notices
from rolereport.inputs.roster.columns import HEADER_SEARCH_ROWS, names_name, no_header_hint, read_header
from rolereport.inputs.roster.table import RawRow, RosterProblem, Table

DELIMITERS = {",": "comma (,)", ";": "semicolon (;)", "\t": "tab"}
# The code pages Excel on Windows writes "CSV" in, the Western one first (the most common).
WINDOWS_ANSI = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "cp1255", "cp1256",
                "cp1258", "cp874", "cp932", "cp936", "cp949", "cp950")
_BAD = "\ufffd"
# A valid multi-byte UTF-8 character: legacy text almost never holds one by accident.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def encoding_name(codec: str) -> str:
    name = codecs.lookup(codec).name
    if name.startswith("cp125"):
        return "windows-" + name[2:]
    return {"utf-8": "UTF-8", "utf-16": "UTF-16", "mac-roman": "Mac Roman"}.get(name, name)


def _detect(data: bytes) -> str | None:
    """charset-normalizer's candidates that read without mess; among them the ANSI code page
    Excel on Windows writes (Western first), else its best guess."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    calmest = min(m.chaos for m in matches)
    calm = [m for m in matches if m.chaos <= calmest + 0.02]
    names = {codecs.lookup(e).name for m in calm for e in m.could_be_from_charset}
    for preferred in WINDOWS_ANSI:
        if preferred in names:
            return preferred
    return str(calm[0].encoding)


def decode(data: bytes, file: str) -> tuple[str, bool, str]:
    """The file's text, whether some bytes could not be decoded (shown as U+FFFD), the encoding."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            body = data[len(bom):]
            try:
                return body.decode(codec), False, encoding_name(codec)
            except UnicodeDecodeError:
                return body.decode(codec, "replace"), True, encoding_name(codec)
    try:
        return data.decode("utf-8"), False, "UTF-8"
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", "replace")
    if _UTF8_SEQUENCE.search(data):  # real UTF-8 text with some stray bytes: those rows fail alone
        return text, True, "UTF-8"
    codec = _detect(data) or "utf-8"
    text = data.decode(codec, "replace")
    if codec != "utf-8":
        notices.warn(file, f"is not UTF-8 text; read as {encoding_name(codec)} (detected). If names "
                     "look wrong, save the roster as 'CSV UTF-8' and run again")
    try:
        data.decode(codec)
        return text, False, encoding_name(codec)
    except UnicodeDecodeError:
        return text, True, encoding_name(codec)


def _reader(text: str, delimiter: str) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def read_csv(path: Path, mapping: Mapping[str, Sequence[str]]) -> Table:
    from rolereport.inputs.roster import MAX_ROSTER_BYTES
    from rolereport.system.files import Refused, read_capped

    try:
        data = read_capped(path, MAX_ROSTER_BYTES, "rosters")  # never more than the limit, whatever stat said
    except Refused as exc:
        raise RosterProblem(str(exc)) from None
    text, lossy, encoding = decode(data, str(path))
    first_line = text.split("\n", 1)[0].strip()
    candidates = list(DELIMITERS)
    if first_line.lower().startswith("sep=") and len(first_line) == 5:  # Excel's delimiter hint
        candidates = [first_line[4]]
        text = text.split("\n", 1)[1] if "\n" in text else ""
    found: list[tuple[int, int, int, str]] = []  # (-columns, row index, order, delimiter)
    try:
        for order, delimiter in enumerate(candidates):
            for index, cells in enumerate(islice(_reader(text, delimiter), HEADER_SEARCH_ROWS)):
                if names_name(cells, mapping):
                    found.append((-sum(1 for c in cells if c.strip()), index, order, delimiter))
                    break
    except csv.Error as exc:
        raise RosterProblem(f"is not a readable CSV file ({exc})") from None
    if not text.strip():
        raise RosterProblem("the roster is empty; its header row must name the columns, "
                            "one of them 'name'")
    if not found:
        guess = max(candidates, key=lambda d: text.split("\n", 1)[0].count(d))
        others = [DELIMITERS.get(d, repr(d)) for d in candidates if d != guess]
        tried = f"read with {DELIMITERS.get(guess, repr(guess))} as the delimiter"
        if others:
            tried += f"; {' and '.join(others)} found none either"
        first_rows = list(islice(_reader(text, guess), HEADER_SEARCH_ROWS))
        raise RosterProblem(f"no header row naming a 'name' column in the first {HEADER_SEARCH_ROWS} rows "
                            f"({tried}); {no_header_hint(first_rows, mapping)}", "row 1")
    _, header_index, _, delimiter = min(found)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for _ in range(header_index):
        next(records)
    header = read_header(header_index + 1, next(records), mapping)

    def rows() -> Iterator[RawRow]:
        try:
            for number, cells in enumerate(records, start=header.row + 1):
                problem = None
                if lossy and any(_BAD in c for c in cells):
                    problem = (f"has bytes that are not valid {encoding} text (shown as {_BAD}); retype "
                               "the row, or save the roster as 'CSV UTF-8'")
                yield RawRow(number, cells, problem=problem)
        except csv.Error as exc:
            raise RosterProblem(f"is not a readable CSV file ({exc})", f"row {records.line_num}") from None

    return Table(header, rows())
