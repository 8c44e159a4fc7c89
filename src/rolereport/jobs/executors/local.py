"""The local executor: worker processes forked on this machine, each loading everything once.

Each worker is forked by the batch's main thread, runs `worker.setup(spec)` once (templates,
fonts, renderers, the parsed source; then `gc.freeze`), says it is ready, and then builds one
person at a time with `worker.build(state, task)`, sending the rendered bytes back through its
pipe. The parent writes every file; a worker never touches the output folder.

What a real server does to processes, and what happens then:
- **A worker dies** (a segfault in a C library, the out-of-memory killer, a stray `kill`): only the
  person it held fails, and only after a second try on a freshly started worker; a replacement
  worker is started so the batch goes on at full width. A person whose retry died too fails with
  "the renderer crashed (signal N)".
- **A person takes too long**: `worker.build` enforces the per-person limit itself
  (`ROLEREPORT_RENDER_TIMEOUT`, or the spec's `timeout`). Should the worker be stuck where that
  timer cannot reach (inside C code), the parent kills it after the limit plus a grace period and
  fails that person alone (no retry: it would hang again).
- **The parent goes away**, however it ends (even SIGKILL): every worker asked the kernel to kill
  it when its parent dies (`PR_SET_PDEATHSIG`, Linux) and also watches a pipe that only the parent
  holds open, exiting when it reads end-of-file (every platform with `fork`).
- **Signals to the whole process group** (Ctrl-C, a terminal hang-up, `kill -TERM -PGID`):
  workers ignore SIGINT, SIGTERM and SIGHUP; the parent decides how to stop (`rolereport.jobs.batch`).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, Pipe, wait
from typing import Any

from rolereport.errors import Problem, RoleReportError
from rolereport.jobs.executors import Outcome, Task, WorkerSpec, worker

_PR_SET_PDEATHSIG = 1


def _limit(spec: WorkerSpec) -> float | None:
    if spec.timeout is not None:
        return spec.timeout or None
    from rolereport.system.deadline import render_timeout

    return render_timeout()


def grace(limit: float) -> float:
    """How long past the per-person limit the parent waits before killing a stuck worker."""
    return max(5.0, limit / 4)


def crash_message(status: int) -> str:
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        return f"the renderer crashed (signal {-code})"
    return f"the renderer process ended unexpectedly (exit status {code})"


# ---- the worker process ----------------------------------------------------------------------------

def _die_with_parent(parent: int, lifeline: int) -> None:
    """Never outlive the batch: the kernel's parent-death signal where there is one, and a
    watchdog thread that exits once the parent's end of `lifeline` is closed (it never writes)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watchdog below still stops us
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)

    def watch() -> None:
        try:
            while os.read(lifeline, 1):
                pass
        except OSError:
            pass
        os._exit(1)

    threading.Thread(target=watch, name="rolereport-watchdog", daemon=True).start()


def run_task(state: worker.State, task: Task, attempt: int) -> Outcome:
    """One person in this worker process (`attempt` 2 is the retry after a crash). The tests wrap
    this to crash or stall a real worker mid-batch."""
    return worker.build(state, task)


def _worker_main(spec: WorkerSpec, conn: Connection, parent: int, lifeline: int) -> None:
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN)  # the parent decides how the batch stops
    _die_with_parent(parent, lifeline)
    try:
        state = worker.setup(spec)
    except RoleReportError as exc:
        conn.send(("setup-failed", tuple(exc.problems)))
        return
    except BaseException:
        conn.send(("setup-failed", (Problem("worker", "could not start:\n" + traceback.format_exc()),)))
        return
    conn.send(("ready",))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        task, attempt = message
        conn.send(("done", run_task(state, task, attempt)))


def _fork_worker(spec: WorkerSpec, lifeline: tuple[int, int], close: Sequence[int]) -> tuple[int, Connection]:
    parent_end, child_end = Pipe(duplex=True)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # nothing buffered here may be written twice
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the worker: never return into the parent's code
        code = 0
        try:
            parent_end.close()
            for fd in (lifeline[1], *close):
                try:
                    os.close(fd)
                except OSError:
                    pass
            _worker_main(spec, child_end, parent, lifeline[0])
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    child_end.close()
    return pid, parent_end


# ---- the parent's side -----------------------------------------------------------------------------

@dataclass
class _Worker:
    pid: int
    conn: Connection
    ready: bool = False
    served: int = 0
    task: tuple[Task, int] | None = None  # the person being built and which try this is
    started: float = 0.0
    reserved: tuple[Task, int] | None = None  # a retry that waits for this fresh worker
    extra: dict[str, str] = field(default_factory=dict)


