"""Survey exports and HR-system reports read as rosters (tests/fixtures/surveys/make_surveys.py):
who each row is, how the answers become lists, resubmissions, and the mapping's syntax."""

from __future__ import annotations

from pathlib import Path

import pytest

from rolereport import notices
from rolereport.errors import UsageError
from rolereport.inputs.roster import expand
from rolereport.inputs.roster.mapping import parse_columns, read_columns_file
from rolereport.jobs.people import load_people

SURVEYS = Path(__file__).resolve().parent.parent / "fixtures" / "surveys"
LEARN = "What would you like to learn or do more of in your work?"
GOOD_AT = "What are you good at? A few words, or a list"
TWO_YEARS = "Where would you like to be in two years?"
FORMS = [f"interests={LEARN}", f"strengths={GOOD_AT}", f"goals={TWO_YEARS}"]
GOOGLE = [f'strengths="{GOOD_AT}"', 'interests="Which areas interest you? (tick all that apply)"',
          "interests=Tell us about the work you would like to do next"]


def people(path: Path, *columns: str, **options):
    with notices.collect() as found:
        entries = expand([path], columns=list(columns))
        loaded = load_people(entries, Path("out"), (), **options)
    return loaded, [str(w) for w in found]


def test_forms_response_numbers_are_not_ids_and_the_email_tells_people_apart():
    loaded, warnings = people(SURVEYS / "msforms-round1.xlsx", *FORMS)
    assert [(p.name, p.profile.id, p.profile.email, p.slug) for p in loaded] == [
        ("Ann Lee", None, "ann.lee@corp.test", "ann-lee"), ("Bo Chen", None, "bo.chen@corp.test", "bo-chen"),
        ("Cy Díaz", None, "cy.diaz@corp.test", "cy-diaz"), ("Dana Fox", None, "dana.fox@corp.test", "dana-fox")]
    said = [w for w in warnings if "numbers the responses" in w]
    assert len(said) == 1 and "column 'ID' (column A) numbers the responses (1, 2, 3, …)" in said[0]
    assert "told apart by their e-mail address" in said[0]
    ann = loaded[0].profile
    assert ann.interests == ("data pipelines", "automation of reports")
    assert ann.strengths == ("SQL", "Excel", "explaining numbers") and ann.goals == "Lead a small analytics team"


def test_a_resubmission_keeps_the_latest_answer_with_one_warning():
    loaded, warnings = people(SURVEYS / "msforms-round2.xlsx", *FORMS)
    dev = [p for p in loaded if p.name == "Dev Patel"]
    assert len(dev) == 1 and dev[0].profile.interests == ("data engineering", "SQL pipelines")
    said = [w for w in warnings if "the same person" in w]
    assert len(said) == 1 and "row 4 and" in said[0] and "row 5" in said[0] and "latest answer" in said[0]
    assert any("the same person" in w for w in dev[0].warnings)  # on their manifest row too
    first, _ = people(SURVEYS / "msforms-round2.xlsx", *FORMS, duplicates="first")
    assert [p.profile.interests for p in first if p.name == "Dev Patel"] == [("dashboards",)]
    failed, _ = people(SURVEYS / "msforms-round2.xlsx", *FORMS, duplicates="fail")
    both = [p for p in failed if p.name == "Dev Patel"]
    assert [p.status for p in both] == ["failed", "failed"]
    assert "same e-mail address dev.patel@corp.test" in both[0].error


def test_google_forms_comma_heading_checkbox_long_answer_and_display_name():
    loaded, warnings = people(SURVEYS / "google-forms.csv", *GOOGLE)
    by = {p.name: p.profile for p in loaded}
    assert sorted(by) == ["Gina Park", "Hal Ito", "Ivy Quinn"] and not any(p.status for p in loaded)
    gina = by["Gina Park"]  # her second answer, a day later
    assert gina.interests[:2] == ("Analytics and reporting", "Data engineering")
    assert gina.strengths == ("SQL", "statistics", "storytelling with data")
    long = " ".join(gina.interests[2:])  # the 400-character paragraph, split and every word kept
    assert len(gina.interests) > 3 and all(len(i) <= 200 for i in gina.interests)
    assert "cleaning up messy data" in long and "move our reporting there." in long and "mentoring" in long
    assert len(by["Hal Ito"].interests) >= 12  # a 255-character checkbox answer: one item an option
    assert by["Ivy Quinn"].email == "ivy.quinn@corp.test"  # pasted as "Ivy Quinn <ivy.quinn@corp.test>"
    assert [w for w in warnings if "the same person" in w]


