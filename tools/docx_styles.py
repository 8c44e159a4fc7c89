"""The reference document's styles cut down to those the handout uses (for make_reference_docx.py).

pandoc's default reference carries about 90 styles, a third of them for things the handout never
holds (syntax-highlighting tokens, abstracts, bibliographies, footnotes…); Word lists them all in
its styles pane. `used_styles` renders handouts with the candidate reference — the bundled page
plain, for each example profile and for a profile too short to score — and collects every style
their parts name, with the styles those are based on, linked to or followed by; `prune` keeps
only those (and the document defaults). A style a future handout needs and the reference lacks
is still written: pandoc adds its own definition of any style it uses.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

_STYLE = re.compile(r'<w:style\b[^>]*w:styleId="([^"]+)"[^>]*>.*?</w:style>', re.S)
_NAMED = re.compile(r'<w:(?:pStyle|rStyle|tblStyle|numStyleLink|styleLink) w:val="([^"]+)"')
_LINKS = re.compile(r'<w:(?:basedOn|link|next) w:val="([^"]+)"')
PARTS = re.compile(r"word/(document|footer\d*|header\d*|numbering)\.xml$")


def _parts(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [z.read(n).decode("utf-8") for n in z.namelist() if PARTS.match(n)]


def handouts(reference: bytes) -> list[bytes]:
    from rolereport.inputs.profile import load_profile
    from rolereport.inputs.theme import Theme
    from rolereport.jobs.report import make_report
    from rolereport.model import Profile
    from rolereport.render.context import Context
    from rolereport.render.docx import render
    from rolereport.render.templating import Templates
    from rolereport.sources import read_source

    examples = Path(__file__).resolve().parent.parent / "examples" / "profiles"
    guide, source = read_source(None)
    profiles = [None, Profile(name="Short Profile"), *(load_profile(p) for p in sorted(examples.iterdir()))]
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "docx").mkdir()
        (Path(folder) / "docx" / "reference.docx").write_bytes(reference)
        ctx = Context(theme=Theme(), templates=Templates(folder))
        return [render(make_report(guide, source, profile), ctx) for profile in profiles]


def used_styles(reference: bytes) -> set[str]:
    styles = styles_xml(reference)
    links = {m[1]: set(_LINKS.findall(m[0])) for m in _STYLE.finditer(styles)}
    used: set[str] = set(re.findall(r'w:default="1"[^>]*w:styleId="([^"]+)"', styles))
    for data in [reference, *handouts(reference)]:
        for part in _parts(data):
            used |= set(_NAMED.findall(part))
    stack = list(used)
    while stack:
        for other in links.get(stack.pop(), ()):
            if other not in used:
                used.add(other)
                stack.append(other)
    return used


def styles_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/styles.xml").decode("utf-8")


def prune(styles: str, keep: set[str]) -> str:
    """styles.xml without the styles not in `keep`."""
    return _STYLE.sub(lambda m: m[0] if m[1] in keep else "", styles)
