"""Reading an input file against its real bytes: a regular file only, and never more than the limit.

A size the file system reports can lie (`/dev/zero` says 0, a FIFO says 0 and blocks, a file can
grow while it is read), so the read itself stops at `limit + 1` bytes; a FIFO, device or socket is
refused by name before anything is read (it is opened without blocking, to look at it first).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class Refused(ValueError):
    """The file is not one to read; the message says why, for the caller to put its name to."""


_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def kind_of(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_capped(path: Path | str, limit: int, what: str = "files", rule: str = "") -> bytes:
    """The whole file when it is a regular file of at most `limit` bytes; else Refused, saying
    `rule` (by default "<what> are limited to <limit> bytes").

    OSError (FileNotFoundError, PermissionError, IsADirectoryError…) passes through."""
    rule = rule or f"{what} are limited to {limit:,} bytes"
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(st.st_mode):
            raise Refused(f"is {kind_of(st.st_mode)}, not a file; give a saved file")
        if st.st_size > limit:
            raise Refused(f"the file is {st.st_size:,} bytes; {rule}")
        if getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(fd, True)
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:  # it grew while being read
            raise Refused(f"the file is more than {limit:,} bytes; {rule}")
        return b"".join(chunks)
    finally:
        os.close(fd)


def check_regular(path: Path | str) -> None:
    """Refused when `path` exists and is a FIFO, device or socket (for files a library opens itself)."""
    try:
        st = os.stat(path)
    except OSError:
        return  # the reader says what is wrong with a missing file
    if not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
        raise Refused(f"is {kind_of(st.st_mode)}, not a file; give a saved file")
