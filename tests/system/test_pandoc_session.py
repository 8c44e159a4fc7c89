"""One long-lived pandoc per process: the command line's bytes, without a new pandoc per conversion."""

from __future__ import annotations

import io
import multiprocessing
import subprocess
import threading
import zipfile

import pytest
from docx import Document

from conftest import ROOT
from rolereport.inputs.profile import load_profile
from rolereport.jobs.report import make_report
from rolereport.render import docx, html
from rolereport.render.context import Context
from rolereport.render.markdown import READER, write_ast
from rolereport.sources import read_source
from rolereport.system import pandoc_session
from rolereport.system.deadline import ENV as TIMEOUT


def _jane():
    guide, info = read_source(None)
    return make_report(guide, info, load_profile(ROOT / "examples" / "profiles" / "jane-doe.yaml"))


def _outputs(report, monkeypatch, session: bool) -> tuple[bytes, str]:
    monkeypatch.setenv(pandoc_session.ENV, "1" if session else "0")
    ctx = Context.create()
    return docx.render(report, ctx), html.guide_html(report, ctx)


def test_the_session_makes_the_commands_bytes(monkeypatch):
    report = _jane()
    asked = []
    real = pandoc_session.convert
    monkeypatch.setattr(pandoc_session, "convert", lambda *a, **k: asked.append(a[1]) or real(*a, **k))
    by_command = _outputs(report, monkeypatch, session=False)
    by_session = _outputs(report, monkeypatch, session=True)
    assert by_session == by_command
    assert {"json", "html5", "docx"} <= set(asked)
    text = [p.text for p in Document(io.BytesIO(by_session[0])).paragraphs]
    assert "Prepared for Jane Doe" in text
    assert "Your best matches" in by_session[1]


def test_a_document_with_an_image_is_written_by_the_sandboxed_command(monkeypatch, tmp_path):
    """pandoc fetches a DOCX's images while writing it: only the sandboxed command may."""
    secret = tmp_path / "secret.png"
    secret.write_bytes((ROOT / "docs" / "images" / "guide-pages.png").read_bytes())
    monkeypatch.setattr(pandoc_session, "convert", lambda *a, **k: pytest.fail("the session was asked"))
    image = {"t": "Image", "c": [["", [], []], [{"t": "Str", "c": "logo"}], [str(secret), ""]]}
    document = {"pandoc-api-version": [1, 23, 1, 1], "meta": {},
                "blocks": [{"t": "Para", "c": [image]}]}
    data = write_ast(document, "docx")
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert not [n for n in names if n.startswith("word/media/")]  # the sandbox kept the file out
    assert "logo" in Document(io.BytesIO(data)).paragraphs[0].text


def test_an_overrun_kills_the_session_and_the_next_request_starts_another(monkeypatch):
    monkeypatch.setenv(TIMEOUT, "0.5")
    with pytest.raises(subprocess.TimeoutExpired):  # pandoc's Markdown reader on a run of "["
        pandoc_session.convert(READER, "json", b"[" * 40, {}, {})
    assert pandoc_session._state["proc"] is None
    out = pandoc_session.convert(READER, "html5", b"*fine*", {}, {})
    assert out == b"<p><em>fine</em></p>\n"


def test_another_thread_gets_no_session_while_one_is_converting(monkeypatch):
    pandoc_session.convert(READER, "html5", b"warm", {}, {})
    answers: list[bytes | None] = []
    with pandoc_session._lock:  # as while this thread's conversion runs
        worker = threading.Thread(target=lambda: answers.append(
            pandoc_session.convert(READER, "html5", b"x", {}, {})))
        worker.start()
        worker.join()
    assert answers == [None]  # that thread runs the command instead


def _session_pid(_: int) -> int:
    pandoc_session.convert(READER, "html5", b"x", {}, {})
    return pandoc_session._state["proc"].pid


def test_a_forked_worker_starts_its_own_session():
    mine = _session_pid(0)
    with multiprocessing.get_context("fork").Pool(1) as pool:
        theirs = pool.map(_session_pid, [0])[0]
    assert theirs != mine
    assert pandoc_session._state["proc"].pid == mine and pandoc_session._state["proc"].poll() is None


def test_a_pandoc_without_a_usable_lua_leaves_every_conversion_to_the_command(monkeypatch, tmp_path):
    from rolereport.system import pandoc

    fake = tmp_path / "pandoc"
    fake.write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(pandoc, "pandoc_path", lambda: str(fake))
    assert pandoc_session.convert(READER, "html5", b"x", {}, {}) is None
    assert str(fake) in pandoc_session._state["broken"]


def test_the_session_pandoc_dies_with_its_process(tmp_path):
    """Bounded like every pandoc run (its heap limit and an address-space backstop), and gone when the
    process that started the session is killed with kill -9 (its parent-death signal, or the end of
    its input)."""
    import os
    import signal
    import sys
    import time

    script = ("from rolereport.system import pandoc_session as s\n"
              "assert s.convert('markdown', 'html5', b'*x*', {}, {}) is not None\n"
              "print(s._state['proc'].pid, flush=True)\n"
              "import time; time.sleep(60)\n")
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        pid = int(child.stdout.readline())
        assert "+RTS" in open(f"/proc/{pid}/cmdline", "rb").read().decode(errors="replace").replace("\0", " ")
        limits = open(f"/proc/{pid}/limits").read()
        address = next(line for line in limits.splitlines() if line.startswith("Max address space"))
        assert "unlimited" not in address.split()[3], address  # the same backstop as every pandoc run
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        for _ in range(100):  # the kernel's parent-death signal, then init reaps it
            try:
                state = open(f"/proc/{pid}/stat").read().split(")")[-1].split()[0]
            except FileNotFoundError:
                break
            if state == "Z":
                break
            time.sleep(0.05)
        else:
            os.kill(pid, signal.SIGKILL)
            raise AssertionError("the session's pandoc outlived the process that started it")
    finally:
        if child.poll() is None:
            child.kill()
