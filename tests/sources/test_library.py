"""A library of pages (sources/library.py) and job titles matched with roles (sources/roles.py),
on the fixture library: 7 pages of different roles saved as text, a site's HTML, Word and PDF
(tools/make_library_fixtures.py)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from rolereport import notices
from rolereport.errors import SourceError
from rolereport.sources import library as library_module
from rolereport.sources.library import Library
from rolereport.sources.roles import THRESHOLD, normal, score

LIBRARY = FIXTURES / "library" / "pages"
EXPECTED = json.loads((FIXTURES / "library" / "expected.json").read_text(encoding="utf-8"))


def load(folder: Path = LIBRARY) -> tuple[Library, list[str]]:
    with notices.collect() as said:
        lib = Library.load(folder)
    return lib, [str(p) for p in said]


@pytest.fixture
def copy(tmp_path) -> Path:
    folder = tmp_path / "pages"
    shutil.copytree(LIBRARY, folder)
    return folder


def test_every_page_is_indexed_by_its_own_role_whatever_its_format():
    lib, _ = load()
    found = {p.name: {"role": p.role, "alternatives": [a.name for a in p.guide.alternatives]} for p in lib.pages}
    assert found == EXPECTED
    assert {Path(n).suffix for n in found} == {".txt", ".html", ".docx", ".pdf"}
    assert len({normal(p.role) for p in lib.pages}) == len(lib.pages) >= 6
    assert not lib.unreadable and not lib.duplicates


@pytest.mark.parametrize(("title", "page"), [
    ("Sr. Data Scientist", "data/data-scientist.docx"),
    ("Data Scientist II", "data/data-scientist.docx"),
    ("data scientist", "data/data-scientist.docx"),
    ("ML Engineer", "engineering/machine-learning-engineer.txt"),
    ("MLE", "engineering/machine-learning-engineer.txt"),
    ("Senior Machine-Learning Eng.", "engineering/machine-learning-engineer.txt"),
    ("Site Reliability Engineer", "engineering/Site Reliability Engineer - CareerToolkits.html"),
    ("Lead SRE", "engineering/Site Reliability Engineer - CareerToolkits.html"),
    ("RN, ICU", "health/registered-nurse.html"),
    ("R.N.", "health/registered-nurse.html"),
    ("Principal Nurse Practitioner", "health/nurse-practitioner.pdf"),
    ("Head Chef", "hospitality/head-chef.txt"),
    ("Community Pharmacist III", "health/pharmacist.docx"),
])
def test_titles_as_hr_systems_write_them_find_their_page(title, page):
    lib, _ = load()
    choice = lib.choose(title)
    assert (choice.page.name if choice.page else None, choice.error, choice.warning) == (page, "", "")


def test_a_role_with_no_page_fails_with_the_closest_pages_and_what_to_do():
    lib, _ = load()
    choice = lib.choose("Backend Engineer")
    assert choice.page is None
    assert choice.error.startswith("current role 'Backend Engineer' matches no page of the library (closest: ")
    assert "'Machine Learning Engineer' (engineering/machine-learning-engineer.txt, " in choice.error
    assert choice.error.endswith("add a page for this role to the library, name a page in the person's "
                                 "'source' column, or pass --default-source PAGE")
    assert "has no current role" in lib.choose(None).error


def test_an_ambiguous_title_is_a_warning_naming_both_pages():
    lib, _ = load()
    choice = lib.choose("Registered Nurse Practitioner")
    assert choice.page is not None and not choice.error
    assert "matches two pages alike" in choice.warning
    assert "health/nurse-practitioner.pdf ('Nurse Practitioner'" in choice.warning
    assert "health/registered-nurse.html ('Registered Nurse'" in choice.warning
    assert "'source' column" in choice.warning


def test_a_near_title_is_not_taken_for_another_role():
    """Never a silent wrong page: a title sharing one word with a role stays below the threshold."""
    lib, _ = load()
    for title in ("Engineer", "Data Analyst", "Sous Chef", "Nurse", "Backend Developer", "Software Engineer"):
        assert lib.choose(title).page is None, title
    assert score("Data Scienist", "Data Scientist") >= THRESHOLD  # a typo still finds its page


def test_the_source_column_names_a_page_by_path_file_name_stem_or_full_path():
    lib, _ = load()
    ml = "engineering/machine-learning-engineer.txt"
    for ref in (ml, "machine-learning-engineer.txt", "machine-learning-engineer", str(LIBRARY / ml)):
        choice = lib.choose("Data Engineer", ref)
        assert choice.page is not None and choice.page.name == ml, ref
    bad = lib.choose("Data Engineer", "no-such-page.txt")
    assert bad.page is None and "its 'source' 'no-such-page.txt' is no page of the library" in bad.error


def test_the_default_page_serves_people_without_a_page_with_a_warning():
    lib, _ = load()
    chef = lib.find("head-chef.txt")
    choice = lib.choose("Backend Engineer", default=chef)
    assert choice.page is chef
    assert "matches no page of the library" in choice.warning and "--default-source page" in choice.warning


def test_an_unreadable_page_and_two_pages_for_one_role_are_named_and_the_rest_serve(copy):
    (copy / "notes").mkdir()
    (copy / "notes" / "meeting-notes.txt").write_text("Team meeting\n- agree the budget\n- book a room\n",
                                                      encoding="utf-8")
    shutil.copyfile(FIXTURES / "pages" / "head-chef.txt", copy / "hospitality" / "head-chef-copy.txt")
    (copy / "logo.png").write_bytes(b"\x89PNG\r\n")
    lib, said = load(copy)
    assert [name for name, _ in lib.unreadable] == ["notes/meeting-notes.txt"]
    assert any("meeting-notes.txt: this page cannot be read and serves no one" in s for s in said)
    assert any("2 pages are for one role: hospitality/head-chef-copy.txt ('Head Chef') and "
               "hospitality/head-chef.txt ('Head Chef')" in s for s in said)
    assert any("1 file is not in a page format and left out (logo.png)" in s for s in said)
    chef = lib.choose("Head Chef")
    assert chef.page is None and "hospitality/head-chef-copy.txt and hospitality/head-chef.txt" in chef.error
    assert lib.choose("Head Chef", "head-chef.txt").page is not None  # the source column still picks one
    assert lib.choose("Sr. Data Scientist").page is not None  # the others still serve


def test_a_folder_without_a_page_is_refused(tmp_path):
    with pytest.raises(SourceError, match="holds no readable page"):
        Library.load(tmp_path)
    with pytest.raises(SourceError, match="no such folder"):
        Library.load(tmp_path / "missing")


def test_an_unchanged_library_is_not_read_again(copy, monkeypatch, tmp_path):
    monkeypatch.setenv("ROLEREPORT_CACHE_DIR", str(tmp_path / "cache"))
    first, _ = load(copy)
    read = []
    real = library_module._read_one
    monkeypatch.setattr(library_module, "_read_one", lambda path, fmt: read.append(path.name) or real(path, fmt))
    monkeypatch.setattr(library_module, "PARALLEL_FROM", 10**6)  # read here, where it is counted
    again, _ = load(copy)
    assert read == [] and [p.guide for p in again.pages] == [p.guide for p in first.pages]
    chef = copy / "hospitality" / "head-chef.txt"
    os.utime(chef, (1, 1))  # a new time, the same bytes: still not read
    load(copy)
    assert read == []
    chef.write_text(chef.read_text(encoding="utf-8").replace("Head Chef", "Executive Chef"), encoding="utf-8")
    changed, _ = load(copy)
    assert read == ["head-chef.txt"]
    assert changed.find("head-chef.txt").role == "Executive Chef"
