"""The one way rolereport runs pandoc: sandboxed, fed on stdin, bounded, and tied to its parent.

Both reading (HTML, Markdown, DOCX, ODT sources → pandoc's AST) and rendering (our Markdown →
HTML, DOCX) go through `run_pandoc`, so neither stage imports the other.

Each pandoc run is bounded three ways, wherever it runs (a report, a batch worker, a Dask worker):
- time: the render timeout (`ROLEREPORT_RENDER_TIMEOUT`), by the wall clock here and by the
  kernel's CPU limit (RLIMIT_CPU) in pandoc itself;
- memory: `ROLEREPORT_PANDOC_MEMORY` (MB of pandoc's heap, default 1024; `+RTS -M`), with the
  address space (RLIMIT_AS) as a backstop for a pandoc built without RTS options;
- life: pandoc gets SIGKILL when the process that started it dies (Linux's parent-death signal),
  so a rolereport killed with `kill -9` leaves no pandoc behind.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
from collections.abc import Callable, Sequence
from functools import cache

from rolereport.errors import Problem, TemplateError
from rolereport.system.deadline import render_timeout

MEMORY_ENV = "ROLEREPORT_PANDOC_MEMORY"
DEFAULT_MEMORY_MB = 1024
_HEAP_EXHAUSTED = 251  # GHC's exit code when the heap limit is reached
_PR_SET_PDEATHSIG = 1


class PandocLimit(OSError):
    """pandoc was stopped at its memory limit (callers already turn OSError into one line)."""


@cache
def pandoc_path() -> str:
    """The pandoc binary pypandoc ships (or finds); looked up once per process."""
    import pypandoc

    return str(pypandoc.get_pandoc_path())


def memory_limit_mb() -> int:
    raw = os.environ.get(MEMORY_ENV, "").strip()
    if not raw:
        return DEFAULT_MEMORY_MB
    if not raw.isdigit() or int(raw) < 64:
        raise TemplateError(Problem(MEMORY_ENV, f"'{raw}' is not a number of megabytes of at least 64 "
                                    f"(such as {DEFAULT_MEMORY_MB})"))
    return int(raw)


_NO_RTS: set[str] = set()  # pandoc binaries built without RTS options (they refuse `+RTS`)


@cache
def _prctl() -> Callable[..., int] | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def heap_options(path: str, memory_mb: int) -> list[str]:
    """pandoc's own heap limit, unless this pandoc was built without RTS options."""
    return [] if path in _NO_RTS else ["+RTS", f"-M{memory_mb}m", "-RTS"]


def child_bounds(memory_mb: int, seconds: float | None) -> Callable[[], None]:
    """What the child does between fork and exec: only system calls, nothing that takes a lock."""
    import resource

    parent = os.getpid()
    prctl = _prctl()  # resolved before the fork
    def lower(kind: int, soft: int, hard: int) -> tuple[int, int]:  # never above what this process has
        _, now = resource.getrlimit(kind)
        return (soft, hard) if now == resource.RLIM_INFINITY else (min(soft, now), min(hard, now))

    address = lower(resource.RLIMIT_AS, *[(2 * memory_mb + 1024) << 20] * 2)  # a backstop to the heap limit
    cpu = None if seconds is None else lower(resource.RLIMIT_CPU, int(seconds) + 1, int(seconds) + 2)

    def preexec() -> None:
        if prctl is not None:
            prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the signal was asked for
            os._exit(137)
        resource.setrlimit(resource.RLIMIT_AS, address)
        if cpu is not None:
            resource.setrlimit(resource.RLIMIT_CPU, cpu)

    return preexec


def run_pandoc(args: Sequence[str], data: bytes | None = None,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run pandoc sandboxed, feeding `data` on stdin, stopped after the render timeout.

    pandoc runs in a session of its own, out of the terminal's process group: a Ctrl-C that asks a
    batch to finish the people in progress must not kill the pandoc one of them is waiting for
    (this process still kills it when it is interrupted itself, or at the time limit, and the
    kernel kills it when this process dies).

    Raises subprocess.TimeoutExpired (pandoc was killed), PandocLimit (its memory ran out) or
    OSError (it could not start)."""
    memory = memory_limit_mb()
    seconds = render_timeout()
    path = pandoc_path()
    rts = heap_options(path, memory)
    command = [path, *rts, "--sandbox", *args]
    done = subprocess.run(command, input=data, capture_output=True, env=env, timeout=seconds, check=False,
                          start_new_session=True, preexec_fn=child_bounds(memory, seconds))
    if rts and done.returncode != 0 and b"RTS option" in done.stderr[:2000]:  # RTS options disabled
        _NO_RTS.add(path)  # the address-space limit still bounds it
        return run_pandoc(args, data, env)
    if done.returncode == _HEAP_EXHAUSTED or b"Heap exhausted" in done.stderr[-2000:] \
            or (done.returncode < 0 and b"out of memory" in done.stderr[-2000:]):
        raise PandocLimit(0, f"it was stopped at its memory limit of {memory:,} MB; check the file, or "
                          f"raise {MEMORY_ENV}")
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL) and seconds is not None:
        raise subprocess.TimeoutExpired(command, seconds)
    return done
