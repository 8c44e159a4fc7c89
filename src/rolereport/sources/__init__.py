"""Reading a source page, in any of its formats, into a `Guide`."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from pathlib import Path

from rolereport import notices
from rolereport.errors import Problem, SourceError, TemplateError
from rolereport.model import Guide, SourceInfo
from rolereport.sources.blocks import Block
from rolereport.sources.encoding import decode
from rolereport.sources.guards import html_nesting, mime_nesting
from rolereport.sources.parse import parse_blocks
from rolereport.sources.text import text_blocks
from rolereport.system.deadline import deadline, render_timeout
from rolereport.system.files import Refused, read_capped
from rolereport.system.zips import read_member, repack, unpack

FORMATS = ("text", "html", "markdown", "docx", "odt", "pdf", "mhtml", "rtf", "epub")
EXTENSIONS = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown",
    ".docx": "docx", ".odt": "odt", ".pdf": "pdf", ".mhtml": "mhtml", ".mht": "mhtml",
    ".rtf": "rtf", ".epub": "epub",
}
_ZIPPED = {"docx": "DOCX", "odt": "ODT", "epub": "EPUB"}
MAX_SOURCE_BYTES = 5 * 1024 * 1024
MAX_DOCX_UNPACKED_BYTES = 50 * 1024 * 1024  # a DOCX is a zip: bound what it expands to


def default_source() -> Path:
    """The page that ships with the package, so the CLI works outside the repo."""
    return Path(__file__).resolve().parent.parent / "data" / "ml-engineer-alternatives.txt"


def detect_format(path: Path, fmt: str | None, data: bytes | None = None) -> str:
    """The format: `fmt` (--from), else the extension, else what `data` looks like (warned)."""
    if fmt:
        if fmt not in FORMATS:
            raise SourceError(
                Problem(str(path), f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}")
            )
        return fmt
    found = EXTENSIONS.get(path.suffix.lower())
    if found is None and data is not None:
        found = sniff(data)
        if found is not None:
            what = (f"the extension '{path.suffix}' is not one this tool knows" if path.suffix
                    else "the name has no extension")
            notices.warn(str(path), f"{what}: read as {found} by its content; pass --from to choose")
    if found is None:
        raise SourceError(
            Problem(
                str(path),
                f"cannot tell the format from the extension '{path.suffix}'; rename the file "
                f"or pass --from ({', '.join(FORMATS)})",
            )
        )
    return found


# What only Markdown has (both kinds may hold pipe tables): ATX or "===" headings, **strong**, [links](…)
_MARKDOWN = re.compile(rb"^#{1,6}\s+\S|^\S[^\n]*\n={3,}\s*$|\*\*[^*\n]+\*\*|\]\([^)\s]+\)", re.M)


def sniff(data: bytes) -> str | None:
    """A page's format from its first bytes, for a file saved without a known extension (a browser's
    "Save as" without one, a mail attachment): None when it does not look like a page at all."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf1"):
        return "rtf"
    if data.startswith(b"PK\x03\x04"):
        import io
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = set(package.namelist())  # the directory only: nothing inflated
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return None
        if "word/document.xml" in names:
            return "docx"
        kind = read_member(data, "mimetype", 100) or b""  # its first bytes, whatever it claims
        return {b"application/vnd.oasis.opendocument.text": "odt",
                b"application/epub+zip": "epub"}.get(kind.strip())
    head = data[:8192].decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    low = head.casefold()
    if low.startswith(("mime-version:", "from:", "content-type: multipart/related")) and "multipart/related" in low:
        return "mhtml"
    if low.startswith(("<!doctype html", "<html", "<?xml")) or re.search(r"<(?:html|body|head)\b", low):
        return "html"
    if b"\x00" in data[:8192]:
        return None  # binary, and none of the above
    return "markdown" if _MARKDOWN.search(data[:65536]) else "text"


def read_bytes(path: Path) -> bytes:
    file = str(path)
    try:
        data = read_capped(path, MAX_SOURCE_BYTES, "sources")  # a regular file, never more than the limit
    except Refused as exc:
        raise SourceError(Problem(file, str(exc))) from None
    except FileNotFoundError:
        raise SourceError(Problem(file, "no such file; check the path")) from None
    except IsADirectoryError:
        raise SourceError(Problem(file, "is a folder; give a source file")) from None
    except OSError as exc:
        raise SourceError(Problem(file, f"cannot be read: {exc.strerror}")) from None
    if not data.strip():
        raise SourceError(Problem(file, "the file is empty; give a page of the family"))
    return data


