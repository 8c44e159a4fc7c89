"""Writing output files: atomically, and only where they are meant to go."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from rolereport.errors import OutputError, Problem

_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class DiskFull(OutputError):
    """The output folder's disk (or quota) is full: every later write there would fail too."""


def _cannot(path: Path, exc: OSError, what: str, then: str = "") -> OutputError:
    kind = DiskFull if exc.errno in _NO_SPACE else OutputError
    return kind(Problem(str(path), f"{what}: {exc.strerror}{then}"))


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written file."""
    write_all({Path(path): data})


def write_all(files: dict[Path, bytes]) -> None:
    """Write a set of files all-or-nothing: every temporary file is written first, and only
    when all of them are on disk are they renamed over the old files (in the given order).

    A failure while writing (disk full, read-only folder, interrupt) removes the temporary files
    and leaves every previous file untouched. A rename in the same folder does not fail in
    practice; if one ever did, the files renamed before it stay new and the rest stay old.
    """
    staged: list[tuple[str, Path]] = []
    made: list[Path] = []  # folders made here, removed again if nothing could be written
    for path in files:
        _replaceable(Path(path))
    try:
        for path, data in files.items():
            path = Path(path)
            try:
                made += _mkdirs(path.parent)
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
            except OSError as exc:
                raise _cannot(path, exc, "cannot write here") from None
            staged.append((tmp, path))
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.chmod(tmp, 0o644)
            except OSError as exc:
                raise _cannot(path, exc, "cannot write here",
                              "; the previous files were left as they were") from None
        while staged:
            tmp, path = staged[0]
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise _cannot(path, exc, "cannot replace the file") from None
            staged.pop(0)
        made.clear()
    finally:
        for tmp, _ in staged:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        for folder in reversed(made):  # a full disk leaves no empty person folder behind
            try:
                folder.rmdir()
            except OSError:
                pass


def _replaceable(path: Path) -> None:
    """Only a regular file (or nothing) is replaced: never a device such as /dev/null, a FIFO, a
    socket or a folder, which a rename over it would destroy (as root, even in /dev)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _cannot(path, exc, "cannot write here") from None
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise OutputError(Problem(str(path), "is not a regular file; nothing was written (give a file name)"))


def _mkdirs(folder: Path) -> list[Path]:
    """Make `folder` and any missing parents; returns the ones made, outermost first."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for f in reversed(missing):
        f.mkdir(exist_ok=True)
    return list(reversed(missing))


def inside(folder: Path, name: str) -> Path:
    """`folder/name`, refusing any name that would land outside `folder`."""
    base = folder.resolve()
    target = (base / name).resolve()
    if target.parent != base or not name or name in (".", ".."):
        raise OutputError(Problem(str(folder), f"refusing to write '{name}' outside this folder"))
    return target


def remove_stale_parts(folder: Path) -> None:
    """Delete temporary files an interrupted earlier run may have left (killed mid-write)."""
    if folder.is_dir():
        for stale in folder.glob(".*.part"):
            stale.unlink(missing_ok=True)
