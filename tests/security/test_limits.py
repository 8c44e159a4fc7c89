"""Every size and time limit answers with one line naming the file and the limit.

Profile value lengths and the profile file size are covered in tests/test_profile.py; this module
covers sources, DOCX expansion, rosters, themes, logos and the render timeout per document.
"""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from conftest import DEFAULT_SOURCE
from rolereport.errors import UsageError
from rolereport.inputs import roster, theme
from rolereport.sources import MAX_DOCX_UNPACKED_BYTES, MAX_SOURCE_BYTES
from rolereport.system import pandoc as pandoc_runner
from rolereport.system.deadline import ENV, deadline, render_timeout


def one_line(err: str, file) -> str:  # noqa: ANN001
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"rolereport: {file}"), err
    return lines[0]


def test_source_size_limit(cli, tmp_path):
    page = tmp_path / "huge.txt"
    with page.open("wb") as fh:
        fh.truncate(MAX_SOURCE_BYTES + 1)  # sparse: the size is checked before anything is read
    code, _, err = cli("extract", page)
    assert code == 2
    line = one_line(err, page)
    assert f"{MAX_SOURCE_BYTES + 1:,} bytes" in line and f"limited to {MAX_SOURCE_BYTES:,} bytes" in line


def test_docx_that_expands_too_far(cli, tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<" + b" " * (MAX_DOCX_UNPACKED_BYTES + 1) + b"/>")
    page = tmp_path / "bomb.docx"
    page.write_bytes(buf.getvalue())
    assert page.stat().st_size < MAX_SOURCE_BYTES  # small on disk, huge when opened
    code, _, err = cli("extract", page)
    assert code == 2
    assert f"limited to {MAX_DOCX_UNPACKED_BYTES:,} bytes unpacked" in one_line(err, page)


def test_roster_row_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(roster, "MAX_ROSTER_ROWS", 3)
    path = tmp_path / "staff.csv"
    path.write_text("name\n" + "".join(f"Person {i}\n" for i in range(4)), encoding="utf-8")
    entries = roster.expand([path])
    bad = [e for e in entries if e.problems]
    assert len(bad) == 1
    assert str(bad[0].problems[0]) == f"{path}: more than 3 people; split the roster"


def test_roster_row_limit_default_is_stated():
    assert roster.MAX_ROSTER_ROWS == 5000 and roster.MAX_ROSTER_BYTES == 20 * 1024 * 1024


def test_roster_size_limit(tmp_path):
    path = tmp_path / "staff.csv"
    with path.open("wb") as fh:
        fh.write(b"name\nA\n")
        fh.truncate(roster.MAX_ROSTER_BYTES + 1)
    (entry,) = roster.expand([path])
    assert str(entry.problems[0]) == f"{path}: the roster is larger than 20 MB; split it"


def test_roster_cell_over_a_profile_limit_fails_that_row_only(cli, tmp_path):
    from rolereport.inputs.profile import MAX_NAME_CHARS

    path = tmp_path / "staff.csv"
    path.write_text(f"name,interests\n{'x' * (MAX_NAME_CHARS + 1)},data\nAda,data\n", encoding="utf-8")
    code, out, _ = cli("batch", path, "--out", tmp_path / "o", "--format", "xlsx", "--plain", "--jobs", "1")
    assert code == 1
    failed = [line for line in out.splitlines() if "failed" in line and "row 2" in line]
    assert failed and f"a name may be at most {MAX_NAME_CHARS}" in failed[0]
    assert "1 built" in out.splitlines()[-1]


def test_theme_file_size_limit(cli, tmp_path):
    path = tmp_path / "theme.toml"
    path.write_text('organisation = "Org"\n# ' + "x" * 70_000 + "\n", encoding="utf-8")
    code, _, err = cli("report", "--theme", path, "--out", tmp_path / "o", "--format", "html")
    assert code == 2
    assert "a theme may be at most 65,536 bytes" in one_line(err, path)


def test_logo_size_limit(cli, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * theme.MAX_LOGO_BYTES)
    path = tmp_path / "theme.toml"
    path.write_text('logo = "logo.png"\n', encoding="utf-8")
    code, _, err = cli("report", "--theme", path, "--out", tmp_path / "o", "--format", "html")
    assert code == 2
    assert f"keep it under {theme.MAX_LOGO_BYTES:,}" in one_line(err, path)


# --- the render timeout per document ----------------------------------------------------------------


def test_render_timeout_setting(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    assert render_timeout() == 120
    monkeypatch.setenv(ENV, "2.5")
    assert render_timeout() == 2.5
    monkeypatch.setenv(ENV, "0")
    assert render_timeout() is None
    for bad in ("soon", "-1", "nan"):
        monkeypatch.setenv(ENV, bad)
        with pytest.raises(UsageError, match=f"{ENV}: '{bad}' is not a number of seconds"):
            render_timeout()


def test_bad_timeout_setting_is_one_line(cli, tmp_path, monkeypatch):
    monkeypatch.setenv(ENV, "soon")
    code, _, err = cli("report", "--out", tmp_path / "o", "--format", "html", "--source", DEFAULT_SOURCE)
    assert code == 2
    one_line(err, ENV)


def test_pdf_layout_stops_at_the_timeout(cli, tmp_path, monkeypatch):
    """A layout that never ends (simulated) is stopped, the CLI says so, nothing is written."""
    import weasyprint

    def endless(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        for _ in range(400):  # bounded: without the timer this test fails instead of hanging
            time.sleep(0.025)
        raise AssertionError("the render timeout did not stop the layout")

    monkeypatch.setattr(weasyprint.HTML, "render", endless)  # the engine lays out with render()
    monkeypatch.setenv(ENV, "3")  # well above what pandoc needs for the HTML, even on a busy machine
    out = tmp_path / "o"
    code, _, err = cli("report", "--out", out, "--format", "pdf", "--source", DEFAULT_SOURCE)
    assert code == 2
    line = one_line(err, "career-guide.pdf")
    assert "longer than the limit of 3 s per document" in line and ENV in line
    assert not out.exists() or not any(out.iterdir())


def test_pandoc_stops_at_the_timeout(cli, tmp_path, monkeypatch):
    """A pandoc that never answers is killed at the timeout."""
    fake = tmp_path / "pandoc"
    fake.write_text("#!/bin/sh\nexec sleep 30\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(pandoc_runner, "pandoc_path", lambda: str(fake))
    monkeypatch.setenv(ENV, "0.3")
    code, _, err = cli("report", "--out", tmp_path / "o", "--format", "docx", "--source", DEFAULT_SOURCE)
    assert code == 2
    line = one_line(err, "pandoc (docx)")
    assert "longer than the limit of 0.3 s per document" in line


def test_pathological_markdown_source_stops_at_the_timeout(cli, tmp_path, monkeypatch):
    """pandoc's Markdown reader takes exponential time on a run of "[" (40 would take days)."""
    page = tmp_path / "brackets.md"
    page.write_text("[" * 40 + "\n", encoding="utf-8")
    monkeypatch.setenv(ENV, "0.5")
    code, _, err = cli("extract", page)
    assert code == 2
    line = one_line(err, page)
    assert "longer than the limit of 0.5 s to read it as markdown" in line and ENV in line


def test_the_same_text_inside_a_profile_renders_quickly(tmp_path, monkeypatch):
    """Values are escaped before they reach pandoc, so the same run of "[" is harmless there."""
    from render.helpers import report_for
    from rolereport.model import Profile
    from rolereport.render import docx
    from rolereport.render.context import Context

    monkeypatch.setenv(ENV, "30")
    person = Profile(name="[" * 40, interests=("[" * 40,), goals="[" * 200)
    data = docx.render(report_for(DEFAULT_SOURCE, person), Context.create())
    assert data.startswith(b"PK")


def test_deadline_restores_the_previous_alarm_handler(monkeypatch):
    import signal

    monkeypatch.setenv(ENV, "5")
    before = signal.getsignal(signal.SIGALRM)
    with deadline("x"):
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_pandoc_at_its_memory_limit_is_one_line(cli, tmp_path, monkeypatch):
    """pandoc runs with a heap limit (+RTS -M, ROLEREPORT_PANDOC_MEMORY): reaching it is said as such."""
    fake = tmp_path / "pandoc"
    fake.write_text("#!/bin/sh\necho 'pandoc: Heap exhausted;' >&2\nexit 251\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(pandoc_runner, "pandoc_path", lambda: str(fake))
    monkeypatch.setenv(pandoc_runner.MEMORY_ENV, "200")
    code, _, err = cli("report", "--out", tmp_path / "o", "--format", "docx", "--source", DEFAULT_SOURCE)
    assert code == 2
    line = one_line(err, "pandoc (docx)")
    assert "memory limit of 200 MB" in line and pandoc_runner.MEMORY_ENV in line


def test_bad_pandoc_memory_setting_is_one_line(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("ROLEREPORT_PANDOC_MEMORY", "lots")
    code, _, err = cli("report", "--out", tmp_path / "o", "--format", "docx", "--source", DEFAULT_SOURCE)
    assert code == 2
    assert "'lots' is not a number of megabytes" in one_line(err, "ROLEREPORT_PANDOC_MEMORY")
