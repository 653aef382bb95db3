"""Hybrid retrieval: dense (Chroma) + lexical (BM25), fused by z-normalised scores (or rank).

:class:`HybridRetriever` is the library object; :func:`as_langchain_retriever`
wraps it as a LangChain ``BaseRetriever`` (LangChain ``Document``s exist only there).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import numpy as np

from rag.embeddings import Embedder
from rag.indexing import IndexManager
from rag.settings import Settings
from rag.text import heading_asked
from rag.types import Passage, ScoredPassage

log = logging.getLogger(__name__)


class HybridRetriever:
    """Dense (Chroma) + BM25 candidates, fused into one ranking.

    The default fusion (``settings.fusion == "score"``) pools both candidate lists and
    ranks the pool by a weighted sum of z-normalised scores: BM25 (its synonym-expanded
    form, so a paraphrased question still finds the passage that words it differently)
    and the best cosine similarity between the query and one of the passage's sentences
    (a passage is as relevant as its most relevant sentence; a whole-passage vector
    dilutes a one-sentence fact). Scores keep the margins that rank fusion throws away:
    a passage that matches the question's rare words far better than the rest stays
    first. ``"rrf"`` is weighted reciprocal rank fusion over the two rankings.
    """

    def __init__(self, settings: Settings, index: IndexManager, embedder: Embedder) -> None:
        self.settings = settings
        self.index = index
        self.embedder = embedder

    def retrieve(self, query: str, k: int | None = None) -> list[ScoredPassage]:
        """The ``k`` best passages for ``query`` (default ``settings.top_k``), best first."""
        k = k or self.settings.top_k
        loaded = self.index.open()
        n = max(k, self.settings.candidates)
        qvec = _query_vector(self.embedder, query)
        dense = loaded.store.query(qvec, min(n, len(loaded.passages))) if loaded.passages else []
        lexical = loaded.lexical.search_expanded(query, n, self.settings.synonym_weight)
        keep = _kept(query, loaded.passages)
        dense = [(pid, sim) for pid, sim in dense if keep(pid)]
        lexical = [(pid, score) for pid, score in lexical if keep(pid)]
        dense_rank = {pid: rank for rank, (pid, _) in enumerate(dense)}
        lex_rank = {pid: rank for rank, (pid, _) in enumerate(lexical)}
        if self.settings.fusion == "rrf":
            scores = self._rrf(dense, lexical)
        else:
            scores = self._score_fusion(qvec, dense, lexical, loaded.passages)
        ranked = sorted(scores, key=lambda pid: (-scores[pid], pid))[:k]
        return [
            ScoredPassage(loaded.passages[pid], scores[pid], dense_rank.get(pid), lex_rank.get(pid))
            for pid in ranked
        ]

    def _rrf(self, dense: list[tuple[str, float]], lexical: list[tuple[str, float]]) -> dict[str, float]:
        rrf = self.settings.rrf_k
        lw = self.settings.lexical_weight
        scores: dict[str, float] = {}
        for rank, (pid, _sim) in enumerate(dense):
            scores[pid] = scores.get(pid, 0.0) + 1.0 / (rrf + rank + 1)
        for rank, (pid, _score) in enumerate(lexical):
            scores[pid] = scores.get(pid, 0.0) + lw / (rrf + rank + 1)
        return scores

    def _score_fusion(self, qvec: np.ndarray, dense: list[tuple[str, float]],
                      lexical: list[tuple[str, float]], passages: dict[str, Passage]) -> dict[str, float]:
        pool = list(dict.fromkeys([pid for pid, _ in dense] + [pid for pid, _ in lexical]))
        if not pool:
            return {}
        bm25 = dict(lexical)
        lex = np.array([bm25.get(pid, 0.0) for pid in pool], dtype=np.float64)
        sims = self.sentence_similarity(qvec, [passages[pid] for pid in pool])
        fused = self.settings.dense_weight * _z(sims) + self.settings.lexical_weight * _z(lex)
        return {pid: float(s) for pid, s in zip(pool, fused, strict=True)}

    def sentence_similarity(self, qvec: np.ndarray, passages: list[Passage]) -> np.ndarray:
        """Per passage, the best cosine similarity of one of its sentences to ``qvec``
        (sentence vectors come from the embedder's cache, which the answerer shares)."""
        texts: list[str] = []
        owner: list[int] = []
        for i, p in enumerate(passages):
            for sent in p.sentences or ():
                texts.append(p.sentence_text(sent))
                owner.append(i)
            if not p.sentences:
                texts.append(p.text)
                owner.append(i)
        cached = getattr(self.embedder, "embed_many_cached", None)
        vecs = cached(texts) if cached else self.embedder.embed_documents(texts)
        best = np.full(len(passages), -1.0)
        np.maximum.at(best, np.asarray(owner), np.asarray(vecs) @ np.asarray(qvec))
        return best

    def dense_only(self, query: str, k: int) -> list[ScoredPassage]:
        """Dense retrieval alone (an evaluation baseline)."""
        loaded = self.index.open()
        keep = _kept(query, loaded.passages)
        hits = loaded.store.query(_query_vector(self.embedder, query),
                                  min(k + _HEADROOM, len(loaded.passages)))
        hits = [(pid, sim) for pid, sim in hits if keep(pid)][:k]
        return [ScoredPassage(loaded.passages[pid], sim, rank, None) for rank, (pid, sim) in enumerate(hits)]

    def lexical_only(self, query: str, k: int) -> list[ScoredPassage]:
        """BM25 alone (an evaluation baseline)."""
        loaded = self.index.open()
        keep = _kept(query, loaded.passages)
        hits = [(pid, score) for pid, score in loaded.lexical.search(query, k + _HEADROOM) if keep(pid)][:k]
        return [ScoredPassage(loaded.passages[pid], score, None, rank) for rank, (pid, score) in enumerate(hits)]


#: Extra candidates asked of a store so that ``k`` remain once section headings are dropped.
_HEADROOM = 16


def _kept(query: str, passages: dict[str, Passage]) -> Callable[[str], bool]:
    """Which passage ids a query may retrieve: known ones, and section headings only when it
    asks about headings (otherwise a heading would take the place of the passages under it)."""
    headings = heading_asked(query) is not None

    def keep(pid: str) -> bool:
        p = passages.get(pid)
        return p is not None and (headings or p.kind != "heading")

    return keep


def _z(x: np.ndarray) -> np.ndarray:
    """Scores as standard deviations from the pool's mean (all zeros when they are equal)."""
    std = float(x.std())
    return (x - x.mean()) / std if std > 1e-12 else np.zeros_like(x)


def _query_vector(embedder: Embedder, query: str):  # noqa: ANN202
    cached = getattr(embedder, "embed_many_cached", None)
    return cached([query])[0] if cached else embedder.embed_query(query)


def as_langchain_retriever(retriever: HybridRetriever, k: int | None = None) -> Any:
    """A LangChain ``BaseRetriever`` over ``retriever``; metadata carries id, doc and offsets."""
    from langchain_core.callbacks import CallbackManagerForRetrieverRun
    from langchain_core.documents import Document as LCDocument
    from langchain_core.retrievers import BaseRetriever

    class PassageRetriever(BaseRetriever):
        """Hybrid (Chroma + BM25) passage retriever with exact character offsets."""

        k: int = 4

        def _get_relevant_documents(
            self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any
        ) -> list[LCDocument]:
            hits = retriever.retrieve(query, int(kwargs.get("k", self.k)))
            return [
                LCDocument(
                    page_content=h.passage.text,
                    id=h.passage.id,
                    metadata={"id": h.passage.id, "doc": h.passage.doc, "start": h.passage.start,
                              "end": h.passage.end, "context": h.passage.context, "score": h.score},
                )
                for h in hits
            ]

    return PassageRetriever(k=k or retriever.settings.top_k)
