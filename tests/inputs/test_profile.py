"""Profiles: every bad case gives one clear line per problem and exit 2; good ones load."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, ROOT
from rolereport.errors import ProfileError
from rolereport.inputs.profile import (
    MAX_FILE_BYTES,
    MAX_GOALS_CHARS,
    MAX_ITEM_CHARS,
    MAX_ITEMS,
    MAX_NAME_CHARS,
    load_profile,
    profile_from_mapping,
)

PROFILES = FIXTURES / "profiles"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("unknown-key.yaml", ["field 'intrests': unknown key; did you mean 'interests'?"]),
        ("wrong-types.json", [
            "field 'name': expected text but got the number 42",
            "field 'interests': expected a list of text items",
            "field 'strengths', item 2: expected text but got the number 7",
            "field 'goals': expected text",
        ]),
        ("empty-name.yaml", ["field 'name': is empty; give the person's name"]),
        ("missing-name.toml", ["field 'name': is required; add it"]),
        ("yaml-no.yaml", ["field 'current_role': expected text but YAML read a yes/no word",
                          "as false; put the value in quotes"]),
        ("yaml-octal.yaml", ["field 'id': expected text but got the number 493",
                             "in YAML 0755 becomes 493"]),
        ("duplicate-key.yaml", ["line 3: is not valid YAML: duplicate key 'name' (first on line 1)"]),
        ("duplicate-key.json", ["duplicate key 'name'; keep one"]),
        ("bad-id.yaml", ["field 'id': '../../etc/passwd' cannot name files"]),
        ("empty-item.yaml", ["field 'interests', item 2: is empty"]),
        ("not-a-mapping.yaml", ["a profile must be a mapping of keys to values"]),
        ("invalid.yaml", ["is not valid YAML"]),
        ("invalid.toml", ["is not valid TOML"]),
        ("empty.yaml", ["the file is empty"]),
        ("profile.txt", ["a profile must be .yaml, .yml, .toml or .json"]),
    ],
)
def test_bad_profile_cli(cli, name, expected):
    path = PROFILES / name
    code, out, err = cli("check-profile", path)
    assert code == 2
    assert out == ""
    for text in expected:
        assert f"rolereport: {path}: " in err
        assert text in err, err
    assert "Traceback" not in err


def test_every_problem_is_reported_at_once(cli):
    path = PROFILES / "many-problems.yaml"
    code, _, err = cli("check-profile", path)
    lines = err.strip().splitlines()
    assert code == 2
    assert len(lines) == 6, lines
    assert all(line.startswith(f"rolereport: {path}: field '") for line in lines)
    for field in ("'name'", "'id'", "'intrests'", "'strenghts'", "'current_role'", "'goals'"):
        assert any(field in line for line in lines), field
    assert "did you mean 'strengths'?" in err
    assert "yes/no word" in err


def test_missing_file_and_folder(cli, tmp_path):
    code, _, err = cli("check-profile", tmp_path / "nobody.yaml")
    assert code == 2 and "no such file; check the path" in err
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    code, _, err = cli("check-profile", folder)
    assert code == 2 and "is a folder" in err


@pytest.mark.parametrize(
    ("data", "where", "message"),
    [
        ({"name": "x" * (MAX_NAME_CHARS + 1)}, "field 'name'", f"a name may be at most {MAX_NAME_CHARS}"),
        ({"name": "A", "interests": ["x"] * (MAX_ITEMS + 1)}, "field 'interests'",
         f"has {MAX_ITEMS + 1} items; keep at most {MAX_ITEMS}"),
        ({"name": "A", "strengths": ["x" * (MAX_ITEM_CHARS + 1)]}, "field 'strengths', item 1",
         f"an item may be at most {MAX_ITEM_CHARS}"),
        ({"name": "A", "goals": "x " * MAX_GOALS_CHARS}, "field 'goals'",
         f"goals may be at most {MAX_GOALS_CHARS:,}"),
        ({"name": "A", "id": "x" * 61}, "field 'id'", "1 to 60 letters, digits and hyphens"),
        ({"name": "A\x00B"}, "field 'name'", "control character"),
    ],
)
def test_limits(cli, tmp_path, data, where, message):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = cli("check-profile", path)
    assert code == 2
    assert f"{path}: {where}: " in err and message in err, err


def test_file_size_limit(cli, tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("name: A\ngoals: " + "x" * MAX_FILE_BYTES + "\n", encoding="utf-8")
    code, _, err = cli("check-profile", path)
    assert code == 2
    assert f"a profile may be at most {MAX_FILE_BYTES:,} bytes" in err


def test_not_utf8(cli, tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Zoë\n".encode("latin-1"))
    code, _, err = cli("check-profile", path)
    assert code == 2 and "is not UTF-8 text" in err


@pytest.mark.parametrize("name", ["valid.yaml", "valid.toml", "valid.json"])
def test_good_profiles(cli, name):
    code, out, err = cli("check-profile", PROFILES / name)
    assert code == 0, err
    first, *rest = out.splitlines()
    assert first.startswith("ok: ")
    assert all(line.startswith("note: ") for line in rest)  # a thin profile is told so (fit.limits)


def test_summary_line(cli):
    code, out, _ = cli("check-profile", PROFILES / "valid.yaml")
    assert code == 0
    assert out == "ok: Jane Doe — 3 interests, 2 strengths, goals, currently Machine Learning Engineer\n"


@pytest.mark.parametrize("path", sorted((ROOT / "examples" / "profiles").iterdir()))
def test_shipped_examples_are_valid(cli, path):
    code, out, err = cli("check-profile", path)
    assert code == 0, err


def test_lists_given_as_one_text_are_split_on_semicolons():
    person = load_profile(PROFILES / "valid.toml")
    assert person.interests == ("A/B tests", "dashboards", "churn analysis")
    person = profile_from_mapping({"name": "A", "strengths": "SQL\nPython"}, "x.csv")
    assert person.strengths == ("SQL", "Python")


def test_text_is_trimmed_and_blank_optionals_are_absent():
    person = profile_from_mapping(
        {"name": "  Jane   Doe ", "id": "", "current_role": "  ", "goals": "", "interests": [" a  b "]},
        "roster.csv",
    )
    assert person.name == "Jane Doe"
    assert person.id is None and person.current_role is None and person.goals is None
    assert person.interests == ("a b",)


def test_roster_rows_name_the_row():
    with pytest.raises(ProfileError) as caught:
        profile_from_mapping({"name": "", "intrests": "x"}, "people.csv", where_prefix="row 7, ")
    lines = [str(p) for p in caught.value.problems]
    assert "people.csv: row 7, field 'name': is empty; give the person's name" in lines
    assert "people.csv: row 7, field 'intrests': unknown key; did you mean 'interests'?" in lines


def test_non_text_keys_are_reported():
    with pytest.raises(ProfileError) as caught:
        profile_from_mapping({"name": "A", 1: "x"}, "p.yaml")
    assert "the key 1 is not text" in str(caught.value)


_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=300),
    lambda inner: st.lists(inner, max_size=40) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=60,
)
_keys = st.sampled_from(["name", "id", "current_role", "interests", "strengths", "goals"]) | st.text(max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_keys | st.integers() | st.booleans(), _values, max_size=8))
def test_any_mapping_gives_a_profile_or_profile_error(data):
    try:
        person = profile_from_mapping(data, "any.yaml", "row 2, ")
    except ProfileError as exc:
        assert exc.problems and all(p.file == "any.yaml" for p in exc.problems)
    else:
        assert person.name.strip()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from([".yaml", ".toml", ".json"]), st.binary(max_size=400) | st.text(max_size=400))
def test_any_file_gives_a_profile_or_profile_error(tmp_path, suffix, content):
    path = Path(tmp_path) / f"fuzz{suffix}"
    if isinstance(content, str):
        content = content.encode("utf-8", "surrogatepass")
    path.write_bytes(content)
    try:
        load_profile(path)
    except ProfileError:
        pass


def test_deeply_nested_json_is_an_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 30000 + "]" * 30000, encoding="utf-8")
    with pytest.raises(ProfileError):
        load_profile(path)


def test_email_is_validated_and_kept_out_of_the_digest(tmp_path):
    from rolereport.jobs.report import inputs_digest

    good = tmp_path / "a.yaml"
    good.write_text("name: Ana\nemail: ' ana.lima@example.com '\n", encoding="utf-8")
    ana = load_profile(good)
    assert ana.email == "ana.lima@example.com"
    assert inputs_digest("b", ana) == inputs_digest("b", ana.model_copy(update={"email": None}))
    bad = tmp_path / "b.yaml"
    bad.write_text("name: Bo\nemail: bo at example\n", encoding="utf-8")
    with pytest.raises(ProfileError) as exc:
        load_profile(bad)
    assert "field 'email'" in str(exc.value) and "not an e-mail address" in str(exc.value)
