"""When a survey answer was sent (Forms' "Completion time", Google Forms' "Timestamp"), as text that
sorts in time order, so a resubmission can be told from the first answer.

Workbook cells are dates already (read as ISO text). CSV cells are written in the exporting
account's locale: `3/14/2025 10:15:32`, `14/03/2025 10:15:32`, `2025/03/14 10:15:32`. A column's
day/month order is taken from the values that show it (a first number over 12 is a day); when none
does, both readings are kept and a resubmission is decided only where they agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_DATE = re.compile(r"^\s*(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
                   r"\s*([AaPp]\.?[Mm]\.?)?)?\s*(?:Z|(?:GMT|UTC)?\s*[+-]\d{1,2}(?::?\d{2})?|[A-Z]{2,5})?\s*$")

Key = tuple[str, ...]  # one sortable text per reading of the column (one, or month-first and day-first)


def _iso(y: int, m: int, d: int, hh: int, mm: int, ss: int) -> str | None:
    if not (1 <= m <= 12 and 1 <= d <= 31 and hh < 24 and mm < 60 and ss < 61):
        return None
    if y < 100:
        y += 2000
    return f"{y:04d}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}:{ss:02d}"


def _parts(text: str) -> tuple[int, int, int, int, int, int, bool] | None:
    """(a, b, c, hour, minute, second, year_first) of a date-time text, or None."""
    match = _DATE.match(text)
    if not match:
        return None
    a, b, c = (int(match[i]) for i in (1, 2, 3))
    hh, mm, ss = (int(match[i] or 0) for i in (4, 5, 6))
    ampm = (match[7] or "").replace(".", "").lower()
    if ampm == "pm" and hh < 12:
        hh += 12
    elif ampm == "am" and hh == 12:
        hh = 0
    return a, b, c, hh, mm, ss, len(match[1]) == 4


def keys(values: Sequence[str]) -> list[Key]:
    """A sortable key for each value of one column (() where the text is not a date and time)."""
    parsed = [_parts(v) if v else None for v in values]
    day_first = any(p and not p[6] and p[0] > 12 for p in parsed)
    month_first = any(p and not p[6] and p[1] > 12 for p in parsed)
    out: list[Key] = []
    for p in parsed:
        if p is None:
            out.append(())
            continue
        a, b, c, hh, mm, ss, year_first = p
        if year_first:
            readings = [_iso(a, b, c, hh, mm, ss)]
        elif day_first and not month_first:
            readings = [_iso(c, b, a, hh, mm, ss)]
        elif month_first and not day_first:
            readings = [_iso(c, a, b, hh, mm, ss)]
        else:  # nothing in the column shows the order: keep both readings
            readings = [_iso(c, a, b, hh, mm, ss), _iso(c, b, a, hh, mm, ss)]
        out.append(tuple(r for r in readings if r) if all(readings) else ())
    return out


def latest(stamps: Sequence[Key]) -> int | None:
    """The index of the latest of these keys when every reading agrees (and all have one), else None."""
    if not stamps or any(not k for k in stamps):
        return None
    width = max(len(k) for k in stamps)
    picks = {max(range(len(stamps)), key=lambda i, r=r: (stamps[i][min(r, len(stamps[i]) - 1)], i))
             for r in range(width)}
    return picks.pop() if len(picks) == 1 else None
