"""Adding a format is one registry row and its module: a toy format registered only in this test is
offered by the CLI, rendered, written, stamped and listed by report and batch, and attached by send."""

from __future__ import annotations

import csv
import email
import email.policy
import hashlib

import pytest

from conftest import ROOT
from rolereport.render import formats

PROFILES = ROOT / "examples" / "profiles"


@pytest.fixture
def toy(monkeypatch):
    row = formats.Format("txt", "role-summary.txt", "text/plain", "Role summary", 1 << 16, "render.toyformat",
                         title_reader="render.toyformat:read_title", default=False)
    monkeypatch.setitem(formats.FORMATS, "txt", row)
    return row


def test_the_cli_offers_and_builds_a_registered_format(cli, tmp_path, toy):
    code, out, err = cli("report", "--format", "txt,xlsx", "--out", tmp_path)
    assert code == 0, err
    text = (tmp_path / "role-summary.txt").read_text(encoding="utf-8")
    assert text.startswith("Role summary\n") and "1. " in text
    assert f"wrote {tmp_path / 'role-summary.txt'}" in out
    code, out, _ = cli("report", "--format", "txt,xlsx", "--out", tmp_path)
    assert code == 0 and out.startswith("up to date")  # the stamp lists the new file too


def test_an_unregistered_format_is_refused(cli, tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        cli("report", "--format", "txt", "--out", tmp_path)
    assert stop.value.code == 2 and "unknown format 'txt'" in capsys.readouterr().err


def test_batch_and_send_take_the_new_format(cli, tmp_path, toy):
    roster = tmp_path / "people.csv"
    roster.write_text("name,email,interests\nAnn Example,ann@example.com,data pipelines\n", encoding="utf-8")
    out = tmp_path / "batch"
    code, _, err = cli("batch", roster, "--format", "txt", "--out", out, "--jobs", "1", "--plain")
    assert code == 0, err
    [row] = list(csv.DictReader((out / "manifest.csv").open(encoding="utf-8")))
    data = (out / row["slug"] / "role-summary.txt").read_bytes()
    assert row["status"] == "ok" and row["txt_sha256"] == hashlib.sha256(data).hexdigest()
    assert data.decode("utf-8").startswith("Role summary – Ann Example")
    code, _, err = cli("send", out, "--from", "HR <hr@example.com>", "--attach", "txt")
    assert code == 0, err
    message = email.message_from_bytes((out / "outbox" / f"{row['slug']}.eml").read_bytes(),
                                       policy=email.policy.default)
    [part] = list(message.iter_attachments())
    assert part.get_content_type() == "text/plain"
    assert part.get_filename() == "Role summary – Ann Example.txt"
