"""Batch against what a real server does: crashing and slow workers, two runs into one folder,
a full disk, bad set-ups found before any rendering, folders that belong to someone else, and
stamps that notice every input the outputs show."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from jobs.procs import (
    ENV,
    TINY,
    complete_bundles,
    manifest_matches_disk,
    no_parts,
    none_left,
    roster,
    start,
)
from rolereport.jobs.folderlock import FolderLock
from rolereport.jobs.manifest import read_manifest

XLSX = ("--format", "xlsx")


def batch(cli, *args):  # noqa: ANN001, ANN002
    return cli("batch", *args, "--source", TINY, *XLSX, "--plain")


def text_file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def rows_by_slug(out: Path) -> dict[str, dict[str, str]]:
    return {r["slug"] or r["input"]: r for r in manifest_matches_disk(out)}


# ---- workers that crash or hang -------------------------------------------------------------------

def test_a_worker_that_crashes_fails_only_its_person(cli, tmp_path, monkeypatch):
    people = roster(tmp_path / "r.csv", ["Ann", "Bo", "Cy", "Dee"])
    out = tmp_path / "out"
    monkeypatch.setenv("ROLEREPORT_TEST_WORKER_HOOK", "crash:bo")  # every try at Bo segfaults
    code, stdout, _ = batch(cli, people, "--out", out, "--jobs", "2")
    assert code == 1
    rows = rows_by_slug(out)
    bo = next(r for r in rows.values() if r["name"] == "Bo")
    assert bo["status"] == "failed" and "the renderer crashed (signal 11)" in bo["error"]
    assert not (out / "bo").exists()
    assert {r["status"] for r in rows.values() if r["name"] != "Bo"} == {"ok"}
    assert "4 people: 3 built, 0 up to date, 1 failed" in stdout


def test_a_crash_is_retried_once_on_a_fresh_worker(cli, tmp_path, monkeypatch):
    people = roster(tmp_path / "r.csv", ["Ann", "Bo", "Cy"])
    out = tmp_path / "out"
    monkeypatch.setenv("ROLEREPORT_TEST_WORKER_HOOK", "crash-once:bo")
    code, _, err = batch(cli, people, "--out", out, "--jobs", "1")
    assert code == 0, err
    from openpyxl import load_workbook

    assert "Bo" in str(load_workbook(out / "bo" / "role-matrix.xlsx")["Roles"]["A1"].value)


def test_a_person_over_the_time_limit_fails_alone(cli, tmp_path, monkeypatch):
    """Bo's render overruns (the worker's own timer stops it); Cy's worker is stuck where that
    timer cannot reach (as inside C code), so the batch kills it. Everyone else is built."""
    people = roster(tmp_path / "r.csv", ["Ann", "Bo", "Cy", "Dee"])
    out = tmp_path / "out"
    monkeypatch.setenv("ROLEREPORT_TEST_WORKER_HOOK", "sleep:bo,hang:cy")
    monkeypatch.setenv("ROLEREPORT_RENDER_TIMEOUT", "4")  # a loaded machine still builds Ann and Dee
    code, _, _ = batch(cli, people, "--out", out, "--jobs", "2")
    assert code == 1
    rows = {r["name"]: r for r in manifest_matches_disk(out)}
    for late in ("Bo", "Cy"):
        assert rows[late]["status"] == "failed" and "longer than the limit of 4 s per person" in rows[late]["error"]
    assert rows["Ann"]["status"] == rows["Dee"]["status"] == "ok", rows["Dee"]["error"]


# ---- one writer per folder ------------------------------------------------------------------------

def test_two_runs_into_one_folder(cli, tmp_path):
    first = roster(tmp_path / "sales.csv", [f"Sales {i}" for i in range(6)], extra="s")
    second = roster(tmp_path / "eng.csv", [f"Eng {i}" for i in range(3)], extra="e")
    out = tmp_path / "out"
    running = start(first, "--source", TINY, "--out", out, *XLSX, "--jobs", "1", hook="pause:0.5")
    lock = out / ".rolereport.lock"
    for _ in range(400):  # until the first run holds the folder and has said who it is
        if lock.exists() and lock.read_text():
            break
        time.sleep(0.05)
    (out / "s0").mkdir(exist_ok=True)
    stale = out / "s0" / ".career-guide.pdf.x.part"  # as if the first run were writing it
    stale.write_bytes(b"half")
    code, _, err = batch(cli, second, "--out", out)
    assert code == 2
    assert f"is being written by process {running.pid} on " in err and "--wait" in err
    assert len(err.strip().splitlines()) == 1
    assert stale.exists(), "a run that does not hold the lock removes nothing"
    waiting = subprocess.run(
        [*map(str, [os.sys.executable, "-m", "rolereport", "batch", second, "--source", TINY, "--out", out,
                    *XLSX, "--plain", "--wait"])], capture_output=True, text=True, timeout=300, env=ENV)
    assert running.wait(timeout=300) == 0
    assert waiting.returncode == 0, waiting.stderr
    assert f"process {running.pid}" in waiting.stderr and "waiting" in waiting.stderr
    assert not stale.exists(), "the next lock holder removes what was left"
    rows = manifest_matches_disk(out)  # written last, by the second run: both rosters' bundles
    assert sorted(r["slug"] for r in rows) == ["e0", "e1", "e2", "s0", "s1", "s2", "s3", "s4", "s5"]
    others = [r for r in rows if r["slug"].startswith("s")]
    assert {r["status"] for r in others} == {"skipped"}
    assert all("not among this run's inputs" in r["warnings"] for r in others)
    assert len({r["run"] for r in rows}) == 2 and all(r["run"] for r in rows)
    assert others[0]["input"] == str(first.resolve()) and others[0]["name"] == "Sales 0"


def test_report_takes_the_same_lock(cli, tmp_path):
    out = tmp_path / "out"
    with FolderLock(out, "batch"):
        code, _, err = cli("report", "--out", out, *XLSX, "--source", TINY)
    assert code == 2 and f"process {os.getpid()}" in err
    assert cli("report", "--out", out, *XLSX, "--source", TINY)[0] == 0


# ---- a full disk, and set-ups that cannot work ---------------------------------------------------

@contextlib.contextmanager
def small_disk(path: Path, size: str, *options: str):
    path.mkdir()
    opts = ",".join(("size=" + size, *options))
    if subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(path)], capture_output=True).returncode:
        pytest.skip("cannot mount a small file system here (needs root)")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def test_a_full_disk_stops_the_batch_cleanly(cli, tmp_path):
    people = roster(tmp_path / "r.csv", [f"Person {i}" for i in range(80)])
    with small_disk(tmp_path / "disk", "1300k") as out:  # room for the first check, not for everyone
        code, stdout, err = batch(cli, people, "--out", out, "--jobs", "1")
        assert code == 1, err
        rows = read_manifest(out / "manifest.csv")
        statuses = [r["status"] for r in rows]
        assert statuses.count("ok") >= 5 and "failed" in statuses and "not-started" in statuses
        full = next(r for r in rows if r["status"] == "failed")
        assert "No space left on device" in full["error"] and "previous files were left" in full["error"]
        assert any("disk is full" in r["error"] for r in rows if r["status"] == "not-started")
        manifest_matches_disk(out)
        assert complete_bundles(out) == {r["slug"] for r in rows if r["status"] == "ok"}
        assert all(any(f.iterdir()) for f in out.iterdir() if f.is_dir()), "no empty person folder"
        assert not no_parts(out)


def test_bad_template_stops_before_anything_is_built(cli, tmp_path):
    people = roster(tmp_path / "r.csv", ["Ann"])
    templates = tmp_path / "t" / "content"
    templates.mkdir(parents=True)
    (templates / "_role_card.md.j2").write_text("ok\n{% if role %}\nunclosed\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = batch(cli, people, "--out", out, "--templates", tmp_path / "t")
    assert code == 2
    assert err.strip().splitlines() == [err.strip()]
    assert "_role_card.md.j2: line 3: template syntax error" in err and "endif" in err
    assert not out.exists()


def test_out_that_is_a_file_or_cannot_be_written(cli, tmp_path):
    people = roster(tmp_path / "r.csv", ["Ann"])
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    code, _, err = batch(cli, people, "--out", a_file)
    assert code == 2 and "is a file, not a folder" in err
    with small_disk(tmp_path / "ro", "64k", "ro") as ro:
        code, _, err = batch(cli, people, "--out", ro / "batch")
        assert code == 2 and "cannot write here: Read-only file system" in err
        assert len(err.strip().splitlines()) == 1
    with small_disk(tmp_path / "tiny", "16k") as tiny:
        code, _, err = batch(cli, people, "--out", tiny)
        assert code == 2 and "has no room for a bundle" in err


# ---- whose folder it is --------------------------------------------------------------------------

def test_a_namesake_from_another_roster_never_replaces_a_bundle(cli, tmp_path):
    sales = text_file(tmp_path / "sales.csv", "name,interests\nJohn Smith,negotiation\n")
    eng = text_file(tmp_path / "eng.csv", "name,interests\nJohn Smith,compilers\n")
    out = tmp_path / "out"
    assert batch(cli, sales, "--out", out)[0] == 0
    before = (out / "john-smith" / "role-matrix.xlsx").read_bytes()
    for extra in ((), ("--force",)):
        code, _, _ = batch(cli, eng, "--out", out, *extra)
        assert code == 1
        row = next(r for r in read_manifest(out / "manifest.csv") if r["input"] == f"{eng} row 2")
        assert row["status"] == "failed"
        assert str(sales.resolve()) in row["error"] and str(eng.resolve()) in row["error"]
        assert "--replace john-smith" in row["error"]
        assert row["name"] == "John Smith"
        assert (out / "john-smith" / "role-matrix.xlsx").read_bytes() == before
    code, _, err = batch(cli, eng, "--out", out, "--replace", "john-smith")
    assert code == 0, err
    stamp = json.loads((out / "john-smith" / ".rolereport-inputs.json").read_text(encoding="utf-8"))
    assert stamp["identity"]["input"] == str(eng.resolve())


def test_accents_and_letter_case_name_one_folder(cli, tmp_path):
    first = text_file(tmp_path / "a.csv", "name,id,interests\nJosé Müller,,data\nKim Lee,AB-1,data\n")
    second = text_file(tmp_path / "b.csv", "name,id,interests\nJose Muller,,data\nKim Lee,ab-1,data\n")
    out = tmp_path / "out"
    assert batch(cli, first, "--out", out)[0] == 0
    assert batch(cli, second, "--out", out)[0] == 1
    rows = {r["input"]: r for r in read_manifest(out / "manifest.csv")}
    assert rows[f"{second} row 2"]["status"] == "failed" and "José Müller" in rows[f"{second} row 2"]["error"]
    case = rows[f"{second} row 3"]["error"]
    assert "'AB-1' and 'ab-1' differ only in letter case" in case
    same_run = text_file(tmp_path / "c.csv", "name,id,interests\nKim Lee,XY-2,data\nKim Lee,xy-2,data\n")
    assert batch(cli, same_run, "--out", tmp_path / "out2")[0] == 1
    errors = [r["error"] for r in read_manifest(tmp_path / "out2" / "manifest.csv")]
    assert all("differ only in letter case" in e and "'xy-2'" in e for e in errors)


def test_the_stamp_records_the_bundle(cli, tmp_path):
    people = tmp_path / "ann.yaml"
    people.write_text("name: Ann Example\nid: ann-1\nemail: ann@example.org\ninterests: [data pipelines, SQL]\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    assert batch(cli, people, "--out", out)[0] == 0
    stamp = json.loads((out / "ann-1" / ".rolereport-inputs.json").read_text(encoding="utf-8"))
    assert set(stamp) == {"digest", "files", "identity", "run", "warnings", "top", "page", "current", "personal"}
    assert stamp["personal"] is True  # built for her profile: its top holds her best matches, maybe none
    assert stamp["page"] == "product-manager.txt"  # the one page everyone got (--source)
    assert stamp["current"] == "Product Manager"  # no current role given: the page's own
    assert stamp["identity"] == {"name": "Ann Example", "id": "ann-1", "email": "ann@example.org",
                                 "input": str(people.resolve())}
    assert list(stamp["files"]) == ["role-matrix.xlsx"]
    # the best matches (at most three, each at least Possible fit), best first
    top = stamp["top"]
    assert 1 <= len(top) <= 3 and set(top[0]) == {"role", "band", "score", "evidence"}
    assert all(t["score"] >= 20 for t in top) and [t["score"] for t in top] == sorted((t["score"] for t in top),
                                                                                     reverse=True)
    assert stamp["run"] == read_manifest(out / "manifest.csv")[0]["run"]
    # a new address rebuilds nothing, but the stamp says where the guide now goes
    people.write_text(people.read_text(encoding="utf-8").replace("ann@example.org", "ann@new.example"),
                      encoding="utf-8")
    code, stdout, _ = batch(cli, people, "--out", out)
    assert "0 built, 1 up to date" in stdout
    stamp = json.loads((out / "ann-1" / ".rolereport-inputs.json").read_text(encoding="utf-8"))
    assert stamp["identity"]["email"] == "ann@new.example"


# ---- stamps notice everything the outputs show --------------------------------------------------

def test_source_name_and_date_rebuild(cli, tmp_path, monkeypatch):
    people = roster(tmp_path / "r.csv", ["Ann"])
    out = tmp_path / "out"
    page = tmp_path / "page.txt"
    shutil.copy(TINY, page)
    args = ("batch", people, "--out", out, *XLSX, "--plain")
    assert cli(*args, "--source", page)[0] == 0
    assert "1 up to date" in cli(*args, "--source", page)[1]
    renamed = tmp_path / "renamed.txt"
    shutil.copy(TINY, renamed)
    assert "1 built" in cli(*args, "--source", renamed)[1]  # the guide prints the file name
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1769904000")
    assert "1 built" in cli(*args, "--source", renamed)[1]  # ... and the date


def test_a_format_subset_warns_about_older_files_and_prune_removes_them(cli, tmp_path):
    people = roster(tmp_path / "r.csv", ["Ann"])
    out = tmp_path / "out"
    base = ("batch", people, "--out", out, "--source", TINY, "--plain")
    assert cli(*base, "--format", "html", "--format", "xlsx")[0] == 0
    code, _, err = cli(*base, "--format", "xlsx")
    assert code == 0
    assert "1 folder keeps older files of other formats" in err and "--prune" in err
    row = read_manifest(out / "manifest.csv")[0]
    assert "older career-guide.html" in row["warnings"]
    assert (out / "ann" / "career-guide.html").exists()
    code, _, err = cli(*base, "--format", "xlsx", "--prune")
    assert code == 0 and "older" not in err
    assert not (out / "ann" / "career-guide.html").exists() and (out / "ann" / "role-matrix.xlsx").exists()


def test_killed_run_processes_are_gone_after_a_normal_run_too(tmp_path):
    people = roster(tmp_path / "r.csv", ["Ann", "Bo"])
    out = tmp_path / "out"
    proc = start(people, "--source", TINY, "--out", out, *XLSX, "--jobs", "2")
    proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert not none_left(str(out), proc.pid)


def test_report_into_someone_elses_folder_is_refused(cli, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "sam.yaml").write_text("name: Sam Lee\ninterests: [data]\n", encoding="utf-8")
    (b / "sam.yaml").write_text("name: Sam Lee\ninterests: [design]\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ("report", "--out", out, *XLSX, "--source", TINY, "--profile")
    assert cli(*args, a / "sam.yaml")[0] == 0
    before = (out / "sam-lee" / "role-matrix.xlsx").read_bytes()
    code, _, err = cli(*args, b / "sam.yaml", "--force")
    assert code == 2 and str(a / "sam.yaml") in err and str(b / "sam.yaml") in err
    assert (out / "sam-lee" / "role-matrix.xlsx").read_bytes() == before
    assert cli(*args, b / "sam.yaml", "--replace", "sam-lee")[0] == 0
    assert (out / "sam-lee" / "role-matrix.xlsx").read_bytes() != before
