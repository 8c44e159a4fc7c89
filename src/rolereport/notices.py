"""Warnings: things that did not stop the work but that a person should know about.

Any stage calls `warn(file, message, where)` where it had to choose (an encoding assumed, a
column ignored, a character no font can draw). Warnings are `Problem`s, so they name the file and,
where known, the line, row or field, exactly like errors.

Where they go is decided by the caller at the top, never by the stage that warns:

- inside `with collect() as found:` they are appended to `found` (innermost collector wins), so a
  batch worker can return one person's warnings with their result, and `extract --strict` can turn
  them into errors;
- with no collector active they are printed at once to stderr as
  `rolereport: FILE: warning: message`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rolereport.errors import Problem

_sinks: list[list[Problem]] = []


def warn(file: str, message: str, where: str | None = None) -> Problem:
    """Report one warning; returns it (handy for tests)."""
    problem = Problem(str(file), message, where)
    if _sinks:
        if problem not in _sinks[-1]:  # the same choice made twice is said once
            _sinks[-1].append(problem)
    else:
        print(f"rolereport: {line(problem)}", file=sys.stderr, flush=True)
    return problem


def line(problem: Problem) -> str:
    """`FILE: where: warning: message`: how a warning reads on a terminal or in a manifest."""
    loc = f"{problem.file}: {problem.where}" if problem.where else problem.file
    return f"{loc}: warning: {problem.message}"


@contextmanager
def collect() -> Iterator[list[Problem]]:
    """Collect the warnings given inside this block instead of printing them."""
    found: list[Problem] = []
    _sinks.append(found)
    try:
        yield found
    finally:  # this very list: `remove` would take the first equal one (two empty ones are equal)
        del _sinks[next(i for i in range(len(_sinks) - 1, -1, -1) if _sinks[i] is found)]
