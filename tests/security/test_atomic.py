"""No failure loses or half-writes output: a report's files are replaced all together or not at all.

Each test first builds a good report, then makes the next run fail in a different way, and checks
what a person would find in the folder afterwards: the previous files, byte for byte, no
temporary files, and one clear line from the CLI (no traceback), with a non-zero exit code.
"""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path

import pytest

from conftest import DEFAULT_SOURCE
from rolereport.errors import OutputError, Problem, TemplateError
from rolereport.jobs import outputs
from rolereport.jobs.outputs import write_all

FORMATS = ("html", "docx", "xlsx")  # no PDF: quicker, and the write path is the same


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of the folder but the writers' lock (folderlock.py), which is no output."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != ".rolereport.lock"}


@pytest.fixture
def previous(cli, tmp_path):
    """A folder holding a good earlier report, and a second source page that changes every output."""
    out = tmp_path / "out"
    args = ["report", "--out", out, *[a for f in FORMATS for a in ("--format", f)]]
    code, _, err = cli(*args, "--source", DEFAULT_SOURCE)
    assert code == 0, err
    changed = tmp_path / "changed.txt"
    changed.write_text(DEFAULT_SOURCE.read_text(encoding="utf-8").replace("Data Engineer", "Data Wrangler"),
                       encoding="utf-8")
    return out, snapshot(out), [*args, "--source", changed]


def assert_untouched(out: Path, before: dict[str, bytes], err: str) -> None:
    assert snapshot(out) == before, "the previous outputs must stay exactly as they were"
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rolereport: "), err


def test_the_next_run_really_changes_every_file(cli, previous):
    out, before, args = previous
    code, _, err = cli(*args)
    assert code == 0, err
    after = snapshot(out)
    assert after.keys() == before.keys() and all(after[k] != before[k] for k in before)


def test_one_renderer_fails_after_the_others_succeeded(cli, previous, monkeypatch):
    out, before, args = previous
    from rolereport.render import xlsx

    def broken(report, ctx):
        raise TemplateError(Problem("role-matrix.xlsx", "simulated renderer failure"))

    monkeypatch.setattr(xlsx, "render", broken)
    code, _, err = cli(*args)
    assert code == 2
    assert_untouched(out, before, err)
    assert "simulated renderer failure" in err


def test_a_renderer_bug_is_one_line_too(cli, previous, monkeypatch):
    out, before, args = previous
    from rolereport.render import docx

    def buggy(report, ctx):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(docx, "render", buggy)
    code, _, err = cli(*args)
    assert code == 1
    assert_untouched(out, before, err)
    assert "unexpected error (ZeroDivisionError: division by zero)" in err and "--debug" in err


class _FullDisk(io.RawIOBase):
    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # noqa: ANN001
        raise OSError(errno.ENOSPC, "No space left on device")


def _fail_nth_write(monkeypatch, n: int, exc: BaseException | None = None) -> None:
    """The n-th file written through `outputs` fails while its bytes are written."""
    real = os.fdopen
    count = {"files": 0}

    def fdopen(fd, *a, **kw):  # noqa: ANN001, ANN202
        count["files"] += 1
        if count["files"] == n:
            if exc is not None:
                os.close(fd)
                raise exc
            os.close(fd)
            return io.BufferedWriter(_FullDisk())
        return real(fd, *a, **kw)

    monkeypatch.setattr(outputs.os, "fdopen", fdopen)


@pytest.mark.parametrize("n", [1, 2, 3, 4])  # each output, then the up-to-date stamp
def test_disk_full_while_writing_any_file_changes_nothing(cli, previous, monkeypatch, n):
    out, before, args = previous
    _fail_nth_write(monkeypatch, n)
    code, _, err = cli(*args)
    assert code == 2
    assert_untouched(out, before, err)
    assert "No space left on device" in err and str(out) in err


def test_interrupt_while_writing_changes_nothing(cli, previous, monkeypatch):
    out, before, args = previous
    _fail_nth_write(monkeypatch, 2, KeyboardInterrupt())
    code, _, err = cli(*args)
    assert code == 130
    assert_untouched(out, before, err)


def _as_unprivileged(args: list[object], home: Path) -> tuple[int, str]:
    """The command run by `nobody` (root ignores folder permissions, so as root the test drops them)."""
    import subprocess
    import sys

    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "ROLEREPORT_CACHE_DIR": str(home / "cache"),
           "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1767225600")}
    cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m", "rolereport",
           *map(str, args)]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    return done.returncode, done.stderr


@pytest.mark.skipif(os.name != "posix", reason="folder permissions are POSIX")
def test_read_only_output_folder(cli, previous, tmp_path):
    out, before, args = previous
    if os.geteuid() == 0:
        for folder in [tmp_path, *tmp_path.parents]:  # `nobody` must reach the folder and the new page
            if folder.stat().st_mode & 0o005 != 0o005:
                folder.chmod(folder.stat().st_mode | 0o005)
        home = tmp_path / "home"
        home.mkdir()
        os.chown(home, 65534, 65534)
        os.chown(out, 65534, 65534)
    out.chmod(0o555)
    try:
        code, err = _as_unprivileged(args, home) if os.geteuid() == 0 else cli(*args)[::2]
    finally:
        out.chmod(0o755)
    assert code == 2
    assert_untouched(out, before, err)
    assert "cannot write here" in err


def test_output_path_is_a_file(cli, tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("not a folder", encoding="utf-8")
    code, _, err = cli("report", "--out", blocker, "--format", "xlsx", "--source", DEFAULT_SOURCE)
    assert code == 2 and "Traceback" not in err
    assert err.startswith(f"rolereport: --out {blocker} is a file, not a folder")
    assert len(err.strip().splitlines()) == 1
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_write_all_stages_everything_before_replacing(tmp_path, monkeypatch):
    """The order of operations itself: no rename happens until every temporary file is written."""
    a, b = tmp_path / "a.bin", tmp_path / "b.bin"
    a.write_bytes(b"old a")
    b.write_bytes(b"old b")
    events: list[str] = []
    real_replace = os.replace
    monkeypatch.setattr(outputs.os, "replace", lambda s, d: (events.append(f"replace {Path(d).name}"),
                                                             real_replace(s, d)))
    real_fdopen = os.fdopen
    monkeypatch.setattr(outputs.os, "fdopen", lambda fd, *x, **k: (events.append("stage"),
                                                                  real_fdopen(fd, *x, **k))[1])
    write_all({a: b"new a", b: b"new b"})
    assert events == ["stage", "stage", "replace a.bin", "replace b.bin"]
    assert a.read_bytes() == b"new a" and b.read_bytes() == b"new b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.bin", "b.bin"]


def test_write_all_failure_is_an_output_error_naming_the_file(tmp_path, monkeypatch):
    _fail_nth_write(monkeypatch, 1)
    with pytest.raises(OutputError) as caught:
        write_all({tmp_path / "x.bin": b"data"})
    assert str(tmp_path / "x.bin") in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_device_or_pipe_is_never_replaced(cli, tmp_path):
    """`-o` naming a pipe (as /dev/stdout or /dev/null would be) writes into it; it is not renamed over.
    An atomic write never replaces what is not a regular file."""
    import stat
    import threading

    from rolereport.jobs.outputs import write_atomic

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()))
    reader.start()
    code, _, err = cli("schema", "-o", pipe)
    reader.join(timeout=30)
    assert code == 0, err
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode) and b'"title"' in got[0]
    with pytest.raises(OutputError, match="is not a regular file"):
        write_atomic(pipe, b"x")
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