def unpacked(data: bytes, file: str, kind: str = "DOCX") -> bytes:
    """The package as it really inflates (a "zip bomb" that lies about its sizes is stopped at the
    limit, a part with a bad checksum refused), repacked so that pandoc reads exactly those bytes."""
    try:
        return repack(unpack(data, MAX_DOCX_UNPACKED_BYTES, kind))
    except Refused as exc:
        raise SourceError(Problem(file, str(exc))) from None


def decode_text(data: bytes, file: str, html: bool = False) -> str:
    """UTF-8 (or the encoding an HTML page declares; else detected, with a warning)."""
    return decode(data, file, html=html)


def source_date(path: Path) -> dt.date:
    """SOURCE_DATE_EPOCH when set, else the source file's own date; never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    stamp = int(epoch) if epoch.isdigit() else int(path.stat().st_mtime)
    return dt.datetime.fromtimestamp(stamp, dt.UTC).date()


def read_source(path: Path | str | None = None, fmt: str | None = None,
                strict: bool = False) -> tuple[Guide, SourceInfo]:
    """The page's `Guide`. Each choice the reader had to make is a warning (notices.warn); with
    `strict` they are errors instead, all of them at once."""
    path = Path(path) if path is not None else default_source()
    file = str(path)
    failed: SourceError | None = None
    with notices.collect() as found:
        try:  # the whole read, Python's part included, within the time limit (pandoc's own, inside, first)
            limit = render_timeout()
            with deadline(file, None if limit is None else limit + 1.0, per="source", doing="reading it"):
                data = read_bytes(path)  # a missing file says so before its name is judged
                kind = detect_format(path, fmt, data)
                guide = parse_blocks(read_blocks(path, data, kind, file), file)
        except SourceError as exc:
            failed = exc
        except TemplateError as exc:  # the deadline: said as the source's problem
            failed = SourceError(exc.problems)
        except RecursionError:
            failed = SourceError(Problem(file, "its parts are nested too deeply to read; it is not a page "
                                         "this tool reads"))
    if failed is not None:  # the warnings said before the read failed still reach the caller
        if not strict:
            _say(found)
        raise SourceError(_as_errors(found) + failed.problems if strict else failed.problems) from None
    if strict and found:
        raise SourceError(_as_errors(found))
    _say(found)
    info = SourceInfo(
        name=path.name, date=source_date(path), sha256=hashlib.sha256(data).hexdigest()
    )
    return guide, info


def _say(found: list[Problem]) -> None:
    for problem in found:  # to the caller's collector, or printed
        notices.warn(problem.file, problem.message, problem.where)


def _as_errors(found: list[Problem]) -> list[Problem]:
    return [Problem(p.file, f"{p.message} (an error with --strict)", p.where) for p in found]


def read_blocks(path: Path, data: bytes, kind: str, file: str) -> list[Block]:
    """The page as blocks, whatever its format."""
    if kind == "text":
        return text_blocks(decode_text(data, file))
    if kind == "pdf":
        from rolereport.sources.pdf import pdf_blocks

        return pdf_blocks(data, file)
    from rolereport.sources.via_pandoc import pandoc_blocks

    if kind == "mhtml":
        from rolereport.sources.mhtml import html_part

        mime_nesting(data, file)
        page = html_part(data, file)
        html_nesting(page, file)
        return pandoc_blocks(path, page, "html", file)
    if kind == "html":
        html_nesting(data, file)
    if kind in _ZIPPED:
        if not data.startswith(b"PK"):
            raise SourceError(Problem(file, f"is not a {_ZIPPED[kind]} file (not a zip package); check --from"))
        return pandoc_blocks(path, unpacked(data, file, _ZIPPED[kind]), kind, file)
    if kind == "rtf":
        if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
            raise SourceError(Problem(file, "is not an RTF file (it does not start with '{\\rtf'); check --from"))
        return pandoc_blocks(path, data, kind, file)
    return pandoc_blocks(path, decode_text(data, file, html=kind == "html").encode("utf-8"), kind, file)
