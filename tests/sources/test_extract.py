from __future__ import annotations

import json

import pytest

from conftest import CONTRACT, DEFAULT_SOURCE, FIXTURES, ROOT, load_json
from pagecopies import page_markdown, write_copies
from rolereport.model import guide_json_schema
from rolereport.sources import read_source
from rolereport.sources.parse import split_tools

SCHEMA_FILE = ROOT / "src" / "rolereport" / "schema" / "guide.schema.json"


def extracted(path, fmt=None) -> dict:
    guide, _ = read_source(path, fmt)
    return guide.contract()


def test_default_source_matches_contract(cli):
    code, out, err = cli("extract")
    assert code == 0, err
    assert json.loads(out) == load_json(CONTRACT)


def test_extract_writes_file(cli, tmp_path):
    target = tmp_path / "roles.json"
    code, out, _ = cli("extract", DEFAULT_SOURCE, "-o", target)
    assert code == 0 and out == ""
    assert load_json(target) == load_json(CONTRACT)


def test_crlf_bom_and_trailing_spaces(tmp_path):
    text = DEFAULT_SOURCE.read_text(encoding="utf-8")
    messy = "\ufeff" + "\r\n".join(line + "  \t" for line in text.split("\n"))
    page = tmp_path / "crlf.txt"
    page.write_bytes(messy.encode("utf-8"))
    assert extracted(page) == load_json(CONTRACT)


@pytest.mark.parametrize("fmt", ["markdown", "html", "docx"])
@pytest.mark.parametrize("fixture", [CONTRACT, FIXTURES / "product-manager.expected.json"])
def test_copies_in_other_formats_extract_identically(tmp_path, fmt, fixture):
    expected = load_json(fixture)
    paths = write_copies(expected, tmp_path)
    assert extracted(paths[fmt]) == expected


def test_markdown_copy_with_ordered_list(tmp_path):
    expected = load_json(CONTRACT)
    page = tmp_path / "page.markdown"
    page.write_text(page_markdown(expected, ordered_list=True), encoding="utf-8")
    assert extracted(page) == expected


def test_html_chrome_is_not_content(tmp_path):
    paths = write_copies(load_json(CONTRACT), tmp_path)
    dumped = json.dumps(extracted(paths["html"]))
    for chrome in ("Toolkits Home", "Careers", "Cookie banner", "color:red", "Privacy"):
        assert chrome not in dumped


def test_from_overrides_extension(tmp_path):
    page = tmp_path / "page.data"
    page.write_bytes(DEFAULT_SOURCE.read_bytes())
    assert extracted(page, "text") == load_json(CONTRACT)


def test_another_role_with_four_alternatives():
    got = extracted(FIXTURES / "product-manager.txt")
    assert got["subject"]["name"] == "Product Manager"
    assert [a["name"] for a in got["alternatives"]] == [
        "Product Designer (UX/UI)", "Growth & Analytics Lead", "Ingénieur Qualité",
        "Technical Program Manager",
    ]
    growth = got["alternatives"][1]
    assert growth["tools"] == ["Amplitude", "SQL", "Optimizely (A/B, multivariate)"]
    assert growth["pick_if"] == "If dashboards make you curious"
    assert growth["pick_advice"] == "Consider the Growth & Analytics Lead path; it rewards numeracy."
    tpm = got["alternatives"][3]
    assert tpm["pick_if"] is None and tpm["pick_advice"] is None
    assert got["how_to_pick"]["closing"] == [
        "Whatever you choose, talk to people already in the role.", "Shadow one of them for a day."
    ]
    assert got == load_json(FIXTURES / "product-manager.expected.json")


def synthetic_page(n: int) -> str:
    lines = ["Why look beyond Chief Widget Officer Toolkit", "An intro paragraph.",
             "Top alternatives ranked"]
    for i in range(1, n + 1):
        lines += ["-", f"{i}. Role {i} / Ops & Co — Tagline {i}.", f"Description {i}.", "Best for:"]
        lines += [f"- Person {i}.{k}" for k in range(i % 4)]
    lines += ["Side-by-side", "| Role | Primary Focus | Key Responsibility | Tools | Deliverable |",
              "|---|---|---|---|---|", "| Chief Widget Officer | W | W | A, B | W |"]
    lines += [f"| Role {i} / Ops & Co | F{i} | R{i} | T{i}, U (x, y) | D{i} |"
              for i in range(1, n + 1)]
    lines += ["How to pick", "Pick well.", f"- If you like {n}: Try Role {n} / Ops & Co."]
    return "\n".join(lines)


@pytest.mark.parametrize("n", [1, 2, 250])
def test_any_number_of_alternatives(tmp_path, n):
    page = tmp_path / "p.txt"
    page.write_text(synthetic_page(n), encoding="utf-8")
    got = extracted(page)
    assert [a["rank"] for a in got["alternatives"]] == list(range(1, n + 1))
    assert got["alternatives"][-1]["pick_if"] == f"If you like {n}"
    assert got["alternatives"][0]["tools"] == ["T1", "U (x, y)"]
    assert len(got["alternatives"][2 % n]["best_for"]) == (2 % n + 1) % 4


def test_split_tools_top_level_commas_only():
    assert split_tools("Python (Pandas, Scikit-learn), R, Jupyter") == (
        "Python (Pandas, Scikit-learn)", "R", "Jupyter")
    assert split_tools("A [x, y], B {p, q}, C") == ("A [x, y]", "B {p, q}", "C")


def test_committed_schema_is_generated_from_the_model():
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == guide_json_schema()


def test_contract_validates_against_schema_shape():
    schema = guide_json_schema()
    assert set(schema["required"]) == set(load_json(CONTRACT))


def test_joiners_in_names_survive(tmp_path):
    """Zero-width joiners belong to emoji sequences and some scripts: they must stay."""
    name = "Coder 👩\u200d💻 / مهندس\u200cداده"
    page = tmp_path / "p.txt"
    page.write_text(synthetic_page(1).replace("Role 1 / Ops & Co", name), encoding="utf-8")
    assert extracted(page)["alternatives"][0]["name"] == name
