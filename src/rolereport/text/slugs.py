"""Folder names from people's names: an allow-list slug, any script transliterated first."""

from __future__ import annotations

import re

_SLUG_DROP = re.compile(r"[^A-Za-z0-9]+")
# Folder names Windows refuses whatever the extension (case-insensitive): such a slug gets "-1".
_WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)),
                               *(f"lpt{n}" for n in range(10))})


def _syllabic(ch: str) -> bool:
    """Han ideographs and Hangul syllables: one transliterated syllable each, kept apart as words."""
    o = ord(ch)
    return (0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF
            or 0xAC00 <= o <= 0xD7A3)


def to_ascii(text: str) -> str:
    """`text` transliterated to ASCII (anyascii): "Łukasz Strauß" → "Lukasz Strauss", "王小明" →
    "Wang Xiao Ming" (Han and Hangul syllables become separate words)."""
    if text.isascii():
        return text
    from anyascii import anyascii

    return "".join(f" {anyascii(ch)} " if _syllabic(ch) else anyascii(ch) for ch in text)


def slugify(text: str, max_length: int = 60) -> str:
    """Allow-list slug: ASCII letters, digits and '-', nothing else (so never '..' or '/').

    Any script is transliterated first ("Дмитрий Иванов" → "dmitriy-ivanov"); a name Windows
    reserves for devices ("con", "aux", "com1"…) gets a suffix ("con-1")."""
    slug = _SLUG_DROP.sub("-", to_ascii(text)).strip("-").lower()
    slug = slug[:max_length].strip("-")
    return f"{slug}-1" if slug in _WINDOWS_RESERVED else slug
