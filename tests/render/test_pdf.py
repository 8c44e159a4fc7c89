"""The PDF guide as its reader sees it: text, metadata, tags, fonts, bookmarks, reproducibility."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from conftest import DEFAULT_SOURCE
from render.helpers import fixed_epoch, outline_titles, pdf_text, render_pdf, report_for, squash
from rolereport.render.context import Context
from rolereport.text.labels import LABELS


@pytest.fixture(scope="module")
def report():
    with fixed_epoch():
        return report_for(DEFAULT_SOURCE)


@pytest.fixture(scope="module")
def reader(pdf) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def test_every_role_detail_is_in_the_text(report, text):
    guide = report.guide
    assert squash(guide.title) in text
    for role in guide.alternatives:
        for value in (role.name, role.tagline, role.deliverable, role.primary_focus,
                      role.key_responsibility, *role.best_for, *role.tools):
            assert squash(value) in text, value
        if role.pick_if:
            assert squash(role.pick_if) in text
            assert squash(role.pick_advice or "") in text


def test_sections_in_reading_order(report, text):
    order = [LABELS["contents"], LABELS["introduction"], LABELS["comparison"], LABELS["alternatives"],
             LABELS["how_to_pick"], LABELS["closing"], LABELS["about"]]
    positions = [text.find(label) for label in order]
    assert -1 not in positions and positions == sorted(positions)
    assert report.source.name in text and "1 January 2026" in text


def test_running_footer_and_header(reader, report):
    pages = len(reader.pages)
    second = squash(reader.pages[1].extract_text())
    assert f"Page 2 of {pages}" in second
    assert squash(report.guide.title) in second  # running header
    cover = squash(reader.pages[0].extract_text())
    assert "Page 1" not in cover  # the cover has no header or footer


def test_contents_lists_page_numbers(reader):
    contents = squash(reader.pages[1].extract_text())
    assert contents.startswith(squash(reader.pages[1].extract_text()).split(" ")[0])
    assert LABELS["contents"] in contents
    assert "1. Data Engineer" in contents
    # each entry ends with its page number (dot leaders in between)
    assert any(ch.isdigit() for ch in contents.split("Introduction", 1)[1][:200])


def test_bookmarks_for_every_section_and_role(pdf, report):
    titles = outline_titles(pdf)
    for label in ("introduction", "comparison", "alternatives", "how_to_pick", "closing", "about"):
        assert LABELS[label] in titles
    for role in report.guide.alternatives:
        assert f"{role.rank}. {role.name}" in titles


def test_metadata(reader, report):
    meta = reader.metadata
    assert meta.title == report.guide.title
    assert meta.author == Context.create().theme.organisation
    assert meta.subject
    for role in report.guide.alternatives:
        assert role.name in meta["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert str(meta["/CreationDate"]).startswith("D:20260101")


def test_tagged_pdf(reader):
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or str(root["/MarkInfo"]["/Marked"]) == "True"
    assert "/StructTreeRoot" in root


def _font_descriptors(reader: PdfReader):
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            for desc_font in font.get("/DescendantFonts", [font]):
                yield desc_font.get_object()["/FontDescriptor"].get_object()


def test_every_font_embedded_and_bundled(reader):
    descriptors = list(_font_descriptors(reader))
    assert descriptors
    for desc in descriptors:
        assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), desc["/FontName"]
        assert "Source-Sans-Pro" in str(desc["/FontName"])  # the bundled family, no system fallback


def test_byte_identical_builds(report, pdf):
    with fixed_epoch():
        again = render_pdf(report, Context.create())
    assert again == pdf


def test_no_profile_means_no_personal_thread(text):
    assert "None" not in text
    for label in ("best_matches", "fit_chart", "profile_summary", "prepared_for"):
        assert LABELS[label] not in text
    assert "/100" not in text


def test_comparison_table_header_repeats_with_many_roles(tmp_path):
    from render.helpers import synthetic_page

    page = tmp_path / "many.txt"
    page.write_text(synthetic_page(24), encoding="utf-8")
    with fixed_epoch():
        rep = report_for(page)
        data = render_pdf(rep)
    text = pdf_text(data)
    for role in rep.guide.alternatives:
        assert role.name in text and role.tagline in text and role.deliverable in text
    titles = outline_titles(data)
    assert all(f"{r.rank}. {r.name}" in titles for r in rep.guide.alternatives)
    # the table runs over more than one page and its header row is repeated
    reader = PdfReader(io.BytesIO(data))
    header = f"{LABELS['role']} {LABELS['primary_focus']} {LABELS['key_responsibility']}"
    pages_with_header = [i for i, p in enumerate(reader.pages) if header in squash(p.extract_text())]
    assert len(pages_with_header) >= 2


def test_single_alternative(tmp_path):
    from render.helpers import synthetic_page

    page = tmp_path / "one.txt"
    page.write_text(synthetic_page(1), encoding="utf-8")
    with fixed_epoch():
        rep = report_for(page)
        text = pdf_text(render_pdf(rep))
    assert "1 career path beyond Chief Widget Officer" in text
    assert "1 ranked alternative," in text and "None" not in text
    assert "Role 1 / Ops & Co" in text and "If you like thing 1" in text


def test_batch_reuse_does_not_keep_every_persons_chart():
    from rolereport.jobs.report import make_report
    from rolereport.model import Fit, Profile
    from rolereport.render.context import Context
    from rolereport.render.pdf import document as pdf
    from rolereport.sources import read_source

    ctx = Context.create()
    guide, info = read_source(None)
    for n in range(3):
        base = make_report(guide, info, Profile(name=f"Person {n}"))
        fits = tuple(Fit(role=r.name, rank=r.rank, score=(10 * n + 7 * r.rank) % 100, band="Weak fit", evidence=())
                     for r in guide.alternatives)
        pdf.render(base.model_copy(update={"fits": fits}), ctx)
    assert not [k for k in ctx.cache["pdf"].images if str(k).startswith("data:")]


def test_stylesheet_given_apart_is_the_same_pdf_as_inline(report, pdf):
    """The PDF engine gets the stylesheet apart from the page (parsed once per process); the
    result must be exactly that of the page with its stylesheet inline, as --format html has it."""
    from rolereport.render.html import guide_html, print_page
    from rolereport.render.pdf import document as pdf_module

    ctx = Context.create()
    with fixed_epoch():
        page = print_page(report, ctx)
        inline = guide_html(report, ctx, for_pdf=True)
        assert "<style>" not in page.html and page.css in inline
        engine = pdf_module.engine(ctx)
        whole = engine.layout(inline, ctx.allowed_dirs(), pdf_module.base_url(ctx))
        apart = pdf_module.pdf_from_page(page, ctx)
        again = pdf_module.pdf_from_page(page, ctx)  # the parsed stylesheet reused
    assert whole == apart == again == pdf
