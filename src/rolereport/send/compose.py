"""One person's message: subject and body from the mail templates, their files attached.

The body template (`mail/body.md.j2`) is Markdown and is rendered twice from the same context:
once with every value escaped for Markdown and turned into HTML (markdown-it, raw HTML off), once
with values as they are for the plain-text part, which is the Markdown itself (meant to read
well as text). Users override `mail/subject.txt.j2`, `mail/body.md.j2` and the HTML page around
the body, `mail/body.html.j2`, with `--templates DIR`, like the document templates.

The message is multipart/mixed: a multipart/alternative (text/plain, text/html), then one part
per file. A file's readable name is given as mail programs old and new read it: RFC 2231 in
Content-Disposition (`filename*=utf-8''Career%20guide%20%E2%80%93…`) and RFC 2047 in
Content-Type (`name="=?utf-8?b?…?="`), as Thunderbird writes it.
"""

from __future__ import annotations

import binascii
import re
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from email import policy
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment
from jinja2 import TemplateError as JinjaTemplateError
from markupsafe import Markup

from rolereport.errors import Problem, TemplateError, UsageError
from rolereport.render.formats import FORMATS
from rolereport.render.templating import Templates
from rolereport.send.recipients import Attachment, Candidate

SUBJECT = "mail/subject.txt.j2"
BODY = "mail/body.md.j2"
PAGE = "mail/body.html.j2"
# How messages are written: CRLF line ends, lines of at most 78 characters (RFC 5322).
WIRE = policy.SMTP
CRLF = b"\r\n"


def parse_sender(text: str, where: str = "--from") -> Address:
    """'HR Team <hr@example.com>' or 'hr@example.com' as an Address, or one clear error."""
    text = text.strip()
    problem = UsageError(Problem(where, f"'{text[:70]}' is not one e-mail address such as "
                                 "'HR Team <hr@example.com>'"))
    if not text or re.search(r"[\r\n]", text):
        raise problem
    try:
        header = policy.default.header_factory("From", text)
        addresses = header.addresses
    except Exception:  # the header parser raises several kinds; all mean "not an address"
        raise problem from None
    if len(addresses) != 1 or header.defects or not addresses[0].domain or not addresses[0].username:
        raise problem
    return Address(display_name=addresses[0].display_name, addr_spec=addresses[0].addr_spec)


