"""Tests for rag.retrieval: hybrid (dense + BM25) retrieval and the LangChain adapter."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_fake_pipeline

from rag.pipeline import Pipeline
from rag.retrieval import HybridRetriever, as_langchain_retriever
from rag.types import ScoredPassage

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def pipe(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    return build_fake_pipeline(tmp_path_factory.mktemp("retrieval"))


@pytest.fixture(scope="module")
def retriever(pipe: Pipeline) -> HybridRetriever:
    return pipe.retriever


def seed_text(doc: str) -> str:
    return (SEEDS / doc).read_text(encoding="utf-8")


def assert_exact(hit: ScoredPassage) -> None:
    p = hit.passage
    assert seed_text(p.doc)[p.start : p.end] == p.text


def test_hybrid_returns_scored_passages_with_exact_offsets(retriever: HybridRetriever) -> None:
    hits = retriever.retrieve("Sheinbaum post on X about migration and human rights")
    assert len(hits) == retriever.settings.top_k
    assert all(isinstance(h, ScoredPassage) for h in hits)
    for h in hits:
        assert_exact(h)
        assert h.dense_rank is not None or h.lexical_rank is not None
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert len({h.passage.id for h in hits}) == len(hits)
    assert any("In a post on X (formerly Twitter)" in h.passage.text for h in hits[:3])


def test_rrf_scores_add_up_from_both_ranks(pipe: Pipeline) -> None:
    rrf_retriever = HybridRetriever(pipe.settings.with_(fusion="rrf"), pipe.index, pipe.embedder)
    rrf = rrf_retriever.settings.rrf_k
    lw = rrf_retriever.settings.lexical_weight
    for h in rrf_retriever.retrieve("Bloomberg Foreign Affairs Ministry statement", 5):
        expected = (1.0 / (rrf + h.dense_rank + 1) if h.dense_rank is not None else 0.0) + (
            lw / (rrf + h.lexical_rank + 1) if h.lexical_rank is not None else 0.0)
        assert h.score == pytest.approx(expected)


def test_score_fusion_is_the_weighted_sum_of_z_scores_over_the_pool(retriever: HybridRetriever) -> None:
    import numpy as np

    s = retriever.settings
    assert s.fusion == "score"
    query = "Bloomberg Foreign Affairs Ministry statement"
    loaded = retriever.index.open()
    qvec = retriever.embedder.embed_query(query)
    dense = loaded.store.query(qvec, s.candidates)
    lexical = loaded.lexical.search_expanded(query, s.candidates, s.synonym_weight)
    # Section headings are left out for a question that does not ask about headings.
    pool = [p for p in dict.fromkeys([p for p, _ in dense] + [p for p, _ in lexical])
            if loaded.passages[p].kind != "heading"]
    bm = np.array([dict(lexical).get(p, 0.0) for p in pool])
    sims = np.array([max(float(retriever.embedder.embed_query(loaded.passages[p].sentence_text(x)) @ qvec)
                         for x in loaded.passages[p].sentences) for p in pool])
    z = lambda x: (x - x.mean()) / x.std()  # noqa: E731
    expected = dict(zip(pool, s.dense_weight * z(sims) + s.lexical_weight * z(bm), strict=True))
    hits = retriever.retrieve(query, 10)
    assert [h.passage.id for h in hits] == sorted(expected, key=lambda p: (-expected[p], p))[:10]
    for h in hits:
        assert h.score == pytest.approx(expected[h.passage.id], abs=1e-4)


def test_score_fusion_keeps_a_far_better_lexical_match_first(pipe: Pipeline) -> None:
    # Rank fusion lets a mediocre dense rank pull a passage level with the clear BM25
    # winner; score fusion keeps the margin: the one passage naming every rare word wins.
    retriever = HybridRetriever(pipe.settings.with_(dense_weight=0.0), pipe.index, pipe.embedder)
    hits = retriever.retrieve("Darien Gap", 3)
    assert "Darien Gap" in hits[0].passage.text
    assert hits[0].score > hits[1].score


def test_fusion_setting_is_validated() -> None:
    from rag.errors import ConfigError
    from rag.settings import Settings

    with pytest.raises(ConfigError, match="RAG_FUSION='mean'"):
        Settings.from_env(env={"RAG_FUSION": "mean"})
    with pytest.raises(ConfigError, match="RAG_DENSE_WEIGHT"):
        Settings.from_env(env={"RAG_DENSE_WEIGHT": "-1"})


def test_lexical_side_matches_synonyms_of_question_words(retriever: HybridRetriever) -> None:
    # "talk" is not in the passage, its synonym "discussion" is: the BM25 side still ranks it.
    hits = retriever.retrieve("week after talk caravans", 5)
    top = next(h for h in hits if "A week after their discussion" in h.passage.text)
    assert top.lexical_rank is not None and top.lexical_rank < 3


def test_keyword_only_query_finds_passage_via_bm25(retriever: HybridRetriever) -> None:
    hits = retriever.retrieve("Darien", 5)
    top = hits[0]
    assert "Darien Gap" in top.passage.text
    assert top.lexical_rank == 0
    assert_exact(top)


def test_k_argument_limits_results(retriever: HybridRetriever) -> None:
    assert len(retriever.retrieve("Trump", 1)) == 1
    assert len(retriever.retrieve("Trump", 3)) == 3


def test_dense_only(retriever: HybridRetriever) -> None:
    hits = retriever.dense_only("Javier Milei President of Argentina support", 4)
    assert len(hits) == 4
    assert [h.dense_rank for h in hits] == [0, 1, 2, 3]
    assert all(h.lexical_rank is None for h in hits)
    sims = [h.score for h in hits]
    assert sims == sorted(sims, reverse=True)
    assert "Javier Milei" in hits[0].passage.text
    for h in hits:
        assert_exact(h)


def test_lexical_only(retriever: HybridRetriever) -> None:
    hits = retriever.lexical_only("George Soros", 3)
    assert hits and "George Soros" in hits[0].passage.text
    assert [h.lexical_rank for h in hits] == list(range(len(hits)))
    assert all(h.dense_rank is None for h in hits)
    assert retriever.lexical_only("zzyzx", 3) == []


def test_retrieve_through_pipeline_validates_input(pipe: Pipeline) -> None:
    from rag.errors import InputError

    with pytest.raises(InputError):
        pipe.retrieve("   ")
    hits = pipe.retrieve("  Darien\x00 Gap  ")
    assert "Darien Gap" in hits[0].passage.text


def test_langchain_adapter_returns_documents_with_offsets(retriever: HybridRetriever) -> None:
    from langchain_core.documents import Document
    from langchain_core.retrievers import BaseRetriever

    lc = as_langchain_retriever(retriever, k=3)
    assert isinstance(lc, BaseRetriever)
    docs = lc.invoke("Which outlet reported the Foreign Affairs Ministry statement?")
    assert len(docs) == 3
    hits = retriever.retrieve("Which outlet reported the Foreign Affairs Ministry statement?", 3)
    assert [d.metadata["id"] for d in docs] == [h.passage.id for h in hits]
    for d in docs:
        assert isinstance(d, Document)
        assert {"id", "doc", "start", "end"} <= set(d.metadata)
        assert d.id == d.metadata["id"]
        assert seed_text(d.metadata["doc"])[d.metadata["start"] : d.metadata["end"]] == d.page_content


def test_langchain_adapter_defaults_to_top_k(retriever: HybridRetriever) -> None:
    lc = as_langchain_retriever(retriever)
    assert lc.k == retriever.settings.top_k
    assert len(lc.invoke("Trump migration")) == retriever.settings.top_k


async def _ainvoke(lc, query: str):  # noqa: ANN001, ANN202
    return await lc.ainvoke(query)


def test_langchain_adapter_async(retriever: HybridRetriever) -> None:
    import asyncio

    docs = asyncio.run(_ainvoke(as_langchain_retriever(retriever, k=2), "Bukele gangs"))
    assert len(docs) == 2
