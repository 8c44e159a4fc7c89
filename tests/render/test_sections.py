"""The guide's Markdown goes to pandoc one top-level section at a time, reusing what it can."""

from __future__ import annotations

import io
import re
import zipfile

from conftest import ROOT
from rolereport.inputs.profile import load_profile
from rolereport.jobs.report import make_report
from rolereport.model import Profile
from rolereport.render import markdown as pandoc_module
from rolereport.render.content import template_context
from rolereport.render.context import Context
from rolereport.render.html import guide_html
from rolereport.render.markdown import convert, convert_sections, split_sections
from rolereport.render.templating import Raw
from rolereport.sources import read_source


def _guide_markdown(profile):
    ctx = Context.create()
    guide, info = read_source(None)
    report = make_report(guide, info, profile)
    return ctx.templates.markdown_text("content/guide.md.j2", **template_context(report, ctx),
                                       fit_chart=Raw("<svg></svg>"))


def test_sectionwise_conversion_equals_whole_conversion():
    for profile in (None, load_profile(ROOT / "examples" / "profiles" / "jane-doe.yaml")):
        markdown = _guide_markdown(profile)
        assert len(split_sections(markdown)) >= 6
        args = ["--section-divs"]
        assert convert_sections(markdown, "html5", args, {}) == convert(markdown, "html5", args)


def test_split_respects_fences_and_blank_lines():
    text = "# A\n\ntext\n# not a heading\n\n```\n# code\n```\n\n# B\n\nmore\n"
    assert split_sections(text) == ["# A\n\ntext\n# not a heading\n\n```\n# code\n```\n\n", "# B\n\nmore\n"]


def test_footnotes_are_converted_whole(monkeypatch):
    calls = []
    monkeypatch.setattr(pandoc_module, "convert", lambda md, *a, **k: calls.append(md) or "")
    convert_sections("# A\n\nx[^1]\n\n# B\n\n[^1]: note\n", "html5", [], {})
    assert len(calls) == 1


def test_a_second_person_converts_only_their_own_sections(monkeypatch):
    ctx = Context.create()
    guide, info = read_source(None)
    first = make_report(guide, info, Profile(name="Ann Example", interests=("automation",)))
    second = make_report(guide, info, Profile(name="Bo Example", interests=("statistics",)))
    guide_html(first, ctx)
    converted = []
    real = pandoc_module.convert
    monkeypatch.setattr(pandoc_module, "convert", lambda md, *a, **k: converted.append(md) or real(md, *a, **k))
    page = guide_html(second, ctx)
    headings = sorted(chunk.split("\n", 1)[0] for chunk in converted)
    assert headings == ["# Your best matches {#best-matches .front}"]
    assert "Bo Example" in page and "Ann Example" not in page
    for fit in second.fits:  # every role still shows this person's fit
        assert f"{fit.band} · {fit.score}/100" in page


def test_a_second_persons_handout_parses_only_their_best_matches(monkeypatch):
    from rolereport.render import docx

    ctx = Context.create()
    guide, info = read_source(None)
    docx.render(make_report(guide, info, Profile(name="Ann Example", interests=("automation",))), ctx)
    converted = []
    real = pandoc_module.convert
    monkeypatch.setattr(pandoc_module, "convert", lambda md, *a, **k: converted.append(md) or real(md, *a, **k))
    second = make_report(guide, info, Profile(name="Bo O'Example *x*", interests=("statistics",)))
    data = docx.render(second, ctx)
    assert [chunk.split("\n", 1)[0] for chunk in converted] == ["# Your best matches {#best-matches .front}"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = z.read("word/document.xml").decode()
    text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", body))
    assert "Prepared for Bo O&#39;Example *x*" in text and "Ann Example" not in text


def test_handout_parsed_by_section_gives_the_same_docx_as_the_whole_text(tmp_path):
    from rolereport.render import docx
    from rolereport.render.content import document_epoch, handout_markdown
    from rolereport.render.templating import md_escape
    from rolereport.text.wording import fit_badge

    ctx = Context.create()
    guide, info = read_source(None)
    report = make_report(guide, info, load_profile(ROOT / "examples" / "profiles" / "jane-doe.yaml"))
    markdown = handout_markdown(report, ctx)
    by_name = {fit.role: fit for fit in report.fits}
    for role in guide.alternatives:  # what the card said before the slot: the fit as Markdown
        fit = by_name[role.name]
        text = md_escape(fit_badge(fit.band, fit.score))
        markdown = markdown.replace(f'[]{{.fit-slot data-rank="{role.rank}"}}',
                                    f'[{text}]{{custom-style="Fit Badge"}}')
    markdown = markdown.replace("[]{.name-slot}", f"[{md_escape(report.profile.name)}]{{.name-slot}}")
    reference = tmp_path / "reference.docx"
    reference.write_bytes(docx.reference_bytes(ctx))
    props = docx.properties(report, ctx)
    target = tmp_path / "whole.docx"
    convert(markdown, "docx", [f"--reference-doc={reference}", *docx._metadata_args(props)],
            epoch=document_epoch(report), outputfile=str(target))
    whole = docx.finish(target.read_bytes(), props, document_epoch(report))
    assert docx.render(report, ctx) == whole
