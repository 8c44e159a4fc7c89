"""The output folder is not trusted: a symbolic link planted there by anyone who can write to it
never makes a run change the file it points to. Each case plants the link, runs the real command,
and checks the victim (a file or folder outside the output folder) byte for byte afterwards."""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

import pytest

from conftest import DEFAULT_SOURCE
from rolereport.send.ledger import Entry, Ledger
from send.helpers import many, write_batch

VICTIM_TEXT = "the victim's own words\n"


@pytest.fixture
def victim(tmp_path) -> Path:
    path = tmp_path / "elsewhere" / "victim.txt"
    path.parent.mkdir()
    path.write_text(VICTIM_TEXT, encoding="utf-8")
    return path


def one_refusal(code: int, err: str, *words: str) -> None:
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("rolereport: ") and "Traceback" not in err, err
    for word in words:
        assert word in err, err


def report(cli, out: Path, *args):
    return cli("report", "--source", DEFAULT_SOURCE, "--out", out, "--format", "html", *args)


def roster(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text("name,interests\nAnn Lee,data pipelines\nBo Chen,teaching\n", encoding="utf-8")
    return path


def test_a_lock_file_linked_to_another_file_stops_report(cli, tmp_path, victim):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".rolereport.lock").symlink_to(victim)
    one_refusal(*report(cli, out)[::2], ".rolereport.lock", "symbolic link")
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT
    assert sorted(p.name for p in out.iterdir()) == [".rolereport.lock"]


def test_a_lock_file_linked_to_another_file_stops_batch(cli, tmp_path, victim):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".rolereport.lock").symlink_to(victim)
    code, _, err = cli("batch", roster(tmp_path), "--out", out, "--format", "html", "--plain")
    one_refusal(code, err, "symbolic link")
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT
    assert sorted(p.name for p in out.iterdir()) == [".rolereport.lock"]


def test_a_lock_file_linked_to_another_file_stops_send(cli, tmp_path, victim):
    out = write_batch(tmp_path / "batch", many(2))
    (out / ".rolereport.lock").symlink_to(victim)
    one_refusal(*cli("send", out, "--from", "hr@example.com")[::2], "symbolic link")
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT
    assert not (out / "outbox").exists()


def test_a_hard_linked_lock_file_is_refused_too(cli, tmp_path, victim):
    out = tmp_path / "out"
    out.mkdir()
    os.link(victim, out / ".rolereport.lock")
    one_refusal(*report(cli, out)[::2], "hard links")
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT


def test_a_planted_probe_file_is_never_written(cli, tmp_path, victim):
    out = tmp_path / "out"
    out.mkdir()
    (out / f".rolereport-probe-{os.getpid()}").symlink_to(victim)  # the name the probe once had
    code, _, err = cli("batch", roster(tmp_path), "--out", out, "--format", "html", "--plain")
    assert code == 0, err
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT


def test_a_planted_manifest_link_is_replaced_not_written_through(cli, tmp_path, victim):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.csv").symlink_to(victim)
    code, _, err = cli("batch", roster(tmp_path), "--out", out, "--format", "html", "--plain")
    assert code == 0, err
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT
    assert "Ann Lee" in (out / "manifest.csv").read_text(encoding="utf-8-sig")


def test_an_outbox_linked_to_another_folder_is_refused(cli, tmp_path):
    out = write_batch(tmp_path / "batch", many(2))
    other = tmp_path / "someone-elses-mail"
    other.mkdir()
    (other / "keep.eml").write_text("Subject: mine\n\nkeep me\n", encoding="utf-8")
    (other / "person-000.eml").write_text("Subject: also mine\n\n", encoding="utf-8")
    (out / "outbox").symlink_to(other, target_is_directory=True)
    one_refusal(*cli("send", out, "--from", "hr@example.com")[::2], "outbox", "symbolic link")
    assert sorted(p.name for p in other.iterdir()) == ["keep.eml", "person-000.eml"]
    assert (other / "person-000.eml").read_text(encoding="utf-8") == "Subject: also mine\n\n"


def test_the_outbox_clean_up_removes_only_this_batchs_messages(cli, tmp_path):
    out = write_batch(tmp_path / "batch", many(3))
    (out / "outbox").mkdir()
    (out / "outbox" / "not-a-person-here.eml").write_text("Subject: keep\n\n", encoding="utf-8")
    assert cli("send", out, "--from", "hr@example.com")[0] == 0
    assert cli("send", out, "--from", "hr@example.com", "--limit", "1")[0] == 0
    assert sorted(p.name for p in (out / "outbox").iterdir()) == ["not-a-person-here.eml", "person-000.eml"]


def test_a_ledger_linked_to_another_file_is_neither_read_nor_appended_to(cli, tmp_path, victim):
    out = write_batch(tmp_path / "batch", many(2))
    (out / "sent.csv").symlink_to(victim)
    one_refusal(*cli("send", out, "--from", "hr@example.com")[::2], "sent.csv", "symbolic link")
    entry = Entry("person-000", "Person 000", "p@example.com", "<id@x>", "now", "sent", "")
    with pytest.raises(Exception, match="symbolic link"):
        Ledger(out).record(entry)
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT


def test_a_person_folder_linked_elsewhere_is_refused(cli, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere-folder"
    elsewhere.mkdir()
    profile = tmp_path / "ann.yaml"
    profile.write_text("name: Ann Lee\ninterests: [data]\n", encoding="utf-8")
    (out / "ann-lee").symlink_to(elsewhere, target_is_directory=True)
    one_refusal(*report(cli, out, "--profile", profile)[::2], "ann-lee", "symbolic link")
    assert list(elsewhere.iterdir()) == []


def test_report_into_a_person_folder_of_a_locked_batch_is_refused(cli, tmp_path):
    out = tmp_path / "batch"
    assert report(cli, out / "p-five")[0] == 0
    with open(out / ".rolereport.lock", "w") as held:  # a batch writing `out`
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write(json.dumps({"pid": 4242, "host": "hr-laptop", "command": "batch", "started": "09:00"}))
        held.flush()
        before = {p.name: p.read_bytes() for p in (out / "p-five").iterdir()}
        one_refusal(*report(cli, out / "p-five")[::2], "process 4242 on hr-laptop (rolereport batch")
        assert {p.name: p.read_bytes() for p in (out / "p-five").iterdir()} == before
    assert report(cli, out / "p-five")[0] == 0  # the batch is done: the report may write