def test_workday_names_from_first_last_and_preferred_with_leading_zero_ids():
    loaded, warnings = people(SURVEYS / "workday.xlsx")
    assert [(p.name, p.profile.id, p.profile.current_role, p.slug) for p in loaded] == [
        ("Kate O'Brien", "000123", "Senior Data Analyst", "000123"),
        ("Luis Fernández", "000456", "Support Engineer", "000456"),
        ("Mei Tanaka", "001789", "Marketing Specialist", "001789")]
    assert loaded[0].profile.interests == ("data pipelines", "machine learning")  # "Career Interests"
    assert loaded[0].profile.strengths == ("SQL", "Tableau")  # "Skills"
    assert not [w for w in warnings if "numbers the responses" in w]


def test_nothing_to_go_on_fails_the_row_or_gets_the_plain_guide():
    loaded, _ = people(SURVEYS / "msforms-round1.xlsx")  # the questions not mapped
    assert {p.status for p in loaded} == {"failed"}
    assert "no interests, strengths or goals to go on" in loaded[0].error and "--allow-empty" in loaded[0].error
    plain, _ = people(SURVEYS / "msforms-round1.xlsx", allow_empty=True)
    assert not any(p.status for p in plain) and all(p.job.plain for p in plain)
    assert "built the plain guide" in plain[0].warnings[-1]


def test_column_letters_and_several_columns_into_one_field():
    loaded, _ = people(SURVEYS / "msforms-round1.xlsx", "interests=G", "interests=I")
    assert loaded[0].profile.interests == ("data pipelines", "automation of reports", "Lead a small analytics team")


def test_columns_syntax():
    assert parse_columns(["name=Full name,id=Employee ID", f"strengths={GOOD_AT}"]) == {
        "name": ["Full name"], "id": ["Employee ID"], "strengths": [GOOD_AT]}
    assert parse_columns([f"'strengths=\"{GOOD_AT}\"'".strip("'")]) == {"strengths": [GOOD_AT]}
    assert parse_columns(["interests=F", "interests=G,goals=H"]) == {"interests": ["F", "G"], "goals": ["H"]}
    with pytest.raises(UsageError, match="'name' is mapped twice"):
        parse_columns(["name=A", "name=B"])
    with pytest.raises(UsageError, match="a quote"):
        parse_columns(['strengths="open'])


def test_a_mapped_heading_that_is_not_there_suggests_the_nearest(tmp_path):
    (entry,) = expand([SURVEYS / "google-forms.csv"], columns=["strengths=What are you good at?"])
    assert f"did you mean '{GOOD_AT}'?" in str(entry.problems[0])


def test_columns_file_lines_and_toml(tmp_path):
    lines = tmp_path / "columns.txt"
    lines.write_text(f"# round 2\nstrengths = {GOOD_AT}\ninterests=F\ninterests = \"{LEARN}\"\n", encoding="utf-8")
    assert read_columns_file(lines) == {"strengths": [GOOD_AT], "interests": ["F", LEARN]}
    toml = tmp_path / "columns.toml"
    toml.write_text(f'[columns]\nstrengths = "{GOOD_AT}"\ninterests = ["F", "G"]\n', encoding="utf-8")
    assert read_columns_file(toml) == {"strengths": [GOOD_AT], "interests": ["F", "G"]}
    bad = tmp_path / "bad.txt"
    bad.write_text("strengths\n", encoding="utf-8")
    with pytest.raises(UsageError, match="line 1"):
        read_columns_file(bad)


def test_an_oversized_answer_is_cut_with_a_warning_naming_the_row(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Name,Interests,Goals\nAnn," + "; ".join(f"topic {i}" for i in range(40)) + ","
                    + "Grow. " * 500 + "\n", encoding="utf-8")
    (entry,) = expand([path])
    assert len(entry.data["interests"]) == 30 and len(entry.data["goals"]) <= 2000
    said = [str(w) for w in entry.warnings]
    assert any("row 2, field 'interests'" in w and "left out 10" in w for w in said)
    assert any("row 2, field 'goals'" in w and "characters left out" in w for w in said)


def test_an_employee_id_that_counts_up_is_still_an_id(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text("Name,Employee ID,Email,Interests\nAnn,1001,ann@x.test,data\nBo,1002,bo@x.test,data\n",
                    encoding="utf-8")
    loaded, warnings = people(path)
    assert [p.slug for p in loaded] == ["1001", "1002"] and not [w for w in warnings if "responses" in w]
