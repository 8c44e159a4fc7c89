"""The corpus: pages of the family saved the way real programs save them (made by
scripts/make_page_fixtures.py), each extracted field by field against its expected JSON, with
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
