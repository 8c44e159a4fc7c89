"""Fuzzing the readers that take outside input: only the project's own error type may escape.

- HTML and Markdown source pages through pandoc (few examples: each one runs pandoc);
- profiles built from YAML's risky features (tags, anchors, merges, huge numbers);
- XLSX rosters carrying XML entity tricks (openpyxl reads them through defusedxml).
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

import pypandoc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CONTRACT, load_json
from pagecopies import page_markdown
from rolereport.errors import ProfileError, SourceError
from rolereport.inputs.profile import load_profile
from rolereport.sources import read_source
from rolereport.system.deadline import ENV

GOOD_MD = page_markdown(load_json(CONTRACT))  # type: ignore[arg-type]
GOOD_LINES = GOOD_MD.split("\n")

SNIPPETS = [
    "<script>alert(1)</script>", "<img src=http://127.0.0.1:9/x.png>", "![x](file:///etc/passwd)",
    "```{=html}\n<b>raw</b>\n```", "::: {.x}\n", ":::", "[span]{custom-style=\"Title\"}", "{{ 7*7 }}",
    "\\input{/etc/passwd}", "$$x$$", "| a | b |\n|---|---|\n| c |", "<table><tr><td>x", "</td></tr>",
    "<!--", "-->", "<![CDATA[x]]>", "&#0;", "&#xD800;", "&bogus;", "<svg><script>1</script></svg>",
    "1. ", "- ", "# ", "<h3>9. X — y</h3>", "<li>", "</ul>", "\x00", "\ufeff", "\u202e", "---\ntitle: [\n---",
    "<div><div><div><div><div>", "[x](", "*" * 50, "<" * 50, "|" * 50,
]


@pytest.fixture(autouse=True, scope="module")
def _short_timeout():
    """A pathological page (pandoc's Markdown reader is exponential on runs of "[") fails within
    seconds here instead of the default 120 s; that failure is a SourceError like any other."""
    old = os.environ.get(ENV)
    os.environ[ENV] = "10"
    yield
    if old is None:
        os.environ.pop(ENV, None)
    else:
        os.environ[ENV] = old


def mutate(lines: list[str], edits: list[tuple[int, int, str]]) -> str:
    out = list(lines)
    for op, at, text in edits:
        at %= max(1, len(out))
        if op == 0 and out:
            del out[at]
        elif op == 1:
            out.insert(at, text)
        else:
            out[at] = (out[at] if out else "") + text
    return "\n".join(out)


_edit = st.tuples(st.integers(0, 2), st.integers(0, 10_000),
                  st.sampled_from(SNIPPETS) | st.text(max_size=40))


def _read(text: str, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / f"page{suffix}"
        page.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            read_source(page)
        except SourceError as exc:
            assert exc.problems and all(p.file == str(page) for p in exc.problems)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_edit, max_size=8))
def test_mutated_markdown_page_only_raises_source_error(edits):
    _read(mutate(GOOD_LINES, edits), ".md")


GOOD_HTML_LINES = pypandoc.convert_text(GOOD_MD, "html", format="markdown-smart").split("\n")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_edit, max_size=8))
def test_mutated_html_page_only_raises_source_error(edits):
    body = mutate(GOOD_HTML_LINES, edits)
    _read(f"<!doctype html><html><body><main>{body}</main></body></html>", ".html")


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300) | st.sampled_from(SNIPPETS))
def test_arbitrary_html_and_markdown_only_raise_source_error(text):
    _read(text, ".html")
    _read(text, ".md")


# --- profiles: YAML's risky features ---------------------------------------------------------------

YAML_VALUES = [
    "!!python/object/apply:os.system ['echo pwned']", "!!python/name:os.system", "!!binary aGVsbG8=",
    "!!set {a, b}", "!!timestamp 2001-12-14", "!!float .nan", "!!int 0x1F", "&a [1, 2]", "*a", "*nope",
    "{<<: {name: x}}", "yes", "NO", "0755", "~", "'9" + "9" * 5000 + "'", "9" * 5000, "1e999999",
    "[" * 200 + "]" * 200, "|\n  multi\n  line", "\"\\x00\"", "\"\\u202e\"", "\"=1+1\"", "!custom x",
]
_yaml_doc = st.lists(
    st.tuples(st.sampled_from(["name", "id", "current_role", "interests", "strengths", "goals", "<<", "?x"]),
              st.sampled_from(YAML_VALUES) | st.text(max_size=30)),
    max_size=6,
).map(lambda pairs: "".join(f"{k}: {v}\n" for k, v in pairs))


@settings(max_examples=150, deadline=None)
@given(_yaml_doc)
def test_yaml_profile_only_raises_profile_error(document):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.yaml"
        path.write_text(document, encoding="utf-8", errors="surrogatepass")
        try:
            profile = load_profile(path)
        except ProfileError as exc:
            assert exc.problems and all(p.file == str(path) for p in exc.problems)
        else:
            assert isinstance(profile.name, str) and profile.name


def test_yaml_python_tags_are_refused_not_run(tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / "p.yaml"
    path.write_text(f"name: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="is not valid YAML"):
        load_profile(path)
    assert not marker.exists()


def test_yaml_alias_bomb_is_an_error_not_an_explosion(tmp_path):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    lines += ["name: *a8", "interests: *a8", "goals: *a8"]
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert "field 'name': expected text, got list" in str(caught.value)


# --- XLSX rosters: XML entity tricks ------------------------------------------------------------------


def test_openpyxl_reads_xml_through_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def _roster_with(doctype: bytes, entity: bytes) -> bytes:
    """A one-person roster whose sheet XML declares `doctype` and uses `entity` as the name."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["name"])
    wb.active.append(["Ada"])
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "xl/worksheets/sheet1.xml":
                assert b"<t>Ada</t>" in data
                data = b'<?xml version="1.0"?>' + doctype + data.replace(b"<t>Ada</t>", b"<t>" + entity + b"</t>")
            dst.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("doctype, entity", [
    (b'<!DOCTYPE x [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
     b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>', b"&d;"),
    (b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', b"&xxe;"),
], ids=["entity-expansion", "external-entity"])
def test_roster_with_xml_entities_is_refused(tmp_path, doctype, entity):
    from rolereport.inputs.roster import expand

    path = tmp_path / "staff.xlsx"
    path.write_bytes(_roster_with(doctype, entity))
    entries = expand([path])
    assert len(entries) == 1 and entries[0].problems, entries
    assert str(entries[0].problems[0]).startswith(f"{path}: is not a readable XLSX workbook")
    assert "root:" not in repr(entries) and "lollol" not in repr(entries)


def test_roster_built_the_same_way_without_entities_reads_fine(tmp_path):
    """Control for the test above: the refusal is about the entities, not the repacking."""
    from rolereport.inputs.roster import expand

    path = tmp_path / "staff.xlsx"
    path.write_bytes(_roster_with(b"", b"Bob"))
    (entry,) = expand([path])
    assert not entry.problems and entry.data == {"name": "Bob"}
