from __future__ import annotations

import csv
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import DEFAULT_SOURCE
from jobs.procs import TINY

ROSTER = """Name,ID,Current Role,Interests,Strengths,Goals
Ada Lovelace,,ML Engineer,data pipelines; data quality,SQL; Spark,Own the data platform
Grace Hopper,grace,ML Engineer,automation; CI/CD; cloud,Kubernetes,Ship faster
,,ML Engineer,statistics,,
Alan Turing,,ML Engineer,research;  ; AI algorithms,maths,Publish
../../x,,ML Engineer,APIs,Go,
Hostile Id,../../y,ML Engineer,APIs,Go,
"""


def manifest_rows(out: Path) -> list[dict[str, str]]:
    with (out / "manifest.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def roster(tmp_path) -> Path:
    path = tmp_path / "staff.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return path


def test_roster_with_good_and_bad_rows(cli, tmp_path, roster):
    out = tmp_path / "out"
    code, stdout, err = cli("batch", roster, "--out", out, "--format", "html", "--jobs", "2", "--plain")
    assert code == 1, err  # one row failed
    rows = {r["input"]: r for r in manifest_rows(out)}
    assert rows[f"{roster} row 4"]["status"] == "failed"
    assert "row 4" in rows[f"{roster} row 4"]["error"] and "name" in rows[f"{roster} row 4"]["error"]
    ok = [r for r in rows.values() if r["status"] == "ok"]
    assert sorted(r["slug"] for r in ok) == ["ada-lovelace", "alan-turing", "grace", "x"]
    # a hostile name became a plain folder name inside the output folder; a hostile id is refused
    assert (out / "x" / "career-guide.html").is_file()
    assert not (tmp_path.parent / "x").exists() and not (tmp_path.parent / "y").exists()
    assert rows[f"{roster} row 7"]["status"] == "failed" and "field 'id'" in rows[f"{roster} row 7"]["error"]
    for r in ok:  # checksums and sizes in the manifest match the files
        data = (out / r["html_file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == r["html_sha256"]
        assert int(r["html_bytes"]) == len(data)
        assert r["name"] in data.decode("utf-8")
    assert "6 people: 4 built, 0 up to date, 2 failed" in stdout


def test_duplicate_slugs_are_both_reported(cli, tmp_path):
    roster = tmp_path / "dupes.csv"
    roster.write_text("name,interests\nJane Doe,data\njane-doe,apis\nSam,ops\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, _ = cli("batch", roster, "--out", out, "--format", "html", "--plain")
    assert code == 1
    rows = manifest_rows(out)
    assert [r["status"] for r in rows] == ["failed", "failed", "ok"]
    assert "'jane-doe' is shared by" in rows[0]["error"]
    assert not (out / "jane-doe").exists()


def test_profile_files_and_folders(cli, tmp_path):
    people = tmp_path / "people"
    people.mkdir()
    (people / "a.yaml").write_text("name: Ann Example\ninterests: [automation]\n", encoding="utf-8")
    (people / "b.json").write_text('{"name": "Bo Example", "interests": ["statistics"]}', encoding="utf-8")
    (people / "bad.yaml").write_text("name: Cy\nintrests: [x]\n", encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, _ = cli("batch", people, people / "a.yaml", "--out", out, "--format", "html", "--plain")
    assert code == 1
    rows = manifest_rows(out)
    assert len(rows) == 3  # a.yaml named twice is built once
    bad = next(r for r in rows if r["input"].endswith("bad.yaml"))
    assert bad["status"] == "failed" and "did you mean 'interests'" in bad["error"]


def test_unchanged_people_are_skipped_and_resume_finishes_the_rest(cli, tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("name,interests\nAnn,data\nBo,data\nCy,data\n", encoding="utf-8")
    out = tmp_path / "out"
    assert cli("batch", roster, "--out", out, "--format", "html", "--plain")[0] == 0
    before = (out / "ann" / "career-guide.html").stat().st_mtime_ns
    # simulate an interrupted run: one bundle lost its file, a temporary file was left behind
    (out / "bo" / "career-guide.html").unlink()
    (out / "cy" / ".career-guide.html.x1.part").write_bytes(b"half")
    code, stdout, _ = cli("batch", roster, "--out", out, "--format", "html", "--plain")
    assert code == 0
    status = {r["slug"]: r["status"] for r in manifest_rows(out)}
    assert status == {"ann": "skipped", "bo": "ok", "cy": "skipped"}
    assert (out / "ann" / "career-guide.html").stat().st_mtime_ns == before
    assert not list(out.rglob("*.part"))
    code, _, _ = cli("batch", roster, "--out", out, "--format", "html", "--plain", "--force")
    assert {r["status"] for r in manifest_rows(out)} == {"ok"}


def test_ctrl_c_leaves_no_partial_files_and_next_run_finishes(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("name,interests\n" + "\n".join(f"Person {i},data" for i in range(12)) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "rolereport", "batch", str(roster), "--out", str(out), "--format", "pdf",
           "--jobs", "2", "--plain", "--source", str(TINY)]  # a small page: real PDFs, quickly
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"})
    assert proc.stdout is not None
    for line in proc.stdout:  # wait for the first finished person, then press Ctrl-C
        if " ok " in line:
            break
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert not list(out.rglob("*.part"))
    rows = manifest_rows(out)
    assert "ok" in {r["status"] for r in rows}
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"})
    assert done.returncode == 0, done.stderr
    statuses = [r["status"] for r in manifest_rows(out)]
    assert set(statuses) <= {"ok", "skipped"} and "skipped" in statuses


def test_bad_source_stops_the_batch_with_exit_2(cli, tmp_path, roster):
    bad = tmp_path / "bad.txt"
    bad.write_text("Nothing here\n", encoding="utf-8")
    code, _, err = cli("batch", roster, "--source", bad, "--out", tmp_path / "o", "--format", "html")
    assert code == 2 and "no ranked list" in err
    assert not (tmp_path / "o").exists()


def test_xlsx_roster_and_all_formats(cli, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["NAME", "Interests"])
    wb.active.append(["Dee Example", "automation; cloud"])
    roster = tmp_path / "staff.xlsx"
    wb.save(roster)
    out = tmp_path / "out"
    code, _, err = cli("batch", roster, "--source", DEFAULT_SOURCE, "--out", out, "--jobs", "1", "--plain")
    assert code == 0, err
    row = manifest_rows(out)[0]
    for fmt, name in (("pdf", "career-guide.pdf"), ("docx", "role-handout.docx"), ("xlsx", "role-matrix.xlsx")):
        assert row[f"{fmt}_file"] == f"dee-example/{name}"
    # each file is this person's, as its reader sees it
    import docx
    from openpyxl import load_workbook
    from pypdf import PdfReader

    cover = PdfReader(str(out / row["pdf_file"])).pages[0].extract_text()
    assert "Prepared for" in cover and "Dee Example" in cover
    assert "Prepared for Dee Example" in [p.text for p in docx.Document(str(out / row["docx_file"])).paragraphs]
    assert "Dee Example" in str(load_workbook(out / row["xlsx_file"])["Roles"]["A1"].value)


def test_unknown_roster_column_is_reported(cli, tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("name,intrests\nAnn,x\n", encoding="utf-8")
    code, _, _ = cli("batch", roster, "--out", tmp_path / "o", "--format", "html", "--plain")
    assert code == 1
    row = manifest_rows(tmp_path / "o")[0]
    assert row["status"] == "failed" and "did you mean 'interests'?" in row["error"] and "row 1" in row["error"]


def test_same_inputs_give_identical_bundles(cli, tmp_path, roster):
    a, b = tmp_path / "a", tmp_path / "b"
    cli("batch", roster, "--out", a, "--format", "html", "--plain")
    time.sleep(1)
    cli("batch", roster, "--out", b, "--format", "html", "--plain")
    for f in a.rglob("career-guide.html"):
        assert f.read_bytes() == (b / f.relative_to(a)).read_bytes()


def test_jobs_must_be_at_least_one(cli, capsys, tmp_path, roster):
    with pytest.raises(SystemExit) as stop:
        cli("batch", roster, "--jobs", "0", "--out", tmp_path / "o")
    assert stop.value.code == 2
    assert "at least 1" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_a_rows_own_warnings_reach_its_manifest_row(cli, tmp_path):
    staff = tmp_path / "staff.csv"
    staff.write_text('name,current_role,interests\n"Ada\nLovelace",Analyst,data pipelines\n'
                     "Grace Hopper,Analyst,automation\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, _ = cli("batch", staff, "--out", out, "--format", "xlsx", "--source", DEFAULT_SOURCE, "--plain")
    assert code == 0
    rows = {r["name"]: r for r in manifest_rows(out)}
    assert "line breaks; read as one line" in rows["Ada Lovelace"]["warnings"]
    assert rows["Grace Hopper"]["warnings"] == ""
    code, _, _ = cli("batch", staff, "--out", out, "--format", "xlsx", "--source", DEFAULT_SOURCE, "--plain")
    again = {r["name"]: r for r in manifest_rows(out)}["Ada Lovelace"]  # up to date: said once, not twice
    assert again["status"] == "skipped" and again["warnings"].count("line breaks") == 1
