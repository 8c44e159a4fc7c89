"""One batch over a mixed-role roster with a library of pages: everyone gets the page of their own
role, the person without one fails alone, and no guide recommends a person's current role."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import FIXTURES

LIBRARY = FIXTURES / "library" / "pages"
ROSTER = FIXTURES / "library" / "rosters" / "mixed-roles.csv"
ML = "engineering/machine-learning-engineer.txt"


def rows(out: Path) -> dict[str, dict[str, str]]:
    with (out / "manifest.csv").open(encoding="utf-8-sig", newline="") as fh:
        return {r["name"]: r for r in csv.DictReader(fh)}


def text(html: Path) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.read_text(encoding="utf-8")).split())


def best_matches(page: str) -> list[str]:
    """The role names under "Your best matches", as a reader sees them."""
    start = page.index("Your best matches")
    part = page[start:page.index("How every role fits you", start)]
    return re.findall(r"Best match \d+: ((?:[A-Z][\w&/()-]*\s?)+?) (?:Strong|Good|Possible|Weak) fit", part)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from rolereport.cli import main

    tmp = tmp_path_factory.mktemp("library")
    pages = tmp / "pages"
    shutil.copytree(LIBRARY, pages)
    out = tmp / "out"
    with pytest.MonkeyPatch.context() as mp:  # as the tests' own date (conftest), set before this fixture
        mp.setenv("SOURCE_DATE_EPOCH", "1767225600")
        code = main(["batch", str(ROSTER), "--sources", str(pages), "--out", str(out), "--format", "html,xlsx",
                     "--jobs", "2", "--plain"])
    return code, pages, out


def test_everyone_gets_the_page_of_their_own_role(built):
    code, _, out = built
    assert code == 1  # one person failed
    got = {name: r["page"] for name, r in rows(out).items() if r["status"] == "ok"}
    assert got == {
        "Dana Scott": "data/data-scientist.docx",  # Sr. Data Scientist
        "Lee Park": "data/data-scientist.docx",  # Data Scientist II
        "Maya Chen": ML,  # ML Engineer
        "Sam Otieno": "engineering/Site Reliability Engineer - CareerToolkits.html",
        "Ana Souza": "health/registered-nurse.html",  # RN, ICU
        "Priya Nair": "health/nurse-practitioner.pdf",  # ambiguous: warned
        "Rui Costa": ML,  # his roster's source column
        "Jo Hill": "hospitality/head-chef.txt",
    }
    for name, page in got.items():  # the guide is the page's: its title and its own role
        slug = rows(out)[name]["slug"]
        wb = load_workbook(out / slug / "role-matrix.xlsx")
        assert wb["About"]["B5"].value.endswith(f"({Path(page).name})") or any(
            Path(page).name in str(c.value) for row in wb["About"].iter_rows() for c in row), name


def test_the_person_without_a_page_fails_alone_with_advice(built):
    _, _, out = built
    tom = rows(out)["Tom Becker"]
    assert tom["status"] == "failed" and tom["page"] == "" and tom["slug"] == ""
    assert "row 8: current role 'Backend Engineer' matches no page of the library (closest: " in tom["error"]
    assert "pass --default-source PAGE" in tom["error"]
    assert not (out / "tom-becker").exists()


def test_an_ambiguous_title_is_warned_in_the_persons_row(built):
    _, _, out = built
    warning = rows(out)["Priya Nair"]["warnings"]
    assert "matches two pages alike: health/nurse-practitioner.pdf" in warning
    assert "health/registered-nurse.html" in warning


def test_no_guide_recommends_a_persons_current_role(built):
    _, _, out = built
    for name, r in rows(out).items():
        if r["status"] != "ok":
            continue
        page = text(out / r["slug"] / "career-guide.html")
        matches = best_matches(page)
        assert matches, name
        current = {"Rui Costa": "Data Engineer"}.get(name)
        if current:
            assert current not in matches, name
        wb = load_workbook(out / r["slug"] / "role-matrix.xlsx")
        ws = wb["Roles"]
        heads = [c.value for c in ws[4]]
        kinds = {row[heads.index("Role")]: (row[heads.index("Role type")], row[heads.index("Fit")])
                 for row in ws.iter_rows(min_row=5, values_only=True) if row[heads.index("Role")]}
        marked = [role for role, (kind, _) in kinds.items() if kind == "Current role"]
        assert len(marked) == 1, (name, kinds)
        assert kinds[marked[0]][1] == "Current role"  # no fit band for it


def test_a_role_that_is_an_alternative_of_the_page_is_marked_as_theirs(built):
    _, _, out = built
    page = text(out / "rui-costa" / "career-guide.html")
    assert "Data Engineer (your current role)" in page  # the comparison table
    assert "Machine Learning Engineer (this guide's role)" in page
    assert "Focuses on building and maintaining data infrastructure. Your current role" in page
    assert "Data Engineer" not in best_matches(page)
    ws = load_workbook(out / "rui-costa" / "role-matrix.xlsx")["Roles"]
    heads = [c.value for c in ws[4]]
    first = [c.value for c in ws[5]]
    assert first[heads.index("Role")] == "Machine Learning Engineer"
    assert first[heads.index("Role type")] == "This guide's role"
    # Maya holds the page's own role: it is called her current role
    assert "Machine Learning Engineer (current role)" in text(out / "maya-chen" / "career-guide.html")


def test_the_guide_says_which_alternatives_have_a_guide_in_the_library(built):
    _, _, out = built
    page = text(out / "maya-chen" / "career-guide.html")
    assert "This library has a guide for Data Scientist: data/data-scientist.docx." in page
    assert "This library has no guide for DevOps Engineer yet." in page


def test_a_rerun_is_up_to_date_and_a_changed_page_rebuilds_only_its_people(built, tmp_path):
    from rolereport.cli import main

    code, pages, out = built
    again = tmp_path / "out"
    shutil.copytree(out, again)
    args = ["batch", str(ROSTER), "--sources", str(pages), "--out", str(again), "--format", "html,xlsx",
            "--jobs", "2", "--plain"]
    assert main(args) == 1
    assert {n: r["status"] for n, r in rows(again).items() if r["status"] != "failed"} == dict.fromkeys(
        ["Dana Scott", "Lee Park", "Maya Chen", "Sam Otieno", "Ana Souza", "Priya Nair", "Rui Costa", "Jo Hill"],
        "skipped")
    chef = pages / "hospitality" / "head-chef.txt"
    chef.write_text(chef.read_text(encoding="utf-8").replace("a siege at once", "a siege at times"),
                    encoding="utf-8")
    assert main(args) == 1
    status = {n: r["status"] for n, r in rows(again).items()}
    assert status["Jo Hill"] == "ok"
    assert {s for n, s in status.items() if n not in ("Jo Hill", "Tom Becker")} == {"skipped"}


def test_the_default_page_serves_the_person_without_one_with_a_warning(tmp_path):
    from rolereport.cli import main

    roster = tmp_path / "r.csv"
    roster.write_text("name,current_role,interests\nTom Becker,Backend Engineer,APIs; databases\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    assert main(["batch", str(roster), "--sources", str(LIBRARY), "--default-source", "machine-learning-engineer",
                 "--out", str(out), "--format", "html", "--plain"]) == 0
    tom = rows(out)["Tom Becker"]
    assert tom["status"] == "ok" and tom["page"] == ML
    assert "given the --default-source page engineering/machine-learning-engineer.txt" in tom["warnings"]
    page = text(out / "tom-becker" / "career-guide.html")
    assert "Backend Engineer (your current role)" in page and "Backend Engineer" not in best_matches(page)


def test_one_report_and_fit_take_the_library_too(cli, tmp_path):
    profile = tmp_path / "dana.yaml"
    profile.write_text("name: Dana Scott\ncurrent_role: Sr. Data Scientist\n"
                       "interests: [statistics, experiments, predictive models]\n", encoding="utf-8")
    code, stdout, err = cli("report", "--sources", LIBRARY, "--profile", profile, "--out", tmp_path / "o",
                            "--format", "html")
    assert code == 0, err
    page = text(tmp_path / "o" / "dana-scott" / "career-guide.html")
    assert "Data Scientist (current role)" in page and "Product Analyst" in page
    code, stdout, err = cli("fit", "--sources", LIBRARY, "--profile", profile)
    assert code == 0 and "Fit for Dana Scott (page data/data-scientist.docx: Data Scientist)" in stdout
    code, _, err = cli("report", "--sources", LIBRARY, "--out", tmp_path / "o", "--format", "html")
    assert code == 2 and "--sources picks each person's page by their current role: give --profile" in err


def test_extract_and_matrix_over_the_library(cli, tmp_path):
    code, stdout, err = cli("extract", "--sources", LIBRARY, "-o", tmp_path / "json")
    assert code == 0 and "7 pages extracted, 0 failed" in err
    assert (tmp_path / "json" / "data--data-scientist.docx.json").read_text(encoding="utf-8").count(
        '"name": "Data Scientist"') == 1
    code, stdout, err = cli("matrix", "--sources", LIBRARY, "-o", tmp_path / "roles.xlsx")
    assert code == 0, err
    ws = load_workbook(tmp_path / "roles.xlsx")["Roles"]
    table = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert table["Data Scientist"][1] == "data/data-scientist.docx"
    assert table["Data Scientist"][2].splitlines() == ["data/data-scientist.docx (its own role)",
                                                       f"{ML} (alternative 2)"]
    assert table["Data Scientist"][3].startswith("Specializes in statistical analysis, modeling")
    assert table["Backend Engineer"][1] is None  # on two pages, a guide of its own on none
    assert len(table["Backend Engineer"][2].splitlines()) == 2


def test_the_email_names_the_current_role_and_never_as_a_match(built, cli, tmp_path):
    _, _, out = built
    sent = tmp_path / "sent"
    shutil.copytree(out, sent)
    code, stdout, err = cli("send", sent, "--from", "HR <hr@example.com>", "--attach", "xlsx")
    assert code in (0, 1) and (sent / "outbox").is_dir(), (stdout, err)
    import email
    from email import policy

    eml = next((sent / "outbox").glob("*rui-costa*.eml")).read_bytes()
    message = email.message_from_bytes(eml, policy=policy.default)
    body = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_content()
    body = body.replace("\r\n", "\n")
    fits = [line for line in body.split("these roles fit you best:")[1].strip().split("\n\n")[0].splitlines()]
    assert 1 <= len(fits) <= 3 and not any("Data Engineer" in line for line in fits), body
    assert "Your current role, Data Engineer, is marked as such in the guide" in body
