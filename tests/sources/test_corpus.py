"""The corpus: pages of the family saved the way real programs save them (made by
tools/make_page_fixtures.py), each extracted field by field against its expected JSON, with
exactly the warnings its shape calls for; and pages not of the family, answered with one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, load_json
from rolereport import notices
from rolereport.errors import SourceError
from rolereport.sources import read_source

CORPUS = FIXTURES / "pages" / "corpus"
PAGES = sorted(p.name for p in CORPUS.iterdir() if p.is_file() and not p.name.endswith((".json", ".warnings")))
BAD = sorted(p.name for p in (CORPUS / "bad").iterdir() if not p.name.endswith(".error"))


def test_the_corpus_is_large_and_varied():
    assert len(PAGES) >= 30
    assert {Path(p).suffix for p in PAGES} >= {".html", ".md", ".txt", ".docx", ".odt", ".pdf", ".mhtml"}
    assert len({p.split("--")[0] for p in PAGES}) >= 6  # several pages, not one page in many shapes


def expected_warnings(page: Path) -> list[str]:
    marks = page.with_name(page.name + ".warnings")
    return marks.read_text(encoding="utf-8").splitlines() if marks.exists() else []


@pytest.mark.parametrize("page", PAGES)
def test_corpus_page_extracts_field_by_field(page):
    path = CORPUS / page
    expected = load_json(path.with_name(page + ".expected.json"))
    with notices.collect() as found:
        guide, _ = read_source(path)
    got = guide.contract()
    for key in ("title", "subject", "intro", "how_to_pick"):
        assert got[key] == expected[key], key
    assert [a["name"] for a in got["alternatives"]] == [a["name"] for a in expected["alternatives"]]
    for mine, theirs in zip(got["alternatives"], expected["alternatives"], strict=True):
        for field in theirs:
            assert mine[field] == theirs[field], f"{theirs['name']}: {field}"
    said = [w.message for w in found]
    wanted = expected_warnings(path)
    assert len(said) == len(wanted), said
    for piece in wanted:
        assert any(piece in message for message in said), (piece, said)


@pytest.mark.parametrize("page", [p for p in PAGES if expected_warnings(CORPUS / p)][:3])
def test_strict_turns_the_warnings_into_errors(cli, page, tmp_path):
    out = tmp_path / "roles.json"
    code, stdout, err = cli("extract", "--strict", CORPUS / page, "-o", out)
    assert code == 2 and stdout == "" and not out.exists()
    lines = err.strip().splitlines()
    assert len(lines) == len(expected_warnings(CORPUS / page))
    assert all(line.startswith(f"rolereport: {CORPUS / page}") and "(an error with --strict)" in line
               for line in lines), err


def test_without_strict_each_warning_is_one_line(cli):
    page = CORPUS / "store-manager--css-counter.html"
    code, out, err = cli("extract", page)
    assert code == 0 and out.startswith("{")
    assert err.strip().splitlines() == [
        f"rolereport: {page}: {line}" for line in err.strip().removeprefix(f"rolereport: {page}: ").splitlines()]
    assert ": warning: the entries carry no rank numbers" in err


@pytest.mark.parametrize("page", BAD)
def test_pages_not_of_the_family_get_one_line(cli, page, tmp_path):
    path = CORPUS / "bad" / page
    want = path.with_name(page + ".error").read_text(encoding="utf-8").strip()
    out = tmp_path / "roles.json"
    code, stdout, err = cli("extract", path, "-o", out)
    assert code == 2 and stdout == "" and not out.exists()
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"rolereport: {path}") and want in lines[0], err
    with pytest.raises(SourceError):
        read_source(path)


def test_report_strict_stops_before_any_output(cli, tmp_path):
    page = CORPUS / "store-manager--css-counter.html"
    out = tmp_path / "out"
    code, _, err = cli("report", "--strict", "--source", page, "--format", "xlsx", "--out", out)
    assert code == 2 and "the entries carry no rank numbers" in err and "(an error with --strict)" in err
    assert not out.exists() or not any(out.rglob("*.xlsx"))
    code, stdout, err = cli("report", "--source", page, "--format", "xlsx", "--out", out)
    assert code == 0 and "warning: the entries carry no rank numbers" in err and "wrote" in stdout


def test_the_cli_offers_every_source_format():
    from rolereport.cli.parser import SOURCE_FORMATS
    from rolereport.sources import EXTENSIONS, FORMATS

    assert SOURCE_FORMATS == FORMATS and set(EXTENSIONS.values()) == set(FORMATS)


def test_text_pages_load_no_detector_and_no_pdf_reader(tmp_path):
    """charset-normalizer and pypdf are imported only for the sources that need them."""
    import subprocess
    import sys

    code = ("import sys; from rolereport.sources import read_source; read_source(sys.argv[1]); "
            "print(sorted(m for m in ('charset_normalizer', 'pypdf', 'defusedxml') if m in sys.modules))")
    page = FIXTURES / "pages" / "teacher-no-best-for.txt"
    done = subprocess.run([sys.executable, "-c", code, str(page)], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(("name", "data", "says"), [
    ("mixed.txt", "Caf\u00e9 — ok\n".encode() + b"na\xefve\n", "mixes UTF-8 with another encoding"),
    ("lying.html", b"<meta charset='utf-8'><p>na\xefve</p>", "declares the encoding utf-8 but is not"),
    ("scan.pdf", None, "has no text layer"),
    ("note.mhtml", b"just some text, not MIME\n", "is not an MHTML file"),
])
def test_unreadable_shapes_get_one_line(cli, tmp_path, name, data, says):
    page = tmp_path / name
    if data is None:
        import pypdf

        writer = pypdf.PdfWriter()
        writer.add_blank_page(595, 842)
        with page.open("wb") as f:
            writer.write(f)
    else:
        page.write_bytes(data)
    code, _, err = cli("extract", page)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith(f"rolereport: {page}") and says in lines[0], err


def test_html_without_a_declaration_in_windows_1252_is_detected_with_a_warning(tmp_path):
    source = (CORPUS / "social-worker--windows-1252.html").read_bytes().replace(b"<meta charset='windows-1252'>", b"")
    page = tmp_path / "page.html"
    page.write_bytes(source)
    with notices.collect() as found:
        guide, _ = read_source(page)
    assert guide.contract() == load_json(CORPUS / "social-worker--windows-1252.html.expected.json")
    assert [w.message for w in found] == [
        "the page declares no encoding; read it as cp1252 (detected); save it as UTF-8 to be sure"]


def test_utf8_saved_under_an_old_declaration_is_read_as_utf8_with_a_warning(tmp_path):
    source = (CORPUS / "social-worker--windows-1252.html").read_bytes().decode("cp1252")
    page = tmp_path / "page.html"
    page.write_bytes(source.encode("utf-8"))  # re-saved as UTF-8, the windows-1252 meta left in
    with notices.collect() as found:
        guide, _ = read_source(page)
    assert guide.contract() == load_json(CORPUS / "social-worker--windows-1252.html.expected.json")
    assert [w.message for w in found] == [
        "the page declares the encoding cp1252 but is UTF-8 text; read it as UTF-8"]


@pytest.mark.parametrize("page", PAGES)
def test_a_page_saved_without_its_extension_reads_the_same_by_its_content(page, tmp_path):
    """A browser's "Save as" with the name typed over, a mail attachment called "page": the
    format comes from the content, with a warning that says so."""
    path = CORPUS / page
    bare = tmp_path / path.name.split(".")[0]
    bare.write_bytes(path.read_bytes())
    with notices.collect():
        want, _ = read_source(path)
    with notices.collect() as found:
        got, _ = read_source(bare)
    assert got == want
    said = [w.message for w in found if "by its content" in w.message]
    assert len(said) == 1 and "the name has no extension: read as " in said[0] and "--from" in said[0]


def test_an_unknown_extension_is_read_by_content_and_strict_refuses_it(cli, tmp_path):
    page = tmp_path / "saved.page"
    page.write_bytes((CORPUS / next(p for p in PAGES if p.endswith(".html"))).read_bytes())
    code, out, err = cli("extract", page)
    assert code == 0 and out.startswith("{")
    assert f"rolereport: {page}: warning: the extension '.page' is not one this tool knows: read as html" in err
    code, out, err = cli("extract", "--strict", page)
    assert code == 2 and out == "" and "(an error with --strict)" in err
