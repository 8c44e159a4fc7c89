"""A test-only seam into real batch workers: crash or stall one mid-batch.

`install()` wraps `rolereport.jobs.executors.local.run_task`; the wrapper reads
ROLEREPORT_TEST_WORKER_HOOK at each person, a comma-separated list of: `crash:KEY` (the worker kills
itself with SIGSEGV when given the person whose folder name is KEY), `crash-once:KEY` (only on the
first try), `sleep:KEY` (sleeps, to meet the time limit), `hang:KEY` (sleeps where the time limit's
timer cannot reach it), `pause:SECONDS` (before every person, so a signal can arrive mid-batch).

In-process tests get it from conftest.py (forked workers inherit the wrapper); a `rolereport`
subprocess gets it from sitecustomize.py beside this file, put on PYTHONPATH by tests/jobs/procs.py.
Nothing of this ships in the package.
"""

from __future__ import annotations

import os
import signal
import time

ENV = "ROLEREPORT_TEST_WORKER_HOOK"


def _act(key: str, attempt: int) -> None:
    for hook in os.environ.get(ENV, "").split(","):
        action, _, arg = hook.partition(":")
        if action == "pause":
            time.sleep(float(arg))
        elif arg != key:
            continue
        elif action == "crash" or (action == "crash-once" and attempt == 1):
            import faulthandler

            faulthandler.disable()  # a test runner's crash report would only be noise here
            os.kill(os.getpid(), signal.SIGSEGV)
        elif action == "sleep":
            time.sleep(3600)
        elif action == "hang":  # stuck where the per-person timer cannot reach, as in C code
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(3600)


def install() -> None:
    from rolereport.jobs.executors import local

    if getattr(local.run_task, "_test_hook", False):
        return
    real = local.run_task

    def run_task(state, task, attempt):  # type: ignore[no-untyped-def]
        _act(task.key, attempt)
        return real(state, task, attempt)

    run_task._test_hook = True  # type: ignore[attr-defined]
    local.run_task = run_task
