"""The quick start, run as a newcomer would: the README's five commands in an empty folder."""

from __future__ import annotations

import csv
import email
import os
import shlex
import subprocess

from pypdf import PdfReader
from tests.docs.helpers import DOCS, ROOT, RR, code_block


def _commands(page) -> list[str]:  # type: ignore[no-untyped-def]
    block = code_block(page.read_text(encoding="utf-8"), "Quick start" if page.name == "README.md" else "Five commands")
    return [line.split("  #")[0].strip() for line in block]


def test_readme_and_quick_start_page_give_the_same_five_commands():
    readme = _commands(ROOT / "README.md")
    assert readme == _commands(DOCS / "quick-start.md")
    assert [c.split()[1] for c in readme] == ["report", "report", "init", "batch", "send"]


def test_the_five_commands_run_in_an_empty_folder(tmp_path):
    (tmp_path / "examples").symlink_to(ROOT / "examples")  # the clone's example profiles, as in the README
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    for line in _commands(ROOT / "README.md"):
        argv = [str(RR), *shlex.split(line)[1:]]
        done = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, (line, done.stderr)

    out = tmp_path / "output"
    # 1. the bundled page, for everyone
    assert {"career-guide.pdf", "role-handout.docx", "role-matrix.xlsx"} <= {p.name for p in out.iterdir()}
    # 2. personalised: the cover names the person and the best matches follow
    text = "".join(page.extract_text() for page in PdfReader(out / "jane-doe" / "career-guide.pdf").pages[:2])
    assert "Jane Doe" in text and "Your best matches" in text
    # 3. init's examples
    assert {"profile.yaml", "roster.csv", "README.md"} <= {p.name for p in (tmp_path / "my-guides").iterdir()}
    # 4. the batch: a folder per roster row, each ok in the manifest
    manifest = (out / "batch" / "manifest.csv").read_text(encoding="utf-8-sig")
    assert manifest.count(",ok,") == 3
    # 5. the dry run: one message per person, their own guide attached, nothing sent
    outbox = sorted((out / "batch" / "outbox").glob("*.eml"))
    assert len(outbox) == 3
    message = email.message_from_bytes((out / "batch" / "outbox" / "jane-doe.eml").read_bytes())
    assert "jane.doe@example.com" in message["To"]
    names = [part.get_filename() for part in message.walk() if part.get_filename()]
    assert names == ["Career guide – Jane Doe.pdf"]
    assert not (out / "batch" / "sent.csv").exists()


def test_a_survey_export_maps_to_a_roster_as_the_hr_guide_says(tmp_path):
    """The HR guide's check-roster command, run on a survey laid out as it assumes (the question
    columns F and G for interests), then the batch with the same mapping."""
    hr = (DOCS / "guides" / "hr.md").read_text(encoding="utf-8")
    words = shlex.split(" ".join(code_block(hr, "## From survey to inbox", nth=1)).replace("\\", " "))
    assert words[:3] == ["rolereport", "check-roster", "survey.xlsx"]
    mapping = words[3:]
    strengths = next(m.split("=", 1)[1] for m in mapping if m.startswith("strengths="))
    survey = tmp_path / "survey.csv"
    with survey.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Timestamp", "Name", "Email Address", strengths, "Department", "What do you enjoy?",
                      "Anything else you would like to do?"])
        out.writerow(["2026/01/05 10:00:00 AM GMT", "Ada Lovelace", "ada@example.com", "SQL, dashboards",
                      "Finance", "data pipelines", "building the data platform"])
    checked = subprocess.run([str(RR), "check-roster", str(survey), *mapping], capture_output=True, text=True,
                             timeout=300, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Ada Lovelace" in checked.stdout
    done = subprocess.run([str(RR), "batch", str(survey), *mapping, "--format", "xlsx", "--out", str(tmp_path / "out"),
                           "--jobs", "1", "--plain"], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    manifest = (tmp_path / "out" / "manifest.csv").read_text(encoding="utf-8-sig")
    assert "Ada Lovelace" in manifest and "ada@example.com" in manifest and ",ok," in manifest


def test_exit_codes_the_reference_states(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("intrests: [x]\n", encoding="utf-8")
    cases = {("check-profile", str(bad)): 2, ("reprot",): 2, ("schema",): 0}
    for args, code in cases.items():
        done = subprocess.run([str(RR), *args], capture_output=True, text=True, timeout=120)
        assert done.returncode == code, (args, done.stderr)
        if code == 2:
            assert done.stderr.count("\n") >= 1 and "Traceback" not in done.stderr
