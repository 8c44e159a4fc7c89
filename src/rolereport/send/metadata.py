"""Whose file is this? The title property a PDF, DOCX or XLSX carries, read without rendering.

The batch writes the person's name into each personalised file's title, so a file that left its
folder still says whose it is. Before a file is attached to someone's e-mail, its title must
name that person: a guide copied into the wrong folder is refused, not sent.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile

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
    """Does the title name this person? Compared with Unicode composition, spacing and case
    folded away, so 'José' written decomposed by one library still matches."""
    return _fold(name) in _fold(title)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _pdf_title(data: bytes) -> str:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged file is our refusal, not a log line
    try:
        info = PdfReader(io.BytesIO(data), strict=False).metadata
        return str(info.title or "") if info is not None else ""
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise Unreadable(f"cannot be read as a PDF ({type(exc).__name__})") from None


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
