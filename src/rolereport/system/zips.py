"""Zip packages (DOCX, ODT, EPUB, XLSX) judged by what they really inflate to.

A zip declares each member's size, and a hostile one lies (a 712 KB DOCX declaring 4 KB inflated
to gigabytes). Here every member is inflated through a counter that stops at the limit, so nothing
past the limit is ever held, and a member with a bad checksum is caught as it ends. `repack` then
gives a package holding exactly the bytes that were counted, for a reader outside Python (pandoc)
that might read the zip's records differently.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from rolereport.system.files import Refused

MAX_MEMBERS = 10_000
_CHUNK = 1 << 16


def _members(data: bytes | io.BufferedIOBase, kind: str) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    try:
        package = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise Refused(f"is not a {kind} file (not a readable zip package); check --from") from None
    infos = package.infolist()
    if len(infos) > MAX_MEMBERS:
        package.close()
        raise Refused(f"the {kind} holds {len(infos):,} parts; packages are limited to {MAX_MEMBERS:,}")
    return package, infos


def inflate(package: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, kind: str,
            limit: int) -> Iterator[bytes]:
    """The member's bytes, chunk by chunk, Refused once more than `budget` bytes (what is left of
    the package's `limit`) came out."""
    total = 0
    try:
        with package.open(info) as member:
            while chunk := member.read(_CHUNK):
                total += len(chunk)
                if total > budget:
                    raise Refused(f"the {kind} expands to more than it may: packages are limited to "
                                  f"{limit:,} bytes unpacked (reached in its part '{info.filename}')")
                yield chunk
    except Refused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, ValueError) as exc:
        raise Refused(f"the {kind}'s part '{info.filename}' cannot be unpacked ({exc}); save the file "
                      "again from its program") from None


def unpack(data: bytes, limit: int, kind: str) -> dict[str, bytes]:
    """Every member's real bytes, at most `limit` bytes in all."""
    package, infos = _members(data, kind)
    members: dict[str, bytes] = {}
    left = limit
    with package:
        for info in infos:
            if info.is_dir():
                continue
            body = b"".join(inflate(package, info, left, kind, limit))
            left -= len(body)
            members.setdefault(info.filename, body)  # a name given twice: the first, as readers take it
    return members


def check_inflated(source: bytes | io.BufferedIOBase, limit: int, kind: str) -> None:
    """Refused when the members really inflate past `limit` in all (counted, nothing kept)."""
    package, infos = _members(source, kind)
    left = limit
    with package:
        for info in infos:
            for chunk in inflate(package, info, left, kind, limit):
                left -= len(chunk)


def repack(members: dict[str, bytes]) -> bytes:
    """A zip holding exactly `members` (stored, fixed dates): what was counted is what is read."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:
        for name, body in members.items():
            out.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), body)
    return buf.getvalue()


def read_member(data: bytes, name: str, limit: int) -> bytes | None:
    """One member's first bytes (at most `limit`), or None when the package has no such member."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package, package.open(name) as member:
            return member.read(limit)
    except (KeyError, zipfile.BadZipFile, OSError, NotImplementedError, EOFError, ValueError):
        return None