class LocalExecutor:
    """`jobs` forked workers; see the module's notes for what happens when things go wrong."""

    def __init__(self, spec: WorkerSpec, jobs: int, *, close_in_workers: Sequence[int] = ()) -> None:
        self.spec = spec
        self.jobs = max(1, jobs)
        self._close_in_workers = tuple(close_in_workers)
        self._limit = _limit(spec)
        self._queue: deque[tuple[Task, int]] = deque()
        self._workers: dict[int, _Worker] = {}
        self._done: list[Outcome] = []
        self._closing = False
        self._lifeline = os.pipe()  # workers read; only this process holds the write end
        for _ in range(self.jobs):
            self._start_worker()

    # -- the Executor protocol --

    def submit(self, task: Task) -> None:
        self._queue.append((task, 1))
        self._dispatch()

    def completed(self, timeout: float) -> list[Outcome]:
        end = time.monotonic() + max(0.0, timeout)
        while not self._done:
            now = time.monotonic()
            wait_for = end - now
            for w in self._workers.values():
                if w.task is not None and self._limit is not None:
                    wait_for = min(wait_for, w.started + self._limit + grace(self._limit) - now)
            if not self._workers:
                break
            by_conn = {w.conn: w for w in self._workers.values()}
            for conn in wait(list(by_conn), max(0.0, wait_for)):
                if by_conn[conn].pid in self._workers:  # not reaped while handling another
                    self._receive(by_conn[conn])
            self._stop_overdue()
            if time.monotonic() >= end:
                break
        done, self._done = self._done, []
        return done

    def in_progress(self) -> int:
        return sum(1 for w in self._workers.values() if w.task is not None)

    def cancel_pending(self) -> list[str]:
        keys = [task.key for task, _ in self._queue]
        self._queue.clear()
        for w in self._workers.values():
            if w.reserved is not None:
                keys.append(w.reserved[0].key)
                w.reserved = None
        return keys

    def close(self, now: bool = False) -> None:
        self._closing = True
        self._queue.clear()
        if not now:
            while self.in_progress():
                self.completed(1.0)
        for w in list(self._workers.values()):
            if now:
                self._kill(w)
            else:
                try:
                    w.conn.send(None)
                except OSError:
                    pass
        stop_by = time.monotonic() + 5
        for w in list(self._workers.values()):
            self._reap(w, block_until=stop_by)
        for fd in self._lifeline:
            try:
                os.close(fd)
            except OSError:
                pass
        self._lifeline = (-1, -1)

    # -- inside --

    def _start_worker(self, reserved: tuple[Task, int] | None = None) -> None:
        others = [w.conn.fileno() for w in self._workers.values()]
        pid, conn = _fork_worker(self.spec, self._lifeline, [*others, *self._close_in_workers])
        self._workers[pid] = _Worker(pid, conn, reserved=reserved)

    def _dispatch(self) -> None:
        for w in self._workers.values():
            if not w.ready or w.task is not None:
                continue
            if w.reserved is not None:
                job, w.reserved = w.reserved, None
            elif self._queue:
                job = self._queue.popleft()
            else:
                continue
            try:
                w.conn.send(job)
            except OSError:  # it just died: the end-of-file that follows retries the person
                pass
            w.task, w.started = job, time.monotonic()

    def _receive(self, w: _Worker) -> None:
        try:
            message = w.conn.recv()
        except (EOFError, OSError):
            self._lost(w, self._reap(w))
            return
        kind = message[0]
        if kind == "ready":
            w.ready = True
        elif kind == "done":
            outcome: Outcome = message[1]
            attempt = w.task[1] if w.task else 1
            w.task, w.served = None, w.served + 1
            if attempt > 1:
                outcome = replace(outcome, attempts=attempt)
            self._done.append(outcome)
        elif kind == "setup-failed":
            self.close(now=True)
            raise RoleReportError(list(message[1]))
        self._dispatch()

    def _lost(self, w: _Worker, status: int | None) -> None:
        """A worker died: retry its person once on a fresh worker, and keep the batch's width."""
        why = crash_message(status) if status is not None else "the renderer process vanished"
        if not w.ready and not self._closing:  # it died while loading: every other worker would too
            self.close(now=True)
            raise RoleReportError(Problem("worker", f"{why} while loading the templates, fonts and "
                                          "renderers; run again with --jobs 1 --debug"))
        retry = w.reserved
        if w.task is not None:
            task, attempt = w.task
            if attempt == 1:
                retry = (task, 2)
            else:
                self._done.append(Outcome(task.key, error=why, crashed=True, attempts=attempt))
        if self._closing:
            if retry is not None:
                self._done.append(Outcome(retry[0].key, error=why, crashed=True, attempts=retry[1] - 1))
            return
        self._start_worker(reserved=retry)

    def _stop_overdue(self) -> None:
        if self._limit is None:
            return
        now = time.monotonic()
        for w in list(self._workers.values()):
            if w.task is None or now - w.started < self._limit + grace(self._limit):
                continue
            task, attempt = w.task
            w.task = None
            self._kill(w)
            self._reap(w)
            self._done.append(Outcome(task.key, attempts=attempt, error=(
                f"rendering took longer than the limit of {self._limit:g} s per person and was stopped; "
                "simplify the input or raise ROLEREPORT_RENDER_TIMEOUT")))
            if not self._closing:
                self._start_worker()

    def _kill(self, w: _Worker) -> None:
        try:
            os.kill(w.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def _reap(self, w: _Worker, block_until: float | None = None) -> int | None:
        """Collect a finished worker's exit status (killing it if it will not end by `block_until`)."""
        self._workers.pop(w.pid, None)
        w.conn.close()
        status = None
        while True:
            try:
                pid, status = os.waitpid(w.pid, os.WNOHANG if block_until is not None else 0)
            except ChildProcessError:
                return None
            if pid or block_until is None:
                return status
            if time.monotonic() >= block_until:
                self._kill(w)
                block_until = None
            else:
                time.sleep(0.02)

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close(now=exc[0] is not None)
