"""Rosters as Excel, LibreOffice and Google Sheets write them (tests/fixtures/rosters/make_rosters.py),
read field by field, plus the shapes that have to fail: each bad row alone, with one clear line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from rolereport import notices
from rolereport.errors import ProfileError, UsageError
from rolereport.inputs.profile import profile_from_mapping
from rolereport.inputs.roster import Entry, expand, parse_columns
from rolereport.inputs.roster.values import CellProblem, Uncalculated, as_text

ROSTERS = Path(__file__).resolve().parent.parent / "fixtures" / "rosters"
CSV_SHAPES = ["excel-windows-1252.csv", "excel-utf8-bom.csv", "google-sheets.csv",
              "libreoffice-semicolon-1252.csv", "libreoffice-utf16.tsv"]
XLSX_SHAPES = ["program-written.xlsx", "libreoffice.xlsx"]
IDS = {"id": "Employee ID"}


def read(path: Path | str, **options) -> tuple[list[Entry], list[str]]:
    with notices.collect() as found:
        entries = expand([path], **options)
    return entries, [str(w) for w in found]


def person(entry: Entry):
    assert not entry.problems, entry.problems
    return profile_from_mapping(entry.data or {}, entry.file, entry.where)


def by_name(entries: list[Entry]) -> dict[str, object]:
    return {e.data["name"]: person(e) for e in entries if not e.problems and e.data and "name" in e.data}


@pytest.mark.parametrize("shape", CSV_SHAPES)
def test_csv_shapes_read_field_by_field(shape):
    entries, warnings = read(ROSTERS / shape, columns=IDS)
    people = by_name(entries)
    assert sorted(people) == ["Ann O'Neil", "José Müller", "Zoë Ørsted-Françoise"]
    jose, zoe, ann = people["José Müller"], people["Zoë Ørsted-Françoise"], people["Ann O'Neil"]
    assert (jose.id, jose.email, jose.current_role) == ("1001", "jose.muller@example.com", "Account Executive")
    assert jose.interests == ("dashboards", "forecasting")  # typed one per line (Alt+Enter)
    assert jose.strengths == ("negotiation", "Excel")
    assert jose.goals == "Move into analytics"
    assert (zoe.id, zoe.strengths) == ("1002", ("Python", "Bash"))
    assert (ann.id, ann.goals) == ("A-17", "TRUE")  # text in a CSV is text
    # the row without a name fails alone, naming its row
    nameless = [e for e in entries if e.data is not None and "name" not in e.data]
    assert [e.label for e in nameless] == [f"{ROSTERS / shape} row 4"]
    with pytest.raises(ProfileError, match="row 4, field 'name'"):
        person(nameless[0])
    ignored = [w for w in warnings if "ignored the columns" in w]
    assert len(ignored) == 1 and "'Department', 'Start date'" in ignored[0] and "row 1" in ignored[0]
    legacy = [w for w in warnings if "not UTF-8" in w]
    if "1252" in shape:
        assert len(legacy) == 1 and "windows-1252" in legacy[0], warnings
    else:
        assert not legacy, warnings


@pytest.mark.parametrize("shape", XLSX_SHAPES)
def test_xlsx_shapes_find_the_sheet_below_its_title_rows(shape):
    entries, warnings = read(ROSTERS / shape, columns=IDS)
    rows = {e.label.rsplit(" row ", 1)[1]: e for e in entries}
    assert all(e.label.startswith(f"{ROSTERS / shape} sheet 'Staff' row ") for e in entries)
    assert sorted(rows) == ["4", "5", "6", "8", "9"]  # header on row 3; row 7 is hidden
    jose, zoe = person(rows["4"]), person(rows["5"])
    assert (jose.name, jose.id, jose.email) == ("José Müller", "1001", "jose.muller@example.com")
    assert jose.interests == ("dashboards", "forecasting")
    assert (zoe.id, zoe.goals, zoe.strengths) == ("1002", "2026-12-31", ("Python", "Bash"))  # 1002.0, a date
    yes_no = rows["8"].problems
    assert [str(p) for p in yes_no] == [
        f"{ROSTERS / shape}: sheet 'Staff', row 8, field 'goals' (column I): is a yes/no cell (TRUE), "
        "not text; type the text instead, or format the cell as Text"]
    assert rows["8"].data["name"] == "Ann O'Neil"  # known, for the manifest row
    if shape == "program-written.xlsx":
        (formula,) = rows["9"].problems
        assert "row 9, field 'name' (column A)" in str(formula)
        assert 'is a formula (=CONCATENATE("Sam"," ","Lee")) saved without its result' in str(formula)
    else:  # LibreOffice calculated it when it saved the workbook
        assert person(rows["9"]).name == "Sam Lee"
    assert f"{ROSTERS / shape}: sheet 'Staff': skipped 1 hidden row (row 7); --include-hidden builds " \
           "them too" in warnings
    assert any(w.startswith(f"{ROSTERS / shape}: sheet 'Staff', row 3: ignored the columns 'Department', "
                            "'Start date'") for w in warnings)


def test_hidden_rows_are_kept_with_include_hidden():
    entries, warnings = read(ROSTERS / "libreoffice.xlsx", columns=IDS, include_hidden=True)
    hidden = [e for e in entries if e.label.endswith(" row 7")]
    assert person(hidden[0]).name == "Hidden Person"
    assert not any("hidden" in w for w in warnings)


def test_one_undecodable_row_never_refuses_the_good_ones():
    entries, warnings = read(ROSTERS / "utf8-one-bad-row.csv", columns=IDS)
    assert sorted(by_name(entries)) == ["Ann O'Neil", "José Müller"]
    (bad,) = [e for e in entries if e.problems]
    assert str(bad.problems[0]).startswith(f"{ROSTERS / 'utf8-one-bad-row.csv'}: row 3: has bytes that "
                                           "are not valid UTF-8 text")
    assert not any("not UTF-8" in w for w in warnings)  # the file is UTF-8: nothing was guessed


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]], hidden: tuple[int, ...] = ()) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        for number in hidden:
            ws.row_dimensions[number].hidden = True
    wb.save(path)
    return path


def test_sheet_option_and_messages_that_name_the_sheets(tmp_path):
    path = write_xlsx(tmp_path / "w.xlsx", {"Notes": [["hello"]], "Sales": [["Name"], ["Ann"]],
                                           "Engineering": [["Name"], ["Bo"]]})
    entries, _ = read(path)
    assert [e.data["name"] for e in entries] == ["Ann"]  # the first sheet with a header
    entries, _ = read(path, sheet="Engineering")
    assert [(e.label, e.where) for e in entries] == [
        (f"{path} sheet 'Engineering' row 2", "sheet 'Engineering', row 2, ")]
    (entry,) = expand([path], sheet="Finance")
    assert str(entry.problems[0]) == (f"{path}: has no sheet named 'Finance' (--sheet); its sheets are 'Notes', "
                                      "'Sales', 'Engineering'")
    (entry,) = expand([path], sheet="notes")  # letter case aside
    assert str(entry.problems[0]).startswith(f"{path}: sheet 'Notes' has no header row naming a 'name' "
                                             "column in its first 10 rows")
    none = write_xlsx(tmp_path / "none.xlsx", {"A": [["Person"], ["Ann"]], "B": [["x"]]})
    (entry,) = expand([none])
    message = str(entry.problems[0])
    assert "none of its sheets ('A', 'B')" in message and "--sheet NAME" in message


def test_delimiter_is_named_when_the_header_cannot_be_read(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Nmae;Interests\nAnn;data\n", encoding="utf-8")
    (entry,) = expand([path])
    message = str(entry.problems[0])
    assert "semicolon (;) as the delimiter" in message and "comma (,) and tab found none either" in message
    assert "found 'Nmae'; did you mean 'name'?" in message


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_each_delimiter_is_recognised_from_the_header(tmp_path, delimiter):
    path = tmp_path / "r.csv"
    rows = [["Name", "Interests", "Goals"], ["Ann", "SQL; dashboards", "a, b; c"]]
    path.write_text("\r\n".join(delimiter.join(f'"{c}"' for c in r) for r in rows) + "\r\n", encoding="utf-8")
    (entry,) = expand([path])
    assert entry.data == {"name": "Ann", "interests": ["SQL", "dashboards"], "goals": "a, b; c"}


def test_excel_sep_line_and_title_rows(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("sep=;\nStaff list;;\n;;\nName;Current role\nAnn;Analyst\n", encoding="utf-8")
    (entry,) = expand([path])
    assert entry.data == {"name": "Ann", "current_role": "Analyst"} and entry.where == "row 4, "


def test_unknown_columns_are_ignored_once_and_near_misses_refused(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Name,Department,Start date,Manager\nAnn,Sales,2020-01-01,Bo\nCy,Ops,,\n", encoding="utf-8")
    entries, warnings = read(path)
    assert [e.data for e in entries] == [{"name": "Ann"}, {"name": "Cy"}]
    assert warnings == [f"{path}: row 1: ignored the columns 'Department', 'Start date', 'Manager' "
                        "(rolereport reads name, id, email, current_role, interests, strengths, goals, source; "
                        "map others with --columns, such as --columns interests=HEADING)"]
    path.write_text("Name,Intrests,E-mail\nAnn,x,a@example.com\n", encoding="utf-8")
    (entry,) = expand([path])
    assert str(entry.problems[0]) == (f"{path}: row 1: unknown column 'Intrests'; did you mean 'interests'? "
                                      "(rename the heading, or map it with --columns)")


def test_email_is_a_known_column_and_validated(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Name,E-mail\nAnn,ann@example.com\nBo,not an address\n", encoding="utf-8")
    ann, bo = expand([path])
    assert person(ann).email == "ann@example.com"
    with pytest.raises(ProfileError, match="row 3, field 'email'"):
        person(bo)


def test_columns_map_other_headings(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Full name,Employee ID,Name of manager\nAnn Lee,E-1,Bo\n", encoding="utf-8")
    (entry,), warnings = read(path, columns="name=Full name, id = employee id")
    assert entry.data == {"name": "Ann Lee", "id": "E-1"}
    assert "'Name of manager'" in warnings[0]
    (entry,) = expand([path], columns={"name": "Full name", "goals": "Ambitions"})
    assert "no column is headed 'Ambitions' (from --columns goals=…)" in str(entry.problems[0])
    with pytest.raises(UsageError) as caught:
        parse_columns("nmae=Full name,id=Employee ID")
    assert [str(p) for p in caught.value.problems] == [
        "--columns: 'nmae' is not a roster field; use one of: name, id, email, current_role, interests, "
        "strengths, goals, source, first_name, last_name, preferred_name, submitted"]
    with pytest.raises(UsageError, match="'id' is not FIELD=HEADING"):
        parse_columns("id")


def test_a_mapped_column_wins_over_a_same_named_one(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Name,Preferred name\nAnn Lee,Annie\n", encoding="utf-8")
    (entry,), warnings = read(path, columns="name=Preferred name")
    assert entry.data == {"name": "Annie"} and "'Name'" in warnings[0]


def test_two_columns_for_one_field_are_an_error(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Name,name\nA,B\n", encoding="utf-8")
    (entry,) = expand([path])
    assert "'Name' (column A) and 'name' (column B) both give 'name'" in str(entry.problems[0])


def test_line_breaks_in_one_line_fields_are_joined_with_a_warning_on_the_row(tmp_path):
    path = write_xlsx(tmp_path / "w.xlsx", {"S": [["Name", "Strengths"], ["Ann\nLee", "SQL\nPython; R"]]})
    (entry,) = expand([path])
    assert entry.data == {"name": "Ann Lee", "strengths": ["SQL", "Python", "R"]}
    assert person(entry).strengths == ("SQL", "Python", "R")
    assert [str(w) for w in entry.warnings] == [
        f"{path}: sheet 'S', row 2, field 'name': the cell has line breaks; read as one line"]


def test_excel_types_become_text_a_person_would_type(tmp_path):
    path = write_xlsx(tmp_path / "w.xlsx", {"S": [
        ["Name", "ID", "Goals", "Current role"],
        ["Ann", 42, dt.datetime(2026, 12, 31), 3.5],
        ["Bo", 1234567890123.0, dt.datetime(2026, 1, 2, 9, 30), None],
        ["Cy", 12345678901234567890, "x", False],
    ]})
    ann, bo, cy = expand([path])
    assert ann.data == {"name": "Ann", "id": "42", "goals": "2026-12-31", "current_role": "3.5"}
    assert bo.data == {"name": "Bo", "id": "1234567890123", "goals": "2026-01-02 09:30"}
    problems = [str(p) for p in cy.problems]
    assert any("field 'id' (column B): is a number with more than 15 digits" in p for p in problems)
    assert any("field 'current_role' (column D): is a yes/no cell (FALSE)" in p for p in problems)


def test_values_unit():
    assert as_text(1001.0, "id") == "1001" and as_text(dt.date(2026, 3, 1), "goals") == "2026-03-01"
    with pytest.raises(CellProblem, match="scientific notation"):
        as_text("1.23457E+11", "id")  # what Excel writes to CSV for a long number
    assert as_text("1.23457E+11", "goals") == "1.23457E+11"
    with pytest.raises(CellProblem, match="formula"):
        as_text(Uncalculated("A1&B1"), "name")


def test_hidden_rows_in_a_program_written_workbook(tmp_path):
    rows = [["Name"]] + [[f"P{i}"] for i in range(2, 8)]
    path = write_xlsx(tmp_path / "w.xlsx", {"S": rows}, hidden=(3, 4, 5, 7))
    entries, warnings = read(path)
    assert [e.data["name"] for e in entries] == ["P2", "P6"]
    assert warnings == [f"{path}: sheet 'S': skipped 4 hidden rows (rows 3-5, 7); --include-hidden builds them too"]


def test_cells_beyond_the_header(tmp_path):
    csv_path = tmp_path / "r.csv"
    csv_path.write_text("Name,Goals\nAnn,lead\nSmith, John,lead\n", encoding="utf-8")
    ann, john = expand([csv_path])
    assert ann.data == {"name": "Ann", "goals": "lead"}
    assert "the row has 3 cells but the header has 2 columns" in str(john.problems[0])
    path = write_xlsx(tmp_path / "w.xlsx", {"S": [["Name", None, None], ["Ann", None, "a note"]]})
    (entry,), warnings = read(path)
    assert entry.data == {"name": "Ann"}
    assert warnings == [f"{path}: sheet 'S', row 1: ignored the cells in column C, which have no heading"]


def test_batch_cli_passes_the_roster_options(cli, tmp_path):
    out = tmp_path / "out"
    code, stdout, err = cli("batch", ROSTERS / "program-written.xlsx", "--columns", "id=Employee ID",
                            "--include-hidden", "--sheet", "staff", "--out", out, "--format", "html", "--plain")
    assert code == 1  # rows 6, 8 and 9 fail
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["1001", "1002", "1004"]
    assert "Hidden Person" in (out / "1004" / "career-guide.html").read_text(encoding="utf-8")
    assert err.count("ignored the columns 'Department', 'Start date'") == 1
    code, _, err = cli("batch", ROSTERS / "program-written.xlsx", "--columns", "id", "--out", out)
    assert code == 2 and "--columns: 'id' is not FIELD=HEADING" in err


def test_other_spreadsheet_formats_and_empty_rosters(tmp_path):
    old = tmp_path / "staff.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    (entry,) = expand([old])
    assert str(entry.problems[0]) == (f"{old}: rosters are read from .xlsx, .csv or .tsv, not .xls; save it "
                                      "as an Excel workbook (.xlsx) or as 'CSV UTF-8'")
    empty = tmp_path / "r.csv"
    empty.write_text("Name,Interests\n,\n", encoding="utf-8")
    entries, warnings = read(empty)
    assert entries == [] and warnings == [f"{empty}: row 1: has a header row but nobody below it"]
