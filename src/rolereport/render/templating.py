"""Jinja2 environments over the shared templates, with a user's folder first (`--templates`).

Two environments read the same folders:
- `markdown`: content templates producing Pandoc Markdown (comments are `{## … ##}`). Every `{{ value }}` is escaped for
  Markdown by `finalize`, so text from a source or profile can never become markup; only the
  template's own literal text (fenced divs, spans, raw blocks) is markup. Wrap a value in `Raw`
  to emit it as it is (only for text the templates themselves built).
- `html`: the page shell, HTML-autoescaped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2 import (
    TemplateError as JinjaTemplateError,
)

from rolereport.errors import Problem, TemplateError
from rolereport.text import wording
from rolereport.text.direction import FSI, PDI, direction
from rolereport.text.labels import LABELS

BUILTIN = Path(__file__).resolve().parent.parent / "templates"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~^$@\"'&:;=%])")


class Raw(str):
    """Markdown that a template built itself and that must not be escaped again."""


def md_escape(value: Any) -> str:
    """Escape text for Pandoc Markdown: every ASCII punctuation mark is made literal."""
    text = " ".join(str(value).split())
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Raw):
        return value
    return isolated(md_escape(value))


def isolated(markdown: str) -> str:
    """A value holding right-to-left text, as a span with its direction, isolated from the text
    around it: HTML `dir` (which the PDF follows too), `w:rtl` runs in the DOCX, and inside the
    span U+2068/U+2069 (first-strong isolate), which Word and LibreOffice honour where OOXML has no
    markup for it."""
    way = direction(markdown)
    return f"[{FSI}{markdown}{PDI}]{{dir={way}}}" if way else markdown


class Templates:
    """The template folders in the order they are searched, and the two environments."""

    def __init__(self, user_dir: Path | str | None = None) -> None:
        dirs = [BUILTIN]
        if user_dir is not None:
            user = Path(user_dir).resolve()
            if not user.is_dir():
                raise TemplateError(Problem(str(user_dir), "is not a folder of templates"))
            dirs.insert(0, user)
        self.dirs: tuple[Path, ...] = tuple(dirs)
        loader = ChoiceLoader([FileSystemLoader(str(d)) for d in dirs])
        common: dict[str, Any] = dict(
            loader=loader, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        # Pandoc writes ids as {#id}, so Markdown templates comment with {## … ##} instead.
        self.markdown = Environment(autoescape=False, finalize=_md_finalize,
                                    comment_start_string="{##", comment_end_string="##}", **common)
        self.html = Environment(autoescape=True, **common)
        self.plain = Environment(autoescape=False, **common)  # text that is neither Markdown nor HTML
        for env in (self.markdown, self.html, self.plain):
            env.globals["labels"] = LABELS
            env.globals["fit_badge"] = wording.fit_badge
            env.globals["fit_spoken"] = wording.fit_spoken
            env.filters["after_if"] = wording.after_if
            env.filters["sentence_end"] = wording.sentence_end
            env.tests["if_clause"] = wording.starts_with_if
            env.tests["naming"] = wording.mentions
        self.markdown.filters["raw"] = Raw
        self.markdown.filters["md"] = lambda v: Raw(isolated(md_escape(v)))
        self.html.filters["direction"] = lambda v: direction(str(v)) or "auto"

    def find(self, name: str) -> Path:
        """The file a template name resolves to (user folder first)."""
        for d in self.dirs:
            candidate = d / name
            if candidate.is_file():
                return candidate
        raise TemplateError(Problem(name, "no such template in " + ", ".join(map(str, self.dirs))))

    def render(self, env: Environment, name: str, **context: Any) -> str:
        try:
            return env.get_template(name).render(**context)
        except TemplateNotFound as exc:
            raise TemplateError(Problem(str(exc.name), "template not found")) from None
        except TemplateSyntaxError as exc:
            raise TemplateError(
                Problem(exc.filename or name, f"template syntax error: {exc.message}",
                        f"line {exc.lineno}")
            ) from None
        except JinjaTemplateError as exc:
            raise TemplateError(Problem(name, f"template failed: {exc}")) from None

    def markdown_text(self, name: str, **context: Any) -> str:
        return self.render(self.markdown, name, **context)

    def html_text(self, name: str, **context: Any) -> str:
        return self.render(self.html, name, **context)

    def plain_text(self, name: str, **context: Any) -> str:
        return self.render(self.plain, name, **context)
