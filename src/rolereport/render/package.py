"""Office files are zip packages; these write them so that their bytes depend only on content."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable


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
