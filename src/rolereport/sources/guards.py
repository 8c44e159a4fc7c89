"""Bounds a page is held to before the expensive readers see it: how deeply its HTML and MIME parts
nest, and how many roles it compares (the parser matches each how-to-pick bullet against every role,
so the work grows with roles × bullets: a cap keeps a page's reading short)."""

from __future__ import annotations

import re

from rolereport.errors import Problem, SourceError

MAX_NESTING = 256  # elements inside elements; saved pages nest a few dozen deep
MAX_MIME_PARTS = 64  # multipart containers in an MHTML file; a saved page has one or two
MAX_ROLES = 500  # roles a page compares (its ranked list, its comparison table)

# Elements whose end tag may be left out, and elements that have none: they do not count.
_UNCOUNTED = frozenset(
    "p li dt dd tr td th thead tbody tfoot option optgroup rt rp colgroup caption html head body "
    "area base br col embed hr img input link meta source track wbr param keygen basefont frame".split())
_TAG = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9:_.-]*)([^<>]*)>")  # [^<>]: each try stops at the next tag


def html_nesting(data: bytes, file: str) -> None:
    """Refuse HTML whose elements nest past MAX_NESTING (100,000 nested <div>s cost pandoc a
    gigabyte and Python its recursion limit). One linear scan of the tags."""
    depth = deepest = 0
    for m in _TAG.finditer(data):
        name = m.group(2).lower().decode("ascii", "replace")
        if name in _UNCOUNTED or m.group(3).endswith(b"/"):
            continue
        if m.group(1):
            depth = max(depth - 1, 0)
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_NESTING:
                    raise SourceError(Problem(file, f"its HTML elements are nested more than {MAX_NESTING} deep "
                                              "(saved pages nest a few dozen); it is not a page this tool reads"))


def mime_nesting(data: bytes, file: str) -> None:
    """Refuse an MHTML file with more than MAX_MIME_PARTS multipart containers (nested 5,000 deep,
    Python's e-mail parser runs out of recursion)."""
    count = len(re.findall(rb"(?im)^content-type:\s*multipart/", data))
    if count > MAX_MIME_PARTS:
        raise SourceError(Problem(file, f"the MHTML file holds {count:,} multipart containers (a saved page "
                                  f"has one or two; at most {MAX_MIME_PARTS}); it is not a page this tool reads"))


def role_count(count: int, file: str, where: str | None = None) -> None:
    if count > MAX_ROLES:
        raise SourceError(Problem(file, f"the page compares {count:,} roles; a page may compare at most "
                                  f"{MAX_ROLES} roles: split it into pages of related roles", where))
