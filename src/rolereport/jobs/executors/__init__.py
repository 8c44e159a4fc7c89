"""One seam for running batch people: the local process pool and Dask sit behind `Executor`.

The parent (`rolereport.jobs.batch`) owns everything about files: locks, stamps, identity, the
manifest and atomic writes. An executor only runs `worker.build(state, task)` somewhere and hands
back each person's `Outcome` as it completes. Per-worker set-up is `worker.setup(spec)`, whether a
forked local worker or a Dask `WorkerPlugin` calls it; the spec is small and picklable, the loaded
state never travels.

`local.py` (forked worker processes) and `dask.py` implement it. Rules every executor keeps:
- **Crashes**: a person whose worker process died is retried once, by the executor itself, on a
  fresh worker; only the final outcome is reported (`crashed=True`, `attempts=2` when the retry
  died too, error "the renderer crashed (signal N)").
- **Time limit**: `worker.build` enforces the per-person limit itself; an executor may also stop a
  worker that overruns it (stuck in C code) and report that person as failed.
- **Stopping**: `cancel_pending` drops what has not started; `close(now=True)` kills the workers
  and returns at once. Workers ignore SIGINT/SIGTERM/SIGHUP: the parent decides.
- `completed` may raise RoleReportError when workers cannot start at all (set-up failed).

Changes since the first version of this seam: `Outcome.top` (the best three fits, for the
stamp), and the crash retry being the executor's job (above).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from rolereport.errors import Problem
from rolereport.jobs.folders import FileInfo
from rolereport.model import Profile, SourceInfo


@dataclass(frozen=True)
class PageRef:
    """A person's page as a worker loads it: where it is and what the parent read there. A
    worker parses each page once and keeps it by its hash (`worker.page_of`)."""

    path: str
    source_format: str | None
    info: SourceInfo  # name, date and SHA-256 as the parent read it


@dataclass(frozen=True)
class WorkerSpec:
    """What a worker needs to load its shared state once: paths and options, never loaded objects."""

    source: str | None
    source_format: str | None
    templates: str | None
    theme: str | None
    formats: tuple[str, ...]
    threads: bool = False  # render DOCX/XLSX beside the PDF (only where a core is spare)
    timeout: float | None = None  # seconds one person may take (None: ROLEREPORT_RENDER_TIMEOUT)
    # The source as the parent read it (name, date, SHA-256): a worker elsewhere must read the same
    # bytes, and shows the parent's name and date whatever its own copy's file date or environment.
    source_info: SourceInfo | None = None
    # With a library (--sources): no page is loaded up front, each task names its own; role ->
    # page name of the library's roles, for the guides' "has a guide" lines
    library: tuple[tuple[str, str], ...] | None = None


@dataclass(frozen=True)
class Task:
    """One person to build. `key` is their folder name (slug), unique within a run."""

    key: str
    profile: Profile
    digest: str  # the inputs digest the stamp will record
    folder: str | None = None  # set only when the worker writes the files itself (Dask --write-on workers)
    plain: bool = False  # the plain guide, not personalised (the profile gives nothing to go on)
    page: PageRef | None = None  # the person's page (None: the spec's one source)


@dataclass(frozen=True)
class Outcome:
    key: str
    outputs: dict[str, bytes] | None = None  # format -> bytes, for the parent to write
    files: dict[str, FileInfo] | None = None  # when the worker wrote them itself
    warnings: tuple[Problem, ...] = ()
    error: str = ""  # "" when the person was built
    crashed: bool = False  # the worker process died (signal, out of memory): the parent may retry once
    attempts: int = 1
    extra: dict[str, str] = field(default_factory=dict)  # e.g. which worker built it
    top: tuple[dict[str, object], ...] = ()  # the best three fits, best first: {role, band, score}
    current: str = ""  # the role on the page the person holds (for the stamp: the e-mail names it)


class Executor(Protocol):
    def submit(self, task: Task) -> None:
        """Queue one person; never blocks on rendering."""

    def completed(self, timeout: float) -> list[Outcome]:
        """Outcomes finished since the last call, waiting at most `timeout` seconds for the first."""

    def in_progress(self) -> int:
        """People started and not finished."""

    def cancel_pending(self) -> list[str]:
        """Drop every task not yet started; returns their keys."""

    def close(self, now: bool = False) -> None:
        """Stop the workers: after the running tasks (`now=False`) or at once, killing them."""
