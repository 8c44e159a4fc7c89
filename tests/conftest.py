from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from rolereport.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEFAULT_SOURCE = ROOT / "src" / "rolereport" / "data" / "ml-engineer-alternatives.txt"
CONTRACT = FIXTURES / "ml-engineer-alternatives.roles.json"


def pytest_configure(config):
    """The test-only worker hook is installed (tests/workerhook: it acts only where a test sets
    ROLEREPORT_TEST_WORKER_HOOK). The tests' processes keep WeasyPrint's declarations
    (render/pdf/ffi_cache.py) in a folder of their own, not in the user's cache."""
    sys.path.insert(0, str(Path(__file__).resolve().parent / "workerhook"))
    import worker_hook

    worker_hook.install()
    folder = tempfile.mkdtemp(prefix="rolereport-test-cache-")
    config._rolereport_cache = folder
    os.environ["ROLEREPORT_CACHE_DIR"] = folder


def pytest_unconfigure(config):
    folder = getattr(config, "_rolereport_cache", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def load_json(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def cli(capsys):
    """Run the CLI in-process; returns (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


@pytest.fixture(autouse=True)
def _fixed_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01


# Which test modules are slow (many real documents, whole batches in subprocesses) and which need a
# program outside Python; `make test-fast` runs neither (-m "not slow and not external"), `make test`
# runs everything. Measured with `pytest --durations=0`; a module is slow past about 3 s.
SLOW = {"render/test_pdf_readers.py", "render/test_ffi_cache.py", "sources/test_corpus.py", "render/test_pdf.py",
        "render/test_sidecar.py", "security/test_limits.py", "text/test_writing_systems.py",
        "render/test_pdf_breaks.py", "render/test_fetch.py", "render/test_personal.py", "security/test_atomic.py",
        "security/test_hostile_outputs.py", "install/test_locked_install.py", "jobs/test_signals.py",
        "jobs/test_operations.py", "jobs/test_batch.py", "docs/test_quick_start.py", "cli/test_cli.py",
        "inputs/test_profile.py"}
EXTERNAL = {"jobs/test_dask.py", "send/test_send.py", "send/test_tls_auth.py", "send/test_real_batch.py",
            "render/test_html_layout.py", "docs/test_site.py"}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        rel = Path(item.fspath).resolve().relative_to(here).as_posix()
        if rel in SLOW:
            item.add_marker(pytest.mark.slow)
        if rel in EXTERNAL or any(m.name == "skipif" and "LibreOffice" in m.kwargs.get("reason", "")
                                  for m in item.iter_markers()):
            item.add_marker(pytest.mark.external)
