"""WeasyPrint loads only files inside the template, theme and font folders; anything else fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from render.helpers import pdf_text
from rolereport.render.pdf.fetch import BlockedURL, resolve_file_url
from rolereport.render.templating import BUILTIN


def override(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return folder


def html_shell_with(extra: str) -> str:
    shell = (BUILTIN / "html" / "guide.html.j2").read_text(encoding="utf-8")
    return shell.replace("<main>", extra + "\n<main>", 1)


@pytest.mark.parametrize(
    ("name", "text", "url"),
    [
        ("html/print.css", 'body { background: url("http://127.0.0.1:9/x.png"); }\n',
         "http://127.0.0.1:9/x.png"),
        ("html/guide.html.j2", html_shell_with('<img src="file:///etc/passwd" alt="x">'), "file:///etc/passwd"),
        ("html/guide.html.j2", html_shell_with('<img src="https://example.org/logo.png" alt="x">'),
         "https://example.org/logo.png"),
        ("html/guide.html.j2", html_shell_with('<img src="../../../../../../../etc/hosts" alt="x">'),
         "file:///etc/hosts"),
    ],
)
def test_user_template_cannot_reach_outside(cli, tmp_path, name, text, url):
    templates = override(tmp_path / "tpl", name, text)
    out = tmp_path / "out"
    code, _, err = cli("report", "--format", "pdf", "--templates", templates, "--out", out, "--force")
    assert code == 2, err
    assert url in err and "refused to load" in err
    assert not (out / "career-guide.pdf").exists()


def test_files_inside_the_templates_folder_are_allowed(cli, tmp_path):
    templates = tmp_path / "tpl"
    (templates / "html").mkdir(parents=True)
    (templates / "html" / "mark.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
        encoding="utf-8")
    override(templates, "html/guide.html.j2", html_shell_with('<img src="mark.svg" alt="A mark">'))
    code, _, err = cli("report", "--format", "pdf", "--templates", templates, "--out", tmp_path / "out")
    assert code == 0, err


def test_partial_override_takes_effect(cli, tmp_path):
    templates = override(tmp_path / "tpl", "content/_how_to_pick.md.j2",
                         "Ask three people who do the job today.\n")
    out = tmp_path / "out"
    code, _, err = cli("report", "--format", "pdf", "--templates", templates, "--out", out)
    assert code == 0, err
    text = pdf_text((out / "career-guide.pdf").read_bytes())
    assert "Ask three people who do the job today." in text
    # the condition now shows only in its role section, no longer in how-to-pick
    assert text.count("your passion is foundational data architecture") == 1


def test_symlink_out_of_an_allowed_folder_is_refused(tmp_path):
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("x", encoding="utf-8")
    (allowed / "link.txt").symlink_to(secret)
    with pytest.raises(BlockedURL, match="outside"):
        resolve_file_url((allowed / "link.txt").as_uri(), [allowed])
    assert resolve_file_url(secret.as_uri(), [tmp_path]) == secret.resolve()
