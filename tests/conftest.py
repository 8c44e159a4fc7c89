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
