"""No text dropped without a word: every paragraph, list item and table cell of a page lands in a
field of the guide or in a warning that names it. Each test feeds a page with a part deliberately
put where no field takes it."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, load_json
from rolereport import notices
from rolereport.sources import read_source

PAGES = FIXTURES / "pages"
CHEF = (PAGES / "head-chef.txt").read_text(encoding="utf-8")


def read(tmp_path, text: str, name: str = "page.txt") -> tuple[dict, list[str]]:
    page = tmp_path / name
    page.write_text(text, encoding="utf-8")
    with notices.collect() as found:
        guide, _ = read_source(page)
    return guide.contract(), [f"{w.where}: {w.message}" for w in found]


@pytest.mark.parametrize("page", ["head-chef.txt", "pharmacist.txt", "teacher-no-best-for.txt"])
def test_a_whole_page_reads_without_a_word_of_loss(tmp_path, page):
    text = (PAGES / page).read_text(encoding="utf-8").replace("Figures are indicative and vary by country.\n", "")
    _, said = read(tmp_path, text)
    assert said == []


def test_list_items_after_the_profile_link_are_named(tmp_path):
    lost = CHEF.replace("Explore the full Café Owner toolkit profile →\n",
                        "Explore the full Café Owner toolkit profile →\n- Chefs who want weekends off, eventually\n")
    got, said = read(tmp_path, lost)
    assert got == load_json(PAGES / "head-chef.expected.json")  # the fields are as before
    line = lost.splitlines().index("- Chefs who want weekends off, eventually") + 1
    assert said == [f"line {line}: list item “Chefs who want weekends off, eventually” was not used where it "
                    "stands: it fits none of the guide's parts; check the page there"]


def test_a_paragraph_after_best_for_and_a_bullet_in_the_intro_are_named(tmp_path):
    lost = (CHEF.replace("Top alternatives ranked\n", "- Long evenings\nTop alternatives ranked\n")
            .replace("- Chefs curious about food science\n",
                     "- Chefs curious about food science\nSalaries start lower than in a restaurant.\n"))
    _, said = read(tmp_path, lost)
    assert len(said) == 2
    assert "list item “Long evenings” was not used" in said[0]
    assert "paragraph “Salaries start lower than in a restaura…” was not used" in said[1]


def test_a_run_of_lost_blocks_is_one_warning_naming_its_ends(tmp_path):
    extra = "".join(f"- Extra point number {n}\n" for n in range(1, 6))
    lost = CHEF.replace("Explore the full Culinary Instructor toolkit profile →\n",
                        "Explore the full Culinary Instructor toolkit profile →\n" + extra)
    _, said = read(tmp_path, lost)
    assert len(said) == 1
    assert "5 list items from “Extra point number 1” to “Extra point number 5” were not used" in said[0]


def test_a_second_table_and_an_extra_column_are_named(tmp_path):
    lost = (CHEF.replace("| Typical Deliverable |\n|---|---|---|---|---|\n",
                         "| Typical Deliverable | Pay |\n|---|---|---|---|---|---|\n")
            .replace("| Menus, plated dishes |", "| Menus, plated dishes | £45k |")
            + "| Shift | Hours |\n|---|---|\n| Lunch | 10-15 |\n")
    got, said = read(tmp_path, lost)
    assert got["subject"]["deliverable"] == "Menus, plated dishes"
    assert any("table column 'Pay' was not used" in s for s in said), said
    assert any("a table of 2 rows and 4 cells (from “Shift | Hours”) was not used" in s for s in said), said
    assert len(said) == 2


def test_a_note_after_the_table_is_named(tmp_path):
    _, said = read(tmp_path, (PAGES / "teacher-no-best-for.txt").read_text(encoding="utf-8"))
    assert said == ["line 27: paragraph “Figures are indicative and vary by coun…” was not used where it stands: "
                    "it fits none of the guide's parts; check the page there"]


def test_strict_refuses_a_page_with_unused_text(cli, tmp_path):
    page = tmp_path / "chef.txt"
    page.write_text(CHEF.replace("Explore the full Café Owner toolkit profile →\n",
                                 "Explore the full Café Owner toolkit profile →\n- Chefs who want weekends off\n"),
                    encoding="utf-8")
    code, out, err = cli("extract", "--strict", page)
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [
        f"rolereport: {page}: line 12: list item “Chefs who want weekends off” was not used where it stands: it fits "
        "none of the guide's parts; check the page there (an error with --strict)"]
    code, out, err = cli("extract", page)
    assert code == 0 and "warning: list item “Chefs who want weekends off” was not used" in err


def test_an_html_page_names_the_block_it_did_not_use(tmp_path):
    page = (PAGES / "registered-nurse.html").read_text(encoding="utf-8")
    _, said = read(tmp_path, page, "nurse.html")
    assert said[-1].startswith("block 48 (“Midwife Toolkit”): 2 list items “Midwife Toolkit”, “Paramedic Toolkit”")


def test_meeting_notes_with_a_table_and_numbered_lines_are_not_a_page_of_the_family(cli, tmp_path):
    page = tmp_path / "notes.txt"
    page.write_text("Team meeting notes — 3 March\nAttendees: Ana, Ben, Chloe\n\n| Action | Owner | Due |\n"
                    "|---|---|---|\n| Book the room | Ana | Friday |\n\n1. Budget — approved for Q2.\n"
                    "2. Hiring — two roles open.\n", encoding="utf-8")
    code, out, err = cli("extract", page)
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [f"rolereport: {page}: not a page of this family: no ranked list of "
                                        "alternatives (entries like '1. Role name — one-line summary') and no "
                                        "comparison table (a 'Role | Primary Focus | Key Responsibility | Common "
                                        "Tools/Frameworks | Typical Deliverable' table)"]


def test_the_read_by_content_warning_stays_when_the_read_then_fails(cli, tmp_path):
    page = tmp_path / "letter"
    page.write_bytes(b"{\\rtf1\\ansi Just a letter.\\par}")
    code, _, err = cli("extract", page)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 2
    assert lines[0] == (f"rolereport: {page}: warning: the name has no extension: read as rtf by its content; "
                        "pass --from to choose")
    assert "not a page of this family" in lines[1]
