"""Control characters (ESC, BEL, CSI) in a source or a profile never reach a terminal or an output."""

from __future__ import annotations

import json

import pytest

from conftest import DEFAULT_SOURCE

ESCAPES = "\x1b]0;pwned\x07\x1b[31mRED\x1b[0m\x7f"


@pytest.fixture
def page(tmp_path):
    text = DEFAULT_SOURCE.read_text(encoding="utf-8")
    path = tmp_path / "page.txt"
    path.write_text(text.replace("Data Engineer — Focuses", f"Data Engineer — {ESCAPES} Focuses"), encoding="utf-8")
    return path


def test_fit_prints_no_escape_sequence_from_the_source(cli, page, tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text("name: A\ninterests: [data infrastructure]\n", encoding="utf-8")
    code, out, _ = cli("fit", "--profile", profile, "--source", page)
    assert code == 0
    assert "]0;pwned[31mRED[0m Focuses" in out  # the printable rest is kept as text
    assert not any(ch in out for ch in "\x1b\x07\x7f\x9b")


def test_extract_and_outputs_hold_no_control_characters(cli, page, tmp_path):
    code, out, _ = cli("extract", page)
    assert code == 0 and "\\u001b" not in out and "\x1b" not in out
    code, _, err = cli("report", "--source", page, "--out", tmp_path / "o", "--format", "html")
    assert code == 0, err
    html = (tmp_path / "o" / "career-guide.html").read_text(encoding="utf-8")
    assert "]0;pwned[31mRED[0m" in html and not any(ch in html for ch in "\x1b\x07\x7f")


@pytest.mark.parametrize("bad", ["\x1b[2J", "\x9b31m", "a\x07b"])
def test_profile_with_a_control_character_is_refused(cli, tmp_path, bad):
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"name": "Ada", "current_role": bad}), encoding="utf-8")
    code, out, err = cli("check-profile", profile)
    assert code == 2 and out == ""
    assert err.strip() == f"rolereport: {profile}: field 'current_role': contains a control character; remove it"
