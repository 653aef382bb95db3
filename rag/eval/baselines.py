"""Baselines the evaluation compares the pipeline with, scored by the same metrics.

1. :class:`VanillaLangChainBaseline` - the tutorial recipe: LangChain's
   ``RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200,
   add_start_index=True)`` over the whole seed files, all-MiniLM-L6-v2 embeddings
   (through LangChain's ``Embeddings`` interface), a Chroma collection, top-4 chunks.
   Its "answer" is the four chunks concatenated and it never abstains.
2. :class:`PassageBaseline` over our own passages with BM25 alone
   (``retriever.lexical_only``) or dense retrieval alone (``retriever.dense_only``);
   the "answer" is the top-ranked passage.

Every baseline returns :class:`Hit` records with exact document offsets, so the
evaluation measures them exactly as it measures the pipeline.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from rag.corpus import load_corpus
from rag.embeddings import Embedder, LangChainEmbeddings, SentenceTransformerEmbedder
from rag.errors import StoreError
from rag.store import ChromaStore
from rag.types import ScoredPassage

log = logging.getLogger(__name__)

#: The vanilla recipe's settings (LangChain's RAG tutorial).
VANILLA_MODEL = "all-MiniLM-L6-v2"
VANILLA_CHUNK_SIZE = 1000
VANILLA_CHUNK_OVERLAP = 200
VANILLA_TOP_K = 4


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk or passage: ``document.text[start:end] == text``."""

    doc: str
    start: int
    end: int
    text: str


class Baseline(Protocol):
    """A retrieval-only system: ranked hits for a query; its answer is its top ``answer_k`` hits."""

    name: str
    description: str
    answer_k: int

    def retrieve(self, query: str, k: int) -> list[Hit]:
        """The ``k`` best hits for ``query``, best first."""
        ...


class PassageBaseline:
    """One of our retrievers alone over our passages; the answer is the top passage.

    Args:
        name: short system name for the report (``bm25``, ``dense``).
        description: one line for the report.
        search: ``search(query, k) -> list[ScoredPassage]`` (e.g. ``retriever.lexical_only``).
    """

    answer_k = 1

    def __init__(self, name: str, description: str, search: Callable[[str, int], list[ScoredPassage]]) -> None:
        self.name = name
        self.description = description
        self._search = search

    def retrieve(self, query: str, k: int) -> list[Hit]:
        return hits_from_passages(self._search(query, k))


