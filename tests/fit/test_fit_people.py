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


# --- ties and best matches ----------------------------------------------------------------------

def test_a_role_with_a_reason_ranks_above_every_role_without(guide):
    for p in (person(["data pipelines"]), person(["data pipelines", "cloud infrastructure"]),
              person(["release automation", "SQL"])):
        fits = rank_fits(p, guide)
        with_reason = [i for i, f in enumerate(fits) if f.evidence]
        without = [i for i, f in enumerate(fits) if not f.evidence]
        assert with_reason and max(with_reason) < min(without, default=len(fits))
        # and its score is never below one without a reason, so the list reads best first
        assert [f.score for f in fits] == sorted((f.score for f in fits), reverse=True)
        assert all(f.score < 20 for f in fits if not f.evidence)


def test_best_matches_rest_on_evidence_and_reach_possible_fit(guide):
    fits = rank_fits(person(["data pipelines", "cloud infrastructure"]), guide)
    best = best_matches(fits)
    assert best and all(f.evidence and f.score >= 20 for f in best)
    assert "Data Engineer" not in [f.role for f in best[1:]] or best[0].evidence


def test_no_clear_match_gives_no_best_match(guide):
    assert best_matches(rank_fits(person(["gardening", "knitting", "baking bread"]), guide)) == []


def test_best_matches_keep_order_and_at_most_three():
    from rolereport.model import Evidence, Fit

    ev = (Evidence(profile_text="x", source_text="y", field="description"),)
    fits = [Fit(role=f"R{i}", rank=i, score=s, band="b", evidence=e)
            for i, (s, e) in enumerate([(80, ev), (60, ev), (30, ()), (25, ev), (22, ev), (10, ev)])]
    assert [f.role for f in best_matches(fits)] == ["R0", "R1", "R3"]


# --- word sense for one shared stem -------------------------------------------------------------

@pytest.mark.parametrize(("interests", "not_first"), [
    (["experimenting with new model architectures"], "Data Engineer"),
    (["looking after our build server", "push-button deploys"], "Data Engineer"),
])
def test_one_shared_word_in_another_sense_is_no_best_match(guide, interests, not_first):
    fits = rank_fits(person(interests), guide)
    assert not_first not in [f.role for f in best_matches(fits)]


# --- every output, end to end -------------------------------------------------------------------

NEGATED_GOALS = ("I don't want to do infrastructure work (Kubernetes, Docker, CI/CD pipelines). "
                 "I want to make data useful for analysts.")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from rolereport.jobs.options import BuildOptions
    from rolereport.jobs.report import build_report

    folder = tmp_path_factory.mktemp("negated")
    profile = folder / "noor.yaml"
    profile.write_text("name: Noor Test\ninterests:\n  - data pipelines\n  - SQL\n"
                       f"goals: {NEGATED_GOALS}\n", encoding="utf-8")
    return build_report(BuildOptions(out=folder / "out", formats=("pdf", "xlsx")), profile)


def test_a_negated_bracketed_list_is_quoted_nowhere_as_a_reason(built):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    ws = load_workbook(built.folder / "role-matrix.xlsx")["Your fit"]  # why and caution, a column each
    header = [c.value for c in ws[4]]
    table = [r for r in ws.iter_rows(min_row=5, values_only=True) if r[0]]
    rows = {r[header.index("Role")]: r[header.index("Why it fits")] or "" for r in table}
    cautions = {r[header.index("Role")]: r[header.index("Caution")] or "" for r in table}
    for role, why in rows.items():
        assert not any("Kubernetes" in line or "CI/CD" in line for line in why.splitlines()), (role, why)
        assert why, f"{role}: the matrix says nothing about what its score rests on"
    assert rows["DevOps Engineer"].startswith("Nothing in the profile points to this role")
    assert "Kubernetes, Docker, CI/CD pipelines" in cautions["DevOps Engineer"]  # as a caution only

    text = "\n".join(p.extract_text() for p in PdfReader(str(built.folder / "career-guide.pdf")).pages)
    flat = " ".join(text.split())
    # the person's own words appear in the profile summary and in a caution, never as a reason
    assert "You mentioned “(Kubernetes" not in flat and "You mentioned “infrastructure" not in flat
    assert "From the profile: “infrastructure" not in flat and "From the profile: “(Kubernetes" not in flat
    best = flat[flat.index("Your best matches"):flat.index("How every role fits you")]
    assert "DevOps Engineer" not in best and "Best match 1: Data Engineer" in best
    assert "every score lists the phrases behind it, or says that nothing in the profile points" in flat
    assert "Nothing in the profile points to this role on its own" in flat


