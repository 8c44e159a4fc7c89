"""Deadlines nest: a batch person's limit around each document's limit, whichever ends first."""

from __future__ import annotations

import time

import pytest

from rolereport.errors import TimeLimitError
from rolereport.system.deadline import deadline


def test_the_outer_limit_wins_when_it_ends_first():
    with pytest.raises(TimeLimitError) as stop:
        with deadline("person", 0.3, "person"):
            with deadline("career-guide.pdf", 5):
                time.sleep(3)
    assert "limit of 0.3 s per person" in str(stop.value)


def test_the_inner_limit_names_its_document():
    with pytest.raises(TimeLimitError) as stop:
        with deadline("person", 5, "person"):
            with deadline("career-guide.pdf", 0.2):
                time.sleep(3)
    assert str(stop.value).startswith("career-guide.pdf:") and "0.2 s per document" in str(stop.value)


def test_time_spent_inside_counts_against_the_outer_limit():
    with pytest.raises(TimeLimitError) as stop:
        with deadline("person", 0.6, "person"):
            with deadline("career-guide.pdf", 5):
                time.sleep(0.4)
            time.sleep(0.4)  # 0.8 s in all: over the person's 0.6 s
    assert "per person" in str(stop.value)


def test_pandoc_runs_out_of_the_terminals_process_group(tmp_path, monkeypatch):
    """A Ctrl-C at the terminal reaches the batch, which finishes the people in progress; it must
    not also reach (and kill) the pandoc those people are waiting for."""
    import os
    import sys

    from rolereport.system import pandoc

    fake = tmp_path / "pandoc"
    fake.write_text(f"#!{sys.executable}\nimport os\nprint(os.getpgid(0), os.getsid(0))\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(pandoc, "pandoc_path", lambda: str(fake))
    group, session = map(int, pandoc.run_pandoc([]).stdout.split())
    assert group != os.getpgid(0) and session != os.getsid(0)
