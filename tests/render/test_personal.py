"""The personal thread in the PDF: best matches first, the fit chart, the profile restated."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from render.helpers import figure_alts, fixed_epoch, outline_titles, report_for
from rolereport.model import Profile
from rolereport.render.chart import fit_chart_svg
from rolereport.render.context import Context
from rolereport.render.html import guide_html
from rolereport.text.labels import LABELS

PROFILE = Profile(name="Jane O'Neil", current_role="Machine Learning Engineer",
                  interests=("data pipelines", "one-click deploys"), strengths=("SQL",))


@pytest.fixture(scope="module")
def report():
    with fixed_epoch():
        return report_for(profile=PROFILE)


def test_cover_names_the_person(pdf):
    cover = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert LABELS["prepared_for"] in cover and "Jane O'Neil" in cover


def test_best_matches_come_right_after_the_cover(pdf, text):
    second = PdfReader(io.BytesIO(pdf)).pages[1].extract_text()
    assert LABELS["best_matches"] in second
    assert text.index(LABELS["best_matches"]) < text.index(LABELS["contents"]) < text.index(
        LABELS["introduction"])


def test_top_three_with_bands_and_evidence(report, text):
    best = text[text.index(LABELS["best_matches"]):text.index(LABELS["contents"])]
    rank = {r.name: r.rank for r in report.guide.alternatives}
    for k, fit in enumerate(report.fits[:3], start=1):
        # two numberings that cannot be confused: the fit order in words, the page's rank with "#"
        assert f"{LABELS['best_match'].format(n=k)}: {fit.role}" in best
        assert f"{k}. {fit.role}" not in best
        assert f"{fit.band} · {fit.score}/100 {LABELS['page_rank'].format(rank=rank[fit.role])}" in best
        ev = fit.evidence[0]
        assert f"You mentioned “{ev.profile_text}”, which matches “{ev.source_text}”" in best
    assert LABELS["best_match"].format(n=4) not in best


def test_profile_restated_without_empty_fields(text):
    part = text[text.index(LABELS["profile_summary"]):text.index(LABELS["contents"])]
    assert "Machine Learning Engineer" in part and "data pipelines; one-click deploys" in part
    assert LABELS["strengths"] in part and "SQL" in part
    assert LABELS["goals"] not in part  # the profile has no goals: no empty label
    assert "None" not in text


def test_every_role_section_shows_its_fit(report, text):
    for fit in report.fits:
        assert f"{fit.band} · {fit.score}/100" in text  # worded as in the best matches


def test_fit_chart_has_alt_text(report, pdf):
    alts = figure_alts(pdf)
    chart = [a for a in alts if a.startswith("Bar chart of fit scores")]
    assert chart, alts
    for fit in report.fits:
        assert f"{fit.role}: {fit.score} of 100 ({fit.band})" in chart[0]


def test_bookmarks_include_the_personal_sections(pdf):
    titles = outline_titles(pdf)
    assert LABELS["best_matches"] in titles and LABELS["fit_chart"] in titles


def test_chart_svg_is_accessible_and_escaped(report):
    svg = fit_chart_svg(report.fits, "#112233", "Source Sans Pro", "Fits <&>")
    assert 'role="img"' in svg and "<title id=\"fit-chart-title\">Fits &lt;&amp;&gt;</title>" in svg
    assert svg.count("<rect") == 2 * len(report.fits)


def test_markup_in_profile_text_stays_text():
    evil = Profile(name="<b>Eve</b> *star* [x](http://e.org)", interests=("```{=html}\n<script>",))
    with fixed_epoch():
        html = guide_html(report_for(profile=evil), Context.create())
    assert "<b>Eve</b>" not in html and "<script>" not in html
    assert "&lt;b&gt;Eve&lt;/b&gt; *star* [x](http://e.org)" in html


def test_a_profile_with_nothing_to_match_says_so_instead_of_claiming_a_best_fit(tmp_path):
    from rolereport.jobs.report import make_report
    from rolereport.model import Profile
    from rolereport.render.context import Context
    from rolereport.render.html import guide_html
    from rolereport.sources import read_source

    guide, info = read_source(None)
    page = " ".join(guide_html(make_report(guide, info, Profile(name="Only Name")), Context.create()).split())
    assert "The profile gives no interests, strengths or goals" in page
    assert LABELS["best_matches_none"] in page and LABELS["best_matches"] not in page
    assert "fit Only Name best" not in page
    assert "Nothing in the profile points to this role." in page


def test_aversions_typos_and_plain_evidence_in_the_guide():
    from rolereport.jobs.report import make_report
    from rolereport.render.context import Context
    from rolereport.sources import read_source

    guide, info = read_source(None)
    person = Profile(name="Dana", current_role="ML engineer",
                     interests=("building ETL jobs", "data warehousing", "kubernets"),
                     goals="I don't want anything to do with on-call, Docker or CI/CD pipelines any more.")
    report = make_report(guide, info, person)
    page = " ".join(guide_html(report, Context.create()).split())
    assert "you said you&#39;d rather leave “on-call, Docker or CI/CD pipelines” behind; this role involves it" \
        in page.replace("'", "&#39;")
    assert "(read as “kubernetes”)" in page
    for fit in report.fits:
        for ev in fit.evidence:
            assert "ML engineer" not in ev.profile_text and "on-call" not in ev.profile_text
            assert not ev.source_text.endswith(".")


def test_pdf_title_property_names_the_person(pdf, report):
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == LABELS["personal_title"].format(title=report.guide.title, name=PROFILE.name)
    assert report.guide.title in " ".join(reader.pages[0].extract_text().split())  # the cover is unchanged
