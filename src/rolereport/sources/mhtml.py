"""MHTML ("Webpage, single file" in Chrome and Edge): a MIME message whose HTML part is the page."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage

from rolereport.errors import Problem, SourceError
from rolereport.sources.encoding import decode


def html_part(data: bytes, file: str) -> bytes:
    """The page's HTML as UTF-8: the part the snapshot names (else the first text/html part),
    decoded from its transfer encoding and its charset."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not message.is_multipart() and \
            message.get_content_type() != "text/html":
        raise SourceError(Problem(file, "is not an MHTML file (no MIME parts); save the page as "
                                  "'Webpage, single file' or give the HTML"))
    location = (message.get("Snapshot-Content-Location") or "").strip()
    parts = [p for p in message.walk() if p.get_content_type() == "text/html"]
    if not parts:
        raise SourceError(Problem(file, "the MHTML file holds no HTML page; save the page again"))
    part = next((p for p in parts if location and (p.get("Content-Location") or "").strip() == location),
                parts[0])
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        raise SourceError(Problem(file, "the MHTML file's page is empty; save the page again"))
    charset = part.get_content_charset()
    if charset:
        try:
            return payload.decode(charset).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong label: read the part as an HTML file would be
    return decode(payload, file, html=True).encode("utf-8")
