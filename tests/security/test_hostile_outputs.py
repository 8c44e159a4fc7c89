"""Hostile text in a source page and a profile, through every output, read the way a person reads it.

The corpus (tests/fixtures/hostile/) puts Markdown, HTML, Jinja, LaTeX, spreadsheet formulas,
javascript: links, images pointing at a local listener and at a canary file, bidi and zero-width
characters, emoji and very long words into every field a page or a profile has. For each output
we check that:

- the literal text is there (whitespace and invisible characters aside: lines wrap anywhere);
- nothing was interpreted: no Jinja result, no link, no image, no formula, no raw block;
- nothing was fetched: the listener the corpus points at received no request;
- nothing was read from disk: the canary file's content appears in no output.

Each input is built once per module (all four formats in one `build_report`).
"""

from __future__ import annotations

import io
import re
import urllib.request

import pytest

from render.helpers import fixed_epoch
from rolereport.inputs.profile import load_profile
from rolereport.jobs.options import BuildOptions
from rolereport.jobs.report import build_report
from rolereport.model import Guide, Profile
from rolereport.sources import read_source
from security.hostile import (
    BIDI_CONTROLS,
    Listener,
    contains,
    docx_text,
    flat,
    make_corpus,
    pdf_contains,
    pdf_streams,
    pdf_text,
    read_html,
    xlsx_cells,
    zip_members,
)

FORMATS = ("pdf", "html", "docx", "xlsx")
EVALUATED = ("7777777", "1337000", "Chief49Officer", "with49and")  # what Jinja would have made


@pytest.fixture(scope="module")
def listener():
    server = Listener()
    # Positive control: the listener does record a request made to it.
    urllib.request.urlopen(f"http://127.0.0.1:{server.port}/control", timeout=5).read()
    assert server.requests == ["GET /control"]
    server.requests.clear()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def corpus(listener, tmp_path_factory):
    return make_corpus(tmp_path_factory.mktemp("hostile"), listener.port)


def _build(corpus, source: str, profile: str | None) -> dict[str, bytes]:
    with fixed_epoch():
        opts = BuildOptions(source=corpus.files[source], out=corpus.folder / f"out-{source}", formats=FORMATS,
                            force=True)
        built = build_report(opts, corpus.files[profile] if profile else None)
    return {path.suffix[1:]: path.read_bytes() for path in built.files}


@pytest.fixture(scope="module")
def text_page(corpus):
    """The text page and the hostile profile: every field of both is hostile."""
    guide, _ = read_source(corpus.files["page.txt"])
    return guide, load_profile(corpus.files["profile.yaml"]), _build(corpus, "page.txt", "profile.yaml")


@pytest.fixture(scope="module")
def html_page(corpus):
    """A saved web page with live <img>, <link>, <iframe>, <script>, CSS url() and refresh."""
    guide, _ = read_source(corpus.files["page.html"])
    return guide, None, _build(corpus, "page.html", None)


@pytest.fixture(scope="module")
def md_page(corpus):
    """A Markdown page with images, raw HTML/LaTeX blocks and header-includes."""
    guide, _ = read_source(corpus.files["page.md"])
    return guide, None, _build(corpus, "page.md", None)


@pytest.fixture(scope="module", params=["text_page", "html_page", "md_page"])
def case(request):
    return request.getfixturevalue(request.param)


# --- what each output should show, field by field ----------------------------------------------


def role_values(guide: Guide, *, full: bool) -> list[str]:
    values = [guide.subject.name, guide.subject.primary_focus, guide.subject.key_responsibility,
              guide.subject.deliverable, *guide.subject.tools]
    for role in guide.alternatives:
        values += [role.name, role.tagline, role.primary_focus, role.key_responsibility,
                   role.deliverable, *role.tools, *role.best_for]
        if role.pick_if:
            values.append(role.pick_if)
        if full:
            values += [p for p in role.description.split("\n\n") if p.strip()]
            if role.pick_advice:
                values.append(role.pick_advice)
    return values


