"""Reading a source page, in any of its formats, into a `Guide`."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from rolereport.errors import Problem, SourceError
from rolereport.model import Guide, SourceInfo
from rolereport.sources.blocks import Block
from rolereport.sources.parse import parse_blocks
from rolereport.sources.text import text_blocks

FORMATS = ("text", "html", "markdown", "docx")
EXTENSIONS = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown",
    ".docx": "docx",
}
MAX_SOURCE_BYTES = 5 * 1024 * 1024
MAX_DOCX_UNPACKED_BYTES = 50 * 1024 * 1024  # a DOCX is a zip: bound what it expands to


def default_source() -> Path:
    """The page that ships with the package, so the CLI works outside the repo."""
    return Path(__file__).resolve().parent.parent / "data" / "ml-engineer-alternatives.txt"


def detect_format(path: Path, fmt: str | None) -> str:
    if fmt:
        if fmt not in FORMATS:
            raise SourceError(
                Problem(str(path), f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}")
            )
        return fmt
    found = EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise SourceError(
            Problem(
                str(path),
                f"cannot tell the format from the extension '{path.suffix}'; rename the file "
                f"or pass --from ({', '.join(FORMATS)})",
            )
        )
    return found


def read_bytes(path: Path) -> bytes:
    file = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise SourceError(
                Problem(file, f"the file is {size:,} bytes; sources are limited to "
                        f"{MAX_SOURCE_BYTES:,} bytes")
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(Problem(file, "no such file; check the path")) from None
    except IsADirectoryError:
        raise SourceError(Problem(file, "is a folder; give a source file")) from None
    except OSError as exc:
        raise SourceError(Problem(file, f"cannot be read: {exc.strerror}")) from None
    if not data.strip():
        raise SourceError(Problem(file, "the file is empty; give a page of the family"))
    return data


def check_unpacked_size(data: bytes, file: str) -> None:
    """Refuse a DOCX whose parts would expand past the limit (a "zip bomb") before pandoc opens it."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
    except zipfile.BadZipFile:
        raise SourceError(Problem(file, "is not a DOCX file (not a readable zip package); check --from")) from None
    if unpacked > MAX_DOCX_UNPACKED_BYTES:
        raise SourceError(Problem(file, f"the DOCX expands to {unpacked:,} bytes; sources are limited to "
                                  f"{MAX_DOCX_UNPACKED_BYTES:,} bytes unpacked"))


def decode_text(data: bytes, file: str) -> str:
    if b"\x00" in data:
        raise SourceError(Problem(file, "is a binary file, not text; give the page as UTF-8 text"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            Problem(file, "is not UTF-8 text; save it as UTF-8 and try again", f"line {line}")
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def source_date(path: Path) -> dt.date:
    """SOURCE_DATE_EPOCH when set, else the source file's own date; never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    stamp = int(epoch) if epoch.isdigit() else int(path.stat().st_mtime)
    return dt.datetime.fromtimestamp(stamp, dt.UTC).date()


def read_source(path: Path | str | None = None, fmt: str | None = None) -> tuple[Guide, SourceInfo]:
    path = Path(path) if path is not None else default_source()
    file = str(path)
    kind = detect_format(path, fmt)
    data = read_bytes(path)
    blocks: list[Block]
    if kind == "text":
        blocks = text_blocks(decode_text(data, file))
    else:
        if kind != "docx":
            decode_text(data, file)  # same clear answer for binary / non-UTF-8 copies
        elif not data.startswith(b"PK"):
            raise SourceError(Problem(file, "is not a DOCX file (not a zip package); check --from"))
        else:
            check_unpacked_size(data, file)
        from rolereport.sources.pandoc import pandoc_blocks

        blocks = pandoc_blocks(path, data, kind, file)
    guide = parse_blocks(blocks, file)
    info = SourceInfo(
        name=path.name, date=source_date(path), sha256=hashlib.sha256(data).hexdigest()
    )
    return guide, info
