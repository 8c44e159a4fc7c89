"""Talking to the SMTP server: TLS, login, one message at a time, and what each failure means.

One connection carries every message of a run; it is reopened when it drops. Each message goes
MAIL, RCPT, DATA by hand (not `sendmail`) so that we know how far it got when something fails:

- refused at MAIL or RCPT (5xx), or refused after the message (5xx): `Refused`, that person only;
- a temporary refusal (4xx) or a connection that drops before the message was handed over:
  `Retry` (nothing can have been delivered);
- a connection that drops after the whole message was handed over, before the server replied:
  `InDoubt` (it may have been delivered; never sent again silently).

Credentials come from `ROLEREPORT_SMTP_USER` / `ROLEREPORT_SMTP_PASSWORD` or `~/.netrc` (or the
file `NETRC` names), never from the command line, and never appear in a message we print.
Certificates are verified against the system's CAs, or `--cafile` / `ROLEREPORT_SMTP_CAFILE`.
"""

from __future__ import annotations

import ipaddress
import netrc
import os
import re
import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rolereport.errors import Problem, RoleReportError, UsageError

USER_ENV, PASSWORD_ENV, CAFILE_ENV = "ROLEREPORT_SMTP_USER", "ROLEREPORT_SMTP_PASSWORD", "ROLEREPORT_SMTP_CAFILE"
DEFAULT_PORTS = {"plain": 25, "starttls": 587, "ssl": 465}
TIMEOUT = 60.0


class SessionError(RoleReportError):
    """The server cannot be used at all (unreachable, untrusted certificate, login refused)."""

    exit_code = 1


class Refused(Exception):
    """The server refused this message for good; the reason is the server's reply."""


class Retry(Exception):
    """Nothing was delivered; trying again later may work."""


class InDoubt(Exception):
    """The message was handed over but the server's answer never came."""


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    security: str  # plain | starttls | ssl
    cafile: str | None = None
    timeout: float = TIMEOUT

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = ""

    def __repr__(self) -> str:  # never shown, even in a debugger or a traceback's locals
        return "Credentials(<hidden>)"

    __str__ = __repr__


