"""Batch people as tasks on a Dask distributed cluster (the `rolereport[dask]` extra).

- A `WorkerPlugin` calls `worker.setup(spec)` once per worker process (again when a nanny
  restarts one); the loaded state stays on the worker, only the small spec is pickled.
- A task carries one `Task` (profile, folder name, digest) and returns its `Outcome`; the client
  reads outcomes from `as_completed` as they finish.
- Faults: a worker that dies costs only the person it was building. The scheduler retries that
  person once on another worker (`allowed-failures` 1 on the clusters started here) and then
  fails it alone (`KilledWorker`). A per-person time limit is enforced inside the task, since
  Dask has none. A lost scheduler, a cluster left without workers, or a set-up that fails on
  the workers stops the batch once with `ClusterError`, never one error per person.

Only this module imports dask; the base install and the local batch never load it.
"""

from __future__ import annotations

import asyncio
import ctypes
import hashlib
import logging
import os
import pickle
import signal
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from distributed import Client, LocalCluster, WorkerPlugin, as_completed, get_worker
from distributed.scheduler import KilledWorker

import rolereport
from rolereport.errors import Problem, RoleReportError
from rolereport.jobs.executors import Outcome, Task, WorkerSpec
from rolereport.jobs.executors.cluster import WAIT_ENV, ClusterError, wait_limit
from rolereport.jobs.executors.dask_cluster import check_scheduler, connect
from rolereport.jobs.outputs import fresh_file
from rolereport.system.deadline import render_timeout, timeout_error

_TIMEOUT_TOPIC = "rolereport-timeout"


class SetupFailed(Exception):
    """Raised by the plugin's set-up on a worker; carries plain text, so it unpickles anywhere."""


# ---- worker side ------------------------------------------------------------------------------------

class StatePlugin(WorkerPlugin):
    """Loads `worker.setup(spec)` once per worker; tasks find the state under the plugin's name."""

    idempotent = True  # the same spec registered twice (two batches, one cluster) loads once

    def __init__(self, spec: WorkerSpec, name: str, version: str, own_cluster: bool) -> None:
        self.spec = spec
        self.name = name
        self.version = version
        self.own_cluster = own_cluster
        self.state: Any = None
        self.error = ""

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "state": None, "error": ""}  # the loaded state never travels

    async def setup(self, worker: Any) -> None:
        if self.own_cluster and threading.current_thread() is threading.main_thread():
            # Workers of a cluster this batch started share its terminal and service group: the
            # batch decides how Ctrl-C, a hang-up or `systemctl stop` ends them, as with the local
            # pool (and they exit at once if the batch process dies: distributed watches its parent).
            for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(sig, signal.SIG_IGN)
            try:  # and out of the terminal's process group: pandoc (whose runtime handles Ctrl-C
                os.setpgid(0, 0)  # itself) must not die under a person the batch lets finish
            except OSError:
                pass
        if self.version != rolereport.__version__:
            self.error = (f"worker {worker.address} has rolereport {rolereport.__version__}, this client "
                          f"{self.version}; install the same version on every worker")
            raise SetupFailed(self.error)
        from rolereport.jobs.executors import worker as shared

        try:  # off the event loop, so the worker keeps answering the scheduler while it loads
            self.state = await asyncio.get_running_loop().run_in_executor(None, shared.setup, self.spec)
        except RoleReportError as exc:
            self.error = " | ".join(str(p) for p in exc.problems)
        except Exception as exc:  # a missing font library, pandoc or folder on this machine
            self.error = f"{type(exc).__name__}: {exc}"
        if self.error:
            self.error = f"on worker {worker.address}: {self.error}"
            raise SetupFailed(self.error)

    def teardown(self, worker: Any) -> None:
        self.state = None


class _Expired(BaseException):
    """Raised in the task's thread when its time is up; BaseException so no `except Exception` eats it."""


def _raise_in(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exc) if exc else None)


