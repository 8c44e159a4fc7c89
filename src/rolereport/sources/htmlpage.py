"""The content of a saved web page: its main text without the site's navigation, banners, cookie
notices, scripts and forms, before pandoc reads it."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

_NEVER = {"head", "title", "script", "style", "nav", "noscript", "template", "iframe", "form", "button", "svg",
          "object", "embed", "select", "dialog"}
_CHROME = {"header", "footer", "aside"}
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary"}
_NEVER_ROLES = {"navigation", "search", "dialog", "alertdialog"}
# Consent pop-ups are plain <div>s; their class or id is the only sign.
_CONSENT = re.compile(r"cookie|consent|gdpr", re.IGNORECASE)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


class _ContentOnly(HTMLParser):
    """Re-emits an HTML page without its scripts, styles, navigation, site header and footer,
    cookie banners and hidden parts; when the page marks its `<main>`, only what is inside."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.main_out: list[str] = []  # what lies inside <main> / role="main"
        self.skip: list[str] = []  # stack of open skipped elements
        self.content_depth = 0  # open <main>/<article> elements
        self.main: list[str] = []  # open main elements (tag names)
        self.saw_main = False
        self.h1: list[str] | None = None  # text of the <h1> being read, kept or skipped
        self.outside_h1: list[str] = []  # <h1>s in a skipped site header or outside <main>

    def _h1_readable(self) -> bool:
        """An <h1> is the page's title unless it is inside navigation, a script, a form…"""
        return all(t in _CHROME for t in self.skip)

    def _emit(self, text: str) -> None:
        self.out.append(text)
        if self.main:
            self.main_out.append(text)

    def _skipped(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        if tag in _VOID:
            return False
        at = dict(attrs)
        role = (at.get("role") or "").lower()
        if tag in _NEVER or role in _NEVER_ROLES:
            return True
        if "hidden" in at or (at.get("aria-hidden") or "").lower() == "true":
            return True
        if _CONSENT.search(f"{at.get('class') or ''} {at.get('id') or ''}"):
            return True
        return (tag in _CHROME or role in _CHROME_ROLES) and self.content_depth == 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h1" and self._h1_readable():
            self.h1 = []
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.append(tag)
            return
        if self._skipped(tag, attrs):
            self.skip.append(tag)
            return
        if tag in ("main", "article"):
            self.content_depth += 1
        if self.main and tag == self.main[-1]:
            self.main.append(tag)
        elif tag == "main" or (dict(attrs).get("role") or "").lower() == "main":
            self.main.append(tag)
            self.saw_main = True
        self._emit(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.skip:
            self._emit(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1" and self.h1 is not None:
            text = " ".join("".join(self.h1).split())
            if text and (self.skip or not self.main) and not self.saw_main:  # before the content
                self.outside_h1.append(text)
            self.h1 = None
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            return
        if tag in ("main", "article"):
            self.content_depth = max(0, self.content_depth - 1)
        self._emit(f"</{tag}>")
        if self.main and tag == self.main[-1]:
            self.main.pop()

    def handle_data(self, data: str) -> None:
        if self.h1 is not None:
            self.h1.append(data)
        if not self.skip:
            self._emit(escape(data, quote=False))


def content_html(html: str) -> str:
    return page_content(html)[0]


_H1 = re.compile(r"<h1\b", re.IGNORECASE)
_MAIN_TAG = re.compile(r"\s*<main\b[^>]*>", re.IGNORECASE)


def page_content(html: str) -> tuple[str, str | None]:
    """The page's content as HTML, and the title taken from outside it, if any: a page whose
    `<h1>` stands in a hero `<header>` above its `<main>` keeps that `<h1>` as its title."""
    parser = _ContentOnly()
    parser.feed(html)
    parser.close()
    kept = "".join(parser.main_out if parser.saw_main else parser.out)
    if _H1.search(kept) or not parser.outside_h1:
        return kept, None
    title = parser.outside_h1[0]
    h1 = f"<h1>{escape(title, quote=False)}</h1>\n"
    main = _MAIN_TAG.match(kept)  # pandoc reads only what is inside a <main>
    if main:
        return kept[: main.end()] + h1 + kept[main.end() :], title
    return h1 + kept, title
