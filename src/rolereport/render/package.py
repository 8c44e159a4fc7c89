"""Office files are zip packages: written so that their bytes depend only on content, and their
title property read back."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from defusedxml import ElementTree

from rolereport.render.formats import Unreadable

_DC = "{http://purl.org/dc/elements/1.1/}"
MAX_CORE_XML = 1024 * 1024  # docProps/core.xml is a few hundred bytes; refuse a zip bomb there


def deterministic_zip(entries: Iterable[tuple[str, bytes]], date_time: tuple[int, ...]) -> bytes:
    """A zip whose bytes depend only on the entries: fixed times, attributes and compression."""
    stamp = (max(date_time[0], 1980), *date_time[1:6])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zout:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zout.writestr(info, data, compresslevel=6)
    return buf.getvalue()


def office_title(data: bytes) -> str:
    """The title in an Office file's core properties ('' when it has none)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo("docProps/core.xml")
            if info.file_size > MAX_CORE_XML:
                raise Unreadable("its document properties are implausibly large")
            root = ElementTree.fromstring(zf.read(info))
    except KeyError:
        return ""  # no core properties: no title
    except (zipfile.BadZipFile, ElementTree.ParseError, ValueError, OSError) as exc:
        raise Unreadable(f"cannot be read as an Office file ({type(exc).__name__})") from None
    element = root.find(f"{_DC}title")
    return (element.text or "") if element is not None else ""
