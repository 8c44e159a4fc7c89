"""The title a PDF carries in its document information, read without rendering (`send` checks
that a file names its person before attaching it)."""

from __future__ import annotations

import io
from typing import Any

from rolereport.render.formats import Unreadable


def read_title(data: bytes) -> str:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import DictionaryObject, IndirectObject

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged file is our refusal, not a log line
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        ref = reader.trailer.raw_get("/Info") if "/Info" in reader.trailer else None
        info = _from_object_stream(reader, ref) if isinstance(ref, IndirectObject) else None
        if info is None:
            info = reader.metadata
        if not isinstance(info, DictionaryObject):
            return ""
        title = info.get("/Title")  # DictionaryObject.get resolves an indirect title
        return str(title) if title is not None else ""
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise Unreadable(f"cannot be read as a PDF ({type(exc).__name__})") from None


def _from_object_stream(reader: Any, ref: Any) -> Any:
    """The document information dictionary parsed alone from its object stream, or None.

    pypdf parses every object of an object stream to return one, and a tagged PDF keeps its
    thousand structure elements in the stream beside the information dictionary: 270 ms a guide,
    against 2 ms for the one object (found by the stream's own offset table)."""
    from pypdf.generic import read_object

    where = reader.xref_objStm.get(ref.idnum)
    if where is None:
        return None
    stream = reader.get_object(where[0])
    raw = stream.get_data()
    first, count = int(stream["/First"]), int(stream["/N"])
    numbers = raw[:first].split()
    for k in range(0, min(2 * count, len(numbers) - 1), 2):
        if int(numbers[k]) == ref.idnum:
            buf = io.BytesIO(raw)
            buf.seek(first + int(numbers[k + 1]))
            return read_object(buf, reader)
    return None
