"""The hostile-input corpus: each case is made on the fly (bombs.py), run through the real command
under a memory bound and a watchdog (bounded.py), and must end with one line naming the file and
exit 2, writing nothing (or be read correctly, where the input is merely odd)."""

from __future__ import annotations

import pytest

from security import bombs
from security.bounded import one_line, run_bounded


def report(tmp_path, source, *args):  # noqa: ANN001, ANN201
    out = tmp_path / "out"
    ran = run_bounded("report", "--source", source, "--out", out, "--format", "html", *args)
    return ran, out


def nothing_written(out) -> None:  # noqa: ANN001
    assert not out.exists() or not [p for p in out.rglob("*") if p.name != ".rolereport.lock"]


@pytest.mark.parametrize("make, words", [
    (bombs.lying_docx, ("cannot be unpacked",)),  # Python reads what it declares: the checksum then fails
    (bombs.lying_odt, ("cannot be unpacked",)),
    (bombs.honest_bomb_docx, ("limited to 52,428,800 bytes unpacked",)),
    (bombs.billion_laughs_docx, ("XML entities",)),
    (bombs.bad_crc_docx, ("cannot be unpacked", "CRC")),
    (bombs.nested_divs, ("nested",)),
    (bombs.nested_mhtml, ("nested",)),
    (bombs.shared_stream_pdf, ("2,000 pages",)),
    (bombs.one_heavy_page_pdf, ("page 1 draws more than",)),
    (bombs.heavy_pages_pdf, ("in all",)),
    (bombs.bad_xref_pdf, ("PDF",)),  # and none of pypdf's own lines
    (bombs.many_roles, ("at most 500 roles",)),
], ids=lambda v: getattr(v, "__name__", ""))
def test_a_hostile_source_is_one_line(tmp_path, make, words):
    source = make(tmp_path)
    ran, out = report(tmp_path, source)
    one_line(ran, source, *words)
    nothing_written(out)


def test_the_sniffer_reads_no_more_than_the_mimetype_s_first_bytes(tmp_path):
    source = bombs.huge_mimetype(tmp_path)
    ran = run_bounded("extract", source)
    assert ran.code == 2 and "Traceback" not in ran.err, ran.err
    assert "unexpected error" not in ran.err


def test_a_non_numeric_list_level_is_read_as_no_number(tmp_path):
    source = bombs.bad_ilvl_docx(tmp_path)
    ran = run_bounded("extract", source)
    assert "Traceback" not in ran.err and "unexpected error" not in ran.err, ran.err
    one_line(ran, source)  # past the numbering (no crash there): pandoc then judges the part


@pytest.mark.parametrize("option", ["--source", "--profile", "--theme"])
@pytest.mark.parametrize("make", [bombs.fifo, bombs.zero_link], ids=["fifo", "dev-zero"])
def test_a_special_file_is_refused_by_name(tmp_path, option, make):
    suffix = {"--source": ".txt", "--profile": ".yaml", "--theme": ".toml"}[option]
    folder = tmp_path / "in"
    folder.mkdir()
    special = make(folder)
    special = special.rename(special.with_suffix(suffix)) if special.suffix != suffix else special
    args = ["--out", tmp_path / "out", "--format", "html", option, special]
    ran = run_bounded("report", *args)
    line = one_line(ran, special)
    assert "named pipe" in line or "character device" in line, line


def test_a_socket_is_refused_by_name(tmp_path):
    source, sock = bombs.unix_socket(tmp_path)
    try:
        one_line(run_bounded("extract", source), source, "socket")
    finally:
        sock.close()


@pytest.mark.parametrize("make", [bombs.fifo, bombs.zero_link], ids=["fifo", "dev-zero"])
def test_a_special_roster_is_refused_by_name(tmp_path, make):
    """A roster that cannot be read is the batch's failed input (its row in the manifest), as any
    unreadable roster is: exit 1, the reason said, no person built."""
    special = make(tmp_path)
    roster = special.rename(tmp_path / "people.csv")
    ran = run_bounded("batch", roster, "--out", tmp_path / "out", "--format", "html", "--plain")
    assert ran.code == 1 and "Traceback" not in ran.err and "unexpected error" not in ran.err, ran
    assert "named pipe" in ran.out or "character device" in ran.out, ran.out


@pytest.mark.parametrize("rows, words", [(3_000_000, "bytes unpacked"), (1_000_000, "more than 100,000 rows")])
def test_an_xlsx_roster_of_empty_rows_is_refused_while_streaming(tmp_path, rows, words):
    roster = bombs.empty_rows_xlsx(tmp_path, rows)
    ran = run_bounded("batch", roster, "--out", tmp_path / "out", "--format", "html", "--plain")
    assert ran.code == 1 and "Traceback" not in ran.err and "unexpected error" not in ran.err, ran
    assert words in ran.out, ran.out
    assert not [p for p in (tmp_path / "out").iterdir() if p.is_dir()]  # nobody built


@pytest.mark.parametrize("kind", ["broken", "xxe", "laughs"])
def test_an_svg_logo_that_cannot_be_drawn_is_warned_about(tmp_path, kind):
    logo = bombs.svg_logos(tmp_path)[kind]
    theme = tmp_path / "theme.toml"
    theme.write_text(f'organisation = "Org"\nlogo = "{logo.name}"\n', encoding="utf-8")
    out = tmp_path / "out"
    ran = run_bounded("report", "--theme", theme, "--out", out, "--format", "html")
    assert ran.code == 0, ran.err
    warning = [line for line in ran.lines if "logo" in line]
    assert len(warning) == 1 and "cannot be drawn" in warning[0] and "without a logo" in warning[0], ran.err
    page = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert "SECRET-CANARY" not in page and "hahaha" not in page


def test_the_python_part_of_a_read_has_a_deadline_too(cli, tmp_path, monkeypatch):
    """A reader stuck in Python (here: a parser that never ends) is stopped at the time limit."""
    import time

    import rolereport.sources as sources

    def endless(blocks, file):  # noqa: ANN001, ANN202
        while True:
            time.sleep(0.01)

    monkeypatch.setattr(sources, "parse_blocks", endless)
    monkeypatch.setenv("ROLEREPORT_RENDER_TIMEOUT", "0.2")
    page = tmp_path / "page.txt"
    page.write_text(bombs.source_text(), encoding="utf-8")
    code, _, err = cli("extract", page)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert f"rolereport: {page}: reading it took longer than the limit" in err
