"""What is on disk in a batch's output folder: every person folder's stamp read (after what killed
runs left is removed), room kept for the manifest, and the manifest rebuilt from the stamps, so it
describes what is there whichever run built it."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from rolereport.errors import OutputError
from rolereport.jobs import manifest
from rolereport.jobs.folders import bundle_on_disk
from rolereport.jobs.manifest import ManifestRow
from rolereport.jobs.outputs import open_own, remove_stale_parts
from rolereport.jobs.people import Person, known
from rolereport.jobs.stamps import Identity, Stamp, different_person, read_stamp
from rolereport.render.formats import FORMATS

MANIFEST_ROW_BYTES = 600  # room kept for the manifest while bundles fill the disk
RESERVE = ".rolereport-manifest.reserve"


def _row(p: Person) -> ManifestRow:
    prof = p.profile
    return ManifestRow(
        name=prof.name if prof else known(p.entry, "name"),
        id=(prof.id or "") if prof else known(p.entry, "id"),
        email=(prof.email or "") if prof else known(p.entry, "email"),
        slug=p.slug if p.files else "", input=p.entry.label,
        page=p.job.page.name if p.job is not None and p.job.page is not None else "", status=p.status, error=p.error,
        warnings=tuple(dict.fromkeys(p.warnings)), run=p.run if p.files else "", files=p.files)


def write_manifest(out: Path, people: Sequence[Person], formats: Sequence[str],
                   stamps: dict[str, Stamp] | None = None) -> tuple[Path, int]:
    """One row per person of this run, then one per other complete bundle in `out`.

    Every file listed is on disk and matches its stamp: a person of this run who failed or was not
    started, but whose folder holds their complete earlier bundle, is listed with those files and
    the run that built them. Returns the manifest's path and how many rows came from other runs'
    inputs."""
    stamps = stamps or {}
    shown = list(formats)
    for p in people:
        stamp = stamps.get(p.slug) if p.slug else None
        if p.files or stamp is None or stamp.identity is None or p.identity is None:
            continue
        if p.status in ("failed", "not-started") and not different_person(stamp.identity, p.identity):
            p.files, p.run = bundle_on_disk(out / p.slug, stamp) or {}, stamp.run
    rows = [_row(p) for p in people]
    mine = {p.slug for p in people if p.files}
    others = 0
    for slug in sorted(stamps):
        if slug in mine:
            continue
        stamp = stamps[slug]
        files = bundle_on_disk(out / slug, stamp)
        if not files:
            continue  # an incomplete or tampered folder: nothing to describe
        ident = stamp.identity or Identity(name="")
        rows.append(ManifestRow(name=ident.name, id=ident.id, email=ident.email, slug=slug, input=ident.input,
                                page=stamp.page, status="skipped", run=stamp.run, files=files,
                                warnings=(*stamp.warnings, "not among this run's inputs")))
        others += 1
    for row in rows:
        shown += [f for f in row.files if f not in shown]
    order = [f for f in FORMATS if f in shown]
    (out / RESERVE).unlink(missing_ok=True)  # the room kept for the manifest is its now
    return manifest.write_manifest(out, rows, order), others


def reserve(out: Path, people: int) -> None:
    """Keep room for the manifest while the bundles may fill the disk."""
    try:
        (out / RESERVE).unlink(missing_ok=True)  # a link of that name goes; what it points to stays
        with os.fdopen(open_own(out / RESERVE, os.O_WRONLY | os.O_CREAT | os.O_EXCL), "wb") as fh:
            size = 128 * 1024 + 2 * people * MANIFEST_ROW_BYTES  # manifest.csv and manifest.xlsx
            try:
                os.posix_fallocate(fh.fileno(), 0, size)
            except (AttributeError, OSError):
                fh.write(b"\0" * size)
    except (OSError, OutputError):
        (out / RESERVE).unlink(missing_ok=True)


def stale_cleanup(out: Path) -> dict[str, Stamp]:
    """Remove what killed runs left (only the lock holder may) and read every folder's stamp."""
    remove_stale_parts(out)
    (out / RESERVE).unlink(missing_ok=True)
    stamps = {}
    try:
        folders = [e for e in os.scandir(out) if e.is_dir(follow_symlinks=False) and not e.name.startswith(".")]
    except OSError:
        folders = []
    for entry in folders:
        folder = Path(entry.path)
        remove_stale_parts(folder)
        stamp = read_stamp(folder)
        if stamp is not None:
            stamps[entry.name] = stamp
    return stamps
