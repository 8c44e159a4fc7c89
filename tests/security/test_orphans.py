"""No pandoc outlives rolereport: a real `rolereport` process is killed with SIGKILL while its pandoc
works on a page that would keep it busy for days, and no pandoc (nor worker) is left running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROLEREPORT = Path(sys.executable).with_name("rolereport")


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            kids.setdefault(int(fields[1]), []).append(int(entry))
    return kids


def _descendants(pid: int) -> list[int]:
    kids, found, todo = _children(), [], [pid]
    while todo:
        for child in kids.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper does no work and holds no memory)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _wait_for(what, seconds: float):  # noqa: ANN001, ANN202
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        found = what()
        if found:
            return found
        time.sleep(0.05)
    return what()


@pytest.fixture
def slow_page(tmp_path) -> Path:
    page = tmp_path / "brackets.md"  # pandoc's Markdown reader takes exponential time on this
    page.write_text("[" * 40 + "\n", encoding="utf-8")
    return page


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table in /proc")
@pytest.mark.parametrize("command", ["extract", "batch"])
def test_killing_rolereport_leaves_no_pandoc(tmp_path, slow_page, command):
    env = {**os.environ, "ROLEREPORT_RENDER_TIMEOUT": "120"}
    if command == "extract":
        args = [str(ROLEREPORT), "extract", str(slow_page)]
    else:
        roster = tmp_path / "people.csv"
        roster.write_text("name,interests\nAnn Lee,data pipelines\nBo Chen,teaching\n", encoding="utf-8")
        args = [str(ROLEREPORT), "batch", str(roster), "--source", str(slow_page), "--out", str(tmp_path / "out"),
                "--format", "html", "--jobs", "2", "--plain"]
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    family: list[int] = []
    try:
        pandocs = _wait_for(lambda: [p for p in _descendants(proc.pid) if _name(p) == "pandoc"], 60)
        assert pandocs, "pandoc never started"
        family = _descendants(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        left = _wait_for(lambda: [p for p in family if not _alive(p)] == family or None, 10)
        assert left, f"still running after rolereport was killed: {[(p, _name(p)) for p in family if _alive(p)]}"
    finally:
        for pid in [proc.pid, *family, *_descendants(proc.pid)]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait(timeout=10)
