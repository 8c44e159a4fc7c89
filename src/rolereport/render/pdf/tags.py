"""What WeasyPrint's PDF/UA tagging leaves for screen readers, finished before the PDF is written.

WeasyPrint (as of 70) tags every piece of text, including the running header and footer: their
marked content gets structure elements that hang in no tree, so assistive technology reads "Page
4 of 9" in the middle of a description. Link annotations are described by their anchor id
("role-3"), and table header cells carry ids that no IDTree resolves, and no Scope.

`finisher(html)` returns a callable for `Document.write_pdf(finisher=…)`: it works on WeasyPrint's
own pydyf objects after layout and before the file is written, so nothing is parsed again and the
bytes stay a function of the input (no clock, no random ids). It changes only:

- marked content whose structure element is unreachable from the structure tree (the page
  furniture) into `/Artifact <</Type /Pagination>>`, and drops it from the parent tree;
- each internal link annotation's `/Contents` to the visible text of its link in `html`, and sets
  its Print flag;
- each `/TH` gets `/Scope` (`/Column` in a table head, else `/Row`), and the structure tree root an
  `/IDTree` resolving every structure element id.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from typing import Any

_LINK = re.compile(r'<a\b[^>]*\bhref="#([^"]+)"[^>]*>(.*?)</a>', re.S)
_TAG = re.compile(r"<[^>]+>")
_PRINT_FLAG = 4


def link_texts(page_html: str) -> dict[str, str]:
    """Visible text of each internal link, by target id (the first link to a target wins)."""
    found: dict[str, str] = {}
    for target, inner in _LINK.findall(page_html):
        text = " ".join(html_lib.unescape(_TAG.sub("", inner)).split())
        if text:
            found.setdefault(html_lib.unescape(target), text)
    return found


def _number(reference: Any) -> int | None:
    if isinstance(reference, bytes) and reference.endswith(b" R"):
        return int(reference.split()[0])
    return None


def _pages(pdf: Any) -> list[Any]:
    """The page dictionaries in order (pydyf keeps /Kids as number, 0, R triples)."""
    return [pdf.objects[number] for number in pdf.pages["Kids"][::3]]


def finisher(page_html: str) -> Callable[[Any, Any], None]:
    texts = link_texts(page_html)

    def finish(document: Any, pdf: Any) -> None:  # noqa: ARG001 (WeasyPrint's signature)
        if "StructTreeRoot" not in pdf.catalog:
            return
        objects = pdf.objects
        root = objects[_number(pdf.catalog["StructTreeRoot"])]
        reachable = _reachable(objects, root)
        _pagination_artifacts(pdf, objects, root, reachable)
        _describe_links(pdf, objects, texts)
        _table_headers(pdf, objects, root, reachable)

    return finish


def _reachable(objects: list[Any], root: Any) -> set[int]:
    """Numbers of the structure elements reachable from the root through /K."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        kids = stack.pop().get("K", ())
        for kid in kids if isinstance(kids, list) else (kids,):
            if type(kid) is not bytes:  # an MCID (int), not a reference
                continue
            number = int(kid.split(b" ", 1)[0])
            if number in seen:
                continue
            obj = objects[number]
            if isinstance(obj, dict) and obj.get("Type") == "/StructElem":
                seen.add(number)
                stack.append(obj)
    return seen


def _pagination_artifacts(pdf: Any, objects: list[Any], root: Any, reachable: set[int]) -> None:
    import pydyf

    nums = objects[_number(root["ParentTree"])]["Nums"]
    furniture: dict[int, set[int]] = {}  # page index → MCIDs outside the tree
    for i in range(0, len(nums) - 1, 2):
        key, value = nums[i], nums[i + 1]
        if not isinstance(value, list):
            continue
        for mcid, ref in enumerate(value):
            if type(ref) is bytes and int(ref.split(b" ", 1)[0]) not in reachable:
                furniture.setdefault(key, set()).add(mcid)
                value[mcid] = "null"
    if not furniture:
        return
    for index, page in enumerate(_pages(pdf)):
        mcids = furniture.get(index)
        if not mcids:
            continue
        stream = objects[_number(page["Contents"])].stream
        for j, item in enumerate(stream):
            if (type(item) is pydyf.Dictionary and item.get("MCID") in mcids and 0 < j < len(stream) - 1
                    and stream[j + 1] == b"BDC" and isinstance(stream[j - 1], str)):
                stream[j - 1] = "/Artifact"
                stream[j] = pydyf.Dictionary({"Type": "/Pagination"})


def _describe_links(pdf: Any, objects: list[Any], texts: dict[str, str]) -> None:
    import pydyf

    for page in _pages(pdf):
        for annot_ref in page.get("Annots", ()):
            annot = objects[_number(annot_ref)]
            if annot.get("Subtype") != "/Link":
                continue
            annot["F"] = _PRINT_FLAG
            dest = annot.get("Dest")
            target = getattr(dest, "string", None)
            if target in texts:
                annot["Contents"] = pydyf.String(texts[target])


def _table_headers(pdf: Any, objects: list[Any], root: Any, reachable: set[int]) -> None:
    import pydyf

    ids: dict[str, bytes] = {}
    for number in reachable:
        element = objects[number]
        key = element.get("ID")
        if key is not None:
            ids[getattr(key, "string", str(key))] = element.reference
        if element.get("S") != "/TH":
            continue
        row = objects[_number(element["P"])]
        group = objects[_number(row["P"])] if _number(row.get("P")) is not None else {}
        attributes = element.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
        attributes["Scope"] = "/Column" if group.get("S") == "/THead" else "/Row"
    if ids:
        names = pydyf.Array()
        for key in sorted(ids, key=lambda k: k.encode("utf-8")):
            names += [pydyf.String(key), ids[key]]
        root["IDTree"] = pydyf.Dictionary({"Names": names})
