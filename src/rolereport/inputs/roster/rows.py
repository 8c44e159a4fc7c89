"""One roster row's cells made into a person's fields: the name from its parts, an e-mail address
out of its display name, answers split into list items; and the one column that only counts the
responses (Forms' `ID`), found across the whole table."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rolereport.inputs.profile import email_address
from rolereport.inputs.roster import answers
from rolereport.inputs.roster.columns import Header, column_letter, squash
from rolereport.inputs.roster.values import CellProblem, as_text

ONE_LINE = ("name", "id", "email", "current_role", "source", "first_name", "last_name", "preferred_name", "submitted")
LISTS = ("interests", "strengths")
_WHOLE_NUMBER = re.compile(r"^[1-9]\d{0,6}$")
COUNTER_HEADINGS = {"id", "#", "no", "responseid", "response", "responsenumber", "row", "rownumber", "timestamp",
                    "submissionid"}


def full_name(parts: dict[str, str]) -> str:
    """"First Last", with the preferred name instead of the first when given (a preferred name that
    already ends with the last name is the whole name)."""
    first = parts.get("preferred_name") or parts.get("first_name", "")
    last = parts.get("last_name", "")
    if first and last and first.casefold().endswith(last.casefold()):
        return first
    return " ".join(p for p in (first, last) if p)


def read_row(header: Header, cells: Sequence[Any], where: str) -> tuple[dict[str, Any], list[tuple[str, str]],
                                                                          list[tuple[str, str]]]:
    """The row's fields, its problems and its warnings (each as (message, where))."""
    texts: dict[str, list[str]] = {}
    problems: list[tuple[str, str]] = []
    warnings: list[tuple[str, str]] = []
    for index, fld in sorted(header.fields.items()):
        value = cells[index] if index < len(cells) else None
        try:
            text = as_text(value, fld).strip()
        except CellProblem as exc:
            problems.append((str(exc), f"{where}, field '{fld}' (column {column_letter(index)})"))
            continue
        if not text:
            continue
        if fld in ONE_LINE and ("\n" in text or "\r" in text):
            text = " ".join(text.split())
            warnings.append(("the cell has line breaks; read as one line", f"{where}, field '{fld}'"))
        texts.setdefault(fld, []).append(text)
    data: dict[str, Any] = {f: v[0] for f, v in texts.items() if f in ONE_LINE}
    if "email" in data:
        data["email"] = email_address(data["email"])
    if "name" not in data:
        name = full_name(data)
        if name:
            data["name"] = name
    for part in ("first_name", "last_name", "preferred_name"):
        data.pop(part, None)
    for fld in LISTS:
        if fld in texts:
            data[fld], left_out = answers.items(texts[fld])
            if left_out:
                warnings.append((f"the answer holds more than {answers.MAX_ITEMS} items; kept the first "
                                 f"{answers.MAX_ITEMS}, left out {left_out}", f"{where}, field '{fld}'"))
    if "goals" in texts:
        data["goals"], cut = answers.goals(texts["goals"])
        if cut:
            warnings.append((f"the answer is longer than {answers.MAX_GOALS_CHARS:,} characters; cut after "
                             f"'…{data['goals'][-30:]}' ({cut:,} characters left out)", f"{where}, field 'goals'"))
    return data, problems, warnings


def counts_responses(header: Header, ids: Sequence[str]) -> str:
    """Why the `id` column only numbers the responses (headed `ID`, `#`, `Response ID` or `Row`,
    holding 1, 2, 3 … in row order as Forms' `ID` does, or dates and times), or "" when it may
    identify people. A column named for people ("Employee ID") is theirs, however it counts."""
    given = [i for i in ids if i]
    headings = {squash(header.headings[i]) for i in header.columns("id") if i < len(header.headings)}
    if not given or not headings <= COUNTER_HEADINGS:
        return ""
    from rolereport.inputs.roster.when import keys

    if all(keys(given)):
        return "holds dates and times"
    if not all(_WHOLE_NUMBER.match(i) for i in given):
        return ""
    numbers = [int(i) for i in given]
    survey = bool(header.columns("submitted") or header.columns("email"))
    if survey and all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False)):
        return f"numbers the responses ({', '.join(given[:3])}{', …' if len(given) > 3 else ''})"
    return ""