def expected(guide: Guide, profile: Profile | None, fmt: str) -> list[str]:
    if fmt in ("pdf", "html"):
        values = [guide.title, *guide.intro, *role_values(guide, full=True), *guide.how_to_pick.closing]
        if guide.how_to_pick.intro:
            values.append(guide.how_to_pick.intro)
        if profile is not None:
            values += [profile.name, profile.current_role or "", *profile.interests, *profile.strengths,
                       profile.goals or ""]
    elif fmt == "docx":
        values = [guide.title, *guide.intro[:1], *role_values(guide, full=False)]
        values += [r.pick_advice for r in guide.alternatives if r.pick_advice]
        if profile is not None:
            values.append(profile.name)
    else:
        values = [guide.title, *role_values(guide, full=False)]
        if profile is not None:
            values.append(profile.name)
    return [v for v in values if v]


def reader_text(fmt: str, data: bytes) -> str:
    if fmt == "pdf":
        return pdf_text(data)
    if fmt == "html":
        return "".join(read_html(data).text)
    if fmt == "docx":
        return docx_text(data)
    return "\n".join(str(c.value) for c in xlsx_cells(data) if c.value is not None)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_hostile_value_appears_literally(case, fmt):
    guide, profile, outputs = case
    text = reader_text(fmt, outputs[fmt])
    values = expected(guide, profile, fmt)
    if fmt == "pdf":
        # A right-to-left override is Unicode doing its job: the PDF shows (and pdftotext returns)
        # those characters in visual order. HTML, DOCX and XLSX keep the logical text; see below.
        values = [v for v in values if not BIDI_CONTROLS & set(v)]
        missing = [v for v in values if not pdf_contains(text, v)]
    else:
        missing = [v for v in values if not contains(text, v)]
    assert not missing, f"{fmt}: not shown as written: {missing}"


@pytest.mark.parametrize("fmt", ["html", "docx", "xlsx"])
def test_bidi_and_emoji_text_kept_as_given(text_page, fmt):
    _, profile, outputs = text_page
    text = reader_text(fmt, outputs[fmt])
    assert "\u202eDoe\u202c" in text and "🚀" in text  # from the profile's name, code points intact


@pytest.mark.parametrize("fmt", FORMATS)
def test_nothing_was_evaluated(case, fmt):
    _, _, outputs = case
    text = flat(reader_text(fmt, outputs[fmt]))
    assert not [e for e in EVALUATED if e in text]
    assert "{{7*7}}" in text


def test_corpus_reaches_every_field(text_page):
    """The fixture really is hostile where it should be (guards against a tamed corpus)."""
    guide, profile, _ = text_page
    for role in guide.alternatives:
        assert any(ch in role.name for ch in "<=+@[")
    assert "<script>" in profile.name and "{{ 7*7 }}" in profile.name
    assert profile.current_role.startswith("=HYPERLINK(")
    assert any(i.startswith("=1+1") for i in profile.interests)  # the leading tab was trimmed


# --- nothing fetched, nothing read ---------------------------------------------------------------


def test_nothing_was_fetched(listener, text_page, html_page, md_page):
    assert listener.requests == []


def test_canary_file_never_read(corpus, text_page, html_page, md_page):
    token = corpus.token.encode()
    for name, (_, _, outputs) in {"text": text_page, "html": html_page, "md": md_page}.items():
        for fmt, data in outputs.items():
            if fmt == "pdf":
                blobs = [data, *pdf_streams(data), pdf_text(data).encode()]
            elif fmt in ("docx", "xlsx"):
                blobs = list(zip_members(data).values())
            else:
                blobs = [data]
            assert not any(token in blob for blob in blobs), f"{name} page: canary in {fmt}"


# --- per format: no link, image, script or formula came from the text ---------------------------


def test_pdf_has_no_uri_script_or_image(case):
    _, _, outputs = case
    data = outputs["pdf"]
    blob = data + b"".join(pdf_streams(data))
    for marker in (b"/URI", b"/JavaScript", b"/JS ", b"/Launch", b"/SubmitForm", b"/EmbeddedFile"):
        assert marker not in blob, marker

    from pypdf import PdfReader

    for page in PdfReader(io.BytesIO(data)).pages:
        # the only images are glyphs of a colour font (emoji), which WeasyPrint names after the font
        resources = page.get("/Resources") or {}
        fonts = set((resources.get("/Font") or {}).keys())
        for name, xobject in (resources.get("/XObject") or {}).items():
            if xobject.get_object().get("/Subtype") == "/Image":
                assert any(re.fullmatch(rf"/i{re.escape(f[1:])}\d+", name) for f in fonts), name
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            assert annot["/Subtype"] == "/Link"
            action = annot.get("/A")
            assert "/Dest" in annot or (action is not None and action.get_object()["/S"] == "/GoTo")


