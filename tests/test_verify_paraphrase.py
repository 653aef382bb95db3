"""Phrase-level alignment in the claim verifier, with the real sentence embedders.

A claim word no lexicon matches may be aligned with a word of the passage in the same
slot by comparing their phrases with the sentence embedder. That alignment lets a
contradicted detail refute a loosely worded claim; it never makes a claim SUPPORTED.
Each case runs with MiniLM and with all-mpnet-base-v2.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from rag.types import Label
from rag.verify import RuleVerifier
from tests.test_verify import CONCERNS, MILEI, SPANISH, _shared_nlp, ev

pytestmark = pytest.mark.integration

MODELS = ["all-MiniLM-L6-v2", "all-mpnet-base-v2"]


@lru_cache(maxsize=2)
def _load(model: str) -> RuleVerifier | None:
    from rag.embeddings import SentenceTransformerEmbedder
    from rag.errors import ModelLoadError

    try:
        embedder = SentenceTransformerEmbedder(model)
        embedder.embed_query("warm up")  # loads the weights now, so a missing optional model skips
    except ModelLoadError:
        return None
    return RuleVerifier(embedder, nlp=_shared_nlp)


def _verifier(model: str) -> RuleVerifier:
    v = _load(model)
    if v is None:
        pytest.skip(f"{model} is not installed (optional: requirements-mpnet.txt)")
    return v


# (what, claim, evidence, label): each REFUTED case has a twin that must stay unsupported.
CASES = [
    ("paraphrased verb and noun, other country", "Javier Milei, President of Chile, pledged his steadfast loyalty "
     "to Trump.", MILEI, Label.REFUTED),
    ("paraphrased verb and noun, same country", "Javier Milei, President of Argentina, pledged his steadfast "
     "loyalty to Trump.", MILEI, Label.NOT_ENOUGH_INFO),
    ("paraphrased account, other language", "Sheinbaum's written account of her conversation with Trump was in "
     "English.", SPANISH, Label.REFUTED),
    # Phrase embeddings score these close to "raised concerns about": never support on them.
    ("a verb of the opposite stance", "On the call, Trump defended the open border policies of the Biden "
     "administration.", CONCERNS, Label.NOT_ENOUGH_INFO),
    ("a verb of another stance", "On the call, Trump endorsed the open border policies of the Biden "
     "administration.", CONCERNS, Label.NOT_ENOUGH_INFO),
]


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize(("what", "claim", "sentence", "label"), CASES, ids=[c[0] for c in CASES])
def test_phrase_alignment(model: str, what: str, claim: str, sentence: str, label: Label) -> None:
    v = _verifier(model).verify(claim, ev(sentence))
    assert v.label is label, (what, model, v.explanation)