class Composer:
    """Renders subjects and bodies from the templates (loaded once) and builds messages."""

    def __init__(self, templates: Path | str | None, sender: Address, subject: str | None = None) -> None:
        from markdown_it import MarkdownIt

        self.templates = Templates(templates)
        self.sender = sender
        self.domain = sender.domain or "localhost"
        plain = self.templates.markdown.overlay(finalize=lambda v: "" if v is None else v)
        self._plain: Environment = plain
        try:
            self._subject = (plain.from_string(subject) if subject is not None
                             else plain.get_template(SUBJECT))
            self._body_md = self.templates.markdown.get_template(BODY)
            self._body_txt = plain.get_template(BODY)
            self._page = self.templates.html.get_template(PAGE)
        except JinjaTemplateError as exc:
            raise _template_error(exc, "--subject" if subject is not None else SUBJECT) from None
        self._md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})

    def context(self, person: Candidate, files: Sequence[Attachment]) -> dict[str, Any]:
        return {
            "name": person.name,
            "email": person.email,
            "slug": person.slug,
            "matches": [{"role": m.role, "band": m.band, "score": m.score} for m in person.matches],
            "current_role": person.current_role,
            "attachments": [f.filename for f in files],
            "sender": self.sender.display_name,
        }

    def texts(self, person: Candidate, files: Sequence[Attachment]) -> tuple[str, str, str]:
        """Subject, plain text and HTML for one person."""
        ctx = self.context(person, files)
        try:
            subject = " ".join(self._subject.render(ctx).split())
            text = self._body_txt.render(ctx).strip() + "\n"
            html_body = self._md.render(self._body_md.render(ctx))
            page = self._page.render(subject=subject, body=Markup(html_body), **ctx)
        except JinjaTemplateError as exc:
            raise _template_error(exc, BODY) from None
        if not subject:
            raise TemplateError(Problem(SUBJECT, "renders an empty subject; give the message a subject"))
        return subject, text, page

    def message(self, person: Candidate, files: Sequence[Attachment]) -> tuple[bytes, str]:
        """The complete message as it goes on the wire (and into an .eml file), and its Message-ID.

        The headers and the text/HTML alternative come from the email package. The container and
        the attachments are written here: the package's generator re-reads every base64 line one
        by one, which made it most of the time of a send (13 ms of 20 for an 80 kB guide).
        """
        subject, text, page = self.texts(person, files)
        head = EmailMessage(policy=policy.SMTP)
        msg_id = make_msgid(idstring=person.slug[:40], domain=self.domain)
        head["Message-ID"] = msg_id
        head["Date"] = format_datetime(datetime.now(UTC))
        head["From"] = self.sender
        head["To"] = Address(display_name=person.name, addr_spec=person.email)
        head["Subject"] = subject
        body = EmailMessage(policy=policy.SMTP)
        body.set_content(text, subtype="plain", cte="quoted-printable")
        body.add_alternative(page, subtype="html", cte="quoted-printable")
        if not files:
            for name, value in body.items():
                head[name] = value
            head.set_payload(body.get_payload())
            return head.as_bytes(policy=WIRE), msg_id
        # '=_' never occurs in base64, nor in quoted-printable (which writes '=' as '=3D')
        boundary = f"=_mixed_{secrets.token_hex(12)}"
        head["MIME-Version"] = "1.0"
        head["Content-Type"] = f'multipart/mixed; boundary="{boundary}"'
        headers = b"".join(WIRE.fold_binary(name, value) for name, value in head.items())
        parts = [headers, CRLF, b"--", boundary.encode(), CRLF, body.as_bytes(policy=WIRE)]
        for f in files:
            parts += [CRLF, b"--", boundary.encode(), CRLF, _attachment(f)]
        parts += [CRLF, b"--", boundary.encode(), b"--", CRLF]
        return b"".join(parts), msg_id


def _attachment(f: Attachment) -> bytes:
    """One attachment part: its headers (the names as in the module docstring), then base64."""
    name = Header(f.filename, "utf-8").encode(maxlinelen=70) if not f.filename.isascii() else f.filename
    ctype = f"{FORMATS[f.fmt].mime};"
    if len("Content-Type: ") + len(ctype) > 78:  # the Office types are long: fold before them
        ctype = "\n " + ctype
    headers = (f'Content-Type: {ctype}\n name="{_quoted(name)}"\n'
               f"Content-Disposition: attachment;\n {_rfc2231('filename', f.filename)}\n"
               "Content-Transfer-Encoding: base64\n\n")
    encoded = binascii.b2a_base64(f.data, newline=False)  # in one call, then cut in lines of 76
    lines = CRLF.join(encoded[i:i + 76] for i in range(0, len(encoded), 76))
    return headers.replace("\n", "\r\n").encode("ascii") + lines + CRLF


def _quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _rfc2231(param: str, value: str, width: int = 50) -> str:
    """`filename*0*=utf-8''Career%20guide…;` continued over lines of at most 78 characters."""
    encoded = quote(value, safe="!#$&+-.^_`|~")  # RFC 2231 attribute-chars, the rest %-escaped
    chunks, rest = [], encoded
    while rest:
        cut = min(width, len(rest))
        while cut < len(rest) and "%" in rest[max(0, cut - 2):cut]:
            cut -= 1  # never split a %XX escape
        chunks.append(rest[:cut])
        rest = rest[cut:]
    if len(chunks) == 1:
        return f"{param}*=utf-8''{chunks[0]}"
    lines = [f"{param}*{i}*=" + ("utf-8''" if i == 0 else "") + c for i, c in enumerate(chunks)]
    return ";\n ".join(lines)


def _template_error(exc: JinjaTemplateError, name: str) -> TemplateError:
    line = getattr(exc, "lineno", None)
    file = getattr(exc, "filename", None) or name
    return TemplateError(Problem(file, f"template failed: {getattr(exc, 'message', None) or exc}",
                                 f"line {line}" if line else None))