def parse_server(text: str, security: str, cafile: str | None) -> Server:
    match = re.fullmatch(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?", text.strip())
    if not match or (match.group(2) and not 0 < int(match.group(2)) < 65536):
        raise UsageError(Problem("--smtp", f"'{text[:70]}' is not HOST or HOST:PORT (such as smtp.example.com:587)"))
    host = match.group(1).strip("[]")
    port = int(match.group(2)) if match.group(2) else DEFAULT_PORTS[security]
    cafile = cafile or os.environ.get(CAFILE_ENV) or None
    if cafile and not Path(cafile).is_file():
        raise UsageError(Problem("--cafile", f"'{cafile}' is not a file of CA certificates (PEM)"))
    return Server(host, port, security, cafile)


def credentials(server: Server, environ: dict[str, str] | None = None) -> Credentials | None:
    """From the environment, else ~/.netrc; None when neither names any."""
    env = os.environ if environ is None else environ
    user, password = env.get(USER_ENV, ""), env.get(PASSWORD_ENV, "")
    if user or password:
        if not user:
            raise UsageError(Problem(PASSWORD_ENV, f"is set but {USER_ENV} is not; set both, or neither"))
        return Credentials(user, password)
    path = Path(env.get("NETRC") or Path(env.get("HOME") or Path.home()) / ".netrc")
    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(server.host)
    except netrc.NetrcParseError as exc:
        # its message may quote the token it stopped at, which can be a password: say only where
        raise UsageError(Problem(str(path), "cannot be read; check its syntax", f"line {exc.lineno}")) from None
    except OSError as exc:
        raise UsageError(Problem(str(path), f"cannot be read ({exc.strerror})")) from None
    if entry is None:
        return None
    login, _account, password = entry
    return Credentials(login or "", password or "") if login else None


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _server_said(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    text = " ".join(text.split())[:200]
    return f"the server said {code} {text}".rstrip()


class Postman:
    """One SMTP session at a time, opened on demand and reopened after a drop."""

    def __init__(self, server: Server, creds: Credentials | None) -> None:
        if creds is not None and server.security == "plain" and not loopback(server.host):
            raise UsageError(Problem("--smtp", f"refusing to send a password to {server.where} unencrypted; "
                                     "add --starttls or --ssl"))
        self.server = server
        self._creds = creds
        self._smtp: smtplib.SMTP | None = None
        self.connections = 0

    def _tls(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=self.server.cafile)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context

    def open(self) -> None:
        """Connect, secure and log in; SessionError for what no retry will mend, Retry otherwise."""
        if self._smtp is not None:
            return
        s = self.server
        smtp: smtplib.SMTP | None = None
        try:
            if s.security == "ssl":
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=self._tls())
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            smtp.ehlo_or_helo_if_needed()
            if s.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise SessionError(Problem("--starttls", f"{s.where} does not offer STARTTLS; nothing "
                                               "was sent (use --ssl if it expects TLS from the start)"))
                smtp.starttls(context=self._tls())
                smtp.ehlo()
            if self._creds is not None:
                if not smtp.has_extn("auth"):
                    raise SessionError(Problem(s.where, "does not offer AUTH, but credentials are set; "
                                               "nothing was sent"))
                try:
                    smtp.login(self._creds.user, self._creds.password)
                except UnicodeEncodeError:  # smtplib sends logins as ASCII; its message would quote a character
                    raise SessionError(Problem(s.where, "the login name or password holds characters outside "
                                               "ASCII, which the SMTP login cannot send; nothing was sent")) from None
        except SessionError:
            _quietly_close(smtp)
            raise
        except ssl.SSLCertVerificationError as exc:
            _quietly_close(smtp)
            raise SessionError(Problem(s.where, f"its TLS certificate is not trusted ({exc.verify_message}); "
                                       "nothing was sent. Give the CA with --cafile if it is yours")) from None
        except smtplib.SMTPAuthenticationError as exc:
            _quietly_close(smtp)
            raise SessionError(Problem(s.where, f"refused the login ({exc.smtp_code}); check "
                                       f"{USER_ENV}/{PASSWORD_ENV} or ~/.netrc")) from None
        except smtplib.SMTPNotSupportedError:
            _quietly_close(smtp)
            raise SessionError(Problem(s.where, "supports none of the login methods we know")) from None
        except (smtplib.SMTPException, OSError) as exc:
            _quietly_close(smtp)
            raise Retry(f"cannot connect to {s.where}: {_describe(exc)}") from None
        self._smtp = smtp
        self.connections += 1

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                _quietly_close(smtp)

    def drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        _quietly_close(smtp)

    def deliver(self, sender: str, recipient: str, data: bytes, handing_over: Callable[[], None]) -> None:
        """Send one message. `handing_over` runs just before the message itself is written."""
        self.open()
        smtp = self._smtp
        assert smtp is not None
        options = [f"SIZE={len(data)}"] if smtp.has_extn("size") else []
        try:
            code, reply = smtp.mail(sender, options)
            self._check(code, reply, "the sender")
            code, reply = smtp.rcpt(recipient)
            self._check(code, reply, "the address")
            code, reply = smtp.docmd("DATA")
            if code != 354:
                self._check(code if code != 250 else 554, reply, "the message")
            handing_over()
            smtp.send(_dot_stuffed(data))
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self.drop()
            raise Retry(f"the connection to {self.server.where} dropped before the message was "
                        f"handed over ({_describe(exc)})") from None
        try:
            code, reply = smtp.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self.drop()
            raise InDoubt(f"the connection to {self.server.where} dropped after the message was handed "
                          f"over, before the server confirmed it ({_describe(exc)})") from None
        self._check(code, reply, "the message", after_data=True)

    def _check(self, code: int, reply: bytes, what: str, after_data: bool = False) -> None:
        """Nothing for 250/251; otherwise the transaction is reset and Retry (4xx) or Refused raised."""
        if code in (250, 251):
            return
        if code == 421:  # the server is closing the connection
            self.drop()
        elif not after_data and self._smtp is not None:
            try:
                self._smtp.rset()
            except (smtplib.SMTPException, OSError):
                self.drop()
        if 400 <= code < 500:
            raise Retry(f"{what} was deferred: {_server_said(code, reply)}")
        raise Refused(f"{what} was refused: {_server_said(code, reply)}")


def _dot_stuffed(data: bytes) -> bytes:
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _describe(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout):
        return "no answer in time"
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())[:200]


def _quietly_close(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.close()
    except OSError:
        pass
