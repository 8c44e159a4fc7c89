from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DEFAULT_SOURCE
from rolereport.errors import SourceError
from rolereport.sources.parse import parse_blocks
from rolereport.sources.text import text_blocks

GOOD = DEFAULT_SOURCE.read_text(encoding="utf-8")


def run_bad(cli, tmp_path, content: bytes | str, name: str = "bad.txt", *extra: str):
    page = tmp_path / name
    page.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    out = tmp_path / "out.json"
    code, stdout, err = cli("extract", page, "-o", out, *extra)
    assert code == 2
    assert stdout == ""
    assert not out.exists(), "no output may be written for a bad source"
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert all(line.startswith(f"rolereport: {page}") for line in lines), err
    return err


def test_empty(cli, tmp_path):
    assert "empty" in run_bad(cli, tmp_path, "  \n\n")


def test_binary(cli, tmp_path):
    assert "binary" in run_bad(cli, tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00rest")


def test_not_utf8(cli, tmp_path):
    err = run_bad(cli, tmp_path, GOOD.encode("utf-8") + "\nCaf\xe9".encode("latin-1"))
    assert "not UTF-8" in err and f"line {GOOD.count(chr(10)) + 2}" in err


def test_no_ranked_list(cli, tmp_path):
    assert "no ranked list" in run_bad(cli, tmp_path, "Title\nJust a paragraph.\n")


def test_no_table(cli, tmp_path):
    text = "\n".join(x for x in GOOD.split("\n") if not x.startswith("|"))
    assert "no comparison table" in run_bad(cli, tmp_path, text)


def test_ranked_role_missing_from_table(cli, tmp_path):
    text = "\n".join(x for x in GOOD.split("\n") if not x.startswith("| Backend"))
    err = run_bad(cli, tmp_path, text)
    assert "'Backend Engineer' has no row in the comparison table" in err
    line = GOOD.split("\n").index(next(x for x in GOOD.split("\n") if x.startswith("4. Backend")))
    assert f"line {line + 1}:" in err


def test_table_row_matching_no_role(cli, tmp_path):
    text = GOOD.replace("| AI Engineer |", "| Robotics Engineer |")
    err = run_bad(cli, tmp_path, text)
    assert "table row 'Robotics Engineer' matches no ranked role" in err
    assert "'AI Engineer' has no row" in err
    assert len(err.strip().splitlines()) == 2  # every problem, one line each


def test_duplicate_names_and_ranks(cli, tmp_path):
    text = GOOD.replace("4. Backend Engineer", "3. Data Engineer")
    err = run_bad(cli, tmp_path, text)
    assert "role 'Data Engineer' is listed twice" in err
    assert "rank 3 is used twice" in err


def test_ranks_with_gap(cli, tmp_path):
    err = run_bad(cli, tmp_path, GOOD.replace("5. AI Engineer", "7. AI Engineer"))
    assert "ranks must run 1 to 5 without gaps; found 1, 2, 3, 4, 7" in err


def test_title_names_no_table_row(cli, tmp_path):
    err = run_bad(cli, tmp_path, GOOD.replace("| Machine Learning Engineer |", "| Mystery |"))
    assert "no row for the role the title names" in err


def test_unknown_format(cli, tmp_path):
    # a name that says nothing and content that is no page of any format this tool reads
    assert "--from" in run_bad(cli, tmp_path, b"\x00\x01\x02 not a page \xff" * 40, "page.pdfx")
    assert "--from" in run_bad(cli, tmp_path, b"PK\x03\x04 a zip that is no document", "page")


def test_missing_file_without_extension(cli, tmp_path):
    code, _, err = cli("extract", tmp_path / "nope")
    assert code == 2 and "no such file" in err


def test_missing_file(cli, tmp_path):
    code, _, err = cli("extract", tmp_path / "nope.txt")
    assert code == 2 and "no such file" in err


def test_docx_that_is_not_docx(cli, tmp_path):
    assert "not a DOCX" in run_bad(cli, tmp_path, GOOD, "page.docx")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("|-—:1. \nabcXY()")) | st.characters(), max_size=400))
def test_arbitrary_text_only_raises_source_error(text):
    try:
        parse_blocks(text_blocks(text), "fuzz.txt")
    except SourceError:
        pass


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, GOOD.count("\n")), max_size=6), st.text(max_size=30))
def test_mutated_page_only_raises_source_error(drops, junk):
    lines = GOOD.split("\n")
    for d in sorted(set(drops), reverse=True):
        if d < len(lines):
            lines[d] = junk
    try:
        parse_blocks(text_blocks("\n".join(lines)), "fuzz.txt")
    except SourceError:
        pass