class VanillaLangChainBaseline:
    """The vanilla LangChain recipe over the same seed files, in an in-memory Chroma collection.

    Args:
        seeds_dir: the seed articles (whole files are split, boilerplate included, as
            a ``TextLoader`` would load them).
        embedder: the embedding model, used through the LangChain ``Embeddings`` adapter.
        chunk_size, chunk_overlap, top_k: the recipe's parameters.

    The collection is built on first use. Chroma is reached through the project's
    :class:`~rag.store.ChromaStore` adapter; only the in-memory client is made here.
    """

    def __init__(self, seeds_dir: Path, embedder: Embedder, chunk_size: int = VANILLA_CHUNK_SIZE,
                 chunk_overlap: int = VANILLA_CHUNK_OVERLAP, top_k: int = VANILLA_TOP_K) -> None:
        self.name = "vanilla"
        self.answer_k = top_k
        self.description = (f"LangChain RecursiveCharacterTextSplitter({chunk_size}/{chunk_overlap}) + "
                            f"{embedder.name} + Chroma, top-{top_k} chunks")
        self.seeds_dir = Path(seeds_dir)
        self.embedder = embedder
        self.chunk_size = chunk_size
        self.chunk_overlap = chunk_overlap
        self._lc_embeddings: Any = None
        self._store: ChromaStore | None = None
        self._hits: dict[str, Hit] = {}

    @property
    def chunks(self) -> int:
        """Number of chunks in the collection (builds it if needed)."""
        self._ensure()
        return len(self._hits)

    def split(self) -> list[Hit]:
        """Split the seed files exactly as the recipe does; offsets come from ``add_start_index``."""
        try:
            from langchain_text_splitters import RecursiveCharacterTextSplitter
        except ImportError as exc:  # pragma: no cover - dependency check
            raise StoreError(
                "the vanilla baseline needs langchain-text-splitters: "
                "run `pip install langchain-text-splitters` (or use --no-baselines)"
            ) from exc

        splitter = RecursiveCharacterTextSplitter(chunk_size=self.chunk_size, chunk_overlap=self.chunk_overlap,
                                                  add_start_index=True)
        hits: list[Hit] = []
        for doc in load_corpus(self.seeds_dir).documents:
            for lc_doc in splitter.create_documents([doc.text], metadatas=[{"source": doc.name}]):
                content = lc_doc.page_content
                start = int(lc_doc.metadata.get("start_index", -1))
                if doc.text[start : start + len(content)] != content:
                    # add_start_index searches forward from the previous chunk; fall back to a plain find.
                    start = doc.text.find(content)
                if start < 0:
                    log.warning("vanilla chunk not found in %s; dropped: %r", doc.name, content[:60])
                    continue
                hits.append(Hit(doc.name, start, start + len(content), content))
        return hits

    def _ensure(self) -> ChromaStore:
        if self._store is not None:
            return self._store
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        hits = self.split()
        ids = [hashlib.sha256(f"{h.doc}\0{h.start}\0{h.end}".encode()).hexdigest()[:20] for h in hits]
        self._lc_embeddings = LangChainEmbeddings(self.embedder)
        vectors = np.asarray(self._lc_embeddings.embed_documents([h.text for h in hits]), dtype=np.float32)
        name = "vanilla-" + hashlib.sha256(
            f"{self.embedder.name}\0{self.chunk_size}\0{self.chunk_overlap}\0{' '.join(ids)}".encode()
        ).hexdigest()[:16]
        try:
            client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        except Exception as exc:  # noqa: BLE001 - chromadb raises many types
            raise StoreError(f"cannot start an in-memory Chroma client for the vanilla baseline: {exc}") from exc
        store = ChromaStore(client, name, create=True)
        store.add(ids, vectors, [h.text for h in hits], [{"doc": h.doc, "start": h.start, "end": h.end} for h in hits])
        self._hits = dict(zip(ids, hits, strict=True))
        self._store = store
        log.info("vanilla baseline: %d chunks in Chroma collection %s", len(hits), name)
        return store

    def retrieve(self, query: str, k: int) -> list[Hit]:
        store = self._ensure()
        qvec = np.asarray(self._lc_embeddings.embed_query(query), dtype=np.float32)
        return [self._hits[i] for i, _sim in store.query(qvec, min(k, len(self._hits))) if i in self._hits]


def make_baselines(pipeline: Any, embedder: Embedder | None = None) -> list[Baseline]:
    """The three baselines for ``pipeline``: vanilla LangChain, BM25 alone, dense alone.

    Args:
        pipeline: a :class:`~rag.pipeline.Pipeline` with a built index.
        embedder: the vanilla recipe's embedder; default: the pipeline's own when it is
            all-MiniLM-L6-v2 (one model in memory), else a fresh all-MiniLM-L6-v2.
    """
    if embedder is None:
        embedder = pipeline.embedder if pipeline.embedder.name == VANILLA_MODEL else SentenceTransformerEmbedder(
            VANILLA_MODEL)
    retriever = pipeline.retriever
    return [
        VanillaLangChainBaseline(pipeline.settings.seeds_dir, embedder),
        PassageBaseline("bm25", "BM25 alone over our passages; answer = top passage", retriever.lexical_only),
        PassageBaseline("dense", f"dense ({pipeline.embedder.name}) alone over our passages; answer = top passage",
                        retriever.dense_only),
    ]


def hits_from_passages(passages: Sequence[ScoredPassage]) -> list[Hit]:
    """Pipeline retrieval results as :class:`Hit` records."""
    return [Hit(h.passage.doc, h.passage.start, h.passage.end, h.passage.text) for h in passages]


__all__ = ["Baseline", "Hit", "PassageBaseline", "VanillaLangChainBaseline", "hits_from_passages", "make_baselines"]
