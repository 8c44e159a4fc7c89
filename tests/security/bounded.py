"""Run a real `rolereport` command under a watchdog: at most MEMORY_MB of address space (the kernel
refuses more, so a bomb that got through would fail with an unexpected error, not pass) and
WATCHDOG_S seconds (then it is killed and the test fails). This is a bound, not a speed test."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import time
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
    seconds: float = 0.0  # measured for the record (MEASURED=1 prints them), never asserted on
    peak_mb: float = 0.0  # the largest resident size of rolereport or any child it waited for

    @property
    def lines(self) -> list[str]:
        return self.err.strip().splitlines()


def run_bounded(*args: object, cwd: Path | None = None, env: dict[str, str] | None = None) -> Ran:
    limit = MEMORY_MB << 20

    def bound() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    full_env = {**os.environ, "ROLEREPORT_PANDOC_MEMORY": "100", **(env or {})}
    started = time.monotonic()
    proc = subprocess.Popen([str(ROLEREPORT), *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=bound, cwd=cwd, env=full_env, stdin=subprocess.DEVNULL)
    streams: dict[str, bytes] = {}
    readers = [threading.Thread(target=lambda n=n, s=s: streams.__setitem__(n, s.read()), daemon=True)
               for n, s in (("out", proc.stdout), ("err", proc.stderr))]
    for reader in readers:
        reader.start()
    while True:  # waited for here (not by Popen), to have the child's resource usage
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - started > WATCHDOG_S:
            proc.kill()
            os.wait4(proc.pid, 0)
            proc.returncode = -9
            raise AssertionError(f"rolereport {' '.join(map(str, args))} ran past the {WATCHDOG_S:g} s watchdog")
        time.sleep(0.02)
    seconds = time.monotonic() - started
    code = proc.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join(10)
    ran = Ran(code, streams.get("out", b"").decode("utf-8", "replace"),
              streams.get("err", b"").decode("utf-8", "replace"), seconds, usage.ru_maxrss / 1024)
    if os.environ.get("MEASURED"):
        print(f"\nMEASURED {seconds:5.2f} s {ran.peak_mb:6.1f} MB exit {code}: {' '.join(map(str, args))[:90]}")
    return ran


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
