"""A name that already starts with an apostrophe and a formula character (`'=1+4`) comes back from
the manifest exactly as written, so `send` finds the person the batch built."""

from __future__ import annotations

import pytest

from rolereport.jobs.manifest import read_manifest
from rolereport.text.cells import neutralise, restore
from send.helpers import Person, write_batch


@pytest.mark.parametrize("text", ["'=1+4", "=1+4", "''=x", "'plain", "plain", "'", "-2", "'-2"])
def test_neutralise_then_restore_gives_the_text_back(text):
    assert restore(neutralise(text)) == text


def test_a_quote_prefixed_name_round_trips_and_is_sent(cli, tmp_path):
    person = Person("'=1+4", "odd@example.com")
    out = write_batch(tmp_path / "batch", [person, Person("Ann Lee", "ann@example.com")])
    rows = read_manifest(out / "manifest.csv")
    assert [r["name"] for r in rows] == ["'=1+4", "Ann Lee"]
    code, stdout, err = cli("send", out, "--from", "hr@example.com")
    assert code == 0, err + stdout
    assert (out / "outbox" / f"{person.slug}.eml").is_file()
    assert ", 0 refused," in stdout and "2 prepared" in stdout, stdout
