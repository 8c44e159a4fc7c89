"""`rolereport send DIR`: each person of a finished batch gets their own files by e-mail, once.

    recipients  manifest rows → candidates (address, files) and refusals; files proved theirs
    compose     candidate + files → the message (subject, text, HTML, attachments)
    ledger      DIR/sent.csv: who was sent what; read first, appended at each step
    smtp        the server: TLS, login, MAIL/RCPT/DATA and what each failure means

`distribute()` runs them in that order. Without `send=True` (the default) messages are written
to `DIR/outbox/<slug>.eml` and nothing is sent.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from rolereport.errors import Problem, RoleReportError, UsageError
from rolereport.jobs.folderlock import FolderLock
from rolereport.jobs.outputs import own_folder, write_atomic
from rolereport.jobs.stamps import read_stamp
from rolereport.send.compose import Composer, parse_sender
from rolereport.send.ledger import Entry, Ledger, now
from rolereport.send.recipients import (
    Attachment,
    Candidate,
    attachments,
    candidates,
    load_manifest,
    no_evidence,
    stamp_of,
    top_matches,
)
from rolereport.send.smtp import InDoubt, Postman, Refused, Retry, Server, SessionError, credentials

OUTBOX = "outbox"
# Outcome statuses; the last three need someone's attention and make the run exit 1.
DONE = ("sent", "prepared", "already sent", "not this run")
ATTENTION = ("refused", "failed", "unconfirmed")
GIVE_UP_AFTER = 3  # people in a row for whom the server could not be reached at all
AHEAD = 4  # messages prepared ahead of the one being sent (each about the size of its files)
BACKOFF = 1.0  # seconds before a second attempt, doubled for each next one (unless Options say)


@dataclass(frozen=True)
class Outcome:
    slug: str
    name: str
    email: str
    status: str  # one of DONE or ATTENTION
    reason: str = ""
    message_id: str = ""


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    outbox: Path | None = None
    ledger: Path | None = None
    aborted: str = ""  # why the run stopped before everyone (the server became unreachable)

    def count(self, *statuses: str) -> int:
        return sum(1 for o in self.outcomes if o.status in statuses)

    @property
    def failed(self) -> bool:
        return bool(self.count(*ATTENTION)) or bool(self.aborted)


@dataclass(frozen=True)
class Options:
    folder: Path
    attach: tuple[str, ...] = ("pdf",)
    sender: str = ""
    subject: str | None = None
    templates: str | None = None
    send: bool = False
    server: Server | None = None
    limit: int | None = None
    interval: float = 0.0  # seconds between two messages (from --rate)
    resend: tuple[str, ...] = ()
    attempts: int = 3  # per person, for failures where nothing can have been delivered
    backoff: float | None = None  # seconds before the second attempt (default BACKOFF)


def distribute(opts: Options, progress: Callable[[Outcome], None] | None = None) -> Summary:
    started = time.perf_counter()
    folder = Path(opts.folder)
    if not folder.is_dir():
        raise UsageError(Problem(str(folder), "is not a folder; give the --out folder of a batch"))
    sender = parse_sender(opts.sender)
    composer = Composer(opts.templates, sender, opts.subject)  # bad templates stop before any work
    summary = Summary(ledger=folder / "sent.csv")

    def report(outcome: Outcome) -> None:
        summary.outcomes.append(outcome)
        if progress:
            progress(outcome)

    # no batch writes this folder while its guides are sent, nor a second send
    with FolderLock(folder, "send", advice="try again when it has finished"):
        rows = load_manifest(folder)
        chosen, refused = candidates(folder, rows, opts.attach)
        ledger = Ledger(folder)
        states = ledger.states()
        if opts.resend:
            known = {r.get("slug") for r in rows}
            unknown = [s for s in opts.resend if s not in known]
            if unknown:
                raise UsageError(Problem("--resend", f"no one in {folder / 'manifest.csv'} has the folder "
                                         f"{', '.join(unknown)}; use a slug from the manifest's slug column"))
            chosen = [c for c in chosen if c.slug in opts.resend]
            refused = [r for r in refused if r.slug in opts.resend]
        for r in refused:
            report(Outcome(r.slug, r.name, r.email, "refused", r.reason))
        todo: list[Candidate] = []
        for person in chosen:
            last = states.get(person.slug)
            if opts.resend or last is None or last.status == "failed":
                todo.append(person)
            elif last.status == "sent":
                note, before = f"on {last.time} to {last.address}", last.hashes()
                changed = [f for f, (_, sha) in person.files.items() if f in before and before[f] != sha]
                missing = [f for f in person.files if f not in before]
                if changed:
                    note += f"; their {', '.join(changed)} changed since (--resend {person.slug} sends the new files)"
                if missing:
                    note += f"; that message had no {', '.join(missing)} (--resend {person.slug} sends it)"
                report(Outcome(person.slug, person.name, person.email, "already sent", note, last.message_id))
            else:
                report(Outcome(person.slug, person.name, person.email, "unconfirmed",
                               f"a run stopped after handing their message {last.message_id} to the server on "
                               f"{last.time}, before it confirmed; check whether it arrived, and if not, "
                               f"send it with --resend {person.slug}", last.message_id))
        if opts.limit is not None:
            for person in todo[opts.limit:]:
                report(Outcome(person.slug, person.name, person.email, "not this run",
                               f"--limit {opts.limit}; the next run sends it"))
            todo = todo[: opts.limit]
        if opts.send:
            _send(opts, folder, todo, composer, ledger, sender.addr_spec, summary, report)
        else:
            summary.outbox = folder / OUTBOX
            _write_outbox(folder, todo, composer, report)
    summary.seconds = time.perf_counter() - started
    return summary


def _prepare(folder: Path, person: Candidate) -> tuple[list[Attachment], str]:
    stamp, why = stamp_of(folder, person)
    why = why or no_evidence(stamp)
    if why:
        return [], why
    person.matches = top_matches(stamp)
    person.current_role = str(stamp.get("current") or "")
    return attachments(folder, person)


def _write_outbox(folder: Path, todo: list[Candidate], composer: Composer,
                  report: Callable[[Outcome], None]) -> None:
    outbox = own_folder(folder / OUTBOX)  # a planted link would take the messages (and the clean-up) elsewhere
    written = set()
    for person in todo:
        files, why = _prepare(folder, person)
        if why:
            report(Outcome(person.slug, person.name, person.email, "refused", why))
            continue
        data, msg_id = composer.message(person, files)
        write_atomic(outbox / f"{person.slug}.eml", data)
        written.add(f"{person.slug}.eml")
        report(Outcome(person.slug, person.name, person.email, "prepared",
                       f"{OUTBOX}/{person.slug}.eml", msg_id))
    if outbox.is_dir():  # the outbox shows this run's messages only: the others this tool wrote go
        ours = {f"{entry.name}.eml" for entry in os.scandir(folder)
                if entry.is_dir(follow_symlinks=False) and read_stamp(Path(entry.path)) is not None}
        for old in outbox.glob("*.eml"):
            if old.name not in written and old.name in ours:  # a message for a person folder of this batch
                old.unlink(missing_ok=True)


@dataclass(frozen=True)
class _Ready:
    person: Candidate
    refusal: str = ""
    data: bytes = b""
    message_id: str = ""
    hashes: str = ""  # "pdf=<sha256> docx=<sha256>", as the ledger records them


def _ready(folder: Path, composer: Composer, person: Candidate) -> _Ready:
    files, why = _prepare(folder, person)
    if why:
        return _Ready(person, why)
    data, msg_id = composer.message(person, files)
    return _Ready(person, "", data, msg_id, " ".join(f"{f.fmt}={f.sha256}" for f in files))


def _ahead(folder: Path, composer: Composer, todo: list[Candidate]) -> Iterator[_Ready]:
    """The messages in order, each prepared in a thread while the one before it is being sent:
    the server's replies are waited for with the lock released, so preparing costs almost no time."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare") as pool:
        queue: deque[Future[_Ready]] = deque()
        people = iter(todo)
        for person in islice(people, AHEAD):
            queue.append(pool.submit(_ready, folder, composer, person))
        try:
            while queue:
                ready = queue.popleft().result()
                person = next(people, None)
                if person is not None:
                    queue.append(pool.submit(_ready, folder, composer, person))
                yield ready
        finally:
            for future in queue:
                future.cancel()


