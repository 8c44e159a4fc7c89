"""The batch manifest: one row per person or bad input, as a CSV that Excel opens safely.

This module owns the file format only (columns, encoding, neutralised cells); what the rows
say is decided by the batch. `read_manifest` gives back exactly what was written, for the
commands that work on a finished batch (such as sending the guides).

Columns, in order: name, id, email, slug, input, status, error, warnings, run, then for each
format `<fmt>_file`, `<fmt>_bytes`, `<fmt>_sha256`. The file is UTF-8 with a BOM (so Excel on
Windows reads accents right); every cell that starts like a formula is neutralised (`cells.py`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rolereport.cells import neutralise, restore
from rolereport.outputs import write_atomic

MANIFEST = "manifest.csv"
COLUMNS = ("name", "id", "email", "slug", "input", "status", "error", "warnings", "run")
STATUSES = ("ok", "failed", "skipped", "not-started")
FileInfo = tuple[str, int, str]  # file name, size in bytes, SHA-256 (as pipeline.FileInfo)


@dataclass
class ManifestRow:
    name: str = ""
    id: str = ""
    email: str = ""
    slug: str = ""  # the person's folder under the batch folder; "" when nothing was written
    input: str = ""  # "people/jane.yaml" or "staff.csv row 7"
    status: str = ""  # one of STATUSES
    error: str = ""
    warnings: tuple[str, ...] = ()  # one line each (notices.line)
    run: str = ""  # which run built the files (its start time and process), "" if none did
    files: dict[str, FileInfo] = field(default_factory=dict)  # format -> (name, size, sha256)


def header(formats: Sequence[str]) -> list[str]:
    cols = list(COLUMNS)
    for fmt in formats:
        cols += [f"{fmt}_file", f"{fmt}_bytes", f"{fmt}_sha256"]
    return cols


def write_manifest(out: Path, rows: Sequence[ManifestRow], formats: Sequence[str]) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header(formats))
    for r in rows:
        cells = [r.name, r.id, r.email, r.slug, r.input, r.status, r.error, " | ".join(r.warnings), r.run]
        row = [neutralise(c) for c in cells]
        for fmt in formats:
            name, size, sha = r.files.get(fmt, ("", "", ""))
            row += [neutralise(f"{r.slug}/{name}") if name else "", str(size), sha]
        writer.writerow(row)
    path = Path(out) / MANIFEST
    write_atomic(path, buf.getvalue().encode("utf-8-sig"))
    return path


def read_manifest(path: Path) -> list[dict[str, str]]:
    """The rows of a manifest as dicts keyed by column name, neutralised cells restored."""
    text = Path(path).read_text(encoding="utf-8-sig")
    return [{k: restore(v or "") for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))]
