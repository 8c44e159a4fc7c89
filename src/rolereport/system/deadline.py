"""A time limit per rendered document, so one hostile or huge input cannot hang a run (or a batch).

Batch workers also put the same limit around each person as a whole (`executors.worker.build`).

`ROLEREPORT_RENDER_TIMEOUT` (seconds, default 120; 0 turns the limit off) bounds each pandoc run
and each PDF layout:
- pandoc runs as a subprocess with a timeout, from any thread;
- WeasyPrint lays out in this process, so its limit is a SIGALRM timer, which Python only offers
  to the main thread. The CLI and every batch worker lay out the PDF in their main thread; where
  that is not so (a library caller's worker thread), the PDF has no time limit.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from rolereport.errors import Problem, TimeLimitError, UsageError

DEFAULT_RENDER_TIMEOUT = 120.0
ENV = "ROLEREPORT_RENDER_TIMEOUT"


def render_timeout() -> float | None:
    """Seconds allowed per document, or None for no limit."""
    raw = os.environ.get(ENV, "").strip()
    if not raw:
        return DEFAULT_RENDER_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(Problem(ENV, f"'{raw}' is not a number of seconds (such as 120; 0 for no "
                                    "limit)")) from None
    if value != value or value < 0:  # NaN or negative
        raise UsageError(Problem(ENV, f"'{raw}' is not a number of seconds (such as 120; 0 for no limit)"))
    return value or None


def timeout_error(what: str, seconds: float, per: str = "document", doing: str = "rendering") -> TimeLimitError:
    return TimeLimitError(Problem(what, f"{doing} took longer than the limit of {seconds:g} s per "
                                 f"{per} and was stopped; simplify the input or raise {ENV}"))


class _Expired(BaseException):
    """Raised inside the layout by the timer; BaseException so no `except Exception` swallows it."""


@contextmanager
def deadline(what: str, seconds: float | None = -1.0, per: str = "document",
             doing: str = "rendering") -> Iterator[None]:
    """Stop the body with a TimeLimitError naming `what` once `seconds` (by default the render
    timeout) have passed. Deadlines nest: an inner one hands back what is left of the outer one."""
    if seconds is not None and seconds < 0:
        seconds = render_timeout()
    if seconds is None or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "setitimer"):
        yield
        return

    armed = [True]
    outer_left = signal.getitimer(signal.ITIMER_REAL)[0]  # an enclosing deadline's time left, or 0
    outer_first = 0 < outer_left < seconds

    def expire(signum: int, frame: object) -> None:
        if armed[0]:
            raise _Expired

    old_handler = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, outer_left if outer_first else seconds)
    started = time.monotonic()
    try:
        try:
            yield
        finally:
            armed[0] = False  # from here on a late alarm does nothing
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Expired:
        if outer_first:  # the enclosing deadline came first: it names what ran out
            outer_left = 0.0
            raise
        raise timeout_error(what, seconds, per, doing) from None
    finally:
        signal.signal(signal.SIGALRM, old_handler)
        if outer_left:  # hand the enclosing deadline what is left of it
            signal.setitimer(signal.ITIMER_REAL, max(outer_left - (time.monotonic() - started), 1e-6))
