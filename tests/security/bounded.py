"""Run a real `rolereport` command under a watchdog: at most MEMORY_MB of address space (the kernel
refuses more, so a bomb that got through would fail with an unexpected error, not pass) and
WATCHDOG_S seconds (then it is killed and the test fails). This is a bound, not a speed test."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROLEREPORT = Path(sys.executable).with_name("rolereport")
MEMORY_MB = 300
WATCHDOG_S = 30.0


@dataclass
class Ran:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.err.strip().splitlines()


def run_bounded(*args: object, cwd: Path | None = None, env: dict[str, str] | None = None) -> Ran:
    limit = MEMORY_MB << 20

    def bound() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    full_env = {**os.environ, "ROLEREPORT_PANDOC_MEMORY": "100", **(env or {})}
    try:
        done = subprocess.run([str(ROLEREPORT), *map(str, args)], capture_output=True, timeout=WATCHDOG_S,
                              preexec_fn=bound, cwd=cwd, env=full_env, stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"rolereport {' '.join(map(str, args))} ran past the {WATCHDOG_S:g} s watchdog") from exc
    return Ran(done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"))


def one_line(ran: Ran, file: object, *words: str) -> str:
    """Exit 2 and one line naming `file` (no traceback, no 'unexpected error')."""
    assert ran.code == 2, ran
    assert "Traceback" not in ran.err and "unexpected error" not in ran.err, ran.err
    assert len(ran.lines) == 1, ran.err
    line = ran.lines[0]
    assert line.startswith(f"rolereport: {file}"), line
    for word in words:
        assert word in line, line
    return line
