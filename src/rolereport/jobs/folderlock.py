"""One writer per output folder: an advisory lock on `DIR/.rolereport.lock`.

`rolereport batch --out DIR` and `rolereport report --out DIR` take it for as long as they read
stamps and write files there. A second run is refused with who holds the lock (process, host,
since when), or waits for it with `--wait`. The lock is the kernel's (`fcntl.flock`), so it goes
away with its holder however that ends — a killed run never leaves a stale lock behind. The lock
file itself stays (removing it would let two runs lock two different files); what it says about
its holder is only believed while the lock is held.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from rolereport.errors import OutputError, Problem
from rolereport.jobs.outputs import open_own, read_own

LOCK = ".rolereport.lock"

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no lock, as before
    fcntl = None  # type: ignore[assignment]


def _holder(path: Path) -> str:
    try:
        info = json.loads(read_own(path).decode("utf-8"))
        return (f"process {info['pid']} on {info['host']} (rolereport {info['command']}, "
                f"started {info['started']})")
    except (OSError, ValueError, KeyError, TypeError):
        return "another process (it has not said which yet)"


class FolderLock:
    """`with FolderLock(out, "batch", wait=False):` — held for the block; refused or waited for."""

    def __init__(self, folder: Path, command: str, *, wait: bool = False,
                 notify: Callable[[str], None] | None = None,
                 advice: str = "wait for it to finish, or run again with --wait") -> None:
        self.folder, self.command, self.wait, self.advice = Path(folder), command, wait, advice
        self.notify = notify or (lambda line: print(line, file=sys.stderr, flush=True))
        self.path = self.folder / LOCK
        self.fd = -1
        self.outer = -1  # the lock of the batch folder this one is a person folder of, if any

    def fileno(self) -> int:
        return self.fd

    def acquire(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = open_own(self.path, os.O_RDWR | os.O_CREAT)  # a planted link is refused, not truncated
        except OutputError:
            raise
        except OSError as exc:
            raise OutputError(Problem(str(self.folder), f"cannot write here: {exc.strerror}; choose "
                                      "another --out or fix its permissions")) from None
        self._take(fd, self.folder)
        # `report --out DIR/<person>` writes into a batch's folder: the batch's lock covers it too
        parent = self.folder.parent
        if parent != self.folder and (parent / LOCK).is_file() and not (parent / LOCK).is_symlink():
            try:
                outer = open_own(parent / LOCK, os.O_RDWR)
            except (OSError, OutputError):
                outer = -1
            if outer >= 0:
                try:
                    self._take(outer, parent)
                except BaseException:
                    os.close(fd)
                    raise
                self.outer = outer
        self.fd = fd
        info = {"pid": os.getpid(), "host": socket.gethostname(), "command": self.command,
                "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")}
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode() + b"\n", 0)
        except OSError:
            pass  # a full disk: the lock still holds; others just cannot be told who has it

    def _take(self, fd: int, folder: Path) -> None:
        """Lock `fd` (the lock file of `folder`), refused or waited for; closes `fd` on failure."""
        if fcntl is None:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(folder / LOCK)
            if not self.wait:
                os.close(fd)
                raise OutputError(Problem(str(folder), f"is being written by {holder}; "
                                          f"{self.advice}")) from None
            self.notify(f"rolereport: {folder} is being written by {holder}; waiting for it "
                        "to finish (Ctrl-C to give up)")
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
            except BaseException:
                os.close(fd)
                raise

    def release(self) -> None:
        if self.outer >= 0:
            os.close(self.outer)  # the batch folder's lock: its file is the batch's, left as it is
            self.outer = -1
        if self.fd < 0:
            return
        try:
            os.ftruncate(self.fd, 0)
        except OSError:
            pass
        os.close(self.fd)  # closing the last descriptor releases the lock
        self.fd = -1

    def __enter__(self) -> FolderLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
