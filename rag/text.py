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


#: A question about an article's section headings ("Under which heading ...?", "List the
#: section headings of ...", "The third section of the preview ...").
_HEADING_Q_RE = re.compile(r"\b(?:sub-?)?headings?\b|\bsection titles?\b|\b(?:title|name) of the section\b"
                           # "What's the section about the Mexican president called?"
                           r"|\bsection\b[^?]*\b(?:called|titled|entitled|named)\s*\??\s*$", re.I)
_COLUMN_HEADINGS_RE = re.compile(r"\bcolumns?\b|\btable\b|\bheaders?\b", re.I)
_ORDINALS = {"first": 1, "opening": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
             "last": -1, "final": -1, "closing": -1}
_ORDINAL_SECTION_RE = re.compile(r"\b(?P<n>" + "|".join(_ORDINALS) + r")\s+(?:section|heading|subheading)\b", re.I)


_IN_SECTION_RE = re.compile(r"\b(?:according to|in|from|at|near|by|under)\s+(?:the\s+)?(?:[\w’']+\s+){0,4}?(?:"
                            + "|".join(_ORDINALS) + r")\s+section\b", re.I)


def heading_asked(question: str) -> tuple[str, int] | None:
    """What a question asks of an article's section headings: ("all", 0) for every heading
    ("List the section headings of ..."), ("nth", n) for the heading of the n-th section
    (-1: the last), ("of", 0) for the heading over what the question is about ("Under which
    heading is Milei's message covered?"); None for other questions."""
    if _COLUMN_HEADINGS_RE.search(question):
        return None  # a table's column headings are its header row
    m = _ORDINAL_SECTION_RE.search(question)
    if m and (_HEADING_Q_RE.search(question) or not _IN_SECTION_RE.search(question)):
        # "The third section analyzes what ...?" asks what the section is about (its heading
        # says); "What could it set the stage for, according to the closing section?" asks
        # for something stated in it (left to the position bonus).
        return "nth", _ORDINALS[m.group("n").lower()]
    if not _HEADING_Q_RE.search(question):
        return None
    if re.search(r"\b(?:sub-?)?headings\b|\bsection titles\b", question, re.I):
        return "all", 0
    return "of", 0


def norm_quote(text: str) -> str:
    """``text`` as lower-case ASCII words and digits joined by single spaces, for comparing
    quoted words whatever their punctuation and quotation marks."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))
