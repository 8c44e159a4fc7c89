"""Where a batch runs on Dask, checked up front without importing Dask (`dask.py` runs it)."""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass

from rolereport.errors import Problem, RoleReportError, UsageError

SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
WAIT_ENV = "ROLEREPORT_DASK_TIMEOUT"  # seconds without workers or scheduler before giving up
DEFAULT_WAIT = 60.0


class ClusterError(RoleReportError):
    """The cluster cannot build anyone (lost scheduler, no workers, failed set-up): stop once."""


def wait_limit() -> float:
    raw = os.environ.get(WAIT_ENV, "").strip()
    try:
        value = float(raw) if raw else DEFAULT_WAIT
    except ValueError:
        value = -1
    if not value > 0:
        raise ClusterError(Problem(WAIT_ENV, f"'{raw}' is not a number of seconds above 0 (such as 60)"))
    return value


def parse_cluster(text: str, jobs: int | None = None) -> int:
    """`local` or `local:N` → N worker processes (`local`: --jobs, else the number of CPUs)."""
    name, _, count = text.partition(":")
    if name != "local" or (count and (not count.isdigit() or int(count) < 1)):
        raise ClusterError(Problem("--cluster", f"'{text}' is not 'local' or 'local:N' with N a whole "
                                   "number of at least 1 (for a cluster elsewhere use --scheduler)"))
    if count and jobs is not None and int(count) != jobs:
        raise ClusterError(Problem("--jobs", f"{jobs} disagrees with --cluster {text}; give one of them"))
    return int(count) if count else (jobs or os.cpu_count() or 1)


@dataclass(frozen=True)
class Where:
    scheduler: str | None  # an address, or None for a local cluster of `workers`
    workers: int | None
    write_on_workers: bool


def choose(cluster: str | None, scheduler: str | None, jobs: int | None, write_on: str) -> Where | None:
    """Dask when --cluster, --scheduler or DASK_SCHEDULER_ADDRESS asks for it; None: the local pool.
    Every option is checked here, before any work."""
    came_from = "--scheduler"
    if cluster is None and scheduler is None and os.environ.get(SCHEDULER_ENV, "").strip():
        scheduler, came_from = os.environ[SCHEDULER_ENV].strip(), SCHEDULER_ENV
    if cluster is None and scheduler is None:
        if write_on == "workers":
            raise UsageError(Problem("--write-on", "'workers' needs a Dask cluster (--cluster or --scheduler); "
                                     "the local pool's files are always written by this process"))
        return None
    if importlib.util.find_spec("distributed") is None:
        raise UsageError(Problem("--cluster" if cluster else came_from, "running on Dask needs the extra: "
                                 "pip install 'rolereport[dask]' (or make batch CLUSTER=…, which installs it)"))
    workers = None
    if cluster is not None:
        workers = parse_cluster(cluster, jobs)
    elif jobs is not None:
        raise UsageError(Problem("--jobs", f"sets the local worker processes, but the batch runs on the Dask "
                                 f"cluster named by {came_from}; a cluster's workers are started with "
                                 "'dask worker --nworkers N'"))
    wait_limit()  # a bad ROLEREPORT_DASK_TIMEOUT stops here
    return Where(scheduler, workers, write_on == "workers")
