"""Started by Python in a `rolereport` subprocess of the tests (PYTHONPATH): the worker hook, only
when a test asked for it (see worker_hook.py)."""

import os

if os.environ.get("ROLEREPORT_TEST_WORKER_HOOK"):
    import worker_hook

    worker_hook.install()
