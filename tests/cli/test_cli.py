"""The command line forgives a newcomer's slips: each row of the table in the README's CLI notes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from conftest import ROOT

RR = [sys.executable, "-m", "rolereport"]


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*RR, *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_misspelt_command_gets_a_suggestion(cli):
    with pytest.raises(SystemExit) as exc:
        cli("reprot")
    assert exc.value.code == 2


def test_misspelt_command_message():
    done = run("reprot")
    assert done.returncode == 2
    assert done.stderr.strip() == ("rolereport: unknown command 'reprot'; did you mean 'report'? "
                                   "(see 'rolereport --help')")


def test_bare_command_prints_the_help(cli):
    code, out, err = cli()
    assert code == 0 and err == ""
    text = " ".join(out.split())
    assert "usage: rolereport" in text and "report" in text and "rolereport init" in text


def test_profile_folder_and_theme_folder(cli, tmp_path):
    code, _, err = cli("report", "--profile", ROOT / "examples" / "profiles", "--out", tmp_path)
    assert code == 2
    assert "is a folder: give one profile file, or use `rolereport batch` for a folder" in err
    code, _, err = cli("report", "--theme", ROOT / "examples" / "themes" / "northwind", "--out", tmp_path)
    assert code == 2 and "is a folder: pass its theme.toml" in err
    assert list(tmp_path.iterdir()) == []


def test_out_naming_a_file(cli, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("mine", encoding="utf-8")
    for command in (("report",), ("batch", ROOT / "examples" / "profiles")):
        code, _, err = cli(*command, "--out", notes)
        assert code == 2
        assert err.strip() == (f"rolereport: --out {notes} is a file, not a folder; "
                               "give a folder (it is created if missing)")
    assert notes.read_text(encoding="utf-8") == "mine"


def test_formats_case_insensitive_and_comma_lists(cli, tmp_path):
    code, out, _ = cli("report", "--format", "XLSX,Docx", "--out", tmp_path)
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "role-handout.docx", "role-matrix.xlsx"]
    with pytest.raises(SystemExit) as exc:
        cli("report", "--format", "pfd", "--out", tmp_path)
    assert exc.value.code == 2


def test_unknown_format_message():
    done = run("report", "--format", "pfd")
    assert done.returncode == 2
    assert "unknown format 'pfd'; did you mean 'pdf'?" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_debug_before_or_after_the_command(cli):
    assert cli("--debug", "check-profile", ROOT / "examples" / "profiles" / "jane-doe.yaml")[0] == 0
    assert cli("check-profile", ROOT / "examples" / "profiles" / "jane-doe.yaml", "--debug")[0] == 0
    from rolereport.errors import ProfileError

    with pytest.raises(ProfileError):  # --debug after the command shows the traceback
        cli("check-profile", ROOT / "nobody.yaml", "--debug")


def test_output_into_a_closed_pipe_is_quiet():
    """`rolereport fit … | head`: the reader is gone (here before the first line is written)."""
    profile = ROOT / "examples" / "profiles" / "jane-doe.yaml"
    done = subprocess.run(f"{sys.executable} -m rolereport fit --profile {profile} | true; exit ${{PIPESTATUS[0]}}",
                          shell=True, capture_output=True, text=True, timeout=60, executable="/bin/bash")
    assert done.stderr == ""
    assert done.returncode == 141  # as a program stopped by SIGPIPE reports it


def test_fit_wraps_evidence_at_words_within_the_terminal(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = cli("fit", "--profile", ROOT / "examples" / "profiles" / "jane-doe.yaml")
    assert code == 0
    lines = out.splitlines()
    assert all(len(line) < 80 for line in lines)
    words = " ".join(out.split())
    assert "one-click deploys and release automation" in words  # no word cut in two
    continuation = [line for line in lines[2:] if line.startswith(" ")]
    assert continuation, "the evidence should have wrapped at 80 columns"
    indent = {len(line) - len(line.lstrip()) for line in continuation}
    assert len(indent) == 1  # continuation lines line up under the evidence column


def test_report_help_describes_and_gives_an_example():
    done = run("report", "--help")
    assert done.returncode == 0
    text = " ".join(done.stdout.split())
    assert "Build the PDF guide, DOCX handout and XLSX matrix" in text
    assert "example: rolereport report" in text
    assert "TOML, YAML or JSON" in text
    assert "OUT/<person>/" in text


def test_make_variables_are_passed_on():
    done = subprocess.run(["make", "-n", "report", "FORCE=1", "THEME=t.toml", "TEMPLATES=tt",
                           "FORMATS=pdf,docx", "PROFILE=p.yaml"], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    command = [line for line in done.stdout.splitlines() if " report " in line][-1]
    for part in ("--force", "--theme t.toml", "--templates tt", "--format pdf,docx", "--profile p.yaml"):
        assert part in command
    helptext = subprocess.run(["make", "help"], capture_output=True, text=True, cwd=ROOT, timeout=60).stdout
    for var in ("FORCE=1", "THEME=", "TEMPLATES=", "FORMATS="):
        assert var in helptext


def test_init_then_report_outside_the_repository(tmp_path):
    folder = tmp_path / "start"
    done = run("init", folder, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    names = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert names == ["README.md", "profile.yaml", "roster.csv", "theme/logo.svg", "theme/theme.toml"]
    again = run("init", folder, cwd=tmp_path)  # never overwrites what a newcomer edited
    assert again.returncode == 2 and "already exists" in again.stderr
    done = run("report", "--profile", "profile.yaml", "--theme", "theme/theme.toml", "--out", "out",
               "--format", "pdf,xlsx", cwd=folder)
    assert done.returncode == 0, done.stderr
    person = folder / "out" / "jane-doe"
    assert (person / "career-guide.pdf").read_bytes().startswith(b"%PDF")
    from openpyxl import load_workbook

    assert "Jane Doe" in str(load_workbook(person / "role-matrix.xlsx")["Roles"]["A1"].value)
    from rolereport.inputs.profile import profile_from_mapping
    from rolereport.inputs.roster import expand

    people = [profile_from_mapping(e.data or {}, e.file, e.where) for e in expand([folder / "roster.csv"])]
    assert [p.email for p in people] == ["jane.doe@example.com", "sam.okafor@example.com",
                                         "priya.raman@example.com"]
    checked = run("check-profile", "profile.yaml", cwd=folder)
    assert checked.returncode == 0 and checked.stdout.startswith("ok: Jane Doe")


def test_doctor_reports_each_part(cli):
    code, out, _ = cli("doctor")
    assert code == 0
    for part in ("WeasyPrint (PDF)", "pandoc", "openpyxl (XLSX)", "HarfBuzz font subsetter",
                 "fonts for other scripts", "cache folder", "Dask"):
        assert part in out
    assert out.rstrip().endswith("everything the default report needs is here")


def test_doctor_fails_when_a_required_part_is_missing(cli, monkeypatch):
    import importlib.metadata

    real = importlib.metadata.version

    def version(dist: str) -> str:
        if dist == "openpyxl":
            raise importlib.metadata.PackageNotFoundError(dist)
        return real(dist)

    monkeypatch.setattr(importlib.metadata, "version", version)
    code, out, _ = cli("doctor")
    assert code == 1
    assert "MISSING openpyxl (XLSX): not installed; pip install openpyxl" in out


def test_uv_lock_covers_pyproject():
    """Every requirement of pyproject.toml (dependencies, extras, groups) is in uv.lock at a version it
    allows, with hashes; and the uv that make bootstraps (requirements-uv.txt) is the locked one."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    locked = {p["name"]: p for p in lock["package"]}
    meta = project["project"]
    reqs = meta["dependencies"] + [r for group in meta["optional-dependencies"].values() for r in group]
    reqs += [r for group in project["dependency-groups"].values() for r in group if isinstance(r, str)]
    for text in reqs:
        req = Requirement(text)
        name = req.name.lower().replace("_", "-")
        assert name in locked, f"{name} is in pyproject.toml but not locked: run `make lock`"
        assert req.specifier.contains(locked[name]["version"], prereleases=True), \
            f"{name}=={locked[name]['version']} does not satisfy '{text}': run `make lock`"
    for package in locked.values():
        if "registry" in package["source"]:
            files = package.get("wheels", []) + ([package["sdist"]] if "sdist" in package else [])
            assert files and all(f["hash"].startswith("sha256:") for f in files), package["name"]
    boot = (ROOT / "requirements-uv.txt").read_text(encoding="utf-8")
    uv = locked["uv"]
    assert f"uv=={uv['version']} " in boot, "requirements-uv.txt is not the locked uv: run `make lock`"
    assert {w["hash"] for w in uv["wheels"]} <= set(re.findall(r"--hash=(sha256:[0-9a-f]+)", boot))


