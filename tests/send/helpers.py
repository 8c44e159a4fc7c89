"""Test helpers: a batch folder as `rolereport batch` leaves it, and a real SMTP server (aiosmtpd) on 127.0.0.1.

The folders are written through the same seams the batch uses (`manifest.write_manifest`, the
per-person stamp) with small but real files: a PDF (pypdf) and DOCX/XLSX packages whose title
property names the person, as the batch's renderers write them. The real renderers are exercised
by `test_real_batch.py`; here a 50-person folder takes milliseconds.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import hashlib
import io
import json
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from rolereport.jobs import manifest
from rolereport.jobs.manifest import ManifestRow
from rolereport.send.recipients import STAMP
from rolereport.text.slugs import slugify

NAMES = {"pdf": "career-guide.pdf", "docx": "role-handout.docx", "xlsx": "role-matrix.xlsx"}


def pdf_bytes(title: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": title})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def office_bytes(fmt: str, title: str) -> bytes:
    from xml.sax.saxutils import escape

    core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{escape(title)}</dc:title><dc:creator>HR</dc:creator></cp:coreProperties>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("docProps/core.xml", core)
        zf.writestr("word/document.xml" if fmt == "docx" else "xl/workbook.xml", f"<{fmt}/>")
    return buf.getvalue()


def document(fmt: str, name: str) -> bytes:
    title = f"Career transition guide – {name}"
    return pdf_bytes(title) if fmt == "pdf" else office_bytes(fmt, title)


@dataclass
class Person:
    name: str
    email: str = ""
    status: str = "ok"
    top: list[dict] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return slugify(self.name)


def write_batch(out: Path, people: list[Person], formats=("pdf", "docx", "xlsx"), stamp_extras=True) -> Path:
    rows = []
    tmp_input = out.parent / "roster.csv"
    for p in people:
        files = {}
        if p.status in ("ok", "skipped"):
            folder = out / p.slug
            folder.mkdir(parents=True, exist_ok=True)
            for fmt in formats:
                data = document(fmt, p.name)
                (folder / NAMES[fmt]).write_bytes(data)
                files[fmt] = (NAMES[fmt], len(data), hashlib.sha256(data).hexdigest())
            stamp = {"digest": "0" * 64, "files": {n: sha for n, _, sha in files.values()}}
            if stamp_extras:  # as the batch's stamps record them (batch operations, #17)
                stamp["identity"] = {"name": p.name, "id": "", "email": p.email, "input": str(tmp_input)}
                stamp["top"] = p.top
            (folder / STAMP).write_text(json.dumps(stamp, ensure_ascii=False), encoding="utf-8")
        rows.append(ManifestRow(name=p.name, email=p.email, slug=p.slug if files else "", input="roster.csv",
                                status=p.status, error="" if files else "bad row", files=files))
    out.mkdir(parents=True, exist_ok=True)
    manifest.write_manifest(out, rows, formats)
    return out


def many(n: int) -> list[Person]:
    return [Person(f"Person {i:03d}", f"person{i:03d}@example.com",
                   top=[{"role": "Data Engineer", "band": "Strong fit", "score": 81},
                        {"role": "MLOps Engineer", "band": "Good fit", "score": 55}])
            for i in range(n)]


# ---- the server ----------------------------------------------------------------------------------

class Recorder:
    """aiosmtpd handler: keeps every accepted message; can refuse addresses and drop connections."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.refuse: set[str] = set()
        self.drop_at_rcpt: set[str] = set()  # drop the connection at this RCPT, once each
        self.drop_after_data: set[str] = set()  # keep the message, then drop before replying, once each
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox here"
        if address in self.drop_at_rcpt:
            self.drop_at_rcpt.discard(address)
            server.transport.abort()
            return "421 gone"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        dropped = [a for a in envelope.rcpt_tos if a in self.drop_after_data]
        if dropped:
            self.drop_after_data.difference_update(dropped)
            server.transport.abort()
            await asyncio.sleep(0)
        return "250 2.0.0 accepted"

    def parsed(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(raw, policy=email.policy.default) for _, _, raw in self.messages]

    def recipients(self) -> list[str]:
        return [to for _, tos, _ in self.messages for to in tos]


class _Controller(Controller):
    def _trigger_server(self):  # port 0: learn the port the OS chose before the base class connects
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@dataclass
class Server:
    controller: Controller
    handler: Recorder

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.controller.port}"


def start_server(handler: Recorder | None = None, **kwargs) -> Server:
    handler = handler or Recorder()
    controller = _Controller(handler, hostname="127.0.0.1", port=0, **kwargs)
    controller.start()
    return Server(controller, handler)


class Authenticator:
    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user.encode(), password.encode()
        self.seen: list[bytes] = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword):
            self.seen.append(auth_data.login)
            if auth_data.login == self.user and auth_data.password == self.password:
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)
