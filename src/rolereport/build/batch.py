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

import os
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rolereport import notices
from rolereport.build import manifest
from rolereport.build.executors import Executor, Outcome, Task, WorkerSpec
from rolereport.build.manifest import ManifestRow
from rolereport.build.outputs import DiskFull, inside, remove_stale_parts, slugify
from rolereport.build.report import (
    FileInfo,
    check_owner,
    file_info,
    inputs_base,
    inputs_digest,
    leftover_warning,
    leftovers,
    up_to_date,
    write_outputs,
)
from rolereport.build.stamps import STAMP, Identity, Stamp, different_person, new_run, read_stamp
from rolereport.errors import OutputError, Problem, RoleReportError
from rolereport.inputs.roster import Entry, expand
from rolereport.model import Profile
from rolereport.render import OUTPUT_NAMES
from rolereport.render.context import Context

# build_batch(executor=...): makes the executor from the spec, the number of workers and the file
# descriptors a forked worker must close (the folder lock); executors/local.py by default
MakeExecutor = Callable[[WorkerSpec, int, Sequence[int]], Executor]

# room one bundle needs, per format, before a batch starts (generous: a guide is ~0.3 MB)
BUNDLE_BYTES = {"pdf": 4 << 20, "html": 1 << 20, "docx": 1 << 20, "xlsx": 1 << 20}
MANIFEST_ROW_BYTES = 600  # room kept for the manifest while bundles fill the disk
RESERVE = ".rolereport-manifest.reserve"


@dataclass
class Person:
    entry: Entry
    profile: Profile | None = None
    slug: str = ""
    status: str = ""  # ok | failed | skipped | not-started
    error: str = ""
    files: dict[str, FileInfo] = field(default_factory=dict)  # format -> (name, size, sha256)
    warnings: list[str] = field(default_factory=list)
    run: str = ""  # the run that built the files listed
    identity: Identity | None = None
    digest: str = ""


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
    if out.exists() and not out.is_dir():
        raise OutputError(Problem(str(out), "is a file, not a folder; choose another --out"))
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".rolereport-probe-{os.getpid()}"
        with open(probe, "wb") as fh:
            fh.write(b"x")
        probe.unlink()
    except OSError as exc:
        raise OutputError(Problem(str(out), f"cannot write here: {exc.strerror}; choose another --out "
                                  "or fix its permissions")) from None
    need = sum(BUNDLE_BYTES.get(f, 1 << 20) for f in formats) + people * MANIFEST_ROW_BYTES
    st = os.statvfs(out)
    free = st.f_bavail * st.f_frsize
    if free < need or (st.f_files and st.f_favail < len(formats) + 8):
        raise OutputError(Problem(str(out), f"has no room for a bundle ({free // 1024} KB free, about "
                                  f"{need // 1024} KB needed); free some space or choose another --out"))


# ---- who is who ----------------------------------------------------------------------------------

def _known(entry: Entry, key: str) -> str:
    value = (entry.data or {}).get(key)
    return value.strip() if isinstance(value, str) else ""


def _load_people(entries: list[Entry]) -> list[Person]:
    from rolereport.inputs.profile import load_profile, profile_from_mapping

    people, seen = [], set()
    for entry in entries:
        if entry.path is not None:
            key = entry.path.resolve()
            if key in seen:
                continue
            seen.add(key)
        person = Person(entry, warnings=[notices.line(w) for w in entry.warnings])  # the row's own (cells)
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
            person.identity = Identity.of(person.profile, entry.path or entry.file)
        except RoleReportError as exc:
            person.status, person.error = "failed", " | ".join(str(p) for p in exc.problems)
        people.append(person)
    counts = Counter(p.slug for p in people if p.slug and not p.status)
    for slug, n in counts.items():
        if n > 1:
            clash = [p for p in people if p.slug == slug]
            labels = ", ".join(p.entry.label for p in clash)
            ids = {(p.profile.id or "") for p in clash if p.profile}
            names = {p.profile.name for p in clash if p.profile}
            why = ""
            for what, values in (("ids", ids), ("names", names)):
                if not why and len(values) > 1 and len({v.casefold() for v in values}) == 1:
                    why = (f" (their {what} {', '.join(repr(v) for v in sorted(values))} differ only in "
                           "letter case, and folder names ignore case)")
            for p in clash:
                p.status = "failed"
                p.error = (f"{p.entry.label}: folder name '{slug}' is shared by {labels}{why}; give each "
                           "person a distinct 'id' (nothing was written for them)")
    return people


# ---- the manifest --------------------------------------------------------------------------------