def test_a_caution_needs_a_passage_naming_the_averted_thing(guide):
    # the page has "reliable", "resilient systems", "reliability": the same topic, not firefighting
    fits = rank_fits(person(["backend APIs"], goals="I am tired of firefighting."), guide)
    assert all(f.cautions == () for f in fits)
    fits = rank_fits(person(["data pipelines"], goals="I'm done with: Kubernetes, Docker."), guide)
    cautions = [c for f in fits for c in f.cautions]
    assert cautions and all("Docker" in c.source_text or "Kubernetes" in c.source_text for c in cautions)


def _guide_text(fits):
    from rolereport.model import Report
    from rolereport.render.content import template_context
    from rolereport.render.context import Context
    from rolereport.render.templating import Raw

    ctx = Context.create()
    guide, info = read_source(None)
    report = Report(guide=guide, source=info, profile=Profile(name="Ann", interests=("gardening",)),
                    fits=tuple(fits))
    text = " ".join(ctx.templates.markdown_text("content/guide.md.j2", **template_context(report, ctx),
                                                fit_chart=Raw("<svg></svg>")).split())
    return text[:text.index("How every role fits you")]  # the best-matches section


def test_the_section_says_plainly_when_no_role_is_a_clear_match():
    from rolereport.model import Evidence, Fit
    from rolereport.text.labels import band_for

    guide = read_source(None)[0]
    ev = (Evidence(profile_text="gardening", source_text="growing things", field="description"),)
    weak = [Fit(role=r.name, rank=r.rank, score=s, band=band_for(s), evidence=ev if i == 0 else ())
            for i, (r, s) in enumerate(zip(guide.alternatives, [13, 9, 5, 0, 0], strict=False))]
    text = _guide_text(weak)
    assert "No clear match yet" in text and "Your best matches" not in text
    assert "No role is a clear match for Ann" in text and "Best match 1: " + guide.alternatives[0].name not in text
    one = [weak[0].model_copy(update={"score": 40, "band": band_for(40)}), *weak[1:]]
    text = _guide_text(one)
    assert "one fits Ann clearly" in text and "Best match 1: " + guide.alternatives[0].name in text
    assert "Best match 2: " + guide.alternatives[1].name not in text


def test_equal_scores_are_settled_by_evidence_not_page_order():
    from rolereport.fit import _ordered
    from rolereport.model import Evidence, Fit

    ev = Evidence(profile_text="x", source_text="y", field="description")
    first_on_page = Fit(role="A", rank=1, score=35, band="Possible fit", evidence=(ev,))
    more_reasons = Fit(role="B", rank=2, score=35, band="Possible fit", evidence=(ev, ev))
    no_reason = Fit(role="C", rank=0, score=60, band="Good fit", evidence=())
    ordered = _ordered([(first_on_page, 0.2), (more_reasons, 0.2), (no_reason, 0.5)])
    assert [f.role for f in ordered] == ["B", "A", "C"]
    assert ordered[-1].score < 20 and ordered[-1].band == "Weak fit"
    same_reasons = _ordered([(first_on_page, 0.15), (first_on_page.model_copy(update={"role": "D", "rank": 2}), 0.16)])
    assert [f.role for f in same_reasons] == ["D", "A"]  # the higher raw score, not the page's order
