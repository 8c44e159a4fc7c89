"""Which way a text runs and which language its Han characters are: what every renderer needs to
show names and text of any script correctly. Pure and cheap: ASCII text returns at once.

- `direction(text)`: "rtl" when the text's first strong character is right-to-left (Arabic,
  Hebrew, …), "ltr" when it starts left-to-right but holds right-to-left characters, else None
  (nothing to do). Renderers isolate such a value from the text around it, so that punctuation
  next to it cannot jump ("Prepared for محمد علي (HR)").
- `isolate(text)`: the text between U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL
  ISOLATE when it holds right-to-left characters (for places without markup: spreadsheet cells).
- `han_language(text, default)`: the language tag for a run of CJK characters: Japanese with kana,
  Korean with Hangul, else `default`; Han characters alone do not tell Chinese from Japanese.
"""

from __future__ import annotations

import re
import unicodedata

FSI, PDI = "\u2068", "\u2069"
_STRONG_RTL = frozenset(("R", "AL"))
_RTL_CHAR = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")
KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
# A run of CJK characters (Han, kana, Hangul), with the CJK punctuation and spaces inside it.
CJK_RUN = re.compile(
    "[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
    "\uf900-\ufaff\U00020000-\U0003ffff]"
    "(?:[\u1100-\u11ff\u3000-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
    "\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff ]*"
    "[\u1100-\u11ff\u3000-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
    "\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff])?"
)
CJK_LANGUAGES = ("zh", "ja", "ko")


def has_rtl(text: str) -> bool:
    return not text.isascii() and _RTL_CHAR.search(text) is not None


def direction(text: str) -> str | None:
    """"rtl", "ltr" (left-to-right first, right-to-left inside) or None (no right-to-left text)."""
    if not has_rtl(text):
        return None
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in _STRONG_RTL:
            return "rtl"
        if kind == "L":
            return "ltr"
    return "rtl"


def isolate(text: str) -> str:
    """`text` isolated from its surroundings when it holds right-to-left characters."""
    return f"{FSI}{text}{PDI}" if has_rtl(text) else text


def han_language(run: str, default: str) -> str:
    if KANA.search(run):
        return "ja"
    if HANGUL.search(run):
        return "ko"
    return default


def default_han_language(language: str, text: str) -> str:
    """The language Han characters without kana or Hangul are taken for: the document's language
    when it is Chinese, Japanese or Korean; Japanese when kana appear anywhere in `text`; else
    Simplified Chinese."""
    if language.split("-")[0].lower() in CJK_LANGUAGES:
        return language
    if not text.isascii() and KANA.search(text):
        return "ja"
    return "zh-Hans"
