"""Whose file is this? The title property a PDF, DOCX or XLSX carries, read without rendering.

The batch writes the person's name into each personalised file's title, so a file that left its
folder still says whose it is. Before a file is attached to someone's e-mail, its title must
name that person: a guide copied into the wrong folder is refused, not sent.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from typing import Any

from defusedxml import ElementTree

_DC = "{http://purl.org/dc/elements/1.1/}"
MAX_CORE_XML = 1024 * 1024  # docProps/core.xml is a few hundred bytes; refuse a zip bomb there


class Unreadable(Exception):
    """The file cannot be read as the format its name says."""


def title_of(fmt: str, data: bytes) -> str:
    """The document's title property ('' when it has none)."""
    if fmt == "pdf":
        return _pdf_title(data)
    if fmt in ("docx", "xlsx"):
        return _office_title(data)
    raise Unreadable(f"no title can be read from a {fmt} file")


def names(title: str, name: str) -> bool:
    """Does the title name this person? Their whole name, not part of a longer one ('Ann' is not
    named by 'Anna Smith', 'José Müller' not by 'José Müller-Lüdenscheidt'), compared with Unicode
    composition, spacing and case folded away ('José' written decomposed still matches)."""
    folded = _fold(name)
    if not folded:
        return False
    pattern = rf"(?<!\w)(?<!\w[-'’]){re.escape(folded)}(?!\w)(?![-'’]\w)"
    return re.search(pattern, _fold(title)) is not None


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _pdf_title(data: bytes) -> str:
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


def _office_title(data: bytes) -> str:
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
