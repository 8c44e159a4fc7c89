"""STARTTLS and SMTPS with a throw-away CA (trustme), AUTH with credentials from the environment
or a netrc file, and no credential anywhere in what the run prints or writes."""

from __future__ import annotations

import ssl

import pytest
import trustme

from send.helpers import Authenticator, Recorder, many, start_server, write_batch

FROM = "HR Team <hr@example.com>"
USER, PASSWORD = "hr-mailer", "Zq7-very-secret-Pa55"


@pytest.fixture
def ca(tmp_path):
    authority = trustme.CA()
    cafile = tmp_path / "test-ca.pem"
    authority.cert_pem.write_to_path(str(cafile))
    return authority, cafile


def _server_context(authority) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture
def tls_server(ca):
    auth = Authenticator(USER, PASSWORD)
    server = start_server(Recorder(), tls_context=_server_context(ca[0]), require_starttls=True,
                          authenticator=auth, auth_require_tls=True)
    server.auth = auth
    yield server
    server.controller.stop()


def _everything_written(folder) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_starttls_and_login_from_the_environment(cli, tmp_path, monkeypatch, ca, tls_server):
    monkeypatch.setenv("ROLEREPORT_SMTP_USER", USER)
    monkeypatch.setenv("ROLEREPORT_SMTP_PASSWORD", PASSWORD)
    out = write_batch(tmp_path / "batch", many(3))
    code, stdout, err = cli("send", out, "--from", FROM, "--send", "--smtp", tls_server.address, "--starttls",
                            "--cafile", ca[1])
    assert code == 0, stdout + err
    assert sorted(tls_server.handler.recipients()) == [f"person00{i}@example.com" for i in range(3)]
    assert tls_server.auth.seen == [USER.encode()]  # logged in once, over the one connection
    import base64

    secrets = [PASSWORD, base64.b64encode(PASSWORD.encode()).decode(), USER]
    for secret in secrets:
        assert secret not in stdout + err
        assert secret.encode() not in _everything_written(out)


def test_an_untrusted_certificate_stops_before_anything_is_sent(cli, tmp_path, monkeypatch, tls_server):
    monkeypatch.delenv("ROLEREPORT_SMTP_CAFILE", raising=False)
    out = write_batch(tmp_path / "batch", many(2))
    code, stdout, err = cli("send", out, "--from", FROM, "--send", "--smtp", tls_server.address, "--starttls")
    assert code == 1
    assert "certificate is not trusted" in err and "nothing was sent" in err and err.count("\n") == 1
    assert tls_server.handler.messages == [] and not (out / "sent.csv").exists()


def test_the_ca_file_can_come_from_the_environment(cli, tmp_path, monkeypatch, ca, tls_server):
    monkeypatch.setenv("ROLEREPORT_SMTP_CAFILE", str(ca[1]))
    monkeypatch.setenv("ROLEREPORT_SMTP_USER", USER)
    monkeypatch.setenv("ROLEREPORT_SMTP_PASSWORD", PASSWORD)
    out = write_batch(tmp_path / "batch", many(1))
    code, _, err = cli("send", out, "--from", FROM, "--send", "--smtp", tls_server.address, "--starttls")
    assert code == 0, err


def test_a_refused_login_names_no_credential(cli, tmp_path, monkeypatch, ca, tls_server):
    monkeypatch.setenv("ROLEREPORT_SMTP_USER", USER)
    monkeypatch.setenv("ROLEREPORT_SMTP_PASSWORD", "wrong-" + PASSWORD)
    out = write_batch(tmp_path / "batch", many(1))
    code, stdout, err = cli("send", out, "--from", FROM, "--send", "--smtp", tls_server.address, "--starttls",
                            "--cafile", ca[1])
    assert code == 1 and "refused the login" in err
    assert PASSWORD not in stdout + err and USER not in stdout + err
    assert tls_server.handler.messages == []


def test_login_from_a_netrc_file(cli, tmp_path, monkeypatch, ca, tls_server):
    monkeypatch.delenv("ROLEREPORT_SMTP_USER", raising=False)
    monkeypatch.delenv("ROLEREPORT_SMTP_PASSWORD", raising=False)
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login {USER} password {PASSWORD}\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    out = write_batch(tmp_path / "batch", many(2))
    code, stdout, err = cli("send", out, "--from", FROM, "--send", "--smtp", tls_server.address, "--starttls",
                            "--cafile", ca[1])
    assert code == 0, err
    assert tls_server.auth.seen == [USER.encode()] and len(tls_server.handler.messages) == 2
    assert PASSWORD not in stdout + err


def test_a_broken_netrc_does_not_echo_its_contents(cli, tmp_path, monkeypatch, tls_server):
    monkeypatch.delenv("ROLEREPORT_SMTP_USER", raising=False)
    monkeypatch.delenv("ROLEREPORT_SMTP_PASSWORD", raising=False)
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login {USER} {PASSWORD}\n", encoding="utf-8")  # "password" missing
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    out = write_batch(tmp_path / "batch", many(1))
    code, stdout, err = cli("send", out, "--from", FROM, "--send", "--smtp", tls_server.address, "--starttls")
    assert code == 2 and str(netrc) in err and "syntax" in err
    assert PASSWORD not in stdout + err


def test_smtps(cli, tmp_path, ca):
    server = start_server(Recorder(), ssl_context=_server_context(ca[0]))
    try:
        out = write_batch(tmp_path / "batch", many(2))
        code, _, err = cli("send", out, "--from", FROM, "--send", "--smtp", server.address, "--ssl", "--cafile", ca[1])
        assert code == 0, err
        assert len(server.handler.messages) == 2
    finally:
        server.controller.stop()


def test_a_password_outside_ascii_is_refused_without_showing_it(cli, tmp_path, monkeypatch, ca, tls_server):
    monkeypatch.setenv("ROLEREPORT_SMTP_USER", USER)
    monkeypatch.setenv("ROLEREPORT_SMTP_PASSWORD", "pässwörd-ü")
    out = write_batch(tmp_path / "batch", many(1))
    code, stdout, err = cli("send", out, "--from", FROM, "--send", "--smtp", tls_server.address, "--starttls",
                            "--cafile", ca[1])
    assert code == 1 and "outside ASCII" in err
    assert not {"ä", "ö", "ü"} & set(stdout + err)


def test_credentials_never_print_themselves():
    from rolereport.send.smtp import Credentials

    creds = Credentials(USER, PASSWORD)
    assert PASSWORD not in repr(creds) and PASSWORD not in str(creds) and USER not in f"{creds!r}"