def test_doctor_names_scripts_without_a_font(cli, monkeypatch):
    from rolereport.render.pdf import glyphs

    monkeypatch.setattr(glyphs, "missing_scripts", lambda: ["Korean", "Thai"])
    code, out, _ = cli("doctor")
    assert code == 0  # the default report still builds; those names show as boxes, with a warning
    line = next(x for x in out.splitlines() if "fonts for other scripts" in x)
    assert line.startswith("note") and "no font for Korean, Thai" in line and "make fonts" in line


def test_a_profile_with_nothing_to_go_on_is_no_personalised_report(cli, tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text("name: Empty Person\ncurrent_role: Analyst\n", encoding="utf-8")
    code, _, err = cli("report", "--profile", empty, "--out", tmp_path / "out", "--format", "xlsx")
    assert code == 2 and "no interests, strengths or goals to go on" in err and "--allow-empty" in err
    assert not (tmp_path / "out" / "empty-person").exists()
    code, _, err = cli("report", "--profile", empty, "--out", tmp_path / "out", "--format", "xlsx", "--allow-empty")
    assert code == 0 and "built the plain guide" in err
    stamp = json.loads((tmp_path / "out" / "empty-person" / ".rolereport-inputs.json").read_text(encoding="utf-8"))
    assert stamp.get("plain") is True
