"""Tests for rag.nlp helpers that need the spaCy pipeline."""

from __future__ import annotations

from functools import lru_cache

import pytest

from rag.nlp import LazyNLP, reparse_misread_name, reparse_misread_verb
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


@pytest.mark.parametrize(("text", "word", "verb"), [
    # The small model reads a verb after "Trump" as a plural noun; it is parsed again.
    ("As Trump intensifies his crackdown on smuggling, Okafor waits.", "intensifies", True),
    ("As Trump ramps up his focus on trade, Okafor waits.", "ramps", True),
    # A plural noun after a name that does not open a clause stays a noun.
    ("The Kerr mills the town built are closed.", "mills", False),
])
def test_reparse_misread_verb(text: str, word: str, verb: bool) -> None:
    nlp = _lazy()
    doc = reparse_misread_verb(nlp, nlp.parse(text))
    tok = next(t for t in doc if t.text == word)
    assert doc.text == text
    assert (tok.pos_ == "VERB") is verb
    if verb:
        assert tok.lemma_ in ("intensify", "ramp") and doc[tok.i - 1].dep_ == "nsubj"


@pytest.mark.parametrize(("a", "b", "opposite"), [
    ("illegal", "legal", True),
    ("unpopular", "popularity", True),
    ("instability", "stable", True),
    ("dislike", "like", True),
    # Words that merely start like a negative prefix before another word.
    ("impact", "pact", False),
    ("impacts", "pact", False),
    ("inform", "form", False),
    ("distance", "stance", False),
    ("import", "port", False),
])
def test_prefix_negation_needs_a_real_negative_prefix(a: str, b: str, opposite: bool) -> None:
    from rag.nlp import prefix_negation

    assert prefix_negation(a, b) is opposite
    assert prefix_negation(b, a) is opposite


@pytest.mark.parametrize(("a", "b", "same"), [
    ("count", "country", False),  # "counting on Mexico" is no "countries"
    ("part", "party", False),
    ("part", "partner", False),
    ("sign", "signal", False),
    ("port", "portray", False),
    ("face", "facet", False),
    ("country", "countries", True),
    ("partner", "partnership", True),
    ("sign", "signed", True),
    ("count", "counting", True),
])
def test_stem_match_knows_words_that_only_start_alike(a: str, b: str, same: bool) -> None:
    from rag.nlp import stem_match

    assert stem_match(a, b) is same
    assert stem_match(b, a) is same
