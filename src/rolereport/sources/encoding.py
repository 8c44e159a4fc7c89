"""Bytes → text for text-based sources: UTF-8 first, then what the page declares, then detection.

- A byte-order mark (UTF-8, UTF-16) is always honoured.
- HTML (and an MHTML part) may declare its encoding (`<meta charset>`, `http-equiv`): honoured
  as browsers do (`iso-8859-1`/`ascii` read as windows-1252, as the HTML standard says).
- Anything else that is not UTF-8 is detected with charset-normalizer among the encodings office
  programs and old sites save in, and a warning says which encoding was assumed.
- A file that is mostly UTF-8 with a few other bytes was damaged by mixing; guessing would garble
  one of its halves, so it is refused with the line of the first bad byte.

charset-normalizer is imported only when a file is not UTF-8.
"""

from __future__ import annotations

import codecs
import re

from rolereport import notices
from rolereport.errors import Problem, SourceError

_META = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# What the HTML standard maps these labels to; browsers read them so.
_WHATWG = {"iso8859-1": "cp1252", "ascii": "cp1252", "latin-1": "cp1252", "iso8859-9": "cp1254",
           "iso8859-11": "cp874", "tis-620": "cp874", "gb2312": "gb18030", "gbk": "gb18030"}
# The encodings pages and office files are saved in outside UTF-8, most common first: on a tie the
# earlier one wins (a short English text is as plausible in many of them).
LEGACY = ("cp1252", "cp1250", "cp1251", "mac_roman", "cp1253", "cp1254", "cp1257", "cp1255",
          "cp1256", "cp874", "shift_jis", "gb18030", "big5", "euc_kr", "euc_jp", "koi8_r",
          "cp437", "cp850")
_NL = b"\n"
_TIE = 0.05  # chaos ratios closer than this are a tie


def _line_of(data: bytes, offset: int) -> str:
    return f"line {data[:offset].count(_NL) + 1}"


def declared(data: bytes) -> str | None:
    """The encoding an HTML page declares in its first 8 KB, as a Python codec name."""
    found = _META.search(data[:8192])
    if not found:
        return None
    label = found.group(1).decode("ascii", "replace").strip().lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _WHATWG.get(name, name)


def _bom(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def detect(data: bytes) -> str | None:
    """The most plausible legacy encoding of `data`, or None."""
    import charset_normalizer

    results = list(charset_normalizer.from_bytes(data, cp_isolation=list(LEGACY)))
    if not results:
        return None
    best = min(r.chaos for r in results)
    names: set[str] = set()
    for r in results:
        if r.chaos <= best + _TIE:
            names.update(codecs.lookup(n).name for n in (r.encoding, *r.could_be_from_charset))
    ranked = [codecs.lookup(n).name for n in LEGACY]
    return next((n for n in ranked if n in names), None)


def decode(data: bytes, file: str, html: bool = False, label: str = "the page") -> str:
    """The text of `data`, with line ends normalised; a warning when an encoding was assumed."""
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SourceError(Problem(file, "is a binary file, not text; give the page as UTF-8 text"))
    encoding = _bom(data) or (declared(data) if html else None)
    if encoding not in (None, "utf-8", "utf-8-sig", "utf-16") and _UTF8_MULTIBYTE.search(data):
        try:  # saved again as UTF-8 with the old declaration left in: the bytes tell the truth
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            notices.warn(file, f"{label} declares the encoding {encoding} but is UTF-8 text; read it "
                         "as UTF-8")
            return _lines(text)
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise SourceError(Problem(
                file, f"declares the encoding {encoding} but is not {encoding} text; correct the "
                "declaration or save it as UTF-8", _line_of(data, exc.start))) from None
        return _lines(text.removeprefix("\ufeff"))
    try:
        return _lines(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        where = _line_of(data, exc.start)
        if _UTF8_MULTIBYTE.search(data):
            raise SourceError(Problem(
                file, "is not UTF-8 text: it mixes UTF-8 with another encoding; save it as UTF-8 "
                "and try again", where)) from None
    guess = detect(data)
    if guess is None:
        raise SourceError(Problem(file, "is not UTF-8 text and its encoding cannot be told; save it "
                                  "as UTF-8 and try again", where))
    what = "declares no encoding" if html else "is not UTF-8"
    notices.warn(file, f"{label} {what}; read it as {guess} (detected); save it as UTF-8 to be sure")
    return _lines(data.decode(guess, errors="replace"))


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
