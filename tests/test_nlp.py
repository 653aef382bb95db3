"""Tests for rag.nlp helpers that need the spaCy pipeline."""

from __future__ import annotations

from functools import lru_cache

from rag.nlp import LazyNLP, reparse_misread_name
from tests.test_verify import _shared_nlp


@lru_cache(maxsize=1)
def _lazy() -> LazyNLP:
    return LazyNLP(_shared_nlp)


def test_reparse_misread_name_keeps_text_and_reads_the_name_as_subject() -> None:
    """A sentence-initial name the small model tags as a word is parsed again with a
    stand-in name; the result has the original words, offsets and a subject."""
    text = "Trump congratulated Okafor."
    doc = _lazy().parse(text)
    fixed = reparse_misread_name(_lazy(), doc, frozenset({"trump"}).__contains__)
    assert fixed.text == text
    assert [t.idx for t in fixed] == [t.idx for t in doc]
    assert fixed[0].dep_ == "nsubj" and fixed[0].head.lemma_ == "congratulate"
    # Unknown names and words already tagged as names are left alone.
    assert reparse_misread_name(_lazy(), doc, frozenset().__contains__) is doc
    other = _lazy().parse("Okafor congratulated Trump.")
    assert reparse_misread_name(_lazy(), other, frozenset({"okafor"}).__contains__) is other
