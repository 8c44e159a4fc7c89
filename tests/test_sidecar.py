"""A single report renders on two cores; the result and the errors are those of a serial run."""

from __future__ import annotations

from rolereport import sidecar
from rolereport.pipeline import make_report, render_all
from rolereport.render.context import Context
from rolereport.sources import read_source


def test_split_render_gives_the_same_bytes_as_serial():
    ctx = Context.create()
    guide, info = read_source(None)
    formats = ("pdf", "docx", "xlsx", "html")
    split = sidecar.render_split(lambda: make_report(guide, info, None), ctx, formats)
    serial = render_all(make_report(guide, info, None), Context.create(), formats)
    assert list(split) == list(formats)
    assert split == serial


def test_error_in_the_sidecar_reaches_the_user_as_is(cli, tmp_path):
    templates = tmp_path / "tpl" / "content"
    templates.mkdir(parents=True)
    (templates / "handout.md.j2").write_text("{% if %}\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = cli("report", "--templates", tmp_path / "tpl", "--out", out)
    assert code == 2
    assert "handout.md.j2: line 1: template syntax error" in err
    assert "Traceback" not in err
    assert not out.exists() or not any(out.iterdir()), "nothing may be written when a format fails"