def _row(p: Person) -> ManifestRow:
    prof = p.profile
    return ManifestRow(
        name=prof.name if prof else _known(p.entry, "name"),
        id=(prof.id or "") if prof else _known(p.entry, "id"),
        email=(prof.email or "") if prof else _known(p.entry, "email"),
        slug=p.slug if p.files else "", input=p.entry.label, status=p.status, error=p.error,
        warnings=tuple(dict.fromkeys(p.warnings)), run=p.run if p.files else "", files=p.files)


def _on_disk(folder: Path, stamp: Stamp) -> dict[str, FileInfo] | None:
    """The files a stamp lists, when they are all there and match it (read and checked)."""
    infos = {}
    for fmt, name in OUTPUT_NAMES.items():
        if name not in stamp.files:
            continue
        try:
            info = file_info(name, (folder / name).read_bytes())
        except OSError:
            return None
        if info[2] != stamp.files[name]:
            return None
        infos[fmt] = info
    return infos


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
            p.files, p.run = _on_disk(out / p.slug, stamp) or {}, stamp.run
    rows = [_row(p) for p in people]
    mine = {p.slug for p in people if p.files}
    others = 0
    for slug in sorted(stamps):
        if slug in mine:
            continue
        stamp = stamps[slug]
        files = _on_disk(out / slug, stamp)
        if not files:
            continue  # an incomplete or tampered folder: nothing to describe
        ident = stamp.identity or Identity(name="")
        rows.append(ManifestRow(name=ident.name, id=ident.id, email=ident.email, slug=slug, input=ident.input,
                                status="skipped", warnings=(*stamp.warnings, "not among this run's inputs"),
                                run=stamp.run, files=files))
        others += 1
    for row in rows:
        shown += [f for f in row.files if f not in shown]
    order = [f for f in OUTPUT_NAMES if f in shown]
    (out / RESERVE).unlink(missing_ok=True)  # the room kept for the manifest is its now
    return manifest.write_manifest(out, rows, order), others


def _reserve(out: Path, people: int) -> None:
    """Keep room for the manifest while the bundles may fill the disk."""
    try:
        with open(out / RESERVE, "wb") as fh:
            fh.truncate(0)
            size = 128 * 1024 + 2 * people * MANIFEST_ROW_BYTES  # manifest.csv and manifest.xlsx
            try:
                os.posix_fallocate(fh.fileno(), 0, size)
            except (AttributeError, OSError):
                fh.write(b"\0" * size)
    except OSError:
        (out / RESERVE).unlink(missing_ok=True)


def _stale_cleanup(out: Path) -> dict[str, Stamp]:
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


# ---- the run -------------------------------------------------------------------------------------

def _local(spec: WorkerSpec, jobs: int, close: Sequence[int]) -> Executor:
    from rolereport.build.executors.local import LocalExecutor

    return LocalExecutor(spec, jobs, close_in_workers=close)


def _dask(cluster: str | None, scheduler: str | None, jobs: int | None, write_on: str, out: Path,
          notify: Callable[[str], None], debug: bool) -> MakeExecutor | None:
    """The Dask executor when the options ask for it (checked before any work), else None."""
    from rolereport.build.executors.cluster import choose

    where = choose(cluster, scheduler, jobs, write_on)
    if where is None:
        return None

    def make(spec: WorkerSpec, _jobs: int, _close: Sequence[int]) -> Executor:
        from dataclasses import replace

        from rolereport.build.executors.dask import DaskExecutor  # imports dask: only now, and only here
        from rolereport.system.deadline import render_timeout

        # The limit where the batch runs applies on every worker; DOCX/XLSX beside the PDF only on a
        # local cluster with a core to spare.
        local = where.workers is not None and where.workers < (os.cpu_count() or 1)
        spec = replace(spec, threads=local,
                       timeout=spec.timeout if spec.timeout is not None else (render_timeout() or 0.0))
        return DaskExecutor(spec, scheduler=where.scheduler, workers=where.workers,
                            write_to=out if where.write_on_workers else None, say=notify, debug=debug)

    return make


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
    wait: bool = False,
    replacing: Sequence[str] = (),
    prune: bool = False,
    notify: Callable[[str], None] | None = None,
    executor: MakeExecutor | None = None,
    cluster: str | None = None,
    scheduler: str | None = None,
    write_on: str = "client",
    debug: bool = False,
) -> BatchResult:
    from rolereport.build.folderlock import FolderLock
    from rolereport.sources import read_source

    started = time.perf_counter()
    notify = notify or _say
    out = Path(out)
    formats = tuple(dict.fromkeys(formats))
    executor = executor or _dask(cluster, scheduler, jobs, write_on, out, notify, debug)
    ctx = Context.create(templates, theme)  # validates templates and theme before any work
    check_templates(ctx)
    _guide, info = read_source(source, source_format)  # a bad source stops the batch: exit 2
    people = _load_people(expand(list(inputs), sheet=sheet, columns=columns, include_hidden=include_hidden))
    check_out(out, formats, len(people))
    run = new_run()
    with FolderLock(out, "batch", wait=wait, notify=notify) as lock:
        stamps = _stale_cleanup(out)
        base = inputs_base(info, ctx, Path(theme) if theme else None, formats)
        todo = _plan(people, out, stamps, base, formats, force, set(replacing))
        for slug in sorted(set(replacing) - {p.slug for p in people}):
            notices.warn("--replace", f"no person in this run has the folder name '{slug}'; nothing replaced")
        for p in people:
            if p.status and progress:
                progress(p, 0, len(people))
        _reserve(out, len(people))
        interrupted, stopped = False, None
        if todo:
            n = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
            # DOCX/XLSX beside the PDF only where a core is free for them (see render_all)
            spec = WorkerSpec(str(source) if source else None, source_format,
                              str(templates) if templates else None, str(theme) if theme else None,
                              formats, threads=n < (os.cpu_count() or 1), source_info=info)
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
        kept = sum(_note_leftovers(p, out / p.slug, formats, prune) for p in people if p.status in ("ok", "skipped"))
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
            raise OutputError(Problem(str(out / manifest.MANIFEST), f"the bundles are complete, but the "
                                      f"manifest could not be written ({exc.problems[0].message})")) from None
    if stopped is not None:
        raise stopped
    return BatchResult(tuple(people), path, time.perf_counter() - started, interrupted, others)


