"""A single report renders on two cores; the result and the errors are those of a serial run."""

from __future__ import annotations

import time

import pytest

from rolereport.errors import TemplateError
from rolereport.jobs.report import make_report, render_all, render_beside
from rolereport.render.context import Context
from rolereport.render.pdf import sidecar
from rolereport.sources import read_source

pytestmark = pytest.mark.skipif(not sidecar.available(), reason="needs fork")


def test_sidecar_render_gives_the_same_bytes_as_serial():
    guide, info = read_source(None)
    formats = ("pdf", "docx", "xlsx", "html")
    with sidecar.PdfSidecar() as side:
        beside = render_beside(make_report(guide, info, None), Context.create(), formats, side)
    serial = render_all(make_report(guide, info, None), Context.create(), formats)
    assert list(beside) == list(formats)
    assert beside == serial


def test_a_warm_up_with_the_guides_stylesheet_changes_no_byte():
    from rolereport.render.html import print_page
    from rolereport.render.pdf import engine as weasy
    from rolereport.render.pdf.document import base_url

    guide, info = read_source(None)
    ctx = Context.create()
    page = print_page(make_report(guide, info, None), ctx)
    args = (page.html, ctx.allowed_dirs(), base_url(ctx))
    warmed = weasy.Engine()
    warmed.warm_up((page.css, ctx.allowed_dirs(), base_url(ctx), "en"))
    assert len(warmed._sheets) == 1  # parsed ahead, kept for the guide
    assert warmed.layout(*args, css=page.css) == weasy.Engine().layout(*args, css=page.css)
    assert len(warmed._sheets) == 1  # the guide's layout used the sheet parsed during the warm-up


def _css_template(tmp_path, css: str):
    folder = tmp_path / "tpl" / "html"
    folder.mkdir(parents=True)
    (folder / "print.css").write_text(css, encoding="utf-8")
    return tmp_path / "tpl"


def test_error_in_the_sidecar_is_the_serial_error(tmp_path):
    """The PDF's own error (a refused URL) comes back through the pipe as the same problem."""
    ctx = Context.create(_css_template(tmp_path, 'p { background: url("http://127.0.0.1:9/x.png") }\n'))
    report = make_report(*read_source(None), None)
    with pytest.raises(TemplateError) as serial:
        render_all(report, ctx, ("pdf",))
    with sidecar.PdfSidecar() as side, pytest.raises(TemplateError) as beside:
        render_beside(report, ctx, ("pdf", "docx"), side)
    assert [str(p) for p in beside.value.problems] == [str(p) for p in serial.value.problems]
    assert "refused to load" in str(beside.value.problems[0])


def test_sidecar_error_reaches_the_cli_user_as_one_line(cli, tmp_path):
    out = tmp_path / "out"
    code, _, err = cli("report", "--templates", _css_template(tmp_path, 'p { background: url("/etc/passwd") }\n'),
                       "--out", out)
    assert code == 2
    assert "refused to load" in err and "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())


def test_error_here_stops_the_sidecar_and_writes_nothing(cli, tmp_path):
    templates = tmp_path / "tpl" / "content"
    templates.mkdir(parents=True)
    (templates / "handout.md.j2").write_text("{% if %}\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = cli("report", "--templates", tmp_path / "tpl", "--out", out)
    assert code == 2
    assert "handout.md.j2: line 1: template syntax error" in err
    assert "Traceback" not in err
    assert not out.exists() or not any(out.iterdir()), "nothing may be written when a format fails"


def test_an_unused_sidecar_is_stopped_at_once():
    """Up to date, or a bad input: the sidecar is still importing WeasyPrint and is killed."""
    side = sidecar.PdfSidecar()
    process = side._process
    t = time.perf_counter()
    side.close()
    assert time.perf_counter() - t < 2
    assert not process.is_alive()


def test_up_to_date_rerun_stops_the_sidecar_unused(cli, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert cli("report", "--out", out)[0] == 0
    events = []
    real_layout, real_close = sidecar.PdfSidecar.layout, sidecar.PdfSidecar.close
    monkeypatch.setattr(sidecar.PdfSidecar, "layout",
                        lambda self, *a: events.append("layout") or real_layout(self, *a))
    monkeypatch.setattr(sidecar.PdfSidecar, "close",
                        lambda self: events.append("close") or real_close(self))
    code, stdout, _ = cli("report", "--out", out)
    assert code == 0 and "up to date" in stdout
    assert events == ["close"]  # started, given nothing to lay out, stopped


def test_no_sidecar_while_another_thread_runs(tmp_path):
    """Forking beside a running thread could copy a held lock into the sidecar: lay out here."""
    import threading

    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert not sidecar.available()
        assert sidecar.start() is None
        from rolereport.jobs.options import BuildOptions
        from rolereport.jobs.report import build_report

        built = build_report(BuildOptions(out=tmp_path, formats=("pdf",)))
        assert built.files[0].read_bytes().startswith(b"%PDF")
    finally:
        release.set()
        thread.join()
    assert sidecar.available()