def test_html_has_only_its_own_markup(case):
    _, _, outputs = case
    page = read_html(outputs["html"])
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "iframe", "object", "embed", "link", "video", "audio", "source",
                       "base", "form", "input", "picture", "svg", "image", "frame"}
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            value = (value or "").strip().lower()
            assert not name.startswith("on"), (tag, name)
            assert name not in ("background", "poster", "srcset", "data", "action"), (tag, name)
            if name == "style":  # pandoc's own column widths only
                assert re.fullmatch(r"((width: *[\d.]+%|text-align: *(left|right|center)|--score: *[\d.]+%"
                                    r"|--bar: *#[0-9a-fA-F]{3,8});? *)+", value), value
            if name in ("href", "src"):
                assert not value.startswith(("javascript:", "http:", "https:", "file:", "//")), (tag, value)
                assert "127.0.0.1" not in value and "canary" not in value, (tag, name, value)
            assert value != "title" or name not in ("custom-style", "data-custom-style"), (tag, attrs)
        if tag == "a":
            assert attrs["href"].startswith("#")
        if tag == "img":
            assert attrs.get("class") == "fit-chart" and attrs["src"].startswith("data:image/svg+xml;")
        if tag == "meta":
            assert "http-equiv" not in attrs
    assert len(page.styles) == 1  # ours; a "</style>" in the text did not end it early
    css = page.styles[0]
    assert "@import" not in css and "url(" not in css and "127.0.0.1" not in css


def test_docx_has_no_link_image_field_or_borrowed_style(case):
    guide, _, outputs = case
    parts = zip_members(outputs["docx"])
    assert not [n for n in parts if n.startswith("word/media/") or "embeddings" in n]
    xml = b"".join(v for n, v in parts.items() if n.endswith(".xml"))
    for element in (b"w:hyperlink", b"w:drawing", b"w:pict", b"v:imagedata", b"w:altChunk", b"w:object",
                    b"w:fldSimple", b"w:subDoc"):
        assert not re.search(b"<" + element + rb"[ />]", xml), element
    assert b"r:embed=" not in xml and b"r:link=" not in xml
    # The only fields are the reference document's own page numbers in the footer.
    fields = re.findall(rb"<w:instrText[^>]*>([^<]*)</w:instrText>", xml)
    assert {f.split()[0] for f in fields if f.strip()} <= {b"PAGE", b"NUMPAGES"}, fields
    rels = b"".join(v for n, v in parts.items() if n.endswith(".rels"))
    assert b'TargetMode="External"' not in rels
    kinds = {k.rsplit(b"/", 1)[-1] for k in re.findall(rb'Type="([^"]+)"', rels)}
    assert not kinds & {b"image", b"hyperlink", b"oleObject", b"package", b"aFChunk", b"attachedTemplate",
                        b"subDocument", b"frame"}, kinds

    import docx

    document = docx.Document(io.BytesIO(outputs["docx"]))
    titled = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Title"]
    assert titled == [guide.title]  # "[span]{custom-style="Title"}" in the text styled nothing


def test_xlsx_cells_are_text_never_formulas_or_links(case):
    _, _, outputs = case
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(outputs["xlsx"]))
    risky = []
    for ws in wb.worksheets:
        assert not ws._hyperlinks and not ws._images
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                assert cell.hyperlink is None, cell.coordinate
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    risky.append(cell)
    assert risky and all(c.data_type == "s" and c.quotePrefix for c in risky)
    parts = zip_members(outputs["xlsx"])
    assert not [n for n in parts if n.startswith(("xl/media/", "xl/externalLinks/"))]
    sheets = b"".join(v for n, v in parts.items() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in sheets and b"<f " not in sheets and b"<hyperlink" not in sheets
    rels = b"".join(v for n, v in parts.items() if n.endswith(".rels"))
    assert b'TargetMode="External"' not in rels


def test_xlsx_formula_lookalikes_are_exact_strings(text_page):
    guide, _, outputs = text_page
    values = {c.value for c in xlsx_cells(outputs["xlsx"]) if isinstance(c.value, str)}
    for name in ('=HYPERLINK("http://127.0.0.1:', "+cmd|' /C calc'!A0 Lead", "@SUM(1) Designer"):
        assert any(v.startswith(name) for v in values), name
    assert "=1+1" in values and "-2+3" in values
