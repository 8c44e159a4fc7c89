"""Writing output files: atomically, and only where they are meant to go."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from rolereport.errors import OutputError, Problem


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written file."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise OutputError(Problem(str(path), f"cannot write here: {exc.strerror}")) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


_SLUG_DROP = re.compile(r"[^A-Za-z0-9]+")


def slugify(text: str, max_length: int = 60) -> str:
    """Allow-list slug: ASCII letters, digits and '-', nothing else (so never '..' or '/')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _SLUG_DROP.sub("-", ascii_text).strip("-").lower()
    return slug[:max_length].strip("-")


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
