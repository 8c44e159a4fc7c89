"""The DOCX handout as its reader sees it: Word styles, a real table, properties, reproducibility."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from conftest import DEFAULT_SOURCE, FIXTURES
from rolereport.inputs.theme import Theme
from rolereport.model import Evidence, Fit, Profile, Report
from rolereport.render.context import Context
from rolereport.render.docx import REFERENCE, STYLE_NAMES, finish, render
from rolereport.render.templating import BUILTIN
from rolereport.sources import read_source
from rolereport.text.labels import LABELS

DATE = dt.date(2026, 1, 1)
NAME = "Jane Doe"


def make_report(source: Path | str | None = DEFAULT_SOURCE, profile: Profile | None = None) -> Report:
    guide, info = read_source(source)
    info = info.model_copy(update={"date": DATE})
    fits: tuple[Fit, ...] = ()
    if profile is not None:  # synthetic fits (fit.py is not needed): reverse source order
        roles = list(reversed(guide.alternatives))
        fits = tuple(
            Fit(role=r.name, rank=k + 1, score=90 - 10 * k, band="Strong fit" if k == 0 else "Good fit",
                evidence=(Evidence(profile_text="pipelines", source_text=r.tools[0], field="tools"),))
            for k, r in enumerate(roles)
        )
    return Report(guide=guide, source=info, profile=profile, fits=fits)


def hostile_report() -> Report:
    report = make_report()
    guide = report.guide
    first = guide.alternatives[0].model_copy(update={
        "name": "*bold* <script>alert(1)</script>",
        "tagline": "_under_ [link](http://x.test) `code` | pipe",
        "tools": ("C#", "<b>", "$x$", "a|b"),
        "pick_if": "If you like **stars** & {braces}",
    })
    guide = guide.model_copy(update={"alternatives": (first, *guide.alternatives[1:])})
    profile = Profile(name="Zoë <i>O'Neil</i> *x*")
    return make_report().model_copy(update={"guide": guide, "profile": profile, "fits": (
        Fit(role=first.name, rank=1, score=80, band="Strong fit",
            evidence=(Evidence(profile_text="# not a heading", source_text="[x](y)", field="tools"),)),)})


@pytest.fixture(scope="module")
def ctx() -> Context:
    return Context.create()


@pytest.fixture(scope="module")
def personal_real(ctx) -> tuple[Report, bytes]:
    """The bundled page for a real profile, ranked by the fit module."""
    from rolereport.fit import rank_fits
    from rolereport.inputs.profile import load_profile

    person = load_profile(Path(__file__).resolve().parents[2] / "examples" / "profiles" / "jane-doe.yaml")
    guide, info = read_source(DEFAULT_SOURCE)
    report = Report(guide=guide, source=info, profile=person, fits=tuple(rank_fits(person, guide)))
    return report, render(report, ctx)


@pytest.fixture(scope="module")
def generic(ctx) -> tuple[Report, bytes]:
    report = make_report()
    return report, render(report, ctx)


@pytest.fixture(scope="module")
def personal(ctx) -> tuple[Report, bytes]:
    report = make_report(profile=Profile(name=NAME, interests=("pipelines",)))
    return report, render(report, ctx)


@pytest.fixture(scope="module")
def hostile(ctx) -> tuple[Report, bytes]:
    report = hostile_report()
    return report, render(report, ctx)


def open_docx(data: bytes):  # type: ignore[no-untyped-def]
    return Document(io.BytesIO(data))


def all_text(doc) -> str:  # type: ignore[no-untyped-def]
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name).decode("utf-8")


def paragraphs(doc) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(p.style.name, p.text) for p in doc.paragraphs]


# --- structure -------------------------------------------------------------------------------


def test_title_block_and_headings_use_word_styles(generic):
    report, data = generic
    doc = open_docx(data)
    paras = paragraphs(doc)
    assert ("Title", report.guide.title) in paras
    assert ("Author", "Career Development") in paras
    heading1 = [text for style, text in paras if style == "Heading 1"]
    assert heading1 == [LABELS["introduction"], LABELS["comparison"], LABELS["alternatives"],
                        LABELS["how_to_pick"], LABELS["notes"]]
    heading2 = [text for style, text in paras if style == "Heading 2"]
    assert heading2 == [f"{r.rank}. {r.name}" for r in report.guide.alternatives]
    assert all(text.strip() for style, text in paras if style.startswith("Heading"))


def test_comparison_is_a_real_table_with_repeating_shaded_header(generic):
    report, data = generic
    doc = open_docx(data)
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        LABELS["role"], LABELS["primary_focus"], LABELS["key_responsibility"], LABELS["tools"],
        LABELS["deliverable"]]
    assert len(table.rows) == len(report.guide.alternatives) + 2  # header, own role, alternatives
    assert table.rows[1].cells[0].text.startswith(report.guide.subject.name)
    header_pr = table.rows[0]._tr.trPr
    assert header_pr is not None and header_pr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    # The shading comes from the table style's first-row formatting, in the theme's light accent.
    assert table.style.name == "Table"
    first_row = table.style.element.find(qn("w:tblStylePr"))
    assert first_row.get(qn("w:type")) == "firstRow"
    shd = first_row.find(qn("w:tcPr")).find(qn("w:shd"))
    assert shd.get(qn("w:fill")) == Theme().accent_light.lstrip("#").upper()


def test_every_role_tagline_tool_and_condition_is_present(generic):
    report, data = generic
    text = all_text(open_docx(data))
    for role in report.guide.alternatives:
        for value in (role.name, role.tagline, role.pick_if, *role.tools, *role.best_for):
            assert value and value in text, value
    assert report.guide.intro[0] in text


def card_paragraphs(doc) -> list[list]:  # type: ignore[no-untyped-def]
    """The paragraphs of each role card: those after a card heading, up to the next heading."""
    cards: list[list] = []
    current: list | None = None
    for p in doc.paragraphs:
        if p.style.name.startswith("Heading"):
            current = [] if re.match(r"\d+\. ", p.text) and p.style.name == "Heading 2" else None
            if current is not None:
                cards.append(current)
        elif current is not None:
            current.append(p)
    card_styles = {STYLE_NAMES["card"], STYLE_NAMES["card_list"]}
    return [c for c in cards if c and c[0].style.name in card_styles]  # not the best matches


def test_cards_are_real_paragraphs_and_lists(generic):
    report, data = generic
    doc = open_docx(data)
    cards = card_paragraphs(doc)
    assert len(cards) == len(report.guide.alternatives)
    for card, role in zip(cards, report.guide.alternatives, strict=True):
        styles = [p.style.name for p in card]
        assert set(styles) <= {STYLE_NAMES["card"], STYLE_NAMES["card_list"]}
        assert any(run.style.name == STYLE_NAMES["tagline"] and run.text == role.tagline for run in card[0].runs)
        # "Best for" is a list, one item per statement, not one run-on sentence
        items = [p.text for p in card if p.style.name == STYLE_NAMES["card_list"]]
        assert items == list(role.best_for)
        assert all(p._p.pPr.numPr is not None for p in card if p.style.name == STYLE_NAMES["card_list"])
        # no manual line breaks hold a card together
        assert all(not p._p.xpath(".//w:br") for p in card)
        # "Pick this if" reads once, with the advice after it
        pick = card[-1].text
        assert pick.startswith(f"{LABELS['pick_if_lead']} ") and " If " not in pick[:20]
        assert role.pick_if[3:] in pick and role.pick_advice in pick
        # the card keeps together: every paragraph keeps with the next except its last
        assert card[-1].paragraph_format.keep_with_next is False
        assert all(p.paragraph_format.keep_with_next is not False for p in card[:-1])


def test_notes_section_has_room_to_write(generic):
    _, data = generic
    paras = paragraphs(open_docx(data))
    notes = [i for i, (style, text) in enumerate(paras) if (style, text) == ("Heading 1", LABELS["notes"])]
    assert len(notes) == 1
    lines = [s for s, _ in paras[notes[0] + 1:]]
    assert len(lines) >= 8 and set(lines) == {STYLE_NAMES["notes_line"]}
    # the lines keep together with their heading: on the last page when it has room, else the next
    styles = {s.name: s for s in open_docx(data).styles}
    assert styles[STYLE_NAMES["notes_line"]].paragraph_format.keep_with_next


def test_styles_used_exist_in_the_reference_document(generic, personal):
    with zipfile.ZipFile(BUILTIN / REFERENCE) as z:
        reference_styles = z.read("word/styles.xml").decode("utf-8")
    defined = set(re.findall(r'w:styleId="([^"]+)"', reference_styles))
    names = set(re.findall(r'<w:name w:val="([^"]+)"', reference_styles))
    assert set(STYLE_NAMES.values()) <= names
    for _, data in (generic, personal):
        used = set(re.findall(r'<w:[pr]Style w:val="([^"]+)"', part(data, "word/document.xml")))
        assert used <= defined, used - defined


def test_reference_document_carries_only_the_styles_the_handout_uses(generic, personal, ctx):
    """Word's styles pane lists what the handout uses, not pandoc's leftovers (KeywordTok,
    Bibliography, Abstract…): every style of the reference is named by a handout, plain or
    personal or for a profile too short to score, or is the base, link or next style of one."""
    with zipfile.ZipFile(BUILTIN / REFERENCE) as z:
        styles = z.read("word/styles.xml").decode("utf-8")
    blocks = dict((m[2], m[0]) for m in re.finditer(r'<w:style\b([^>]*?)w:styleId="([^"]+)"[^>]*>.*?</w:style>',
                                                    styles, re.S))
    short = render(make_report(profile=Profile(name=NAME)), ctx)
    used = set()
    for data in (generic[1], personal[1], short):
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        for name in (n for n in names if re.fullmatch(r"word/(document|footer\d*)\.xml", n)):
            used |= set(re.findall(r'<w:[pr]Style w:val="([^"]+)"', part(data, name)))
    used |= {k for k, block in blocks.items() if 'w:default="1"' in block}
    stack = list(used)
    while stack:
        for other in re.findall(r'<w:(?:basedOn|link|next) w:val="([^"]+)"', blocks.get(stack.pop(), "")):
            if other not in used:
                used.add(other)
                stack.append(other)
    assert set(blocks) <= used, sorted(set(blocks) - used)
    assert not any(k.endswith("Tok") or k in ("Bibliography", "Abstract", "FootnoteText") for k in blocks)


def test_page_setup_footer_and_fonts(generic):
    _, data = generic
    doc = open_docx(data)
    section = doc.sections[-1]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.left_margin.mm) == 18 and round(section.top_margin.mm) == 20
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    styles = part(data, "word/styles.xml")
    assert f'w:ascii="{Theme().font_family}"' in styles
    heading = doc.styles["Heading 1"]
    assert str(heading.font.color.rgb) == Theme().accent.lstrip("#").upper()


# --- properties and reproducibility ----------------------------------------------------------


def test_core_properties(generic):
    report, data = generic
    props = open_docx(data).core_properties
    assert props.title == report.guide.title
    assert props.author == "Career Development"
    assert props.subject.startswith(f"{len(report.guide.alternatives)} career paths")
    assert props.keywords == ", ".join(r.name for r in report.guide.alternatives)
    assert props.language == "en"
    assert props.created == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert re.search(r'<w:lang [^>]*w:val="en"', part(data, "word/styles.xml"))


def test_two_builds_are_byte_identical(generic, monkeypatch):
    report, data = generic
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")  # pandoc's own stamp must not leak into the file
    assert render(report, Context.create()) == data


def test_finished_package_ignores_pandoc_timestamps(generic):
    """Whatever clock pandoc saw, the finished bytes are the same."""
    _, data = generic

    def restamped(when: tuple[int, ...], created: str) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(buf, "w") as zout:
            for name in zin.namelist():
                body = zin.read(name)
                if name == "docProps/core.xml":
                    body = re.sub(rb"\d{4}-\d\d-\d\dT[\d:]+Z", created.encode(), body)
                zout.writestr(zipfile.ZipInfo(name, date_time=when), body)  # type: ignore[arg-type]
        return buf.getvalue()

    props = {"title": "T", "author": "A", "subject": "S", "keywords": "K", "lang": "en"}
    one = finish(restamped((2030, 5, 6, 7, 8, 10), "2030-05-06T07:08:10Z"), props, 1767225600)
    two = finish(restamped((1999, 1, 2, 3, 4, 6), "1999-01-02T03:04:06Z"), props, 1767225600)
    assert one == two
    assert open_docx(one).core_properties.created == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


# --- personal thread -------------------------------------------------------------------------


def test_profile_adds_prepared_for_and_top_three_before_the_introduction(personal):
    report, data = personal
    paras = paragraphs(open_docx(data))
    texts = [t for _, t in paras]
    intro = texts.index(LABELS["introduction"])
    prepared = texts.index(f"{LABELS['prepared_for']} {NAME}")
    assert paras[prepared][0] == STYLE_NAMES["prepared_for"]
    assert texts.index(report.guide.title) < prepared < intro
    matches = [t for s, t in paras[prepared:intro] if s == "Heading 2"]
    assert matches == [f"{LABELS['best_match'].format(n=k)}: {f.role}" for k, f in enumerate(report.fits[:3], 1)]
    assert ("Heading 1", LABELS["best_matches"]) in paras[prepared:intro]
    # Each card shows its fit too.
    cards = "\n".join(t for s, t in paras if s == STYLE_NAMES["card"])
    assert f"{report.fits[0].band} · {report.fits[0].score}/100" in cards


def test_without_profile_nothing_personal_appears(generic):
    _, data = generic
    text = all_text(open_docx(data))
    assert LABELS["prepared_for"] not in text
    assert LABELS["best_matches"] not in text
    assert f"{LABELS['fit_band']}:" not in text
    assert "None" not in text


def test_hostile_text_appears_literally(hostile):
    report, data = hostile
    doc = open_docx(data)
    text = all_text(doc)
    role = report.guide.alternatives[0]
    for value in (role.name, role.tagline, role.pick_if, *role.tools, f"Prepared for {report.profile.name}",
                  "# not a heading", "[x](y)"):
        assert value in text, value
    assert ("Heading 2", f"1. {role.name}") in paragraphs(doc)
    assert open_docx(data).core_properties.keywords.startswith(role.name)
    assert "<script>" not in part(data, "word/document.xml")  # escaped as XML, shown as text


def test_true_false_titles_survive_pandoc_metadata(ctx):
    report = make_report()
    report = report.model_copy(update={"guide": report.guide.model_copy(update={"title": "True"})})
    doc = open_docx(render(report, ctx))
    assert doc.core_properties.title == "True"
    assert doc.paragraphs[0].style.name == "Title" and doc.paragraphs[0].text.strip() == "True"


# --- themes, sources and the reference document ----------------------------------------------


def test_theme_recolours_fonts_and_page_size(tmp_path):
    theme = Theme(accent="#7A1F3D", accent_light="#F6E6EC", font_family="Liberation Serif",
                  page_size="Letter", language="de")
    ctx = Context(theme=theme, templates=Context.create().templates)
    data = render(make_report(), ctx)
    styles = part(data, "word/styles.xml")
    assert "7A1F3D" in styles and "F6E6EC" in styles
    assert "1F5F8B" not in styles and "E6EFF6" not in styles
    assert 'w:ascii="Liberation Serif"' in styles and "Source Sans Pro" not in styles
    doc = open_docx(data)
    assert round(doc.sections[-1].page_width.inches, 1) == 8.5
    assert doc.core_properties.language == "de"


@pytest.mark.parametrize("source", [FIXTURES / "product-manager.txt", "one", "many"])
def test_other_sources(ctx, tmp_path, source):
    if source in ("one", "many"):
        from sources.test_extract import synthetic_page

        path = tmp_path / "page.txt"
        path.write_text(synthetic_page(1 if source == "one" else 24), encoding="utf-8")
        source = path
    report = make_report(source)
    doc = open_docx(render(report, ctx))
    text = all_text(doc)
    assert len(doc.tables[0].rows) == len(report.guide.alternatives) + 2
    for role in report.guide.alternatives:
        assert role.name in text and role.tagline in text
        assert all(tool in text for tool in role.tools)
        if role.pick_if:
            assert role.pick_if in text


def test_reference_docx_is_reproducible_from_the_script(tmp_path):
    import pypandoc

    script = Path(__file__).resolve().parents[2] / "tools" / "make_reference_docx.py"
    spec = importlib.util.spec_from_file_location("make_reference_docx", script)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    if pypandoc.get_pandoc_version() != module.PANDOC_VERSION:
        pytest.skip("the committed reference.docx was generated with another pandoc version")
    assert module.build() == (BUILTIN / REFERENCE).read_bytes()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_it_to_two_to_four_pages(generic, personal_real, tmp_path):
    """In LibreOffice, usually without Source Sans Pro installed (a wider substitute stands in):
    the handout keeps its promise of 2–4 pages, also with a profile."""
    from pypdf import PdfReader

    files = []
    for name, (_, data) in (("plain", generic), ("personal", personal_real)):
        files.append(tmp_path / f"{name}.docx")
        files[-1].write_bytes(data)
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, files)],
                   check=True, capture_output=True, timeout=180)
    for name in ("plain", "personal"):
        pages = len(PdfReader(tmp_path / f"{name}.pdf").pages)
        assert 2 <= pages <= 4, (name, pages)
