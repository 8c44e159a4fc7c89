"""How the guide's pages are filled and headed (issue #32), read from the PDF's text layer: a page
that continues a role names it, no page is left more than a third empty where no break is
required, and a sentence does not open with a word alone on its line."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from conftest import FIXTURES
from render.helpers import fixed_epoch, render_pdf, report_for, squash, synthetic_page
from rolereport.model import Profile
from rolereport.text.labels import LABELS

MM = 72 / 25.4
TOP, BOTTOM = 22 * MM, 20 * MM  # print.css's page margins: the body's band
PERSON = Profile(name="Ada Example", interests=("data pipelines", "automation"), strengths=("SQL",))


@pytest.fixture(scope="module")
def guides(tmp_path_factory) -> dict[str, tuple[object, PdfReader]]:
    long_page = tmp_path_factory.mktemp("pages") / "long.txt"
    long_page.write_text(synthetic_page(14), encoding="utf-8")
    cases = {
        "default": report_for(),
        "personal": report_for(profile=PERSON),
        "product": report_for(FIXTURES / "product-manager.txt", profile=PERSON),
        "nurse": report_for(FIXTURES / "pages" / "registered-nurse.md"),
        "chef": report_for(FIXTURES / "pages" / "head-chef.txt", profile=PERSON),
        "teacher": report_for(FIXTURES / "pages" / "teacher-no-best-for.txt"),
        "long": report_for(long_page, profile=PERSON),
    }
    with fixed_epoch():
        return {name: (report, PdfReader(io.BytesIO(render_pdf(report)))) for name, report in cases.items()}


def lines_with_heights(page) -> list[tuple[float, str]]:  # type: ignore[no-untyped-def]
    """(baseline height from the page's foot, text) of each run of text, in drawing order."""
    found: list[tuple[float, str]] = []

    def text(t, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if t.strip():
            found.append((tm[5] * cm[3] + cm[5], t))

    page.extract_text(visitor_text=text)
    return found


def filled(page) -> float:  # type: ignore[no-untyped-def]
    """How far down the body band the page's text reaches, 0 to 1."""
    height = float(page.mediabox.height)
    top = height - TOP
    body = [y for y, _ in lines_with_heights(page) if BOTTOM < y < top]
    return 1 - (min(body) - BOTTOM) / (top - BOTTOM) if body else 0.0


def test_no_page_left_a_third_empty_where_no_break_is_required(guides):
    """The cover, the contents (the guide proper starts a page after them) and the last page may
    be short; every other page is filled at least two thirds of the way down."""
    for name, (_, pdf) in guides.items():
        texts = [squash(p.extract_text()) for p in pdf.pages]
        intro = next(i for i, t in enumerate(texts) if t.startswith(f"{LABELS['introduction']} "))
        # a figure cannot split: the page before one that opens with the fit chart may be short
        chart = {i - 1 for i, t in enumerate(texts) if t.startswith(LABELS["fit_chart"])}
        exempt = {0, intro - 1, len(pdf.pages) - 1} | chart
        for number, page in enumerate(pdf.pages):
            if number not in exempt:
                assert filled(page) >= 2 / 3, (name, number + 1, round(filled(page), 2))


def test_a_page_that_continues_a_role_names_it(guides):
    """The running header names the role a page continues ("The alternatives · 3. DevOps
    Engineer"), so a page opening with a role's "Best for" box or its "Pick this if" says whose."""
    for name, (report, pdf) in guides.items():
        current = None  # the role whose section the previous page ended in
        for number, page in enumerate(pdf.pages):
            lines = [squash(line) for line in page.extract_text().splitlines() if line.strip()]
            folio = next((i for i, line in enumerate(lines) if re.search(r"Page \d+ of \d+", line)), None)
            if folio is None:  # the cover
                continue
            header, body = lines[folio - 1], lines[:folio - 1]
            headings = [r for line in body for r in report.guide.alternatives if line == f"{r.rank}. {r.name}"]
            opens = bool(body) and (body[0] == LABELS["how_to_pick"]
                                    or bool(headings) and body[0] == f"{headings[0].rank}. {headings[0].name}")
            if current is not None and body and not opens:
                assert header.endswith(f" · {current.rank}. {current.name}"), (name, number + 1, header)
            if headings:
                current = headings[-1]
            if LABELS["how_to_pick"] in body:
                current = None


GOALS = [
    "I don't want to be on call anymore. Something calmer…",
    "I don't want to be on call anymore. Something calmer, with time to build things properly.",
    "I don't want to be on call anymore. Something calmer, where I can plan my weeks, build data "
    "pipelines properly and go home at six without a pager; ideally a team that writes things down.",
]


@pytest.mark.parametrize("goal", GOALS, ids=["short", "sentence", "long"])
def test_a_sentence_does_not_open_with_a_word_alone(goal):
    with fixed_epoch():
        pdf = PdfReader(io.BytesIO(render_pdf(report_for(profile=PERSON.model_copy(update={"goals": goal})))))
    lines = [squash(line) for page in pdf.pages for line in page.extract_text().splitlines()]
    first = next(i for i, line in enumerate(lines) if "I don't want" in line or line in ("I", f"{LABELS['goals']} I"))
    assert "I don't want" in lines[first], lines[first - 1:first + 2]
