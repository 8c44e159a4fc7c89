"""Which characters no installed font can draw, so that the PDF never shows an empty box silently.

Per process, the union of every font's character set that the PDF engine can fall back to (the
system's fonts through fontconfig, the bundled family and the requirements-fonts.lock packages) is
built once, the first time a character outside ASCII needs checking, and every answer is kept.
Called for each report's PDF (`check_report`); a character of the source or the profile that no
font has gives one warning (`notices.warn`) naming the person or the source, the field and the
characters, which a batch puts in that person's manifest row. fontconfig is reached through ctypes
(no WeasyPrint import, no C declarations to parse), so the check also runs where the PDF itself
is laid out by another process.

`python -m rolereport.render.pdf.glyphs` lists the scripts that will not render on this machine.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
import unicodedata
from collections.abc import Iterator
from functools import cache
from typing import Any

from rolereport import notices
from rolereport.model import Guide, Report
from rolereport.render.fonts import FACES, font_dir, package_font_dirs

# One sample character per script that names and text commonly use (make's note names these).
SCRIPT_SAMPLES: dict[str, str] = {
    "Latin": "Łß", "Vietnamese": "ễ", "Greek": "Ω", "Cyrillic": "Ж", "Armenian": "Ա", "Georgian": "ა",
    "Hebrew": "א", "Arabic": "ب", "Devanagari": "क", "Bengali": "ক", "Gurmukhi": "ਕ", "Gujarati": "ક",
    "Oriya": "କ", "Tamil": "க", "Telugu": "క", "Kannada": "ಕ", "Malayalam": "ക", "Sinhala": "ක",
    "Thai": "ก", "Lao": "ກ", "Khmer": "ក", "Myanmar": "က", "Ethiopic": "አ", "Chinese": "王明",
    "Japanese": "あア", "Korean": "한", "Emoji": "🚀",
}
_IGNORED = frozenset(("Cc", "Cf", "Zs", "Zl", "Zp"))
_FC_SET_SYSTEM, _FC_SET_APPLICATION = 0, 1


class _FontSet(ctypes.Structure):
    _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int), ("fonts", ctypes.POINTER(ctypes.c_void_p))]


class Coverage:
    """The characters some available font has, as fontconfig sees them; answers are cached."""

    def __init__(self) -> None:
        self._known: dict[str, bool] = {}
        self._union: Any = None
        self._fc: Any = None

    def _load(self) -> None:
        name = ctypes.util.find_library("fontconfig") or "libfontconfig.so.1"
        try:
            fc = ctypes.CDLL(name)
        except OSError:
            self._fc = False  # no fontconfig: nothing can be said, nothing is warned
            return
        fc.FcInitLoadConfigAndFonts.restype = ctypes.c_void_p
        fc.FcConfigAppFontAddFile.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        fc.FcConfigAppFontAddDir.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        fc.FcConfigGetFonts.restype = ctypes.c_void_p
        fc.FcConfigGetFonts.argtypes = [ctypes.c_void_p, ctypes.c_int]
        fc.FcPatternGetCharSet.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                           ctypes.POINTER(ctypes.c_void_p)]
        fc.FcCharSetCreate.restype = ctypes.c_void_p
        fc.FcCharSetMerge.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
        fc.FcCharSetHasChar.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
        config = fc.FcInitLoadConfigAndFonts()
        if not config:
            self._fc = False
            return
        fc.FcConfigAppFontAddFile(config, str(font_dir() / f"{FACES[0][0]}.ttf").encode())
        for folder in package_font_dirs():
            fc.FcConfigAppFontAddDir(config, str(folder).encode())
        union = fc.FcCharSetCreate()
        charset = ctypes.c_void_p()
        for which in (_FC_SET_SYSTEM, _FC_SET_APPLICATION):
            address = fc.FcConfigGetFonts(config, which)
            if not address:
                continue
            fonts = ctypes.cast(address, ctypes.POINTER(_FontSet)).contents
            for i in range(fonts.nfont):
                if fc.FcPatternGetCharSet(fonts.fonts[i], b"charset", 0, ctypes.byref(charset)) == 0:
                    fc.FcCharSetMerge(union, charset, None)
        self._fc, self._union = fc, union  # the config stays loaded: the union is part of it

    def drawable(self, ch: str) -> bool:
        known = self._known.get(ch)
        if known is None:
            if unicodedata.category(ch) in _IGNORED or 0xFE00 <= ord(ch) <= 0xFE0F \
                    or 0xE0000 <= ord(ch) <= 0xE01EF:
                known = True  # spaces, joiners, variation selectors: nothing to draw
            else:
                if self._fc is None:
                    self._load()
                known = True if self._fc is False else bool(self._fc.FcCharSetHasChar(self._union, ord(ch)))
            self._known[ch] = known
        return known

    def missing(self, text: str) -> str:
        """The characters of `text` that no font has, each once, in order."""
        if text.isascii():
            return ""
        out: dict[str, None] = {}
        for ch in text:
            if ord(ch) > 0x7F and ch not in out and not self.drawable(ch):
                out[ch] = None
        return "".join(out)


@cache
def coverage() -> Coverage:
    return Coverage()


def _describe(chars: str) -> str:
    return ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in chars)


def _message(chars: str) -> str:
    many = len(chars) > 1
    return (f"no installed font can draw {_describe(chars)}: {'they show' if many else 'it shows'} as "
            f"{'empty boxes' if many else 'an empty box'} in the PDF; install the fonts for this "
            "script (`make install` does, see 'Scripts and fonts' in the documentation)")


def profile_fields(report: Report) -> Iterator[tuple[str, str]]:
    profile = report.profile
    if profile is None:
        return
    yield "name", profile.name
    if profile.current_role:
        yield "current_role", profile.current_role
    for key in ("interests", "strengths"):
        for n, item in enumerate(getattr(profile, key), start=1):
            yield f"{key}[{n}]", item
    if profile.goals:
        yield "goals", profile.goals


def guide_fields(guide: Guide) -> Iterator[tuple[str, str]]:
    yield "title", guide.title
    for n, text in enumerate(guide.intro, start=1):
        yield f"intro[{n}]", text
    for key, value in guide.subject:
        for item in (value if isinstance(value, tuple) else (value,)):
            yield f"subject.{key}", str(item)
    for role in guide.alternatives:
        for key, value in role:
            if isinstance(value, str):
                yield f"alternative {role.rank} {key}", value
            elif isinstance(value, tuple):
                for item in value:
                    yield f"alternative {role.rank} {key}", str(item)
    yield "how_to_pick.intro", guide.how_to_pick.intro
    for text in guide.how_to_pick.closing:
        yield "how_to_pick.closing", text


def _problems(fields: Iterator[tuple[str, str]]) -> list[tuple[str, str]]:
    cover = coverage()
    found: dict[str, str] = {}
    for field, text in fields:
        chars = cover.missing(text)
        if chars:
            found[field] = "".join(dict.fromkeys(found.get(field, "") + chars))
    return list(found.items())


_GUIDES: dict[int, tuple[Guide, list[tuple[str, str]]]] = {}


def check_report(report: Report) -> None:
    """Warn once per field of the profile or the source whose characters no font can draw.

    The source's answer is kept per parsed guide (the same for every person of a batch) and said
    again for each person, whose PDF shows the same boxes; the profile's is worked out each time,
    checking only its characters outside ASCII."""
    kept = _GUIDES.get(id(report.guide))
    if kept is None or kept[0] is not report.guide:
        if len(_GUIDES) > 8:
            _GUIDES.clear()
        kept = _GUIDES[id(report.guide)] = (report.guide, _problems(guide_fields(report.guide)))
    for field, chars in kept[1]:
        notices.warn(report.source.name, _message(chars), f"field '{field}'")
    if report.profile is not None:
        for field, chars in _problems(profile_fields(report)):
            notices.warn(report.profile.name, _message(chars), f"field '{field}'")


def missing_scripts() -> list[str]:
    cover = coverage()
    return [script for script, sample in SCRIPT_SAMPLES.items() if cover.missing(sample)]


def main() -> int:
    missing = missing_scripts()
    if missing:
        print("note: no installed font for " + ", ".join(missing) + ": text in "
              + ("these scripts shows" if len(missing) > 1 else "this script shows")
              + " as empty boxes in the PDF (rolereport warns when it happens)")
    else:
        print("fonts: every script rolereport checks has a font (" + ", ".join(SCRIPT_SAMPLES) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
