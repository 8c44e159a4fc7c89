"""Reaching a Dask cluster: the scheduler at an address, or a local cluster started here; and what a
scheduler elsewhere is set up to do. Only `dask.py` imports this module (it imports Dask)."""

from __future__ import annotations

import asyncio
import importlib.util
import logging
from typing import Any

from distributed import Client, LocalCluster

from rolereport.errors import Problem
from rolereport.jobs.executors.cluster import WAIT_ENV, ClusterError


def connect(scheduler: str | None, workers: int | None, wait: float) -> tuple[Client, LocalCluster | None]:
    """A client of the scheduler at `scheduler`, or of a local cluster of `workers` processes (returned
    too, for the executor to close)."""
    import dask

    if scheduler is not None:
        try:
            # Reach the scheduler first, on a loop of this thread's own: a Client that cannot
            # connect leaves its event-loop thread behind in this process.
            asyncio.run(_reach(scheduler, wait))
            return Client(scheduler, timeout=wait, set_as_default=False), None
        except (OSError, TimeoutError) as exc:
            raise ClusterError(Problem(scheduler, f"no Dask scheduler answered within {wait:g} s "
                                       f"({type(exc).__name__}); start one with 'dask scheduler' or check "
                                       f"the address (set {WAIT_ENV} to wait longer)")) from None
        except ValueError as exc:
            raise ClusterError(Problem(scheduler, f"not a scheduler address such as tcp://host:8786: "
                                       f"{exc}")) from None
    dashboard = ":0" if importlib.util.find_spec("bokeh") else None
    cluster = None
    with dask.config.set({
        "distributed.scheduler.allowed-failures": 1,  # a person whose worker died: retried once
        "distributed.scheduler.worker-saturation": 1.0,  # one person per worker thread at a time
        # The statistical profiler samples every worker thread 100 times a second: ~5 % of a
        # person's time (measured), for a dashboard view the batch does not need.
        "distributed.worker.profile.enabled": False,
        # Each process's loop-health tick (every 20 ms), system monitor (500 ms, with disk counters)
        # and the work stealing a queue of single-thread workers never needs: 8 % of a core on an
        # idle 2-worker cluster, 2.5 % at these values (measured), taken from the people's layouts.
        "distributed.admin.tick.interval": "500ms",
        "distributed.admin.system-monitor.interval": "2s",
        "distributed.admin.system-monitor.disk": False,
        "distributed.scheduler.work-stealing": False,
    }):
        try:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=dashboard, silence_logs=logging.CRITICAL)
            client = Client(cluster, set_as_default=False)
            client.wait_for_workers(workers or 1, timeout=wait)
        except Exception as exc:
            if cluster is not None:
                cluster.close(timeout=5)
            raise ClusterError(Problem("--cluster", f"could not start {workers} local Dask worker processes "
                                       f"within {wait:g} s ({type(exc).__name__}: {exc}); set "
                                       f"{WAIT_ENV} to wait longer")) from None
    return client, cluster


def check_scheduler(client: Client, address: str, *, own: bool) -> bool:
    """A scheduler elsewhere: a warning when it retries a dead worker's task more than once. Returns
    whether it has a dashboard."""
    has_dashboard = importlib.util.find_spec("bokeh") is not None
    if own:
        return has_dashboard
    try:
        allowed, has_dashboard = client.run_on_scheduler(_scheduler_facts)
    except Exception:  # a scheduler that refuses to run functions: no warning, no dashboard link
        return False
    if allowed != 1:
        from rolereport import notices

        notices.warn(address, f"the scheduler runs a person again up to {allowed} times after "
                     "their worker died; start it with DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES=1 "
                     "to retry once")
    return bool(has_dashboard)


async def _reach(address: str, timeout: float) -> None:
    from distributed.comm import connect as comm_connect
    from distributed.security import Security

    comm = await comm_connect(address, timeout=timeout, **Security().get_connection_args("client"))
    await comm.close()


def _scheduler_facts(dask_scheduler: Any) -> tuple[int, bool]:
    return int(dask_scheduler.allowed_failures), importlib.util.find_spec("bokeh") is not None
