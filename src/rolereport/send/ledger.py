"""`DIR/sent.csv`: who was sent what, so that every person gets their guide exactly once.

One line is appended (a single `write` on a file opened for appending, then `fsync`) at each
step of a delivery, never rewritten:

- `sending`: the message is about to be handed to the server;
- `sent`: the server accepted it (the SMTP reply after the message was 250);
- `failed`: the server refused it; nothing was delivered, so a later run tries again.

A person's state is their last line. `sent` is skipped by every later run (`--resend SLUG`
repeats one person). `sending` with nothing after it means the run stopped — a dropped
connection, a kill, a power cut — between handing the message over and hearing back: it may or
may not have arrived, so it is never sent again without `--resend`.

Like the manifest the file is UTF-8 with a BOM, and cells that start like a formula are
neutralised (`cells.py`), so HR can open it in Excel.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rolereport.errors import OutputError, Problem
from rolereport.jobs.outputs import open_own, read_own
from rolereport.text.cells import neutralise, restore

LEDGER = "sent.csv"
COLUMNS = ("slug", "name", "address", "message_id", "time", "status", "attachments")
STATES = ("sending", "sent", "failed")
BOM = "\ufeff"


@dataclass(frozen=True)
class Entry:
    slug: str
    name: str
    address: str
    message_id: str
    time: str
    status: str  # one of STATES; anything else (a line cut short by a crash) reads as "sending"
    attachments: str  # "pdf=<sha256> docx=<sha256>"

    def hashes(self) -> dict[str, str]:
        return dict(part.split("=", 1) for part in self.attachments.split() if "=" in part)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class Ledger:
    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / LEDGER

    def states(self) -> dict[str, Entry]:
        """Each person's last line."""
        try:
            text = read_own(self.path).decode("utf-8-sig")
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as exc:
            raise OutputError(Problem(str(self.path), f"cannot be read ({exc}); it records who was already "
                                      "sent their guide, so nothing is sent until it can be")) from None
        last: dict[str, Entry] = {}
        for n, row in enumerate(csv.reader(io.StringIO(text)), start=1):
            if n == 1 and row and row[0] == COLUMNS[0]:
                continue
            cells = [restore(c) for c in row] + [""] * len(COLUMNS)
            entry = Entry(*cells[: len(COLUMNS)])
            if not entry.slug:
                continue
            if entry.status not in STATES:
                entry = Entry(*cells[:5], "sending", cells[6])  # a cut-off line: in doubt
            last[entry.slug] = entry
        return last

    def record(self, entry: Entry) -> None:
        """Append one line, atomically; raises OutputError when it cannot be written.

        A `sent` or `failed` line is on disk (fsync) before this returns; a `sending` line is
        only written (it survives the process being killed; a power cut before the `sent` line
        is flushed can lose it — then the message is sent again, the one case of two)."""
        cells = [neutralise(str(c)) for c in (entry.slug, entry.name, entry.address, entry.message_id,
                                               entry.time, entry.status, entry.attachments)]
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerow(cells)
        line = buf.getvalue()
        try:
            fd = open_own(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT)  # never through a planted link
        except OSError as exc:
            raise OutputError(Problem(str(self.path), f"cannot be written ({exc.strerror})")) from None
        try:
            size = os.fstat(fd).st_size
            if size == 0:
                line = BOM + ",".join(COLUMNS) + "\r\n" + line
            elif os.pread(fd, 1, size - 1) != b"\n":
                line = "\r\n" + line  # finish a line an earlier crash cut short, so ours stands alone
            os.write(fd, line.encode("utf-8"))
            if entry.status != "sending":
                os.fsync(fd)
        except OSError as exc:
            raise OutputError(Problem(str(self.path), f"cannot be written ({exc.strerror})")) from None
        finally:
            os.close(fd)