def _within(limit: float | None, key: str, run: Callable[[], Outcome]) -> Outcome:
    """`run()` stopped after `limit` seconds: an exception raised into this thread at the next
    Python instruction; if the thread is stuck in native code past a grace period, the worker
    process is ended (its nanny restarts it) after telling the client why.

    At most one exception is ever raised into the thread, and only between `armed` and `done`
    (both set under the lock); one still pending at `done` is withdrawn."""
    if not limit:
        return run()
    from rolereport.jobs.executors.local import grace

    tid, lock = threading.get_ident(), threading.Lock()
    state = {"armed": False, "done": False, "fired": False}

    def expire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                if state["armed"]:
                    _raise_in(tid, _Expired)

    def kill() -> None:
        with lock:
            if state["done"]:
                return
        try:
            get_worker().log_event(_TIMEOUT_TOPIC, {"key": key, "limit": limit})
            time.sleep(1.0)  # let the event reach the scheduler
        finally:
            os.kill(os.getpid(), signal.SIGKILL)

    timers = [threading.Timer(limit, expire), threading.Timer(limit + grace(limit), kill)]
    for t in timers:
        t.daemon = True
        t.start()
    outcome: Outcome | None = None
    raised = False
    while True:
        try:
            with lock:
                state["armed"] = not state["fired"]
            if state["armed"] and outcome is None and not raised:
                outcome = run()
            with lock:
                state["done"] = True
                if state["fired"] and state["armed"] and not raised:
                    _raise_in(tid, None)  # withdraw it: not raised yet
            break
        except _Expired:
            raised = True
    for t in timers:
        t.cancel()
    if state["fired"] or outcome is None:
        return Outcome(key, error=_timeout_message(limit))
    return outcome


def _timeout_message(limit: float) -> str:
    return timeout_error("", limit, "person").problems[0].message


def run_task(plugin_name: str, task: Task) -> Outcome:
    """The task body: build one person with the worker's loaded state."""
    worker = get_worker()
    plugin = worker.plugins.get(plugin_name)
    if plugin is None or plugin.state is None:
        reason = plugin.error if plugin is not None and plugin.error else \
            f"worker {worker.address} has not loaded the batch's set-up"
        return Outcome(task.key, error=reason, extra={"setup": "failed"})
    from rolereport.jobs.executors import worker as shared

    state = plugin.state
    limit = state.spec.timeout if state.spec.timeout is not None else render_timeout()
    outcome = _within(limit, task.key, lambda: shared.build(state, task))
    if task.folder is not None and outcome.outputs is not None:  # --write-on workers
        outcome = _write_here(Path(task.folder), outcome, worker.address)
    return replace(outcome, extra={**outcome.extra, "worker": worker.address})


def _write_here(folder: Path, outcome: Outcome, where: str) -> Outcome:
    """The person's files written by this worker, all or none; the client writes the stamp."""
    from rolereport.jobs.folders import file_info
    from rolereport.jobs.outputs import write_all
    from rolereport.render.formats import file_name

    assert outcome.outputs is not None
    try:
        write_all({folder / file_name(fmt): data for fmt, data in outcome.outputs.items()})
    except RoleReportError as exc:
        return replace(outcome, outputs=None, error=f"on worker {where}: " + " | ".join(map(str, exc.problems)))
    files = {fmt: file_info(file_name(fmt), data) for fmt, data in outcome.outputs.items()}
    return replace(outcome, outputs=None, files=files)


def _sees(path: str) -> bool:
    return os.path.isfile(path)


# ---- client side ------------------------------------------------------------------------------------

