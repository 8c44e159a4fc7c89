"""The site's structure: every page in the navigation, the README short, the reference complete."""

from __future__ import annotations

import argparse
import re

import yaml
from tests.docs.helpers import DOCS, ROOT, generator


def _nav_pages(entries) -> list[str]:  # type: ignore[no-untyped-def]
    pages = []
    for entry in entries:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        pages += _nav_pages(value) if isinstance(value, list) else [value]
    return pages


def test_every_page_is_in_the_nav_and_every_nav_entry_is_a_page():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    nav = _nav_pages(config["nav"])
    generated = {f"reference/{name}" for name in generator().PAGES}
    committed = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")} - generated
    assert sorted(committed - set(nav)) == [], "pages missing from mkdocs.yml's nav"
    assert sorted(set(nav) - committed - generated) == [], "nav entries that are no page"
    assert len(nav) == len(set(nav))


def test_nothing_is_fetched_when_the_site_is_built_or_read():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["font"] is False
    plugins = [p if isinstance(p, str) else next(iter(p)) for p in config.get("plugins", [])]
    assert not {"privacy", "social", "offline"} & set(plugins)
    assert config["strict"] is True


def test_readme_is_a_front_door():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 150
    first_block = lines[lines.index("```sh") + 1:lines.index("```sh") + 3]
    assert [line.split("#")[0].strip() for line in first_block] == ["make report", "make test"]
    assert lines.index("```sh") < 5


def test_user_pages_carry_no_issue_numbers_or_run_dates():
    pages = [ROOT / "README.md", *(DOCS / "guides").glob("*.md"), *(DOCS / "topics").glob("*.md"),
             DOCS / "index.md", DOCS / "quick-start.md"]
    for page in pages:
        prose = re.sub(r"```.*?```|`[^`]*`", "", page.read_text(encoding="utf-8"), flags=re.S)  # examples aside
        assert not re.findall(r"#\d{1,3}\b|\b20\d\d-\d\d-\d\d\b|\bcommit [0-9a-f]{7}", prose), page


def test_reference_names_every_command_option_and_field(tmp_path):
    gen = generator()
    gen.write_reference(tmp_path)
    commands = (tmp_path / "commands.md").read_text(encoding="utf-8")
    parser = gen.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert sub.choices, "the parser has commands"
    for name, command in sub.choices.items():
        assert f"\n## {name}\n" in commands
        section = commands.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0]
        for action in command._actions:
            for option in action.option_strings:
                assert f"`{option}" in section or option in ("-h", "--help", "--debug"), (name, option)
            if not action.option_strings:
                assert f"`{action.metavar or action.dest}`" in section, (name, action.dest)
    for action in parser._actions:
        for option in action.option_strings:
            assert f"`{option}`" in commands

    inputs = (tmp_path / "inputs.md").read_text(encoding="utf-8")
    roster = inputs.split("## Roster columns", 1)[1].split("## Theme fields", 1)[0]
    for column in gen.ROSTER_COLUMNS:
        assert f"| `{column}` |" in roster
    for field in gen.ProfileInput.model_fields:
        assert f"| `{field}` |" in inputs.split("## Roster columns", 1)[0]
    for field in gen.Theme.model_fields:
        assert f"| `{field}` |" in inputs.split("## Theme fields", 1)[1]

    schema = (tmp_path / "extract-schema.md").read_text(encoding="utf-8")
    for field in gen.guide_json_schema()["properties"]:
        assert f"| `{field}` |" in schema
    codes = (tmp_path / "exit-codes.md").read_text(encoding="utf-8")
    for code in (0, 1, 2, 130, 141):
        assert f"| {code} |" in codes


def test_generated_pages_are_the_same_each_time(tmp_path):
    gen = generator()
    gen.write_reference(tmp_path / "a")
    gen.write_reference(tmp_path / "b")
    for page in gen.PAGES:
        assert (tmp_path / "a" / page).read_bytes() == (tmp_path / "b" / page).read_bytes()
