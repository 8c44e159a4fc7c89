"""Deadlines nest: a batch person's limit around each document's limit, whichever ends first."""

from __future__ import annotations

import time

import pytest

from rolereport.deadline import deadline
from rolereport.errors import TemplateError


def test_the_outer_limit_wins_when_it_ends_first():
    with pytest.raises(TemplateError) as stop:
        with deadline("person", 0.3, "person"):
            with deadline("career-guide.pdf", 5):
                time.sleep(3)
    assert "limit of 0.3 s per person" in str(stop.value)


def test_the_inner_limit_names_its_document():
    with pytest.raises(TemplateError) as stop:
        with deadline("person", 5, "person"):
            with deadline("career-guide.pdf", 0.2):
                time.sleep(3)
    assert str(stop.value).startswith("career-guide.pdf:") and "0.2 s per document" in str(stop.value)


def test_time_spent_inside_counts_against_the_outer_limit():
    with pytest.raises(TemplateError) as stop:
        with deadline("person", 0.6, "person"):
            with deadline("career-guide.pdf", 5):
                time.sleep(0.4)
            time.sleep(0.4)  # 0.8 s in all: over the person's 0.6 s
    assert "per person" in str(stop.value)
