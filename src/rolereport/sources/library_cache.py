"""The library's index cache: what each page read as, so an unchanged library is not read again.

One JSON file, `library-index.json`, in the cache folder the project already uses
(`ROLEREPORT_CACHE_DIR`, else `$XDG_CACHE_HOME/rolereport`, else `~/.cache/rolereport`; empty
`ROLEREPORT_CACHE_DIR`: no cache). An entry is keyed by the page's absolute path and holds its
size, modification time and SHA-256 with what reading it gave: the guide's `extract` JSON and the
warnings, or the problems that made it unreadable. A page whose size and time are unchanged is
taken from the entry; one whose time changed but whose bytes hash the same is too (a `touch`).
The entry is refused (the page is read again) when the file is not this user's or others may write
it, when it was written by another version of the reader, or when its guide does not validate.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rolereport import __version__
from rolereport.errors import Problem
from rolereport.model import Guide

INDEX = "library-index.json"
MAX_ENTRIES = 5000  # the oldest are dropped beyond this many pages


def _reader_version() -> str:
    """This version, and the reader's own files (a changed reader reads every page again)."""
    folder = Path(__file__).resolve().parent
    h = hashlib.sha256(__version__.encode())
    for path in sorted(folder.glob("*.py")):
        st = path.stat()
        h.update(f"{path.name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class Entry:
    size: int
    mtime_ns: int
    sha256: str
    guide: Guide | None
    warnings: tuple[Problem, ...]
    problems: tuple[Problem, ...]

    def to_json(self) -> dict[str, Any]:
        return {"size": self.size, "mtime_ns": self.mtime_ns, "sha256": self.sha256,
                "guide": self.guide.contract() if self.guide else None,
                "warnings": [[p.file, p.message, p.where] for p in self.warnings],
                "problems": [[p.file, p.message, p.where] for p in self.problems]}


def _problems(items: Any) -> tuple[Problem, ...]:
    return tuple(Problem(str(f), str(m), str(w) if w else None) for f, m, w in items or ())


def _entry(data: Any) -> Entry | None:
    try:
        guide = Guide.model_validate(data["guide"]) if data.get("guide") else None
        return Entry(int(data["size"]), int(data["mtime_ns"]), str(data["sha256"]), guide,
                     _problems(data.get("warnings")), _problems(data.get("problems")))
    except (KeyError, TypeError, ValueError):
        return None


class IndexCache:
    """The entries of the cache file (none when there is no cache folder or a refused file)."""

    def __init__(self) -> None:
        from rolereport.render.pdf.ffi_cache import cache_dir

        folder = cache_dir()
        self.path = folder / INDEX if folder is not None else None
        self.version = _reader_version()
        self.entries: dict[str, dict[str, Any]] = {}
        self.changed = False
        if self.path is None:
            return
        try:
            st = self.path.stat()
            if st.st_uid != os.getuid() or st.st_mode & 0o022:
                return  # another user's, or writable by others: not trusted
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("version") == self.version and isinstance(data.get("pages"), dict):
            self.entries = data["pages"]

    def get(self, path: Path, size: int, mtime_ns: int, data: bytes | None = None) -> Entry | None:
        """The entry of `path` when it still describes the file (same size and time, or the same
        bytes when `data` is given)."""
        entry = _entry(self.entries.get(str(path)) or {})
        if entry is None or entry.size != size:
            return None
        if entry.mtime_ns == mtime_ns:
            return entry
        if data is not None and hashlib.sha256(data).hexdigest() == entry.sha256:
            self.put(path, Entry(size, mtime_ns, entry.sha256, entry.guide, entry.warnings, entry.problems))
            return entry
        return None

    def put(self, path: Path, entry: Entry) -> None:
        self.entries.pop(str(path), None)
        self.entries[str(path)] = entry.to_json()
        self.changed = True

    def save(self) -> None:
        """Write the file back when something changed; a cache that cannot be written is no error."""
        if self.path is None or not self.changed:
            return
        keep = dict(list(self.entries.items())[-MAX_ENTRIES:])
        text = json.dumps({"version": self.version, "pages": keep}, ensure_ascii=False)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{INDEX}.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, self.path)
        except OSError:
            pass
        self.changed = False
