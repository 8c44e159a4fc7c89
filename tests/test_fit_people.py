"""Fit read as people write: negation that covers what it governs (brackets, colons, dashes,
"never", "not … anymore"), ties settled by evidence, best matches that rest on evidence, and a
single shared word that counts only in the same sense."""

from __future__ import annotations

import pytest

from conftest import DEFAULT_SOURCE
from rolereport.fit import aversions, best_matches, rank_fits
from rolereport.model import Profile
from rolereport.sources import read_source


@pytest.fixture(scope="module")
def guide():
    return read_source(DEFAULT_SOURCE)[0]


def person(interests=(), strengths=(), goals=None) -> Profile:
    return Profile(name="Test Person", interests=tuple(interests), strengths=tuple(strengths), goals=goals)


def negated(text: str) -> list[str]:
    return [p.text for p in aversions.split(text) if p.negative]


def positive(text: str) -> list[str]:
    return [p.text for p in aversions.split(text) if not p.negative and p.text not in {"I", "I'm", "I'd"}]


@pytest.mark.parametrize(("text", "averted"), [
    # a bracket after the negated object spells it out
    ("I don't want to do infrastructure work (Kubernetes, Docker, CI/CD pipelines).",
     ["infrastructure work (Kubernetes, Docker, CI/CD pipelines)"]),
    # a colon right after the negation, or after its object
    ("I'm done with: on-call, Kubernetes.", ["on-call, Kubernetes"]),
    ("Finished with: marking, lesson planning.", ["marking, lesson planning"]),
    ("No more budgets, rotas or managing staff: been there.", ["budgets, rotas or managing staff: been there"]),
    # a dash, spaced or not
    ("Not interested in the analytics side - dashboards, reporting, SQL.",
     ["analytics side - dashboards, reporting, SQL"]),
    ("Not keen on managing people — spreadsheets, budgets, all that.",
     ["managing people — spreadsheets, budgets, all that"]),
    # across and/or
    ("I'd rather not do writing or social media.", ["writing or social media"]),
    ("I'm done with night shifts, bedside care and patient contact.",
     ["night shifts, bedside care and patient contact"]),
    # never, happy never to, no more, not … anymore
    ("I'd be happy never to migrate another cluster.", ["migrate another cluster"]),
    ("I never want to be on a pager again or touch production.", ["pager again or touch production"]),
    ("No more notebooks or experiments for me.", ["notebooks or experiments for me"]),
    ("I'm not teaching in a classroom anymore.", ["teaching in a classroom"]),
    ("I'm not on call anymore.", ["on call"]),
    ("I'd rather not do model training anymore.", ["model training"]),
])
def test_a_negation_covers_what_it_governs(text, averted):
    assert negated(text) == averted


@pytest.mark.parametrize(("text", "averted", "wanted"), [
    ("I don't want to manage people (but I love coaching)", ["manage people"], ["(but I love coaching)"]),
    ("I don't want on-call: I want to build APIs", ["on-call"], ["I want to build APIs"]),
    ("Never again on-call, but I love SQL", ["on-call"], ["I love SQL"]),
    ("I love data (SQL, Spark) and I don't want Kubernetes", ["Kubernetes"], ["I love data (SQL, Spark) and I"]),
])
def test_a_turn_ends_the_negation(text, averted, wanted):
    assert negated(text) == averted
    assert positive(text) == wanted


@pytest.mark.parametrize("text", ["I never miss a deadline", "never give up on a hard bug",
                                  "I have never been afraid of numbers (statistics, SQL)"])
def test_never_that_is_no_aversion(text):
    # "never afraid of", "never miss": double negatives the person means as a strength
    assert not negated(text)


@pytest.mark.parametrize("goals", [
    "I don't want to do infrastructure work (Kubernetes, Docker, CI/CD pipelines).",
    "I'm done with: on-call, Kubernetes.",
    "Not interested in the operations side - Kubernetes, Docker, CI/CD pipelines.",
    "I'd be happy never to touch Kubernetes, Docker or CI/CD pipelines again.",
])
def test_a_negated_list_is_never_a_reason_and_lowers_its_role(guide, goals):
    base = person(["data pipelines", "SQL"])
    fits = rank_fits(base.model_copy(update={"goals": goals}), guide)
    for fit in fits:
        for ev in fit.evidence:
            low = ev.profile_text.casefold()
            assert "kubernetes" not in low and "docker" not in low and "on-call" not in low
    devops = next(f for f in fits if "DevOps" in f.role)
    assert devops not in best_matches(fits)
    assert devops.score <= next(f for f in rank_fits(base, guide) if "DevOps" in f.role).score