def _plan(people: list[Person], out: Path, stamps: dict[str, Stamp], base: str, formats: tuple[str, ...],
          force: bool, replacing: set[str]) -> list[Person]:
    todo = []
    for p in people:
        if p.status:
            continue
        assert p.profile is not None and p.identity is not None
        try:
            folder = inside(out, p.slug)
        except RoleReportError as exc:
            p.status, p.error = "failed", " | ".join(str(x) for x in exc.problems)
            continue
        stamp = stamps.get(p.slug)
        refused = check_owner(folder, stamp, p.identity, p.slug in replacing)
        if refused:
            p.status, p.error = "failed", f"{p.entry.label}: {refused}"
            continue
        if stamp is not None and not stamp.has_identity_key:
            p.warnings.append(notices.line(Problem(str(folder), "this folder did not record whose it was (built "
                                                   "by an older version); it is now recorded as "
                                                   f"{p.identity.describe()}")))
        p.digest = inputs_digest(base, p.profile)
        existing = None if force or p.slug in replacing else up_to_date(folder, p.digest, formats, stamp)
        if existing is not None and stamp is not None:
            p.status, p.files, p.run = "skipped", existing, stamp.run
            p.warnings.extend(stamp.warnings)
            if stamp.identity != p.identity:  # a new email address, or the roster moved: say so in the stamp
                _restamp(folder, stamp, p.identity)
        else:
            todo.append(p)
    return todo


def _restamp(folder: Path, stamp: Stamp, identity: Identity) -> None:
    from dataclasses import replace

    from rolereport.build.outputs import write_atomic

    try:
        write_atomic(folder / STAMP, replace(stamp, identity=identity).to_bytes())
    except OutputError:
        pass  # the old identity stays; the bundle itself is fine


def _note_leftovers(p: Person, folder: Path, formats: Sequence[str], prune: bool) -> bool:
    names = leftovers(folder, formats, prune=prune)
    if names:
        p.warnings.append(notices.line(Problem(str(folder), leftover_warning(folder, names))))
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
            ex.submit(Task(p.slug, p.profile, p.digest))
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
    stamp = Stamp(p.digest, identity=p.identity, run=run, warnings=tuple(dict.fromkeys(p.warnings)),
                  top=outcome.top)
    try:
        if outcome.outputs is not None:
            p.files = write_outputs(folder, stamp, outcome.outputs)
        else:  # the worker wrote the files itself (a shared folder): only the stamp is written here
            from dataclasses import replace

            from rolereport.build.outputs import write_atomic

            files = dict(outcome.files or {})
            write_atomic(folder / STAMP, replace(stamp, files={n: s for n, _, s in files.values()}).to_bytes())
            p.files = files
    except DiskFull as exc:
        p.status, p.error = "failed", f"{p.entry.label}: {exc.problems[0]}"
        return True
    except OutputError as exc:
        p.status, p.error = "failed", f"{p.entry.label}: {' | '.join(str(x) for x in exc.problems)}"
        return False
    p.status, p.run = "ok", run
    return False
