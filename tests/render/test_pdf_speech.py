"""What a screen reader, a search or a copy gets from the guide (issue #32): the PDF's own tag
tree, each structure element with the text its marked content holds, and the text layer as
poppler's pdftotext (which honours /ActualText, as Acrobat and assistive technology do) reads it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from render.helpers import fixed_epoch, render_pdf, report_for, squash
from rolereport.model import Profile
from rolereport.text.labels import LABELS

PERSON = Profile(name="Ada Example", interests=("data pipelines", "automation"), strengths=("SQL",),
                 goals="Spend less time on call.")


def _obj(node):  # type: ignore[no-untyped-def]
    return node.get_object() if isinstance(node, IndirectObject) else node


class Tree:
    """The structure tree, each element with its text (its marked content, in reading order)."""

    def __init__(self, data: bytes) -> None:
        self.reader = PdfReader(io.BytesIO(data))
        self.mcid_text: dict[tuple[int, int], str] = {}
        self.actual: list[str] = []
        for page in self.reader.pages:
            self._read_page(page)
        self.elements: list[DictionaryObject] = []
        stack = [self.reader.trailer["/Root"]["/StructTreeRoot"]]
        while stack:
            node = _obj(stack.pop())
            for kid in reversed(self.kids(node)):
                if isinstance(kid, IndirectObject) and _obj(kid).get("/Type") == "/StructElem":
                    self.elements.append(_obj(kid))
                    stack.append(kid)

    def _read_page(self, page) -> None:  # type: ignore[no-untyped-def]
        number = page.indirect_reference.idnum
        current: list[int | None] = []
        parts: dict[int, list[str]] = {}

        def before(op, args, cm, tm):  # type: ignore[no-untyped-def]
            if op == b"BDC":
                props = _obj(args[1]) if len(args) > 1 else {}
                mcid = props.get("/MCID") if isinstance(props, dict) else None
                current.append(int(mcid) if mcid is not None else None)
                if isinstance(props, dict) and "/ActualText" in props:
                    self.actual.append(str(props["/ActualText"]))
            elif op == b"BMC":
                current.append(None)
            elif op == b"EMC" and current:
                current.pop()

        def text(t, cm, tm, font, size):  # type: ignore[no-untyped-def]
            mcid = next((m for m in reversed(current) if m is not None), None)
            if mcid is not None:
                parts.setdefault(mcid, []).append(t)

        page.extract_text(visitor_operand_before=before, visitor_text=text)
        for mcid, chunks in parts.items():
            self.mcid_text[(number, mcid)] = "".join(chunks)

    @staticmethod
    def kids(node) -> list:  # type: ignore[no-untyped-def]
        kids = node.get("/K")
        return list(kids) if isinstance(kids, ArrayObject) else [kids] if kids is not None else []

    def text(self, element) -> str:  # type: ignore[no-untyped-def]
        out = []
        page = element.get("/Pg")
        for kid in self.kids(element):
            if isinstance(kid, int) and page is not None:
                out.append(self.mcid_text.get((page.idnum, kid), ""))
            elif isinstance(kid, IndirectObject) and _obj(kid).get("/Type") == "/StructElem":
                out.append(self.text(_obj(kid)))
        return squash(" ".join(out))

    def of(self, kind: str) -> list[DictionaryObject]:
        return [e for e in self.elements if e["/S"] == kind]


@pytest.fixture(scope="module")
def personal():
    report = report_for(profile=PERSON)
    with fixed_epoch():
        return report, Tree(render_pdf(report))


def test_role_facts_are_read_as_label_value_pairs(personal):
    report, tree = personal
    pairs = {}
    for row in tree.of("/TR"):
        cells = [_obj(k) for k in tree.kids(row) if isinstance(k, IndirectObject)]
        if len(cells) == 2 and cells[0]["/S"] == "/TH" and cells[1]["/S"] == "/TD":
            assert _obj(cells[0]["/A"])["/Scope"] == "/Row"
            pairs.setdefault(tree.text(cells[0]), []).append(tree.text(cells[1]))
    role = report.guide.alternatives[0]
    assert squash(role.primary_focus) in pairs[LABELS["primary_focus"]]
    assert squash(role.deliverable) in pairs[LABELS["deliverable"]]
    # "What this ranking is based on" too: label, then its value, never a flat list of both
    assert pairs[LABELS["interests"]] == ["data pipelines; automation"]
    assert pairs[LABELS["goals"]] == ["Spend less time on call."]
    for item in tree.of("/LI"):
        assert tree.text(item) not in (LABELS["primary_focus"], LABELS["interests"])


def test_tool_badges_are_separate_in_list_and_text(personal):
    report, tree = personal
    role = next(r for r in report.guide.alternatives if len(r.tools) >= 3)
    lists = [[tree.text(li) for li in tree.kids(lst) if isinstance(li, IndirectObject)]
             for lst in tree.of("/L")]
    assert any([t.rstrip(" ,") for t in items] == list(role.tools) for items in lists)
    text = squash(" ".join(p.extract_text() for p in tree.reader.pages))
    assert re.search(r"\s*,\s*".join(re.escape(t) for t in role.tools), text)


def test_comparison_rows_are_headed_by_their_role(personal):
    report, tree = personal
    row_heads = [tree.text(th) for th in tree.of("/TH") if _obj(th["/A"])["/Scope"] == "/Row"]
    for role in report.guide.alternatives:
        assert f"{role.rank}. {role.name}" in row_heads


def test_fit_badges_have_a_spoken_form(personal):
    report, tree = personal
    for fit in report.fits:
        assert LABELS["fit_spoken"].format(band=fit.band, score=fit.score) in tree.actual
    assert all("/100" not in said and "·" not in said for said in tree.actual)


def test_no_paragraph_inside_a_paragraph(personal):
    _, tree = personal
    for p in tree.of("/P"):
        stack = list(tree.kids(p))
        while stack:
            kid = stack.pop()
            if isinstance(kid, IndirectObject) and _obj(kid).get("/Type") == "/StructElem":
                assert _obj(kid)["/S"] != "/P", tree.text(p)
                stack += tree.kids(_obj(kid))


NAMES = {
    "Devanagari": "प्रिया शर्मा",
    "Tamil": "கார்த்திகா சுப்பிரமணியம்",
    "Bengali": "সৌমিত্র চট্টোপাধ্যায়",
    "Thai": "สมศรี ใจดี",
    "Arabic": "ليلى حداد",
}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")
@pytest.mark.parametrize("script", list(NAMES))
def test_complex_script_names_read_back_as_written(script, tmp_path):
    """poppler honours /ActualText (the Indic names need it); it also reverses right-to-left text
    character by character, ligatures included, so it reads the lam–alef maksura ligature of "ليلى"
    backwards: Arabic is read back as pypdf reads it, in logical order from the font's mapping."""
    name = NAMES[script]
    with fixed_epoch():
        data = render_pdf(report_for(profile=Profile(name=name, interests=("data pipelines",))))
    if script == "Arabic":
        assert name in PdfReader(io.BytesIO(data)).pages[0].extract_text().splitlines()
        return
    path = tmp_path / "guide.pdf"
    path.write_bytes(data)
    cover = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-enc", "UTF-8", str(path), "-"],
                           capture_output=True, text=True, check=True).stdout
    lines = [re.sub("[\u202a-\u202e\u2066-\u2069]", "", line).strip() for line in cover.splitlines()]
    assert name in lines, (script, cover)  # less pdftotext's own direction marks
