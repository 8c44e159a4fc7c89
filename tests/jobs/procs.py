"""Helpers for the batch tests that run real `rolereport batch` processes and signal them."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import FIXTURES
from rolereport.jobs.manifest import read_manifest

HOOKS = Path(__file__).resolve().parent.parent / "workerhook"
TINY = FIXTURES / "product-manager.txt"  # a small page: quick guides where the PDF is not the point
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}


def roster(path: Path, names: list[str], extra: str = "") -> Path:
    path.write_text("name,interests" + (",id" if extra else "") + "\n"
                    + "".join(f"{n},data{',' + extra + str(i) if extra else ''}\n" for i, n in enumerate(names)),
                    encoding="utf-8")
    return path


def start(*args: object, hook: str = "", **env: str) -> subprocess.Popen[str]:
    """A real `rolereport batch` in a session of its own (so its process group is its own)."""
    environ = {**ENV, **env}
    if hook:  # tests/workerhook: wraps the real workers' run_task (nothing of it ships)
        environ["ROLEREPORT_TEST_WORKER_HOOK"] = hook
        environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HOOKS), environ.get("PYTHONPATH", "")]))
    cmd = [sys.executable, "-m", "rolereport", "batch", *map(str, args), "--plain"]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env=environ)


def run(*args: object, **env: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "rolereport", "batch", *map(str, args), "--plain"]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, env={**ENV, **env})


def wait_for_line(proc: subprocess.Popen[str], text: str) -> list[str]:
    """Read the batch's progress lines until one contains `text`."""
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if text in line:
            return seen
    raise AssertionError(f"the batch ended before printing {text!r}: {''.join(seen)}")


def living(marker: str, pgid: int | None = None) -> list[int]:
    """Processes still running (zombies excluded) whose command line names `marker` or that are
    in process group `pgid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, group = fields[0], int(fields[3])
        if state in ("Z", "X"):
            continue
        if marker.encode() in cmdline or (pgid is not None and group == pgid):
            found.append(int(entry.name))
    return found


def none_left(marker: str, pgid: int | None = None, within: float = 5.0) -> list[int]:
    """Wait up to `within` seconds for every such process to be gone; returns any still there."""
    end = time.monotonic() + within
    while (left := living(marker, pgid)) and time.monotonic() < end:
        time.sleep(0.05)
    return left


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def complete_bundles(out: Path) -> set[str]:
    """The person folders holding a complete bundle; asserts that nothing visible is partial."""
    complete = set()
    for folder in sorted(p for p in out.iterdir() if p.is_dir()):
        stamp_file = folder / ".rolereport-inputs.json"
        stamp = json.loads(stamp_file.read_text(encoding="utf-8")) if stamp_file.exists() else None
        visible = [p for p in folder.iterdir() if not p.name.startswith(".")]
        for f in visible:
            if stamp and f.name in stamp["files"]:
                assert sha(f) == stamp["files"][f.name], f"{f} does not match its stamp"
            elif f.suffix == ".pdf":
                assert f.read_bytes().rstrip().endswith(b"%%EOF"), f"{f} is cut short"
        if stamp and all((folder / name).exists() for name in stamp["files"]):
            complete.add(folder.name)
    return complete


def manifest_matches_disk(out: Path) -> list[dict[str, str]]:
    """Every file the manifest lists is on disk with the size and checksum it gives."""
    rows = read_manifest(out / "manifest.csv")
    for row in rows:
        for key, value in row.items():
            if key.endswith("_file") and value:
                fmt = key[: -len("_file")]
                path = out / value
                assert path.is_file(), f"the manifest lists {value}, which is not there"
                assert sha(path) == row[f"{fmt}_sha256"], f"{value} does not match the manifest"
                assert path.stat().st_size == int(row[f"{fmt}_bytes"])
    return rows


def no_parts(out: Path) -> list[Path]:
    return list(out.rglob("*.part"))
