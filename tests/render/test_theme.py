"""Theme files: validated like any input (exit 2, one line per problem), and applied to the PDF."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from render.helpers import figure_alts, fixed_epoch, render_pdf, report_for
from rolereport.errors import ThemeError
from rolereport.inputs.theme import load_theme
from rolereport.render.context import Context
from rolereport.render.html import guide_html

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "themes" / "northwind" / "theme.toml"


def write(folder: Path, text: str, name: str = "theme.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('accent = "blue"\n', "field 'accent'"),
        ('accent = "#12345"\n', "field 'accent'"),
        ('organization = "Acme"\n', "unknown key; did you mean 'organisation'"),
        ('page-size = "A4"\n', "did you mean 'page_size'"),
        ('logo = "missing.png"\n', "logo file 'missing.png' does not exist"),
        ('logo = "../outside.png"\n', "outside the theme's folder"),
        ('logo = "theme.toml"\n', "logo must be an image"),
        ('accent = "#FFD700"\n', "too light to read"),
        ('page_size = "A5"\n', "field 'page_size'"),
        ('font_family = "X\\"; } body { color: red"\n', "field 'font_family'"),
        ("organisation = 12\n", "expected text"),
    ],
)
def test_bad_theme_exits_2_with_a_clear_line(cli, tmp_path, text, message):
    theme = write(tmp_path, text)
    (tmp_path.parent / "outside.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    code, out, err = cli("report", "--format", "pdf", "--theme", theme, "--out", tmp_path / "out")
    assert code == 2
    assert message in err and str(theme) in err
    assert not (tmp_path / "out" / "career-guide.pdf").exists()


def test_all_problems_reported_at_once(tmp_path):
    theme = write(tmp_path, 'accent = "red"\naccent_light = "nope"\nlogo = "gone.svg"\n')
    with pytest.raises(ThemeError) as info:
        load_theme(theme)
    assert len(info.value.problems) >= 2


def test_fake_image_is_refused(tmp_path):
    (tmp_path / "logo.png").write_text("not a png", encoding="utf-8")
    with pytest.raises(ThemeError, match="is not a PNG image"):
        load_theme(write(tmp_path, 'logo = "logo.png"\n'))


def test_yaml_theme_works(tmp_path):
    theme = load_theme(write(tmp_path, "organisation: Acme\npage_size: Letter\n", "theme.yaml"))
    assert theme.organisation == "Acme" and theme.page_size == "Letter"


@pytest.fixture(scope="module")
def themed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("theme")
    for item in EXAMPLE.parent.iterdir():
        shutil.copy(item, folder / item.name)
    ctx = Context.create(None, folder / "theme.toml")
    with fixed_epoch():
        report = report_for()
        return ctx, render_pdf(report, ctx), guide_html(report, ctx)


def test_example_theme_applies(themed):
    ctx, pdf, _ = themed
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # Letter
    assert reader.metadata.author == "Northwind Careers"
    assert reader.trailer["/Root"]["/Lang"] == "en-US"
    text = reader.pages[0].extract_text()
    assert "Northwind Careers" in text and "Where your engineering skills" in text


def test_logo_is_drawn_with_alt_text(themed):
    ctx, pdf, html = themed
    assert f'alt="{ctx.theme.logo_alt}"' in html
    # the logo is in the PDF's structure tree as a figure with its alternative text
    assert ctx.theme.logo_alt in figure_alts(pdf)


def test_html_output_is_self_contained(themed):
    _, _, html = themed
    assert "<style>" in html and "data:image/svg+xml;base64," in html
    for ref in ("file:", "http:", "https:", "<link"):
        assert ref not in html.replace("http://www.w3.org", "")
