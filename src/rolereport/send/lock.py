"""One run per output folder: a send holds `DIR/.rolereport.lock` (`fcntl.flock`) while it works.

It is the lock file the batch's folder lock uses (batch operations, #17), with the same record
of its holder (process, host, command, start), so a send never runs beside a batch writing the
same folder, nor beside another send, and whichever is refused is told who holds the folder. The
kernel releases the lock however its holder ends; the file stays (removing it would let two runs
lock two different files).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path

from rolereport.errors import OutputError, Problem, UsageError

LOCK = ".rolereport.lock"


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        return f"process {info['pid']} on {info['host']} (rolereport {info['command']}, started {info['started']})"
    except (OSError, ValueError, KeyError, TypeError):
        return "another rolereport run"


@contextlib.contextmanager
def folder_lock(folder: Path, command: str = "send") -> Iterator[None]:
    path = Path(folder) / LOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(Problem(str(folder), f"cannot take the folder's lock ({exc.strerror})")) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(Problem(str(folder), f"is being worked on by {_holder(path)}; try again when "
                                     "it has finished")) from None
        info = {"pid": os.getpid(), "host": socket.gethostname(), "command": command,
                "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")}
        with contextlib.suppress(OSError):  # a full disk: the lock holds; others just are not told by whom
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode() + b"\n", 0)
        yield
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing releases the lock