class DaskExecutor:
    """The `Executor` protocol on a Dask cluster: one this process starts (`workers`) or the one
    at `scheduler` (an address such as tcp://host:8786 or tls://host:8786)."""

    def __init__(self, spec: WorkerSpec, *, scheduler: str | None = None, workers: int | None = None,
                 write_to: Path | None = None, say: Callable[[str], None] = print, debug: bool = False) -> None:
        if (scheduler is None) == (workers is None):
            raise ValueError("give either a scheduler address or a number of local workers")
        self.wait = wait_limit()
        self.cluster: LocalCluster | None = None
        self._say = say
        self._run_id = uuid.uuid4().hex[:8]
        self._keys: dict[str, str] = {}  # dask key -> task key
        self._futures: dict[str, Any] = {}  # dask key -> future, until its outcome is handed back
        self._buffer: list[Task] = []
        self._cancelled: set[str] = set()
        self._threads = 0
        self.write_to = write_to.resolve() if write_to is not None else None  # the same path on every worker
        self._quiet(debug)
        self.client = self._connect(scheduler, workers)
        try:
            self.address = self.client.scheduler.address
            self._check_scheduler()
            self._name = "rolereport-" + hashlib.sha256(pickle.dumps(spec)).hexdigest()[:16]
            plugin = StatePlugin(spec, self._name, rolereport.__version__, own_cluster=self.cluster is not None)
            try:
                self.client.register_plugin(plugin, name=self._name)
            except SetupFailed as exc:
                raise ClusterError(Problem(spec.source or "the source", f"the workers cannot load the batch's "
                                           f"set-up, so no one was built: {exc}")) from None
            if self.write_to is not None:
                self._check_shared(self.write_to)
            self._ac = as_completed(with_results=True, raise_errors=False, loop=self.client.loop)
            self._since_workers = time.monotonic()
            self._workers()
        except BaseException:
            self.close(now=True)
            raise
        link = self._dashboard()
        where = f"a local cluster of {workers} worker processes" if self.cluster else self.address
        say(f"running on {where}" + (f"; dashboard: {link}" if link else ""))

    # -- set-up --

    def _quiet(self, debug: bool) -> None:
        log = logging.getLogger("distributed")
        self._log_level = log.level
        if not debug:  # every fault is reported per person or once; distributed's own log repeats it
            log.setLevel(logging.CRITICAL)

    def _connect(self, scheduler: str | None, workers: int | None) -> Client:
        client, self.cluster = connect(scheduler, workers, self.wait)
        return client

    def _check_scheduler(self) -> None:
        self._has_dashboard = check_scheduler(self.client, self.address, own=self.cluster is not None)

    def _check_shared(self, out: Path) -> None:
        """--write-on workers: every worker must see this very folder (a shared mount)."""
        probe = fresh_file(out, f".rolereport-probe-{self._run_id}-")  # never a file planted there
        try:
            seen = self.client.run(_sees, str(probe), on_error="return")
        finally:
            probe.unlink(missing_ok=True)
        blind = sorted(w for w, ok in seen.items() if ok is not True)
        if blind or not seen:
            raise ClusterError(Problem(str(out), f"--write-on workers needs an --out every worker sees at this "
                                       f"path; {', '.join(blind) or 'no worker'} cannot; mount it there or let "
                                       "the client write (leave out --write-on)"))

    def _dashboard(self) -> str:
        """The dashboard's address where there is one (it needs bokeh beside the scheduler)."""
        if not self._has_dashboard:
            return ""
        try:
            services = self.client.scheduler_info(n_workers=0).get("services", {})
            return str(self.client.dashboard_link) if "dashboard" in services else ""
        except Exception:
            return ""

    # -- the Executor protocol --

    def submit(self, task: Task) -> None:
        if self.write_to is not None:
            task = replace(task, folder=str(self.write_to / task.key))
        self._buffer.append(task)
        if len(self._buffer) >= 500:
            self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        tasks, self._buffer = self._buffer, []
        # One task group on the dashboard ("rolereport": the run id is 8 hex digits), the person last.
        keys = [f"rolereport-{self._run_id}-{t.key}" for t in tasks]
        futures = self.client.map(run_task, [self._name] * len(tasks), tasks, key=keys, pure=False)
        for key, task, fut in zip(keys, tasks, futures, strict=True):
            self._keys[key], self._futures[key] = task.key, fut
        self._ac.update(futures)

    def completed(self, timeout: float) -> list[Outcome]:
        self._flush()
        ready = self._ac.next_batch(block=False)
        if not ready and self._futures:
            with self._ac.thread_condition:
                self._ac.thread_condition.wait(timeout)
            ready = self._ac.next_batch(block=False)
        outcomes = []
        for fut, result in ready:
            key = fut.key
            self._futures.pop(key, None)
            if key in self._cancelled:
                continue
            outcomes.append(self._outcome(key, fut.status, result))
        self._watch(outcomes)
        return outcomes

    def _outcome(self, key: str, status: str, result: Any) -> Outcome:
        person = self._keys[key]
        if status == "finished" and isinstance(result, Outcome):
            if result.extra.get("setup") == "failed":
                self.cancel_pending()
                raise ClusterError(Problem(self.address, f"a worker cannot load the batch's set-up, so the "
                                           f"batch stopped: {result.error}"))
            return result
        if status == "cancelled":  # not by us: the client lost the scheduler
            raise ClusterError(Problem(self.address, "lost the connection to the Dask scheduler; the people "
                                       "built so far are complete, run the batch again for the rest"))
        exc = result[1] if isinstance(result, tuple) and len(result) == 3 else result
        if isinstance(exc, KilledWorker):
            tries = exc.allowed_failures + 1
            why = f"the renderer crashed: the worker process building this person died {tries} times"
            if self._timed_out(key):
                why = (f"building this person passed the time limit and its worker had to be stopped "
                       f"({tries} times)")
            return Outcome(person, error=f"{why}, on different workers; the others were built",
                           crashed=True, attempts=tries)
        return Outcome(person, error=f"{type(exc).__name__}: {exc}")

    def _timed_out(self, key: str) -> bool:
        try:
            events = self.client.get_events(_TIMEOUT_TOPIC)
        except Exception:
            return False
        return any(isinstance(msg, dict) and msg.get("key") == self._keys[key] for _, msg in events)

    def _watch(self, outcomes: list[Outcome]) -> None:
        """Never hang: no scheduler, or no workers while people wait, for longer than `wait` s."""
        if self.client.status not in ("running", "connecting"):
            raise ClusterError(Problem(self.address, "the connection to the Dask scheduler is closed; the "
                                       "people built so far are complete, run the batch again for the rest"))
        now = time.monotonic()
        if outcomes or not self._futures or self._workers() > 0:
            self._since_workers = now
        elif now - self._since_workers > self.wait:
            raise ClusterError(Problem(self.address, f"no Dask worker for {self.wait:g} s while "
                                       f"{len(self._futures)} people wait; start workers with 'dask worker "
                                       f"{self.address}' (set {WAIT_ENV} to wait longer)"))

    def _workers(self) -> int:
        """Worker threads the scheduler knows of (also kept for `in_progress`)."""
        try:
            workers = self.client.scheduler_info(n_workers=-1).get("workers", {})
            self._threads = sum(int(w.get("nthreads", 1)) for w in workers.values())
        except Exception:
            self._threads = 0
        return self._threads

    def in_progress(self) -> int:
        """People being built: no call to the cluster, since a signal handler asks (batch._Stop)."""
        live = len(self._futures)
        return live if self._cancelled else min(live, self._threads or live)

    def cancel_pending(self) -> list[str]:
        """Cancel every person not yet running on a worker (the scheduler's view)."""
        unsent, self._buffer = [t.key for t in self._buffer], []
        try:
            running = {k for keys in self.client.processing().values() for k in keys}
        except Exception:
            running = set()
        drop = [k for k in self._futures if k not in running]
        if drop:
            try:
                self.client.cancel([self._futures[k] for k in drop])
            except Exception:
                pass
        self._cancelled.update(drop)
        for k in drop:
            self._futures.pop(k, None)
        return unsent + [self._keys[k] for k in drop]

    def close(self, now: bool = False) -> None:
        client, cluster = getattr(self, "client", None), self.cluster
        if client is not None:
            try:
                if self._futures:
                    client.cancel(list(self._futures.values()), force=True)
                if cluster is None and getattr(self, "_name", None) and client.status == "running":
                    client.unregister_worker_plugin(self._name)  # free the state on a shared cluster
            except Exception:
                pass
            try:
                client.close(timeout=5)
            except Exception:
                pass
        if cluster is not None:
            if now:  # at once: the worker processes first, so no person in progress finishes later
                for nanny in list(cluster.workers.values()):
                    pid = getattr(getattr(nanny, "process", None), "pid", None)
                    if pid:
                        try:
                            os.kill(pid, signal.SIGKILL)
                        except OSError:
                            pass
            try:
                cluster.close(timeout=1 if now else 30)
            except Exception:
                pass
            self.cluster = None
        logging.getLogger("distributed").setLevel(self._log_level)