def _send(opts: Options, folder: Path, todo: list[Candidate], composer: Composer, ledger: Ledger,
          sender: str, summary: Summary, report: Callable[[Outcome], None]) -> None:
    assert opts.server is not None
    if not todo:
        return
    postman = Postman(opts.server, credentials(opts.server))
    pace = _Pace(opts.interval)
    _connect(postman, opts)  # an unusable server stops here, before anyone is tried
    unreachable = 0
    try:
        for i, ready in enumerate(_ahead(folder, composer, todo)):
            person = ready.person
            if ready.refusal:
                report(Outcome(person.slug, person.name, person.email, "refused", ready.refusal))
                continue

            def row(status: str, r: _Ready = ready) -> Entry:
                return Entry(r.person.slug, r.person.name, r.person.email, r.message_id, now(), status, r.hashes)

            outcome, connect_failed = _attempts(postman, pace, opts, sender, person, ready.data,
                                                ready.message_id, ledger, row)
            report(outcome)
            unreachable = unreachable + 1 if connect_failed else 0
            if unreachable >= GIVE_UP_AFTER:
                summary.aborted = (f"{opts.server.where} could not be reached for {unreachable} people in a row; "
                                   f"stopped, {len(todo) - i - 1} not tried (run again later)")
                for rest in todo[i + 1:]:
                    report(Outcome(rest.slug, rest.name, rest.email, "failed", "not tried: the server was unreachable"))
                break
    finally:
        postman.close()


