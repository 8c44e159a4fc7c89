"""`rolereport send`: against a real SMTP server (aiosmtpd) on 127.0.0.1, started per test."""

from __future__ import annotations

import csv
import email
import email.policy
import hashlib
import shutil
import smtplib
import socket

import pytest

from rolereport.jobs.manifest import read_manifest
from send.helpers import Person, document, many, write_batch

FROM = "HR Team <hr@example.com>"


def send(cli, folder, *args):
    return cli("send", folder, "--from", FROM, *args)


def ledger(folder):
    with (folder / "sent.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def attachments(msg):
    return {part.get_filename(): part.get_content() for part in msg.iter_attachments()}


# ---- dry run -------------------------------------------------------------------------------------

def test_dry_run_writes_one_readable_eml_per_person_and_sends_nothing(cli, tmp_path, smtp_server):
    people = [Person("José Müller-Ødegård", "jose@example.com",
                     top=[{"role": "Data Engineer", "band": "Strong fit", "score": 82},
                          {"role": "AI <Engineer>", "band": "Good fit", "score": 51}]),
              Person("Ann Example", "ann@example.com")]
    out = write_batch(tmp_path / "batch", people)
    code, stdout, err = send(cli, out, "--attach", "pdf,docx,xlsx", "--smtp", smtp_server.address)
    assert code == 0, err
    jose = people[0].slug  # the folder name the batch gives (transliterated)
    assert sorted(p.name for p in (out / "outbox").iterdir()) == sorted(["ann-example.eml", f"{jose}.eml"])
    assert smtp_server.handler.messages == [] and not (out / "sent.csv").exists()
    assert "2 prepared" in stdout and "nothing sent" in stdout

    raw = (out / "outbox" / f"{jose}.eml").read_bytes()
    assert b"\r\n" in raw and max(len(line) for line in raw.split(b"\r\n")) <= 78  # RFC 5322 lines
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg.get_content_type() == "multipart/mixed"
    assert msg["To"].addresses[0].display_name == "José Müller-Ødegård"
    assert msg["To"].addresses[0].addr_spec == "jose@example.com"
    assert msg["From"].addresses[0].addr_spec == "hr@example.com"
    assert "José Müller-Ødegård" in msg["Subject"] and msg["Message-ID"]
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "Hello José Müller-Ødegård," in text
    assert "Data Engineer (Strong fit, 82/100)" in text and "AI <Engineer> (Good fit, 51/100)" in text
    assert "AI &lt;Engineer&gt;" in html and "<Engineer>" not in html  # person data is escaped
    assert "<li>Data Engineer (Strong fit, 82/100)</li>" in html
    files = attachments(msg)
    assert set(files) == {"Career guide – José Müller-Ødegård.pdf", "Role handout – José Müller-Ødegård.docx",
                          "Role matrix – José Müller-Ødegård.xlsx"}
    row = next(r for r in read_manifest(out / "manifest.csv") if r["slug"] == jose)
    for fmt, name in (("pdf", "Career guide"), ("docx", "Role handout"), ("xlsx", "Role matrix")):
        data = files[f"{name} – José Müller-Ødegård.{fmt}"]
        assert hashlib.sha256(data).hexdigest() == row[f"{fmt}_sha256"]
    # older mail programs read the name from Content-Type as an RFC 2047 encoded word
    pdf_part = next(p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf")
    assert "=?utf-8?" in pdf_part.as_string().split("Content-Disposition")[0]
    assert pdf_part.get_param("name") == "Career guide – José Müller-Ødegård.pdf"

    ann = email.message_from_bytes((out / "outbox" / "ann-example.eml").read_bytes(), policy=email.policy.default)
    assert "you best:" not in ann.get_body(("plain",)).get_content()  # no matches recorded: none shown


def test_outbox_holds_only_the_latest_dry_run(cli, tmp_path):
    out = write_batch(tmp_path / "batch", many(3))
    assert send(cli, out)[0] == 0
    assert send(cli, out, "--limit", "1")[0] == 0
    assert [p.name for p in (out / "outbox").iterdir()] == ["person-000.eml"]


# ---- sending -------------------------------------------------------------------------------------

def test_fifty_people_are_delivered_once_and_a_second_run_delivers_nothing(cli, tmp_path, smtp_server):
    out = write_batch(tmp_path / "batch", many(50))
    code, stdout, err = send(cli, out, "--send", "--smtp", smtp_server.address, "--attach", "pdf,xlsx")
    assert code == 0, stdout + err
    assert "50 sent" in stdout
    got = smtp_server.handler
    assert sorted(got.recipients()) == sorted(f"person{i:03d}@example.com" for i in range(50))
    rows = {r["email"]: r for r in read_manifest(out / "manifest.csv")}
    for msg, (_, tos, _) in zip(got.parsed(), got.messages, strict=True):
        row = rows[tos[0]]
        assert msg["To"].addresses[0].addr_spec == tos[0]  # each person gets their own files
        files = attachments(msg)
        assert set(files) == {f"Career guide – {row['name']}.pdf", f"Role matrix – {row['name']}.xlsx"}
        assert hashlib.sha256(files[f"Career guide – {row['name']}.pdf"]).hexdigest() == row["pdf_sha256"]
        assert hashlib.sha256(files[f"Role matrix – {row['name']}.xlsx"]).hexdigest() == row["xlsx_sha256"]
    sent = [r for r in ledger(out) if r["status"] == "sent"]
    assert len(sent) == 50 and {r["message_id"] for r in sent} == {m["Message-ID"] for m in got.parsed()}
    assert all(r["attachments"].startswith("pdf=") and " xlsx=" in r["attachments"] for r in sent)

    code, stdout, _ = send(cli, out, "--send", "--smtp", smtp_server.address, "--attach", "pdf,xlsx")
    assert code == 0
    assert len(got.messages) == 50  # nothing delivered twice
    assert "0 sent, 50 already sent" in stdout


def test_resend_repeats_one_person(cli, tmp_path, smtp_server):
    out = write_batch(tmp_path / "batch", many(3))
    assert send(cli, out, "--send", "--smtp", smtp_server.address)[0] == 0
    code, stdout, _ = send(cli, out, "--send", "--smtp", smtp_server.address, "--resend", "person-001")
    assert code == 0 and "1 sent" in stdout
    assert smtp_server.handler.recipients() == [f"person00{i}@example.com" for i in (0, 1, 2, 1)]
    code, _, err = send(cli, out, "--send", "--smtp", smtp_server.address, "--resend", "nobody")
    assert code == 2 and err.count("\n") == 1 and "nobody" in err


def test_a_refused_address_fails_alone(cli, tmp_path, smtp_server):
    out = write_batch(tmp_path / "batch", many(5))
    smtp_server.handler.refuse.add("person002@example.com")
    code, stdout, _ = send(cli, out, "--send", "--smtp", smtp_server.address)
    assert code == 1
    assert sorted(smtp_server.handler.recipients()) == [f"person00{i}@example.com" for i in (0, 1, 3, 4)]
    line = next(x for x in stdout.splitlines() if "person-002" in x)
    assert line.startswith("failed") and "550" in line and "no such mailbox" in line
    assert "4 sent" in stdout and "1 failed" in stdout
    # the next run tries only them again
    smtp_server.handler.refuse.clear()
    code, stdout, _ = send(cli, out, "--send", "--smtp", smtp_server.address)
    assert code == 0 and "1 sent, 4 already sent" in stdout
    assert smtp_server.handler.recipients().count("person002@example.com") == 1


def test_a_dropped_connection_is_reopened_and_nobody_gets_two(cli, tmp_path, smtp_server, fast_retries):
    out = write_batch(tmp_path / "batch", many(6))
    smtp_server.handler.drop_at_rcpt.update({"person001@example.com", "person004@example.com"})
    code, stdout, err = send(cli, out, "--send", "--smtp", smtp_server.address)
    assert code == 0, stdout + err
    assert not smtp_server.handler.drop_at_rcpt  # both drops happened
    assert sorted(smtp_server.handler.recipients()) == [f"person00{i}@example.com" for i in range(6)]
    assert "6 sent" in stdout


def test_a_drop_after_the_message_was_handed_over_is_never_resent_silently(cli, tmp_path, smtp_server,
                                                                           fast_retries):
    out = write_batch(tmp_path / "batch", many(4))
    smtp_server.handler.drop_after_data.add("person001@example.com")
    code, stdout, _ = send(cli, out, "--send", "--smtp", smtp_server.address)
    assert code == 1
    assert sorted(smtp_server.handler.recipients()) == [f"person00{i}@example.com" for i in range(4)]
    line = next(x for x in stdout.splitlines() if "person-001" in x)
    assert line.startswith("unconfirmed") and "--resend person-001" in line
    # the rest of the run went on over a new connection; a rerun does not send it again...
    code, stdout, _ = send(cli, out, "--send", "--smtp", smtp_server.address)
    assert code == 1 and "0 sent, 3 already sent" in stdout
    assert smtp_server.handler.recipients().count("person001@example.com") == 1
    # ...unless asked to
    code, stdout, _ = send(cli, out, "--send", "--smtp", smtp_server.address, "--resend", "person-001")
    assert code == 0 and smtp_server.handler.recipients().count("person001@example.com") == 2


def test_an_unreachable_server_sends_nothing_and_says_so(cli, tmp_path, fast_retries):
    out = write_batch(tmp_path / "batch", many(2))
    with socket.socket() as s:  # a port no one listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, stdout, err = send(cli, out, "--send", "--smtp", f"127.0.0.1:{port}")
    assert code == 1 and "cannot connect" in err and "nothing was sent" in err
    assert not (out / "sent.csv").exists()


def test_limit_and_rate(cli, tmp_path, smtp_server):
    out = write_batch(tmp_path / "batch", many(4))
    code, stdout, _ = send(cli, out, "--send", "--smtp", smtp_server.address, "--limit", "3", "--rate", "6000/min")
    assert code == 0 and "3 sent" in stdout and "1 left for the next run" in stdout
    code, stdout, _ = send(cli, out, "--send", "--smtp", smtp_server.address, "--limit", "3")
    assert code == 0 and "1 sent, 3 already sent" in stdout
    assert len(smtp_server.handler.messages) == 4


# ---- safety before sending -----------------------------------------------------------------------

def test_refusals_each_with_a_reason(cli, tmp_path, smtp_server):
    people = [Person("Ann Example", "ann@example.com"), Person("No Address"),
              Person("Twin One", "same@example.com"), Person("Twin Two", "SAME@example.com"),
              Person("Edited File", "edited@example.com"), Person("Wrong Owner", "wrong@example.com"),
              Person("Not Built", "nb@example.com", status="failed")]
    out = write_batch(tmp_path / "batch", people)
    (out / "edited-file" / "career-guide.pdf").write_bytes(document("pdf", "Edited File") + b"\n% changed")
    # someone else's guide in this person's folder, with the manifest's hash made to match it
    other = document("pdf", "Ann Example")
    (out / "wrong-owner" / "career-guide.pdf").write_bytes(other)
    text = (out / "manifest.csv").read_text(encoding="utf-8-sig")
    old = next(r for r in read_manifest(out / "manifest.csv") if r["slug"] == "wrong-owner")["pdf_sha256"]
    (out / "manifest.csv").write_text(text.replace(old, hashlib.sha256(other).hexdigest()), encoding="utf-8-sig")

    code, stdout, _ = send(cli, out, "--send", "--smtp", smtp_server.address)
    assert code == 1
    assert smtp_server.handler.recipients() == ["ann@example.com"]
    lines = {line.split()[1]: line for line in stdout.splitlines() if line.startswith("refused")}
    assert "no e-mail address" in lines["no-address"]
    assert "shared by" in lines["twin-one"] and "twin-two" in lines["twin-one"] and "shared by" in lines["twin-two"]
    assert "changed since the batch" in lines["edited-file"]
    assert "does not name Wrong Owner" in lines["wrong-owner"] and "Ann Example" in lines["wrong-owner"]
    assert any(x.startswith("refused") and "Not Built" in x and "not built in the batch" in x
               for x in stdout.splitlines())
    assert "1 sent" in stdout and "6 refused" in stdout


def test_office_titles_are_checked_too(cli, tmp_path):
    out = write_batch(tmp_path / "batch", [Person("Ann Example", "ann@example.com"),
                                           Person("Bo Example", "bo@example.com")])
    shutil.copy(out / "bo-example" / "role-handout.docx", out / "ann-example" / "role-handout.docx")
    text = (out / "manifest.csv").read_text(encoding="utf-8-sig")
    rows = {r["slug"]: r for r in read_manifest(out / "manifest.csv")}
    text = text.replace(rows["ann-example"]["docx_sha256"], rows["bo-example"]["docx_sha256"])
    (out / "manifest.csv").write_text(text, encoding="utf-8-sig")
    code, stdout, _ = send(cli, out, "--attach", "pdf,docx")
    assert code == 1
    assert "role-handout.docx has 'Career transition guide – Bo Example', which does not name Ann Example" in stdout


def test_identity_in_the_stamp_must_match_the_manifest(cli, tmp_path):
    import json

    out = write_batch(tmp_path / "batch", [Person("Ann Example", "ann@example.com")])
    stamp_path = out / "ann-example" / ".rolereport-inputs.json"
    stamp = json.loads(stamp_path.read_text())
    stamp["identity"]["email"] = "someone.else@example.com"
    stamp_path.write_text(json.dumps(stamp))
    code, stdout, _ = send(cli, out)
    assert code == 1 and "someone.else@example.com" in stdout and not (out / "outbox" / "ann-example.eml").exists()


# ---- bad arguments: one line, exit 2 ------------------------------------------------------------

@pytest.mark.parametrize("args, words", [
    (("--attach", "pdf,html"), "--attach"),
    (("--rate", "fast"), "--rate"),
    (("--smtp", "host:99999"), "--smtp"),
    (("--from", "not an address"), "--from"),
    (("--attach", "docx"), "no docx"),
])
def test_bad_arguments(cli, tmp_path, args, words):
    out = write_batch(tmp_path / "batch", many(1), formats=("pdf",))
    code, stdout, err = cli("send", out, "--from", FROM, *args)
    assert code == 2 and err.count("\n") == 1 and words in err, err
    assert not (out / "outbox").exists()


def test_not_a_batch_folder(cli, tmp_path):
    code, _, err = send(cli, tmp_path)
    assert code == 2 and "manifest" in err and err.count("\n") == 1


def test_no_sender(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("ROLEREPORT_MAIL_FROM", raising=False)
    out = write_batch(tmp_path / "batch", many(1))
    code, _, err = cli("send", out)
    assert code == 2 and "--from" in err


# ---- the server's side of security ---------------------------------------------------------------

def test_plain_auth_to_a_remote_host_is_refused(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("ROLEREPORT_SMTP_USER", "hr")
    monkeypatch.setenv("ROLEREPORT_SMTP_PASSWORD", "s3cret-Pa55")
    out = write_batch(tmp_path / "batch", many(1))
    code, stdout, err = send(cli, out, "--send", "--smtp", "mail.example.com:25")
    assert code == 2 and "unencrypted" in err and "s3cret" not in stdout + err


def test_smtp_errors_do_not_reach_the_user_as_tracebacks(cli, tmp_path, smtp_server):
    assert issubclass(smtplib.SMTPServerDisconnected, smtplib.SMTPException)
    out = write_batch(tmp_path / "batch", many(1))
    code, _, err = send(cli, out, "--send", "--smtp", smtp_server.address, "--templates", tmp_path / "missing")
    assert code == 2 and "Traceback" not in err and err.count("\n") == 1


# ---- one run at a time, and a ledger cut short ---------------------------------------------------

def test_a_send_never_runs_beside_a_batch_on_the_same_folder(cli, tmp_path, smtp_server):
    import fcntl
    import json

    out = write_batch(tmp_path / "batch", many(2))
    with open(out / ".rolereport.lock", "w") as held:  # as a batch holds it, saying who it is
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write(json.dumps({"pid": 4242, "host": "hr-laptop", "command": "batch", "started": "09:00"}))
        held.flush()
        code, _, err = send(cli, out, "--send", "--smtp", smtp_server.address)
    assert code == 2 and err.count("\n") == 1
    assert "process 4242 on hr-laptop (rolereport batch" in err
    assert smtp_server.handler.messages == []
    assert send(cli, out, "--send", "--smtp", smtp_server.address)[0] == 0  # released: it goes


def test_a_line_cut_short_by_a_crash_counts_as_in_doubt(cli, tmp_path, smtp_server):
    out = write_batch(tmp_path / "batch", many(3))
    assert send(cli, out, "--send", "--smtp", smtp_server.address, "--limit", "1")[0] == 0
    with (out / "sent.csv").open("ab") as fh:  # a run killed while writing person-001's line
        fh.write(b"person-001,Person 001,person001@example.com,<x@example.com>,2026-01-01T00:00:00Z,sen")
    code, stdout, _ = send(cli, out, "--send", "--smtp", smtp_server.address)
    assert code == 1
    assert smtp_server.handler.recipients() == ["person000@example.com", "person002@example.com"]
    assert any(x.startswith("unconfirmed") and "person-001" in x for x in stdout.splitlines())
    rows = ledger(out)
    assert rows[-1]["slug"] == "person-002" and rows[-1]["status"] == "sent"  # written on a line of its own


# ---- templates ----------------------------------------------------------------------------------

def test_templates_and_subject_can_be_overridden(cli, tmp_path):
    out = write_batch(tmp_path / "batch", [Person("Ann *Example*", "ann@example.com")])
    mine = tmp_path / "mine" / "mail"
    mine.mkdir(parents=True)
    (mine / "body.md.j2").write_text("Dear {{ name }},\n\n**Your guide** is here.\n", encoding="utf-8")
    code, _, err = send(cli, out, "--templates", tmp_path / "mine", "--subject", "Guide for {{ name }} ({{ slug }})")
    assert code == 0, err
    msg = email.message_from_bytes((out / "outbox" / "ann-example.eml").read_bytes(), policy=email.policy.default)
    assert msg["Subject"] == "Guide for Ann *Example* (ann-example)"
    text = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text == "Dear Ann *Example*,\n\n**Your guide** is here.\n"
    html = msg.get_body(("html",)).get_content()
    assert "<p>Dear Ann *Example*,</p>" in html and "<strong>Your guide</strong>" in html  # data is not markup


def test_a_broken_template_is_one_line_naming_it(cli, tmp_path):
    out = write_batch(tmp_path / "batch", many(1))
    mine = tmp_path / "mine" / "mail"
    mine.mkdir(parents=True)
    (mine / "subject.txt.j2").write_text("Hello {{ name \n", encoding="utf-8")
    code, _, err = send(cli, out, "--templates", tmp_path / "mine")
    assert code == 2 and err.count("\n") == 1 and "subject.txt.j2" in err and "line 1" in err
    assert not (out / "outbox").exists()


def test_already_sent_says_when_the_files_changed_or_were_not_attached(cli, tmp_path, smtp_server):
    out = write_batch(tmp_path / "batch", many(2))
    assert send(cli, out, "--send", "--smtp", smtp_server.address)[0] == 0
    pdf = out / "person-000" / "career-guide.pdf"
    data = document("pdf", "Person 000").replace(b"/Title", b"/Subject (new) /Title", 1)
    pdf.write_bytes(data)  # rebuilt since it was sent
    text = (out / "manifest.csv").read_text(encoding="utf-8-sig")
    old = next(r for r in read_manifest(out / "manifest.csv") if r["slug"] == "person-000")["pdf_sha256"]
    (out / "manifest.csv").write_text(text.replace(old, hashlib.sha256(data).hexdigest()), encoding="utf-8-sig")
    code, stdout, _ = send(cli, out, "--send", "--smtp", smtp_server.address, "--attach", "pdf,docx")
    assert code == 0 and len(smtp_server.handler.messages) == 2
    lines = {x.split()[2]: x for x in stdout.splitlines() if x.startswith("already sent")}
    assert "their pdf changed since" in lines["person-000"] and "had no docx" in lines["person-000"]
    assert "changed" not in lines["person-001"] and "had no docx" in lines["person-001"]


def test_an_address_outside_ascii_is_refused_not_mangled(cli, tmp_path):
    out = write_batch(tmp_path / "batch", [Person("Zoë Example", "zoë@example.com"), Person("Bo", "bo@example.com")])
    code, stdout, _ = send(cli, out)
    assert code == 1 and "outside ASCII" in next(x for x in stdout.splitlines() if "zoe-example" in x)
    assert [p.name for p in (out / "outbox").iterdir()] == ["bo.eml"]
