"""The lock decides, not the index: a fresh venv installed by the Makefile's own sync gets the locked
version even when the index has published a newer release of a dependency that another one asks for
*with an extra* (the case that broke every fresh install when fonttools[woff] got a new release).

Everything is offline: a PEP 503 index of hand-made wheels served on 127.0.0.1, a toy project locked
against it, then a newer release added to the index before the install. As a control, the install
method the Makefile used before (pip --require-hashes over an exported lock) is run on the same index
and shown to fail, so this test can tell the two apart.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import http.server
import os
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

UV = ROOT / ".tools" / "uv" / "bin" / "uv"


def _wheel(folder: Path, name: str, version: str, requires=(), extras=None) -> Path:
    """Write a minimal pure-Python wheel (METADATA, WHEEL, RECORD) as any build backend would."""
    info = f"{name}-{version}.dist-info"
    meta = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    meta += [f"Requires-Dist: {r}" for r in requires]
    for extra, reqs in (extras or {}).items():
        meta.append(f"Provides-Extra: {extra}")
        meta += [f'Requires-Dist: {r}; extra == "{extra}"' for r in reqs]
    files = {f"{name}/__init__.py": f'VERSION = "{version}"\n', f"{info}/METADATA": "\n".join(meta) + "\n",
             f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(text)}")
    files[f"{info}/RECORD"] = "\n".join(record + [f"{info}/RECORD,,"]) + "\n"
    target = folder / name / f"{name}-{version}-py3-none-any.whl"
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    _write_index(folder / name)
    return target


def _write_index(project: Path) -> None:
    links = "".join(f'<a href="{w.name}#sha256={hashlib.sha256(w.read_bytes()).hexdigest()}">{w.name}</a>\n'
                    for w in sorted(project.glob("*.whl")))
    (project / "index.html").write_text(f"<html><body>\n{links}</body></html>\n", encoding="utf-8")


@contextlib.contextmanager
def _serve(folder: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UV_", "PIP_", "VIRTUAL_ENV"))}
    env.update(UV_CACHE_DIR=str(tmp / "uv-cache"), PIP_CONFIG_FILE=os.devnull, PIP_NO_CACHE_DIR="1",
               UV_NO_CONFIG="1", MAKEFLAGS="")
    return env


@pytest.fixture
def toy(tmp_path):
    """A project locked against an index holding pkgb 1.0; then pkgb 2.0 is published."""
    if not UV.exists():
        pytest.fail(f"{UV} is missing: `make test` bootstraps it (requirements-uv.txt)")
    index = tmp_path / "simple"
    _wheel(index, "pkgc", "1.0")
    _wheel(index, "pkgb", "1.0", extras={"x": ["pkgc"]})
    _wheel(index, "pkga", "1.0", requires=["pkgb[x]>=1"])  # asks for its dependency with an extra
    project = tmp_path / "toy"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        '[project]\nname = "toy"\nversion = "0"\nrequires-python = ">=3.11"\ndependencies = ["pkga"]\n'
        '[tool.uv]\npackage = false\n', encoding="utf-8")
    env = _env(tmp_path)
    with _serve(index) as url:
        subprocess.run([UV, "lock", "--quiet", "--default-index", url], cwd=project, env=env, check=True)
        _wheel(index, "pkgb", "2.0", extras={"x": ["pkgc"]})  # published after the lock was made
        yield project, url, env


def _installed(venv: Path, package: str) -> str:
    return subprocess.run([venv / "bin" / "python", "-c", f"import {package}; print({package}.VERSION)"],
                          capture_output=True, text=True, check=True).stdout.strip()


def test_makefile_sync_installs_the_locked_version_not_the_newest(toy):
    project, _, env = toy
    venv = project / ".venv"
    settings = [f"UV={UV}", f"UV_REQ={ROOT / 'requirements-uv.txt'}", f"VENV={venv}", "NOTO_CHECK=true",
                f"PYTHON={sys.executable}"]
    run = subprocess.run(["make", "--no-print-directory", "-f", ROOT / "Makefile", "-C", project, "venv-sync",
                          *settings], capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert _installed(venv, "pkgb") == "1.0"
    assert _installed(venv, "pkgc") == "1.0"


def test_the_former_install_method_fails_on_the_same_index(toy, tmp_path):
    """The control: what `make` did before (pip --require-hashes over the exported lock) breaks here."""
    project, url, env = toy
    exported = tmp_path / "requirements.lock"
    subprocess.run([UV, "export", "--frozen", "--quiet", "--no-emit-project", "-o", exported],
                   cwd=project, env=env, check=True)
    venv = tmp_path / "former"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True, env=env)  # pip as venv ships it
    run = subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--index-url", url,
                          "--require-hashes", "-r", exported], capture_output=True, text=True, env=env, timeout=300)
    installed = subprocess.run([venv / "bin" / "python", "-c", "import pkgb; print(pkgb.VERSION)"],
                               capture_output=True, text=True).stdout.strip()
    assert run.returncode != 0 or installed != "1.0", "the former method installs the lock: rethink the control"
