"""Names and text in every script: drawn (never a missing-glyph box), isolated when right-to-left,
carried by the DOCX and XLSX (also as LibreOffice shows them), and turned into ASCII folder names.

One report renders names in 15 scripts at once (a PDF, a DOCX and an XLSX), checked from the
files themselves; one batch over a roster of the same names builds every person's folder.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from conftest import FIXTURES
from pdfglyphs import boxes, fonts_drawing
from rolereport import notices
from rolereport.inputs.profile import load_profile
from rolereport.jobs.report import make_report
from rolereport.model import Profile
from rolereport.render import docx, xlsx
from rolereport.render.context import Context
from rolereport.render.pdf import document as pdf
from rolereport.render.pdf.glyphs import check_report, coverage
from rolereport.sources import read_source
from rolereport.text.direction import FSI, PDI, direction, isolate
from rolereport.text.slugs import slugify

SCRIPTS = FIXTURES / "scripts"
ROSTER = SCRIPTS / "roster.csv"
PROFILE = SCRIPTS / "many-scripts.yaml"
NAMES = [row["name"] for row in csv.DictReader(ROSTER.open(encoding="utf-8"))]
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


def plain(text: str) -> str:
    """Text as compared: NFC, without bidi controls and whitespace (extraction wraps anywhere)."""
    return re.sub(r"\s+", "", _BIDI_CONTROLS.sub("", unicodedata.normalize("NFC", text)))


def pdftotext(data: bytes, tmp: Path) -> str:
    path = tmp / "x.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def uncovered_scripts() -> list[str]:
    """Names whose characters this machine has no font for (the tests that look for their glyphs skip)."""
    return [name for name in NAMES if coverage().missing(name)]


@pytest.fixture(scope="module")
def report():
    guide, info = read_source()
    return make_report(guide, info, load_profile(PROFILE))


@pytest.fixture(scope="module")
def ctx():
    return Context.create()


@pytest.fixture(scope="module")
def outputs(report, ctx):
    with notices.collect() as found:
        files = {"pdf": pdf.render(report, ctx), "docx": docx.render(report, ctx), "xlsx": xlsx.render(report, ctx)}
    return files, found


# ---- folder names --------------------------------------------------------------------------------

@pytest.mark.parametrize("name, slug", [
    ("Łukasz Strauß", "lukasz-strauss"), ("Øyvind Ærø", "oyvind-aero"), ("王小明", "wang-xiao-ming"),
    ("Дмитрий Иванов", "dmitriy-ivanov"), ("김민준", "gim-min-jun"), ("José García", "jose-garcia"),
    ("McDonald", "mcdonald"), ("con", "con-1"), ("AUX", "aux-1"), ("com1", "com1-1"), ("Nul", "nul-1"),
    ("lpt9", "lpt9-1"), ("console", "console"), ("../../etc", "etc"), ("!!!", ""),
])
def test_slugs_are_readable_ascii(name, slug):
    assert slugify(name) == slug


def test_every_roster_name_gives_a_distinct_ascii_slug():
    slugs = [slugify(n) for n in NAMES]
    assert all(s and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in slugs), slugs
    assert len(set(slugs)) == len(slugs) >= 12


def test_a_name_that_yields_nothing_says_what_to_do(cli, tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text("name: '«»'\n", encoding="utf-8")
    code, _, err = cli("report", "--profile", profile, "--out", tmp_path / "out", "--format", "xlsx")
    assert code == 2
    assert "field 'id'" in err and "transliterated" in err and "jane-doe" in err


def test_batch_builds_every_script_into_its_own_readable_folder(cli, tmp_path):
    out = tmp_path / "out"
    code, _, err = cli("batch", ROSTER, "--out", out, "--format", "xlsx", "--jobs", "2", "--plain")
    assert code == 0, err
    with (out / "manifest.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["status"] for r in rows] == ["ok"] * len(NAMES)
    slugs = {r["name"]: r["slug"] for r in rows}
    assert slugs["王小明"] == "wang-xiao-ming" and slugs["Łukasz Strauß"] == "lukasz-strauss"
    assert len(set(slugs.values())) == len(NAMES)
    for name, slug in slugs.items():
        assert slug.isascii() and (out / slug).is_dir()
        title = load_workbook(out / slug / "role-matrix.xlsx").worksheets[0]["A1"].value
        assert name in title


# ---- direction -----------------------------------------------------------------------------------

def test_direction_and_isolation():
    assert direction("Jane Doe") is None and direction("王小明") is None
    assert direction("محمد علي (HR)") == "rtl" and direction("(1) דוד") == "rtl"
    assert direction("Jane محمد") == "ltr"
    assert isolate("Jane") == "Jane" and isolate("محمد") == f"{FSI}محمد{PDI}"


def test_right_to_left_paragraphs_become_bidi_paragraphs():
    xml = ('<w:body><w:p><w:pPr><w:pStyle w:val="BodyText" /><w:jc w:val="left" /></w:pPr><w:r><w:t>شكرا '
           'جزيلا.</w:t></w:r></w:p><w:p><w:r><w:t>Hello محمد</w:t></w:r></w:p><w:p><w:r><w:t>דוד</w:t></w:r>'
           '</w:p></w:body>')
    out = docx.right_to_left_paragraphs(xml)
    assert '<w:pStyle w:val="BodyText" /><w:bidi /><w:jc' in out  # in schema order
    assert "<w:p><w:pPr><w:bidi /></w:pPr><w:r><w:t>דוד" in out
    assert out.count("<w:bidi") == 2  # the left-to-right paragraph stays as it was
    assert docx.right_to_left_paragraphs("<w:p><w:r><w:t>Latin</w:t></w:r></w:p>") == \
        "<w:p><w:r><w:t>Latin</w:t></w:r></w:p>"


def test_right_to_left_cells_read_right_to_left(ctx):
    from rolereport.render.xlsx.cells import looks, put_text

    ws = Workbook().active
    lk = looks(ctx)
    rtl = put_text(ws, 1, 1, "محمد علي (HR)", lk["text"])
    ltr = put_text(ws, 2, 1, "Jane محمد", lk["text"])
    assert rtl.alignment.readingOrder == 2 and rtl.alignment.wrap_text
    assert not ltr.alignment.readingOrder


# ---- the PDF -------------------------------------------------------------------------------------

def test_pdf_draws_no_missing_glyph(outputs):
    """Every shown code maps, through its font, to a real glyph: no box for any name or item."""
    files, _ = outputs
    missing = uncovered_scripts()
    found = boxes(files["pdf"])
    if missing:
        pytest.skip(f"no font on this machine for {missing} (make install)")
    assert found == {}


def test_the_box_check_sees_a_box(ctx, report):
    """The check above can fail: a character no font has is drawn as a box, and is warned about."""
    odd = "\U0010fffd"
    page = f'<html lang="en"><body><p>Ada {odd} Lovelace</p></body></html>'
    data = pdf.engine(ctx).layout(page, (), pdf.base_url(ctx))
    assert odd in "".join(boxes(data).values())
    person = Profile(name=f"Ada {odd} Lovelace", interests=("fine", f"odd {odd}{odd}"))
    with notices.collect() as found:
        check_report(report.model_copy(update={"profile": person}))
    assert [(p.file, p.where) for p in found] == [(person.name, "field 'name'"), (person.name, "field 'interests[2]'")]
    assert "U+10FFFD" in found[0].message and "empty box" in found[0].message


@needs_pdftotext
def test_pdf_shows_every_name(outputs, tmp_path):
    files, found = outputs
    text = plain(pdftotext(files["pdf"], tmp_path))
    for name in NAMES:
        if any(0x0900 <= ord(ch) <= 0x0DFF for ch in name):
            # Indic vowel signs are drawn around their consonant (before it, or in two parts) and
            # text extraction gives them back in drawing order, or in part: the letters must be
            # there (the glyphs themselves are checked by test_pdf_draws_no_missing_glyph)
            assert all(ch in text for ch in plain(name) if unicodedata.category(ch) == "Lo"), name
        else:
            assert plain(name) in text, name
    assert plain("محمد علي") in text and "HR" in text  # (brackets come out mirrored, as drawn)
    assert found == []  # every character had a font: nothing to warn about


def test_han_takes_the_forms_of_its_language(outputs):
    files, _ = outputs
    drawn = fonts_drawing(files["pdf"], "佐藤김")
    if not any("CJK" in f for fonts in drawn.values() for f in fonts):
        pytest.skip("Noto Sans CJK is not installed")
    assert all("JP" in f for f in drawn["佐"]), drawn  # a Japanese name (it has kana)
    assert all("KR" in f for f in drawn["김"]), drawn


def test_page_marks_languages_and_directions(report, ctx):
    from rolereport.render.html import guide_html

    page = guide_html(report, ctx)
    assert '<span lang="ja">佐藤 さくら</span>' in page and '<span lang="ko">김민준</span>' in page
    assert '<p class="prepared-name" dir="rtl">محمد علي (HR)</p>' in page
    assert f'<span dir="rtl">{FSI}محمد علي (HR){PDI}</span>' in page  # the name in the text, isolated


def test_latin_pages_are_untouched(ctx):
    from rolereport.render.html import mark_languages

    page = "<html><head><title>x</title></head><body><p>Jane Doe — “quoted”</p></body></html>"
    assert mark_languages(page, "en") is page


# ---- DOCX and XLSX -------------------------------------------------------------------------------

def test_docx_carries_the_names_with_right_to_left_runs(outputs):
    from docx import Document

    files, _ = outputs
    doc = Document(io.BytesIO(files["docx"]))
    text = plain("".join(p.text for p in doc.paragraphs))
    assert plain("محمد علي (HR)") in text
    body = doc.element.body.xml
    assert re.search(r"<w:rtl/>.*?<w:t[^>]*>[^<]*محمد علي", body, re.S)


def test_reference_docx_names_east_asian_and_complex_script_fonts():
    from docx import Document

    from rolereport.render.templating import BUILTIN

    styles = Document(str(BUILTIN / "docx" / "reference.docx")).styles.element
    fonts = styles.find(".//{*}docDefaults//{*}rFonts")
    attrs = {k.split("}")[1]: v for k, v in fonts.attrib.items()}
    assert attrs["ascii"] == "Source Sans Pro" and attrs["eastAsia"] and attrs["cs"]
    assert "Theme" not in " ".join(attrs)
    for other in styles.iter(fonts.tag):  # no style falls back to theme fonts for other scripts
        assert not any(k.endswith(("eastAsiaTheme", "cstheme")) for k in other.attrib)


def test_xlsx_carries_the_names_isolated(outputs):
    files, _ = outputs
    wb = load_workbook(io.BytesIO(files["xlsx"]))
    title = wb.worksheets[0]["A1"].value
    assert f"{FSI}محمد علي (HR){PDI}" in title
    body = [c for row in wb.worksheets[0].iter_rows() for c in row if c.value and c.font.name == "Calibri"]
    assert body and all(c.font.scheme == "minor" for c in body)  # Excel takes other scripts' fonts from the theme


@needs_soffice
@needs_pdftotext
def test_libreoffice_shows_the_names(outputs, tmp_path):
    """LibreOffice opens the handout and the matrix and draws the name with real glyphs."""
    files, _ = outputs
    (tmp_path / "handout.docx").write_bytes(files["docx"])
    (tmp_path / "matrix.xlsx").write_bytes(files["xlsx"])
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"),
                    str(tmp_path / "handout.docx"), str(tmp_path / "matrix.xlsx")],
                   check=True, capture_output=True, timeout=180)
    for stem in ("handout", "matrix"):
        data = (tmp_path / "pdf" / f"{stem}.pdf").read_bytes()
        text = plain(pdftotext(data, tmp_path))
        assert plain("محمد علي") in text and "HR" in text, stem
        assert boxes(data) == {}, stem


def test_make_lists_scripts_without_fonts():
    out = subprocess.run([sys.executable, "-m", "rolereport.render.pdf.glyphs"], capture_output=True, text=True,
                         check=True).stdout
    assert out.startswith(("fonts: every script", "note: no installed font for "))


def test_a_machine_without_the_fonts_warns_and_make_names_the_scripts(tmp_path):
    """With only the bundled Latin font (a fresh machine before `make`), a Chinese name is said to
    show as boxes: by the report (where the PDF is laid out beside it) and by make's check."""
    from rolereport.render.fonts import font_dir

    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><fontconfig><dir>{font_dir()}</dir>'
                    f'<cachedir>{tmp_path / "cache"}</cachedir></fontconfig>', encoding="utf-8")
    profile = tmp_path / "p.yaml"
    profile.write_text("name: 王小明\ninterests: [release automation]\n", encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    run = subprocess.run([sys.executable, "-m", "rolereport", "report", "--profile", str(profile), "--out",
                          str(tmp_path / "out"), "--format", "pdf"], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    warned = [line for line in run.stderr.splitlines() if "warning" in line]
    assert len(warned) == 1 and warned[0].startswith("rolereport: 王小明: field 'name': warning: ")
    assert "'王' (U+738B)" in warned[0] and "empty boxes" in warned[0]
    data = (tmp_path / "out" / "wang-xiao-ming" / "career-guide.pdf").read_bytes()
    assert set("王小明") <= set("".join(boxes(data).values()))  # and they really are boxes
    note = subprocess.run([sys.executable, "-m", "rolereport.render.pdf.glyphs"], env=env, capture_output=True,
                          text=True, check=True).stdout
    assert note.startswith("note: no installed font for ") and "Chinese" in note and "Arabic" in note
