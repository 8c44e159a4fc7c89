"""Microsoft Word's HTML ("Web Page" and "Web Page, Filtered"): its lists are paragraphs whose
marker is text — a bullet in a symbol font (`·` in Symbol, `o` in Courier New, `§` in Wingdings)
or a typed number — followed by a 7-pt spacer span, inside `<![if !supportLists]>` markers in
the full form. The markers become plain text the block reader knows: "• " and "N. "."""

from __future__ import annotations

import re

_WORD = re.compile(r"urn:schemas-microsoft-com:office:word|content=\"?Microsoft Word|class=\"?Mso|mso-list",
                   re.IGNORECASE)
# Word's spacer after a list marker: a span set in 7-pt type holding only spaces.
_SPACER = re.compile(r"<span\s+style=(['\"])font:\s*7\.0pt[^>]*>(?:&nbsp;|\s|\xa0)*</span>", re.IGNORECASE)
# A marker glyph set in a symbol font (its own span, perhaps inside an mso-list:Ignore span).
_SYMBOL = re.compile(r"(<span\s+style=(['\"])[^>]*?font-family:\s*\"?(?:Symbol|Wingdings|Courier New)\b[^>]*>"
                     r"\s*(?:<span[^>]*>\s*)?)[·o§¨Øüv\uf0b7\uf0a7\uf0d8](?=\s*(?:<|&nbsp;|\xa0))", re.IGNORECASE)
_CONDITIONAL = re.compile(r"<!\[(?:if [^\]]*|endif)\]>", re.IGNORECASE)


def is_word_html(html: str) -> bool:
    return bool(_WORD.search(html[:65536]))


def word_lists(html: str) -> str:
    """Word's list markers as text: the symbol-font bullet as "•", the spacer as a space."""
    if not is_word_html(html):
        return html
    html = _CONDITIONAL.sub("", html)
    html = _SYMBOL.sub(lambda m: m.group(1) + "•", html)
    return _SPACER.sub(" ", html)
