"""Batch mode: one bundle a person, in parallel worker processes that each load everything once."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rolereport import manifest
from rolereport.errors import Problem, RoleReportError
from rolereport.manifest import ManifestRow
from rolereport.model import Guide, Profile, SourceInfo
from rolereport.outputs import remove_stale_parts, slugify
from rolereport.pipeline import (
    FileInfo,
    inputs_base,
    inputs_digest,
    make_report,
    render_all,
    up_to_date,
    write_outputs,
)
from rolereport.render.context import Context
from rolereport.roster import Entry, expand


@dataclass
class Person:
    entry: Entry
    profile: Profile | None = None
    slug: str = ""
    status: str = ""  # ok | failed | skipped
    error: str = ""
    files: dict[str, FileInfo] = field(default_factory=dict)  # format -> (name, size, sha256)


@dataclass(frozen=True)
class BatchResult:
    people: tuple[Person, ...]
    manifest: Path
    seconds: float
    interrupted: bool = False

    def count(self, status: str) -> int:
        return sum(1 for p in self.people if p.status == status)


class _CtrlC:
    """Ctrl-C during a batch: finish the people in progress, start no one else, then stop.

    A flag set by the signal handler and polled by the loop; raising KeyboardInterrupt at an
    arbitrary point could leave the executor's locks held and hang the process.
    """

    def __init__(self) -> None:
        self.pressed = False
        self._old: Any = None
        if threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGINT, self._handle)

    def _handle(self, signum: int, frame: Any) -> None:
        self.pressed = True

    def restore(self) -> None:
        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)


# ---- worker side: state loaded once per process, reused for every person -----------------------

_STATE: dict[str, Any] = {}


def _init_worker(source: str | None, source_format: str | None, templates: str | None,
                 theme: str | None, formats: tuple[str, ...], spare_cores: bool) -> None:
    from rolereport.render import renderer
    from rolereport.sources import read_source

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides how to stop (see _CtrlC)
    _STATE["ctx"] = Context.create(templates, theme)
    _STATE["threads"] = spare_cores  # DOCX/XLSX beside the PDF only where a core is free for pandoc
    from rolereport import notices

    with notices.collect():  # the parent read the source too and already said its warnings
        _STATE["guide"], _STATE["info"] = read_source(source, source_format)
    for fmt in formats:  # import each renderer (WeasyPrint, openpyxl…) once, up front
        renderer(fmt)
    # Everything loaded so far lives as long as the worker: keep it out of the collector's full
    # passes, which otherwise re-scan it every few people (2-3 % of a batch; memory unchanged).
    gc.collect()
    gc.freeze()


def _build_one(profile: Profile, folder: str, digest: str, formats: tuple[str, ...]) -> dict[str, FileInfo]:
    ctx: Context = _STATE["ctx"]
    guide: Guide = _STATE["guide"]
    info: SourceInfo = _STATE["info"]
    report = make_report(guide, info, profile)
    outputs = render_all(report, ctx, formats, threads=_STATE["threads"])
    return write_outputs(Path(folder), digest, outputs)


# ---- parent side ---------------------------------------------------------------------------------

def _load_people(entries: list[Entry]) -> list[Person]:
    from rolereport.profile import load_profile, profile_from_mapping

    people, seen = [], set()
    for entry in entries:
        if entry.path is not None:
            key = entry.path.resolve()
            if key in seen:
                continue
            seen.add(key)
        person = Person(entry)
        try:
            if entry.problems:
                raise RoleReportError(list(entry.problems))
            if entry.path is not None:
                person.profile = load_profile(entry.path)
            else:
                person.profile = profile_from_mapping(entry.data or {}, entry.file, entry.where)
            person.slug = slugify(person.profile.id or person.profile.name)
            if not person.slug:
                raise RoleReportError(Problem(entry.file, "the name has no letters or digits, even "
                                              "transliterated to ASCII, to name a folder with; add an 'id' "
                                              "(letters, digits and hyphens, such as 'jane-doe')",
                                              entry.where + "field 'id'"))
        except RoleReportError as exc:
            person.status, person.error = "failed", " | ".join(str(p) for p in exc.problems)
        people.append(person)
    counts = Counter(p.slug for p in people if p.slug and not p.status)
    for slug, n in counts.items():
        if n > 1:
            clash = [p for p in people if p.slug == slug]
            labels = ", ".join(p.entry.label for p in clash)
            for p in clash:
                p.status = "failed"
                p.error = (f"{p.entry.label}: folder name '{slug}' is shared by {labels}; give each "
                           "person a distinct 'id' (nothing was written for them)")
    return people


def write_manifest(out: Path, people: Sequence[Person], formats: Sequence[str]) -> Path:
    rows = [ManifestRow(name=p.profile.name if p.profile else "", id=(p.profile.id or "") if p.profile else "",
                        slug=p.slug if p.status != "failed" or p.files else "", input=p.entry.label,
                        status=p.status, error=p.error, files=p.files)
            for p in people]
    return manifest.write_manifest(out, rows, formats)


def build_batch(
    inputs: Sequence[str | Path],
    *,
    source: str | Path | None = None,
    source_format: str | None = None,
    out: str | Path = "output/batch",
    formats: Sequence[str] = ("pdf", "docx", "xlsx"),
    templates: str | Path | None = None,
    theme: str | Path | None = None,
    jobs: int | None = None,
    force: bool = False,
    progress: Callable[[Person, int, int], None] | None = None,
    sheet: str | None = None,
    columns: dict[str, str] | str | None = None,
    include_hidden: bool = False,
) -> BatchResult:
    from rolereport.sources import read_source

    started = time.perf_counter()
    out = Path(out)
    formats = tuple(dict.fromkeys(formats))
    ctx = Context.create(templates, theme)  # validates templates and theme before any work
    _guide, info = read_source(source, source_format)  # a bad source stops the batch: exit 2
    people = _load_people(expand(list(inputs), sheet=sheet, columns=columns, include_hidden=include_hidden))
    base = inputs_base(info.sha256, ctx, Path(theme) if theme else None, formats)
    todo: list[tuple[Person, str]] = []
    for p in people:
        if p.status:
            continue
        folder = out / p.slug
        digest = inputs_digest(base, p.profile)
        remove_stale_parts(folder)
        existing = None if force else up_to_date(folder, digest, formats)
        if existing is not None:
            p.status, p.files = "skipped", existing
        else:
            todo.append((p, digest))
    done = sum(1 for p in people if p.status)
    for p in people:
        if p.status and progress:
            progress(p, 0, len(people))
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    interrupted = False
    if todo:
        mp = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        args = (str(source) if source else None, source_format,
                str(templates) if templates else None, str(theme) if theme else None, formats,
                jobs < (os.cpu_count() or 1))
        stop = _CtrlC()
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=mp, initializer=_init_worker,
                                   initargs=args)
        pending: dict[Future[dict[str, FileInfo]], Person] = {}
        try:
            for p, digest in todo:
                fut = pool.submit(_build_one, p.profile, str(out / p.slug), digest, formats)
                pending[fut] = p
            while pending:
                finished, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                if stop.pressed and not interrupted:
                    interrupted = True  # finish the people being built now, start no one else
                    for fut in list(pending):
                        if fut.cancel():
                            p = pending.pop(fut)
                            p.status, p.error = "failed", "interrupted before it started; run the batch again"
                for fut in finished:
                    p = pending.pop(fut)
                    try:
                        p.files, p.status = fut.result(), "ok"
                    except RoleReportError as exc:
                        p.status, p.error = "failed", " | ".join(str(x) for x in exc.problems)
                    except Exception as exc:  # a renderer bug must not stop the others
                        p.status, p.error = "failed", f"{p.entry.label}: {type(exc).__name__}: {exc}"
                    done += 1
                    if progress:
                        progress(p, done, len(people))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            stop.restore()
    manifest = write_manifest(out, people, formats)
    return BatchResult(tuple(people), manifest, time.perf_counter() - started, interrupted)
