"""WeasyPrint's C declarations from the cache: the same PDF, faster, and never a risk."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from rolereport.render.pdf import ffi_cache

# A fresh process: imports WeasyPrint the way the CLI does and prints whether the cache was used.
PROBE = """
import sys
from rolereport.render.pdf import ffi_cache
from rolereport.render.pdf.engine import Engine
engine = Engine()
sys.stdout.write("used" if ffi_cache.used() else "normal")
sys.stdout.flush()
pdf = engine.layout("<p lang='en'>Operationalizing <b>responsibilities</b></p>", (), "file:///")
open(sys.argv[1], "wb").write(pdf)
"""


def probe(tmp_path: Path, cache: str, name: str) -> tuple[str, bytes]:
    out = tmp_path / f"{name}.pdf"
    env = {**os.environ, "ROLEREPORT_CACHE_DIR": cache}
    done = subprocess.run([sys.executable, "-c", PROBE, str(out)], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout, out.read_bytes()


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("weasyprint-ffi-*.py"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the cache is used on Linux only")
def test_installed_weasyprint_has_the_shape_the_cache_needs():
    """Guards the speed-up against a WeasyPrint upgrade that would silently turn it off."""
    found = ffi_cache._ffi_source()
    assert found is not None
    assert ffi_cache.without_inline_parse(found[1]) is not None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the cache is used on Linux only")
def test_first_run_stores_second_run_uses_same_pdf(tmp_path):
    cache = tmp_path / "cache"
    assert probe(tmp_path, str(cache), "first")[0] == "normal"
    [entry] = entries(cache)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    used, pdf = probe(tmp_path, str(cache), "second")
    assert used == "used"
    plain, plain_pdf = probe(tmp_path, "", "plain")
    assert plain == "normal" and not entries(tmp_path / "plain")
    assert pdf == plain_pdf


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the cache is used on Linux only")
def test_entry_others_may_write_is_not_used_and_is_replaced(tmp_path):
    cache = tmp_path / "cache"
    probe(tmp_path, str(cache), "first")
    [entry] = entries(cache)
    entry.chmod(0o666)
    assert probe(tmp_path, str(cache), "second")[0] == "normal"
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert probe(tmp_path, str(cache), "third")[0] == "used"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the cache is used on Linux only")
@pytest.mark.parametrize("text", [
    "not python at all (",
    "import os\nffi = os.system('touch {canary}')\n",
    "ffi = __import__('os').system('touch {canary}')\n",
    "import _cffi_backend\nffi = _cffi_backend.FFI('x', _version=0x2601, _types=b'', _globals=())\n",
])
def test_a_broken_or_hostile_entry_is_never_run_and_falls_back(tmp_path, text):
    cache = tmp_path / "cache"
    probe(tmp_path, str(cache), "first")
    [entry] = entries(cache)
    canary = tmp_path / "canary"
    entry.write_text(text.format(canary=canary), encoding="utf-8")
    entry.chmod(0o600)
    _, plain_pdf = probe(tmp_path, "", "plain")
    used, pdf = probe(tmp_path, str(cache), "second")
    assert used == "normal" and pdf == plain_pdf
    assert not canary.exists()


def test_unwritable_cache_folder_is_no_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    used, pdf = probe(tmp_path, str(blocker / "cache"), "first")
    assert used == "normal" and pdf.startswith(b"%PDF")


def test_cache_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ROLEREPORT_CACHE_DIR", str(tmp_path))
    assert ffi_cache.cache_dir() == tmp_path
    monkeypatch.setenv("ROLEREPORT_CACHE_DIR", "")
    assert ffi_cache.cache_dir() is None
    monkeypatch.delenv("ROLEREPORT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert ffi_cache.cache_dir() == tmp_path / "xdg" / "rolereport"


def test_no_home_no_cache(monkeypatch):
    monkeypatch.delenv("ROLEREPORT_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: Path("~")))
    assert ffi_cache.cache_dir() is None
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert ffi_cache.cache_dir() is None
