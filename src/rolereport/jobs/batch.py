"""Batch mode: one bundle a person, built by an executor's workers, every file written here.

The order of a run, each step before the next:
1. up-front checks, each exit 2 with one line and nothing rendered: the theme, every template
   (compiled), the source; `--out` is a folder (or can be made), writable, with room for a bundle;
2. the output folder's lock (`folderlock.py`): a second run into it is refused or waits;
3. stale temporary files of killed runs are removed (only the lock holder does that), every
   folder's stamp is read: whose it is, what it was built from;
4. each person is checked against the folder their slug names (built for someone else: refused),
   then skipped when up to date;
5. the rest go to the executor (`executors/local.py` by default); as each person's bytes come
   back they are written here, all files or none, the stamp last;
6. the manifest is rebuilt from the stamps of every folder in `--out`, so it describes what is on
   disk, whichever run built it.

Ctrl-C, SIGTERM and SIGHUP all stop the same way: the first finishes the people in progress and
starts no one else (`not-started`); the second kills the workers at once. Either way only
complete bundles are left, and the exit code is 130.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rolereport import notices
from rolereport.errors import OutputError, Problem, RoleReportError
from rolereport.inputs.roster import expand
from rolereport.jobs.executors import Executor, Outcome, Task, WorkerSpec
from rolereport.jobs.folderlock import FolderLock
from rolereport.jobs.folders import (
    inputs_digest,
    leftover_warning,
    leftovers,
    write_outputs,
)
from rolereport.jobs.inventory import MANIFEST_ROW_BYTES, RESERVE, reserve, stale_cleanup, write_manifest
from rolereport.jobs.job import plan
from rolereport.jobs.manifest import MANIFEST
from rolereport.jobs.options import BatchOptions
from rolereport.jobs.outputs import DiskFull, fresh_file, inside, must_be_folder, write_atomic
from rolereport.jobs.pages import RunPages
from rolereport.jobs.people import Person, load_people
from rolereport.jobs.stamps import STAMP, Stamp, new_run, read_stamp
from rolereport.render.context import Context
from rolereport.render.formats import FORMATS

# build_batch(executor=...): makes the executor from the spec, the number of workers and the file
# descriptors a forked worker must close (the folder lock); executors/local.py by default
MakeExecutor = Callable[[WorkerSpec, int, Sequence[int]], Executor]



@dataclass(frozen=True)
class BatchResult:
    people: tuple[Person, ...]
    manifest: Path
    seconds: float
    interrupted: bool = False
    others: int = 0  # bundles on disk from other runs' inputs, listed in the manifest too

    def count(self, status: str) -> int:
        return sum(1 for p in self.people if p.status == status)


def _say(line: str) -> None:
    try:
        print(line, file=sys.stderr, flush=True)
    except (RuntimeError, OSError):  # inside another write to stderr (a signal handler)
        os.write(2, (line + "\n").encode())


class _Stop:
    """Ctrl-C, SIGTERM or SIGHUP: the first finishes the people in progress, the second stops now.

    The handlers only count and say so at once; the batch loop (which waits at most 0.2 s at a
    time) does the stopping, so no lock or half-written file is ever left by a handler."""

    SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))

    def __init__(self, in_progress: Callable[[], int], notify: Callable[[str], None]) -> None:
        self.presses = 0
        self.in_progress, self.notify = in_progress, notify
        self._old: dict[int, Any] = {}
        if threading.current_thread() is threading.main_thread():
            for signum in self.SIGNALS:
                self._old[signum] = signal.signal(signum, self._handle)

    def _handle(self, signum: int, frame: Any) -> None:
        self.presses += 1
        if self.presses == 1:
            n = self.in_progress()
            name = signal.Signals(signum).name
            on, again = ("", "Ctrl-C again") if signum == signal.SIGINT else (f" on {name}", f"{name} or Ctrl-C again")
            self.notify(f"stopping{on}: finishing {n} {'person' if n == 1 else 'people'} in progress "
                        f"({again} to stop now)")
        elif self.presses == 2:
            self.notify("stopping now: the people in progress are left unbuilt (their previous files stay)")

    def restore(self) -> None:
        for signum, old in self._old.items():
            signal.signal(signum, old)
        self._old.clear()


# ---- up-front checks -----------------------------------------------------------------------------

def check_templates(ctx: Context) -> None:
    """Every template the loader can see compiles (the user's overrides and the built-ins)."""
    from jinja2 import TemplateSyntaxError

    problems = []
    for env, suffix in ((ctx.templates.markdown, ".md.j2"), (ctx.templates.html, ".html.j2")):
        for name in env.list_templates(filter_func=lambda n, s=suffix: n.endswith(s)):  # type: ignore[misc]
            try:
                env.get_template(name)
            except TemplateSyntaxError as exc:
                problems.append(Problem(exc.filename or name, f"template syntax error: {exc.message}",
                                        f"line {exc.lineno}"))
    if problems:
        from rolereport.errors import TemplateError

        raise TemplateError(problems)


def check_out(out: Path, formats: Sequence[str], people: int) -> None:
    """`--out` is a folder (or can be made one), writable, with room for a bundle and the manifest."""
    must_be_folder(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        fresh_file(out, ".rolereport-probe-", b"x").unlink()  # a new name: never a file planted there
    except OSError as exc:
        raise OutputError(Problem(str(out), f"cannot write here: {exc.strerror}; choose another --out "
                                  "or fix its permissions")) from None
    need = sum(FORMATS[f].budget for f in formats) + people * MANIFEST_ROW_BYTES
    st = os.statvfs(out)
    free = st.f_bavail * st.f_frsize
    if free < need or (st.f_files and st.f_favail < len(formats) + 8):
        raise OutputError(Problem(str(out), f"has no room for a bundle ({free // 1024} KB free, about "
                                  f"{need // 1024} KB needed); free some space or choose another --out"))


# ---- who is who ----------------------------------------------------------------------------------

# ---- the run -------------------------------------------------------------------------------------

def _local(spec: WorkerSpec, jobs: int, close: Sequence[int]) -> Executor:
    from rolereport.jobs.executors.local import LocalExecutor

    return LocalExecutor(spec, jobs, close_in_workers=close)


def _dask(opts: BatchOptions, notify: Callable[[str], None]) -> MakeExecutor | None:
    """The Dask executor when the options ask for it (checked before any work), else None."""
    from rolereport.jobs.executors.cluster import choose

    where = choose(opts.cluster, opts.scheduler, opts.jobs, opts.write_on)
    if where is None:
        return None
    out, debug = opts.out, opts.debug

    def make(spec: WorkerSpec, _jobs: int, _close: Sequence[int]) -> Executor:
        from dataclasses import replace

        from rolereport.jobs.executors.dask import DaskExecutor  # imports dask: only now, and only here
        from rolereport.system.deadline import render_timeout

        # The limit where the batch runs applies on every worker; DOCX/XLSX beside the PDF only on a
        # local cluster with a core to spare.
        local = where.workers is not None and where.workers < (os.cpu_count() or 1)
        spec = replace(spec, threads=local,
                       timeout=spec.timeout if spec.timeout is not None else (render_timeout() or 0.0))
        return DaskExecutor(spec, scheduler=where.scheduler, workers=where.workers,
                            write_to=out if where.write_on_workers else None, say=notify, debug=debug)

    return make


def build_batch(inputs: Sequence[str | Path], opts: BatchOptions, *,
                progress: Callable[[Person, int, int], None] | None = None,
                notify: Callable[[str], None] | None = None, executor: MakeExecutor | None = None) -> BatchResult:
    started = time.perf_counter()
    notify = notify or _say
    out, formats = opts.out, opts.formats
    executor = executor or _dask(opts, notify)
    ctx = Context.create(opts.templates, opts.theme)  # validates templates and theme before any work
    check_templates(ctx)
    pages = RunPages.load(opts)  # a bad source or a library without a readable page stops the batch: exit 2
    entries = expand(list(inputs), sheet=opts.sheet, columns=opts.columns, include_hidden=opts.include_hidden)
    people = load_people(entries, out, formats, duplicates=opts.duplicates, allow_empty=opts.allow_empty)
    choose_pages(people, pages)
    check_out(out, formats, len(people))
    run = new_run()
    with FolderLock(out, "batch", wait=opts.wait, notify=notify) as lock:
        stamps = stale_cleanup(out)
        todo = _plan(people, out, stamps, lambda page: pages.base(page, ctx, opts), opts)
        for slug in sorted(set(opts.replacing) - {p.slug for p in people}):
            notices.warn("--replace", f"no person in this run has the folder name '{slug}'; nothing replaced")
        failed = [p for p in people if p.status]
        if progress:
            for n, p in enumerate(failed, start=1):
                progress(p, n, len(people))
        reserve(out, len(people))
        interrupted, stopped = False, None
        if todo:
            n = max(1, min(opts.jobs or os.cpu_count() or 1, len(todo)))
            # DOCX/XLSX beside the PDF only where a core is free for them (see render_all)
            roles = pages.roles()
            spec = WorkerSpec(str(opts.source) if opts.source else None, opts.source_format,
                              str(opts.templates) if opts.templates else None,
                              str(opts.theme) if opts.theme else None,
                              formats, threads=n < (os.cpu_count() or 1),
                              source_info=pages.single.info if pages.single else None,
                              library=tuple(sorted(roles.items())) if roles is not None else None)
            try:
                interrupted = _run(todo, out, spec, n, run, progress, people, notify, executor or _local,
                                   lock.fileno())
            except RoleReportError as exc:  # the workers cannot go on (e.g. a cluster lost): stop once
                if not any(p.status == "ok" for p in todo):
                    (out / RESERVE).unlink(missing_ok=True)
                    raise  # nothing built in this run: nothing to describe, exit 2 as for bad input
                stopped = exc
                for p in todo:
                    if not p.status:
                        p.status, p.error = "not-started", f"not started: {exc.problems[0].message}"
        kept = sum(_note_leftovers(p, out / p.slug, formats, opts.prune)
                   for p in people if p.status in ("ok", "skipped"))
        if kept:
            notices.warn(str(out), f"{kept} {'folder keeps' if kept == 1 else 'folders keep'} older files of "
                         "other formats beside the new ones (see the manifest's warnings); --prune removes them")
        for p in people:  # what this run wrote replaces what was read before it
            if p.status == "ok":
                fresh = read_stamp(out / p.slug)
                if fresh is not None:
                    stamps[p.slug] = fresh
        try:
            path, others = write_manifest(out, people, formats, stamps)
        except OutputError as exc:
            raise OutputError(Problem(str(out / MANIFEST), f"the bundles are complete, but the "
                                      f"manifest could not be written ({exc.problems[0].message})")) from None
    if stopped is not None:
        raise stopped
    return BatchResult(tuple(people), path, time.perf_counter() - started, interrupted, others)


def choose_pages(people: list[Person], pages: RunPages) -> None:
    """Each person's page: from their `source`, else their current role; who has none fails alone."""
    for p in people:
        if p.status or p.job is None:
            continue
        choice = pages.choose(p.job.profile, p.job.source)
        if choice.error or choice.page is None:
            p.status, p.error = "failed", f"{p.entry.label}: {choice.error}"
            continue
        p.job.page = choice.page
        if choice.warning:
            p.warnings.append(notices.line(Problem(p.entry.label, choice.warning)))


def _plan(people: list[Person], out: Path, stamps: dict[str, Stamp], base: Callable[[Any], str],
          opts: BatchOptions) -> list[Person]:
    """Each person checked against their folder (built for someone else: refused), then skipped
    when up to date; returns those to build. `base(page)`: what everyone of that page shares."""
    todo = []
    for p in people:
        if p.status:
            continue
        job = p.job
        assert job is not None and job.identity is not None
        try:
            inside(out, p.slug)
        except RoleReportError as exc:
            p.status, p.error = "failed", " | ".join(str(x) for x in exc.problems)
            continue
        stamp = stamps.get(p.slug)
        assert job.page is not None
        job.digest = inputs_digest(base(job.page), None if job.plain else job.profile)
        try:
            existing = plan(job, stamp, force=opts.force, replacing=opts.replacing)
        except OutputError as exc:
            p.status, p.error = "failed", f"{p.entry.label}: {exc.problems[0].message}"
            continue
        if stamp is not None and not stamp.has_identity_key:
            p.warnings.append(notices.line(Problem(str(job.folder), "this folder did not record whose it was (built "
                                                   "by an older version); it is now recorded as "
                                                   f"{job.identity.describe()}")))
        if stamp is not None and stamp.page and stamp.page != job.page.name:
            p.warnings.append(notices.line(Problem(str(job.folder), f"built from the page {stamp.page} before, from "
                                                   f"{job.page.name} now; check that this is the page meant "
                                                   "for this person")))
        if existing is not None and stamp is not None:
            p.status, p.files, p.run = "skipped", existing, stamp.run
            p.warnings.extend(stamp.warnings)
        else:
            todo.append(p)
    return todo


def job_plain(p: Person) -> bool:
    return p.job is not None and p.job.plain


def _note_leftovers(p: Person, folder: Path, formats: Sequence[str], prune: bool) -> bool:
    names = leftovers(folder, formats, prune=prune)
    if names:
        p.warnings.append(notices.line(Problem(str(folder), leftover_warning(names))))
    return bool(names)


def _run(todo: list[Person], out: Path, spec: WorkerSpec, jobs: int, run: str,
         progress: Callable[[Person, int, int], None] | None, people: list[Person],
         notify: Callable[[str], None], make: MakeExecutor, lock_fd: int) -> bool:
    """Build `todo` through an executor, writing each person's files as they come back.
    Returns whether the run was interrupted."""
    done = sum(1 for p in people if p.status)
    pending = {p.slug: p for p in todo}
    ex = make(spec, jobs, (lock_fd,))
    stop = _Stop(ex.in_progress, notify)
    interrupted = cancelled = closed = False

    def finish(p: Person) -> None:
        nonlocal done
        pending.pop(p.slug, None)
        done += 1
        if progress:
            progress(p, done, len(people))

    def not_started(keys: Sequence[str], why: str) -> None:
        for key in keys:
            if key in pending:
                p = pending[key]
                p.status, p.error = "not-started", why
                finish(p)

    try:
        for p in todo:
            assert p.profile is not None
            page = RunPages.ref(p.job.page) if spec.library is not None and p.job and p.job.page else None
            ex.submit(Task(p.slug, p.profile, p.digest, plain=job_plain(p), page=page))
        while pending:
            if stop.presses and not cancelled:
                interrupted = cancelled = True
                not_started(ex.cancel_pending(), "not started: the batch was interrupted; run it again")
            if stop.presses >= 2:
                ex.close(now=True)
                closed = True
                not_started(list(pending), "stopped before it finished: the batch was interrupted; run it again")
                break
            for outcome in ex.completed(0.2):
                p = pending.get(outcome.key)
                if p is None:
                    continue
                if _write(p, outcome, out, run) and not cancelled:
                    cancelled = True  # the disk is full: everyone after this would fail the same way
                    not_started(ex.cancel_pending(), "not started: the output disk is full; free some space "
                                "and run the batch again")
                finish(p)
    finally:
        stop.restore()
        if not closed:
            ex.close(now=sys.exc_info()[0] is not None)
    return interrupted


def _write(p: Person, outcome: Outcome, out: Path, run: str) -> bool:
    """Write one person's files (all or none, the stamp last). Returns True when the disk is full."""
    p.warnings.extend(notices.line(w) for w in outcome.warnings)
    if outcome.error:
        p.status, p.error = "failed", f"{p.entry.label}: {outcome.error}"
        return False
    folder = out / p.slug
    page = p.job.page.name if p.job is not None and p.job.page is not None else ""
    stamp = Stamp(p.digest, identity=p.identity, run=run, warnings=tuple(dict.fromkeys(p.warnings)),
                  top=outcome.top, plain=job_plain(p), page=page, current=outcome.current,
                  personal=p.profile is not None and not job_plain(p))
    try:
        if outcome.outputs is not None:
            p.files = write_outputs(folder, stamp, outcome.outputs)
        else:  # the worker wrote the files itself (a shared folder): only the stamp is written here
            files = dict(outcome.files or {})
            stamp = dataclasses.replace(stamp, files={n: s for n, _, s in files.values()})
            write_atomic(folder / STAMP, stamp.to_bytes())
            p.files = files
    except DiskFull as exc:
        p.status, p.error = "failed", f"{p.entry.label}: {exc.problems[0]}"
        return True
    except OutputError as exc:
        p.status, p.error = "failed", f"{p.entry.label}: {' | '.join(str(x) for x in exc.problems)}"
        return False
    p.status, p.run = "ok", run
    return False
