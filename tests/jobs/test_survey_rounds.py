"""Survey rounds built for real (tests/fixtures/surveys): two Microsoft Forms rounds into one folder
keep every bundle its owner's; a Google Forms export builds everyone in one command; a Workday-style
report builds names from first and last name; nobody is mailed a guide with no evidence; a campaign
file holds a round's settings."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from conftest import FIXTURES

SURVEYS = FIXTURES / "surveys"
TINY = FIXTURES / "product-manager.txt"
LEARN = "What would you like to learn or do more of in your work?"
GOOD_AT = "What are you good at? A few words, or a list"
TWO_YEARS = "Where would you like to be in two years?"
FORMS = ("--columns", f"interests={LEARN}", "--columns", f"strengths={GOOD_AT}", "--columns", f"goals={TWO_YEARS}")
QUICK = ("--source", TINY, "--format", "xlsx", "--plain", "--jobs", "1")


def manifest(out: Path) -> list[dict[str, str]]:
    with (out / "manifest.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def owner(out: Path, slug: str) -> dict[str, str]:
    return json.loads((out / slug / ".rolereport-inputs.json").read_text(encoding="utf-8"))["identity"]


def test_two_forms_rounds_into_one_folder_keep_every_bundle_theirs(cli, tmp_path):
    out = tmp_path / "guides"
    code, stdout, err = cli("batch", SURVEYS / "msforms-round1.xlsx", *FORMS, "--out", out, *QUICK)
    assert code == 0, stdout + err
    assert "[1/4] ok      Ann Lee" in stdout and stdout.splitlines()[-1].startswith("4 people: 4 built")
    assert err.count("numbers the responses") == 1
    code, stdout, err = cli("batch", SURVEYS / "msforms-round2.xlsx", *FORMS, "--out", out, *QUICK)
    assert code == 0, stdout + err
    rows = {r["name"]: r for r in manifest(out)}
    assert sorted(rows) == ["Ann Lee", "Bo Chen", "Cy Díaz", "Dana Fox", "Dev Patel", "Eve Moss"]
    for name, row in rows.items():  # each folder holds its own person's bundle
        assert owner(out, row["slug"])["name"] == name and row["xlsx_file"]
    assert rows["Ann Lee"]["status"] == "ok" and rows["Bo Chen"]["status"] == "skipped"  # Ann answered again
    assert "the same person" in rows["Dev Patel"]["warnings"]


def test_a_reused_id_whose_name_and_email_differ_is_refused(cli, tmp_path):
    out = tmp_path / "guides"
    ids = ("--columns", "id=ID")  # mapped on purpose: kept, with a warning
    code, _, err = cli("batch", SURVEYS / "msforms-round1.xlsx", *FORMS, *ids, "--out", out, *QUICK)
    assert code == 0 and "kept, as --columns asks" in err
    code, stdout, _ = cli("batch", SURVEYS / "msforms-round2.xlsx", *FORMS, *ids, "--out", out, *QUICK)
    assert code == 1
    eve = next(r for r in manifest(out) if r["name"] == "Eve Moss")  # ID 1 in round 2, Ann's in round 1
    assert eve["status"] == "failed" and "names and e-mail addresses differ" in eve["error"]
    assert "--replace 1" in eve["error"] and owner(out, "1")["name"] == "Ann Lee"  # nothing replaced
    code, stdout, _ = cli("check-roster", SURVEYS / "msforms-round2.xlsx", *FORMS, *ids, "--out", out)
    assert code == 1 and "failed  Eve Moss" in stdout and "holds the bundle of 'Ann Lee'" in stdout  # said before


def test_google_forms_export_builds_everyone_in_one_command(cli, tmp_path):
    out = tmp_path / "guides"
    code, stdout, err = cli("batch", SURVEYS / "google-forms.csv", "--out", out, *QUICK,
                            "--columns", f"strengths={GOOD_AT}",  # a heading with a comma, unquoted
                            "--columns", 'interests="Which areas interest you? (tick all that apply)"',
                            "--columns", "interests=F")  # the 400-character answer, by its column letter
    assert code == 0, stdout + err
    rows = manifest(out)
    assert sorted(r["name"] for r in rows) == ["Gina Park", "Hal Ito", "Ivy Quinn"]
    assert {r["status"] for r in rows} == {"ok"} and "3 people: 3 built" in stdout
    assert next(r for r in rows if r["name"] == "Ivy Quinn")["email"] == "ivy.quinn@corp.test"


def test_workday_export_builds_names_from_first_and_last_name(cli, tmp_path):
    out = tmp_path / "guides"
    code, stdout, err = cli("batch", SURVEYS / "workday.xlsx", "--out", out, *QUICK)
    assert code == 0, stdout + err
    assert [(r["name"], r["id"], r["slug"]) for r in manifest(out)] == [
        ("Kate O'Brien", "000123", "000123"), ("Luis Fernández", "000456", "000456"),
        ("Mei Tanaka", "001789", "001789")]


def test_nobody_is_mailed_a_guide_with_no_evidence(cli, tmp_path):
    roster = tmp_path / "survey.csv"
    roster.write_text("Full name,Email Address,Interests\nAnn Lee,ann@corp.test,analytics; user research\n"
                      "Bo Chen,bo@corp.test,knitting; sailing\nCy Diaz,cy@corp.test,\n", encoding="utf-8")
    out = tmp_path / "guides"
    code, stdout, _ = cli("batch", roster, "--out", out, *QUICK)
    assert code == 1 and "[1/3] failed  Cy Diaz" in stdout and "no interests, strengths or goals" in stdout
    code, stdout, err = cli("batch", roster, "--out", out, *QUICK, "--allow-empty")
    assert code == 0, stdout + err
    code, stdout, _ = cli("send", out, "--from", "HR <hr@corp.test>", "--attach", "xlsx")
    assert code == 1
    lines = {line.split()[1]: line for line in stdout.splitlines() if line.startswith(("prepared", "refused"))}
    assert lines["ann"].startswith("prepared")
    assert lines["bo"].startswith("refused") and "nothing in their answers points to any role" in lines["bo"]
    assert lines["cy"].startswith("refused") and "the plain one, not personalised" in lines["cy"]
    assert sorted(p.name for p in (out / "outbox").iterdir()) == ["ann.eml"]


def test_a_failed_rows_older_bundle_is_listed_once(cli, tmp_path):
    roster = tmp_path / "survey.csv"
    roster.write_text("Name,Email,Interests\nAnn Lee,ann@corp.test,analytics\n", encoding="utf-8")
    out = tmp_path / "guides"
    assert cli("batch", roster, "--out", out, *QUICK)[0] == 0
    roster.write_text("Name,Email,Interests,Job Title\nAnn Lee,ann@corp.test,analytics," + "x" * 201 + "\n",
                      encoding="utf-8")
    assert cli("batch", roster, "--out", out, *QUICK)[0] == 1
    rows = manifest(out)
    assert len(rows) == 1 and rows[0]["status"] == "failed" and rows[0]["xlsx_file"] == "ann/role-matrix.xlsx"


def test_a_campaign_file_holds_the_rounds_settings(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "columns.txt").write_text(f"interests={LEARN}\nstrengths={GOOD_AT}\n", encoding="utf-8")
    (tmp_path / "rolereport.toml").write_text(
        f'source = "{TINY}"\nout = "guides"\nformat = "xlsx"\n\n[roster]\ncolumns-file = "columns.txt"\n\n'
        '[send]\nfrom = "HR Team <hr@corp.test>"\nattach = "xlsx"\n', encoding="utf-8")
    code, stdout, err = cli("batch", SURVEYS / "msforms-round1.xlsx", "--plain", "--jobs", "1")
    assert code == 0, stdout + err
    assert "settings from" in err and (tmp_path / "guides" / "ann-lee" / "role-matrix.xlsx").is_file()
    code, stdout, _ = cli("send")
    assert "prepared" in stdout and (tmp_path / "guides" / "outbox").is_dir()
    (tmp_path / "rolereport.toml").write_text('out = "guides"\n\n[roster]\nduplicate = "latest"\n', encoding="utf-8")
    code, _, err = cli("batch", SURVEYS / "msforms-round1.xlsx")
    assert code == 2
    assert (f"{tmp_path / 'rolereport.toml'}: line 4: unknown key 'duplicate' in [roster]; "
            "did you mean 'duplicates'?") in err


def test_check_roster_shows_mapping_people_duplicates_and_empty_profiles(cli):
    code, stdout, err = cli("check-roster", SURVEYS / "msforms-round2.xlsx", "--columns", f"interests={LEARN}")
    assert code == 0, stdout + err
    assert f"  interests       '{LEARN}' (column G)" in stdout and "  email           'Email' (column D)" in stdout
    assert "3 people: 3 ready, 0 with problems" in stdout and "ok      Ann Lee <ann.lee@corp.test> → ann-lee/" in stdout
    assert "the same person" in err and "numbers the responses" in err
    code, stdout, _ = cli("check-roster", SURVEYS / "msforms-round2.xlsx")
    assert code == 1 and "failed  Eve Moss" in stdout and "no interests, strengths or goals" in stdout
