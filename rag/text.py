"""Checks on user text shared by the pipeline and the UI (no heavy imports).

Text made only of characters that show nothing (zero-width spaces, the BOM, NBSP ...)
passes ``str.strip()`` and ``\\s``-based checks, but a person sees an empty box. The
pipeline and the app treat it as empty; the text itself is never rewritten here, so
offsets and quotes computed from it stay exact.
"""

from __future__ import annotations

import unicodedata

#: Unicode categories that render as nothing on their own: separators (NBSP and the other
#: spaces, line/paragraph separators), controls, and format characters (zero-width space,
#: non-joiner and joiner, word joiner, BOM, soft hyphen, bidirectional marks and isolates).
_BLANK_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})
#: Letters and marks that are blank by design: Hangul fillers, braille blank, combining
#: grapheme joiner, variation selectors.
_BLANK_CHARS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f") | frozenset(
    chr(c) for c in [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]
)


def is_blank(text: str) -> bool:
    """True when ``text`` shows nothing: every character is whitespace or invisible.

    Args:
        text: any string (the empty string is blank).

    Returns:
        Whether a person would see an empty text.
    """
    return all(
        ch.isspace() or ch in _BLANK_CHARS or unicodedata.category(ch) in _BLANK_CATEGORIES for ch in text
    )
