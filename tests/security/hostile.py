"""Shared tools for the security tests: a local HTTP listener that records every request, the
hostile corpus made concrete (its PORT and CANARY placeholders filled in), and readers that see
each output the way a person opening it would."""

from __future__ import annotations

import html.parser
import io
import re
import shutil
import subprocess
import threading
import time
import unicodedata
import uuid
import zipfile
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

HOSTILE = Path(__file__).resolve().parent.parent / "fixtures" / "hostile"
# A 1×1 PNG: what the listener answers, so a fetch that did happen would embed a real image.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201d5c1d1e90000000049454e44ae426082"
)


class Listener:
    """An HTTP server on 127.0.0.1 (ephemeral port) in a daemon thread. It records every request
    and stops itself after `lifetime` seconds even if nobody calls `stop()`."""

    def __init__(self, lifetime: float = 300.0) -> None:
        self.requests: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                outer.requests.append(f"{self.command} {self.path}")
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(PIXEL)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(PIXEL)

            do_GET = do_POST = do_HEAD = _answer

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.timeout = 0.1
        self.port: int = self.server.server_address[1]
        self._stop = threading.Event()
        self._until = time.monotonic() + lifetime
        self._thread = threading.Thread(target=self._serve, name="hostile-listener", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            while not self._stop.is_set() and time.monotonic() < self._until:
                self.server.handle_request()
        finally:
            self.server.server_close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


@dataclass
class Corpus:
    """The hostile fixtures copied into a folder, pointing at a live listener and a canary file."""

    folder: Path
    port: int
    canary: Path
    token: str
    files: dict[str, Path] = field(default_factory=dict)

    def fill(self, text: str) -> str:
        return text.replace("PORT", str(self.port)).replace("CANARY", str(self.canary))


def make_corpus(folder: Path, port: int) -> Corpus:
    folder.mkdir(parents=True, exist_ok=True)
    token = f"CANARY-{uuid.uuid4().hex}"
    canary = folder / "canary.txt"
    canary.write_text(f"{token}\n", encoding="utf-8")
    corpus = Corpus(folder, port, canary, token)
    for src in sorted(HOSTILE.iterdir()):
        if src.is_file() and not src.name.startswith("."):
            target = folder / src.name
            target.write_text(corpus.fill(src.read_text(encoding="utf-8")), encoding="utf-8")
            corpus.files[src.name] = target
    return corpus


# --- what a reader sees ------------------------------------------------------------------------

_INVISIBLE = {"Cf", "Cc", "Zs", "Zl", "Zp"}
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def flat(text: str) -> str:
    """Text without any white space or invisible format characters: line wrapping, bidi marks
    and zero-width characters do not change what a reader reads."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE and not ch.isspace())


def contains(haystack: str, needle: str) -> bool:
    return flat(needle) in flat(haystack)


def pdf_contains(haystack: str, needle: str) -> bool:
    """`contains` for text pdftotext extracted: it drops a hyphen that ends a line (taking it for
    hyphenation) and variation selectors, so both sides are compared without them."""

    def norm(text: str) -> str:
        return "".join(ch for ch in flat(text) if ch != "-" and unicodedata.category(ch) != "Mn")

    return norm(needle) in norm(haystack)


def pdf_text(data: bytes) -> str:
    """The PDF's text as poppler's pdftotext reads it: what a viewer shows and copies (text beyond
    the page edge is not included). pypdf garbles some of WeasyPrint's subset fonts, so not it."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run([pdftotext, "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                          timeout=60, check=True)
    return done.stdout.decode("utf-8")


def pdf_streams(data: bytes) -> list[bytes]:
    """Every stream of the PDF, inflated where it is compressed."""
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        raw = m.group(1)
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return out


class _HTMLReader(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "script", "title"):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "style":
            self.styles.append(data)
        elif not self._in:
            self.text.append(data)


def read_html(data: bytes) -> _HTMLReader:
    reader = _HTMLReader()
    reader.feed(data.decode("utf-8"))
    reader.close()
    return reader


def docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def xlsx_cells(data: bytes) -> list:  # noqa: ANN001 - openpyxl cells
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]