def _connect(postman: Postman, opts: Options) -> None:
    for attempt in range(opts.attempts):
        try:
            postman.open()
            return
        except Retry as exc:
            if attempt + 1 == opts.attempts:
                raise SessionError(Problem(opts.server.where if opts.server else "--smtp",
                                           f"{exc}; nothing was sent")) from None
            time.sleep(_backoff(opts) * 2 ** attempt)


def _attempts(postman: Postman, pace: _Pace, opts: Options, sender: str, person: Candidate, data: bytes,
              msg_id: str, ledger: Ledger, row: Callable[[str], Entry]) -> tuple[Outcome, bool]:
    """Deliver one message with bounded retries; the outcome and whether no connection was had."""
    reason, connect_failed = "", False
    for attempt in range(opts.attempts):
        if attempt:
            time.sleep(_backoff(opts) * 2 ** (attempt - 1))
        pace.wait()
        handed: list[bool] = []

        def handing_over(handed: list[bool] = handed) -> None:
            ledger.record(row("sending"))
            handed.append(True)

        try:
            postman.deliver(sender, person.email, data, handing_over)
        except Refused as exc:
            if handed:
                ledger.record(row("failed"))
            return Outcome(person.slug, person.name, person.email, "failed", str(exc), msg_id), False
        except Retry as exc:
            if handed:
                ledger.record(row("failed"))
            reason = str(exc)
            connect_failed = reason.startswith("cannot connect")
            continue
        except InDoubt as exc:
            return Outcome(person.slug, person.name, person.email, "unconfirmed",
                           f"{exc}; it may have arrived: check, and if not, send it with --resend "
                           f"{person.slug}", msg_id), False
        except SessionError:
            raise
        except RoleReportError:
            postman.drop()  # the ledger could not be written: stop before anyone else is sent anything
            raise
        ledger.record(row("sent"))
        return Outcome(person.slug, person.name, person.email, "sent", "", msg_id), False
    return Outcome(person.slug, person.name, person.email, "failed",
                   f"{reason} (gave up after {opts.attempts} attempts)", msg_id), connect_failed


def _backoff(opts: Options) -> float:
    return BACKOFF if opts.backoff is None else opts.backoff


class _Pace:
    """At most one message per `interval` seconds (--rate)."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._next = 0.0

    def wait(self) -> None:
        if self.interval <= 0:
            return
        delay = self._next - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        self._next = time.monotonic() + self.interval
