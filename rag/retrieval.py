"""Hybrid retrieval: dense (Chroma) + lexical (BM25), fused by reciprocal rank.

:class:`HybridRetriever` is the library object; :func:`as_langchain_retriever`
wraps it as a LangChain ``BaseRetriever`` (LangChain ``Document``s exist only there).
"""

from __future__ import annotations

import logging
from typing import Any

from rag.embeddings import Embedder
from rag.indexing import IndexManager
from rag.settings import Settings
from rag.types import ScoredPassage

log = logging.getLogger(__name__)


class HybridRetriever:
    """Dense + BM25 candidates fused with weighted reciprocal rank fusion (RRF).

    The BM25 side matches a question word's synonyms too (at ``settings.synonym_weight``),
    so a paraphrased question still finds the passage that words it differently.
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
        rrf = self.settings.rrf_k
        lw = self.settings.lexical_weight
        scores: dict[str, float] = {}
        dense_rank: dict[str, int] = {}
        lex_rank: dict[str, int] = {}
        for rank, (pid, _sim) in enumerate(dense):
            dense_rank[pid] = rank
            scores[pid] = scores.get(pid, 0.0) + 1.0 / (rrf + rank + 1)
        for rank, (pid, _score) in enumerate(lexical):
            lex_rank[pid] = rank
            scores[pid] = scores.get(pid, 0.0) + lw / (rrf + rank + 1)
        ranked = sorted(scores, key=lambda pid: (-scores[pid], pid))[:k]
        return [
            ScoredPassage(loaded.passages[pid], scores[pid], dense_rank.get(pid), lex_rank.get(pid))
            for pid in ranked if pid in loaded.passages
        ]

    def dense_only(self, query: str, k: int) -> list[ScoredPassage]:
        """Dense retrieval alone (an evaluation baseline)."""
        loaded = self.index.open()
        hits = loaded.store.query(_query_vector(self.embedder, query), min(k, len(loaded.passages)))
        return [ScoredPassage(loaded.passages[pid], sim, rank, None)
                for rank, (pid, sim) in enumerate(hits) if pid in loaded.passages]

    def lexical_only(self, query: str, k: int) -> list[ScoredPassage]:
        """BM25 alone (an evaluation baseline)."""
        loaded = self.index.open()
        return [ScoredPassage(loaded.passages[pid], score, None, rank)
                for rank, (pid, score) in enumerate(loaded.lexical.search(query, k))]


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
