"""Tool names brought together, so one filter answers "which roles use Python?".

Pages write tools the way people talk: "Python (Django/Flask)", "Python (Pandas, Scikit-learn)",
"SQL DBs", "AWS/GCP/Azure", "specialized AI libraries". `read_tool` turns one entry into the
tools a filter should find, each with a canonical name and its family:

- a qualifier in brackets is the family, the name before it the tool: "Python (Django/Flask)" is
  Python, family "Django, Flask";
- a trailing category word ("DBs", "libraries", "frameworks", "tools"…) is dropped when a name is
  left: "SQL DBs" is SQL;
- names joined by a slash, each at least three characters, are separate tools: "AWS/GCP/Azure"
  (but "CI/CD" stays one);
- an entry that describes rather than names (several words, one of them an ordinary lower-case
  word, as in "specialized AI libraries") is kept as text but is not a tool.

The rules are about how tool names are written, not about any particular tool.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rolereport.render.xlsx.cells import one_line

# Words that name a kind of thing rather than a thing: dropped from the end of a tool's name.
CATEGORY_WORDS = frozenset(
    "db dbs database databases library libraries lib libs framework frameworks tool tools tooling "
    "platform platforms stack stacks suite suites service services ecosystem notebook notebooks "
    "package packages sdk sdks api apis engine engines language languages".split())
_BRACKETS = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]\s*")
_MEMBERS = re.compile(r"\s*(?:[/,;]|\band\b|&)\s*")
MIN_SLASH_PART = 3


@dataclass(frozen=True)
class Tool:
    name: str  # canonical: what a filter on the Tool column finds
    family: str  # what the entry names within it ("Django, Flask"), or ""
    written: str  # the entry as the page writes it


def _family(inner: str) -> str:
    return ", ".join(p for p in (one_line(x) for x in _MEMBERS.split(inner)) if p)


def _strip_category(words: list[str]) -> list[str]:
    while len(words) > 1 and words[-1].casefold().strip(".") in CATEGORY_WORDS:
        words = words[:-1]
    return words


def _describes(words: list[str]) -> bool:
    """Several words with an ordinary lower-case one among them: a description, not a name
    ("specialized AI libraries"); a one-word lower-case name ("pandas") is still a name."""
    return len(words) > 1 and any(w[:1].islower() and w.isalpha() for w in words)


def read_tool(entry: str) -> list[Tool]:
    """The tools an entry names (empty for a description that names none)."""
    written = one_line(entry)
    if not written:
        return []
    families = [_family(m[1]) for m in _BRACKETS.finditer(written)]
    family = ", ".join(f for f in families if f)
    bare = one_line(_BRACKETS.sub(" ", written))
    parts = [p.strip() for p in bare.split("/")]
    if len(parts) < 2 or any(len(p) < MIN_SLASH_PART for p in parts):
        parts = [bare]
    tools = []
    for part in parts:
        words = _strip_category(part.split())
        if not words or _describes(words):
            continue
        tools.append(Tool(" ".join(words), family, written))
    return tools


def canonical_names(entries: list[str]) -> dict[str, str]:
    """One spelling per name ignoring case (the first met), so "Sql" and "SQL" are one tool."""
    found: dict[str, str] = {}
    for entry in entries:
        for tool in read_tool(entry):
            found.setdefault(tool.name.casefold(), tool.name)
    return found
