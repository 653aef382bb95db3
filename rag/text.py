"""Checks on user text shared by the pipeline and the UI (no heavy imports).

Text made only of characters that show nothing (zero-width spaces, the BOM, NBSP ...)
passes ``str.strip()`` and ``\\s``-based checks, but a person sees an empty box. The
pipeline and the app treat it as empty. Inside words, the zero-width characters web pages
carry are dropped from questions and claims (:func:`drop_zero_width`); those are never
quoted, so no offset depends on them. Corpus text is never rewritten.
"""

from __future__ import annotations

import re
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


#: Characters that show nothing inside a word: zero-width space, non-joiner and joiner, word
#: joiner, BOM, soft hyphen.
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")


def raw_input_limit(max_chars: int) -> int:
    """Longest raw text (before whitespace is collapsed) worth cleaning for a ``max_chars`` limit.

    A question pasted with its line breaks and indentation can be several times longer than
    its words; the limit applies after runs of whitespace become one space, so inputs (the
    chat box, the API body) must accept up to this many raw characters. Beyond it the text
    cannot fit and is refused before any work.
    """
    return max_chars * 4 + 1000


def drop_zero_width(text: str) -> str:
    """``text`` without zero-width characters, so "\u200bSheinbaum" is the name Sheinbaum.

    For questions and claims only: corpus text keeps every character (offsets must stay exact).
    """
    return _ZERO_WIDTH.sub("", text)
