"""Fit scoring: plain and paraphrased profiles rank the role they point to first, on two pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import DEFAULT_SOURCE, FIXTURES
from rolereport import fit as fit_module
from rolereport.fit import rank_fits
from rolereport.model import Guide, Profile
from rolereport.sources import read_source
from rolereport.text.labels import BANDS, band_for

PM_SOURCE = FIXTURES / "product-manager.txt"
FIELDS = {"description", "best_for", "tagline", "primary_focus", "key_responsibility", "tools",
          "deliverable", "pick_if", "pick_advice"}


def guide(path: Path) -> Guide:
    return read_source(path)[0]


def person(interests=(), strengths=(), goals=None, current_role=None) -> Profile:
    return Profile(name="Test Person", interests=tuple(interests), strengths=tuple(strengths),
                   goals=goals, current_role=current_role)


# Written as a career coach would write them after a first conversation; checked afterwards.
ML_PROFILES = {
    "Data Engineer": [
        person(["building ETL pipelines", "data warehousing", "Apache Spark and Kafka"],
               ["SQL"], "Make sure the data everyone relies on is clean and available."),
        # paraphrased: few words shared with the page
        person(["moving data between systems every night without losing a row",
                "cleaning messy tables so analysts can trust them", "Airflow DAGs"],
               ["patient with flaky data sources"]),
    ],
    "Data Scientist": [
        person(["statistical analysis", "predictive modeling", "exploratory data analysis"],
               ["mathematics"], "Spend my days finding insights in data and communicating them."),
        person(["A/B tests", "dashboards for stakeholders", "figuring out why customers churn"],
               ["explaining numbers to non-technical people"]),
    ],
    "DevOps Engineer": [
        person(["CI/CD pipelines", "automation", "Kubernetes and cloud platforms"],
               ["Docker"], "Own the infrastructure that lets teams deliver software reliably."),
        person(["one-click deploys", "keeping servers up at 3am", "Terraform on AWS"],
               ["calm when production is on fire"]),
    ],
    "Backend Engineer": [
        person(["building APIs", "server-side logic", "database interactions"],
               ["Python and Go"], "Develop the core services that power our applications."),
        person(["REST endpoints", "making the app respond fast for millions of users",
                "Postgres query tuning"], ["Django and Flask"]),
    ],
    "AI Engineer": [
        person(["natural language processing", "computer vision", "cutting-edge AI research"],
               ["deep learning theory"], "Develop novel AI algorithms."),
        person(["reading arXiv papers and trying the ideas", "LLM chatbots", "teaching robots to grasp"],
               ["PhD in machine perception"]),
    ],
}

PM_PROFILES = {
    "Product Designer (UX/UI)": [
        person(["user experience", "interface design", "prototypes in Figma"],
               ["usability testing"]),
        person(["talking to users about their frustrations", "making screens feel effortless",
                "wireframing on a whiteboard"]),
    ],
    "Growth & Analytics Lead": [
        person(["growth experiments", "funnels and retention", "Amplitude and SQL"],
               ["numeracy"]),
        person(["split tests on the sign-up page", "moving conversion metrics", "cohort charts"]),
    ],
    "Ingénieur Qualité": [
        person(["test strategy", "test automation with Playwright", "release quality"],
               ["detail-minded"]),
        person(["finding bugs before customers do", "end-to-end checks that run on every merge",
                "edge cases"], ["meticulous"]),
    ],
    "Technical Program Manager": [
        person(["coordinating programmes across teams", "roadmaps", "tracking dependencies"],
               ["organiser"]),
        person(["juggling many moving parts", "getting several engineering teams aligned",
                "keeping big launches on schedule"]),
    ],
}


def _cases(table):
    return [(role, i, p) for role, profiles in table.items() for i, p in enumerate(profiles)]


@pytest.mark.parametrize(("role", "variant", "profile"), _cases(ML_PROFILES))
def test_default_source_profiles_rank_their_role_first(role, variant, profile):
    fits = rank_fits(profile, guide(DEFAULT_SOURCE))
    assert fits[0].role == role, [(f.role, f.score) for f in fits]
    assert fits[0].score >= 45  # at least a good fit
    assert fits[0].score > fits[1].score


@pytest.mark.parametrize(("role", "variant", "profile"), _cases(PM_PROFILES))
def test_other_family_profiles_rank_their_role_first(role, variant, profile):
    fits = rank_fits(profile, guide(PM_SOURCE))
    assert fits[0].role == role, [(f.role, f.score) for f in fits]
    assert fits[0].score >= 45
    assert fits[0].score > fits[1].score


def test_every_alternative_is_covered():
    assert set(ML_PROFILES) == {r.name for r in guide(DEFAULT_SOURCE).alternatives}
    assert set(PM_PROFILES) == {r.name for r in guide(PM_SOURCE).alternatives}


def test_a_plain_profile_scores_high():
    fits = rank_fits(ML_PROFILES["DevOps Engineer"][0], guide(DEFAULT_SOURCE))
    assert fits[0].band == BANDS[0][0]


def test_fit_shape_and_bands():
    g = guide(DEFAULT_SOURCE)
    fits = rank_fits(ML_PROFILES["Data Scientist"][1], g)
    assert sorted(f.rank for f in fits) == [r.rank for r in g.alternatives]
    assert [f.score for f in fits] == sorted((f.score for f in fits), reverse=True)
    for f in fits:
        assert 0 <= f.score <= 100
        assert f.band == band_for(f.score)
        for e in f.evidence:
            assert e.field in FIELDS
            assert 0 < len(e.source_text) <= 150
            assert e.profile_text in ML_PROFILES["Data Scientist"][1].interests + \
                ML_PROFILES["Data Scientist"][1].strengths


def test_evidence_explains_the_paraphrase():
    fits = rank_fits(person(["one-click deploys"]), guide(DEFAULT_SOURCE))
    top = fits[0]
    assert top.role == "DevOps Engineer"
    assert top.evidence[0].profile_text == "one-click deploys"
    assert re.search(r"deliver|deploy|automat", top.evidence[0].source_text, re.IGNORECASE)
    fits = rank_fits(person(["A/B tests"]), guide(DEFAULT_SOURCE))
    assert fits[0].role == "Data Scientist"
    assert "experiment" in fits[0].evidence[0].source_text.lower()


def test_ties_keep_the_page_order():
    g = guide(DEFAULT_SOURCE)
    for profile in (person(), person(["gardening and sourdough baking"])):
        fits = rank_fits(profile, g)
        assert [f.rank for f in fits] == sorted(f.rank for f in fits)
        assert all(f.score == fits[0].score for f in fits)
        assert all(f.evidence == () for f in fits)


def test_unrelated_profile_scores_low():
    fits = rank_fits(person(["gardening", "sourdough baking", "marathon running"]), guide(DEFAULT_SOURCE))
    assert max(f.score for f in fits) < 20


def test_deterministic():
    g = guide(DEFAULT_SOURCE)
    profile = ML_PROFILES["Backend Engineer"][1]
    first = [f.model_dump() for f in rank_fits(profile, g)]
    fit_module._index.cache_clear()
    assert [f.model_dump() for f in rank_fits(profile, g)] == first
    assert [f.model_dump() for f in rank_fits(profile, guide(DEFAULT_SOURCE))] == first


def test_the_page_subject_is_not_ranked_and_current_role_of_subject_adds_nothing():
    g = guide(DEFAULT_SOURCE)
    plain = rank_fits(person(["automation"]), g)
    with_role = rank_fits(person(["automation"], current_role=g.subject.name), g)
    assert g.subject.name not in {f.role for f in plain}
    assert [(f.role, f.score) for f in plain] == [(f.role, f.score) for f in with_role]


def test_no_role_names_in_code_or_thesaurus():
    names = {r.name for path in (DEFAULT_SOURCE, PM_SOURCE) for r in guide(path).alternatives}
    names |= {guide(path).subject.name for path in (DEFAULT_SOURCE, PM_SOURCE)}
    package = Path(fit_module.__file__).parent
    code = " ".join(p.read_text(encoding="utf-8") for p in sorted(package.glob("*.py"))).casefold()
    thesaurus = fit_module.LEXICON_FILE.read_text(encoding="utf-8").casefold()
    for name in names:
        for word_form in {name.casefold(), name.casefold().split(" (")[0]}:
            assert word_form not in code, name
            assert word_form not in thesaurus, name


def test_fit_cli_json(cli):
    profile = Path(__file__).resolve().parents[2] / "examples" / "profiles" / "jane-doe.yaml"
    code, out, err = cli("fit", "--profile", profile, "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert [r["rank"] for r in rows] != [] and rows[0]["role"] == "DevOps Engineer"
    assert set(rows[0]) == {"role", "rank", "score", "band", "evidence", "cautions"}
    assert set(rows[0]["evidence"][0]) == {"profile_text", "source_text", "field", "read_as"}
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def test_fit_cli_table_and_other_source(cli, tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("name: Ana\ninterests: [usability testing, wireframes]\n", encoding="utf-8")
    code, out, err = cli("fit", "--profile", path, "--source", PM_SOURCE)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Fit for Ana"
    assert lines[2].startswith("Product Designer (UX/UI)")
    assert "Strong fit" in lines[2] or "Good fit" in lines[2]
    assert "usability testing" in lines[2] or "wireframes" in lines[2]


def test_fit_cli_bad_profile(cli):
    bad = FIXTURES / "profiles" / "unknown-key.yaml"
    code, out, err = cli("fit", "--profile", bad)
    assert code == 2 and out == ""
    assert "did you mean 'interests'?" in err
