"""Tests for rag.embeddings: the deterministic fake and the real offline MiniLM model."""

from __future__ import annotations

import os

import numpy as np
import pytest

from rag.embeddings import Embedder, FakeEmbedder, LangChainEmbeddings, SentenceTransformerEmbedder, get_embedder

TEXTS = [
    "Sheinbaum wrote in Spanish about migration.",
    "Bukele met Trump to discuss gangs.",
    "",
    "!!!",
    "Ünïcödé 🙂 text",
]


def test_fake_embedder_satisfies_the_protocol() -> None:
    assert isinstance(FakeEmbedder(), Embedder)


def test_fake_embedder_is_deterministic_across_instances() -> None:
    a = FakeEmbedder().embed_documents(TEXTS)
    b = FakeEmbedder().embed_documents(TEXTS)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(FakeEmbedder().embed_query(TEXTS[0]), a[0])


def test_fake_embedder_shape_dtype_and_norm() -> None:
    emb = FakeEmbedder(dim=64)
    vecs = emb.embed_documents(TEXTS)
    assert vecs.shape == (len(TEXTS), 64)
    assert vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, rtol=1e-5)
    assert emb.embed_documents([]).shape == (0, 64)


def test_fake_embedder_similar_texts_are_closer() -> None:
    emb = FakeEmbedder()
    q = emb.embed_query("Which outlet reported the Foreign Affairs Ministry statement?")
    near = emb.embed_query("A statement from the Foreign Affairs Ministry was reported by Bloomberg.")
    far = emb.embed_query("Javier Milei expressed support for Trump in Argentina.")
    assert float(q @ near) > float(q @ far) + 0.1


def test_fake_embedder_is_case_insensitive() -> None:
    emb = FakeEmbedder()
    np.testing.assert_array_equal(emb.embed_query("Bukele MET Trump"), emb.embed_query("bukele met trump"))


def test_get_embedder_fake_and_lazy_real() -> None:
    assert isinstance(get_embedder("fake"), FakeEmbedder)
    real = get_embedder("all-MiniLM-L6-v2")
    assert isinstance(real, SentenceTransformerEmbedder)
    assert real._model is None  # noqa: SLF001 - nothing loads until first use


def test_mpnet_is_assembled_under_the_configured_model_dir(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    # RAG_MODEL_DIR is where assembled model files go: mpnet's five volumes too, not ~/.cache.
    import rag.embeddings as embeddings
    from rag.errors import ModelLoadError
    from rag.pipeline import Pipeline
    from rag.settings import Settings

    seen: list[object] = []

    def fake_assemble(cache_dir):  # noqa: ANN001, ANN202
        seen.append(cache_dir)
        raise ModelLoadError("stop here")

    monkeypatch.setattr(embeddings, "_assemble_mpnet", fake_assemble)
    settings = Settings.from_env({}, embedding_model="all-mpnet-base-v2", model_dir=tmp_path / "models",
                                 seeds_dir=tmp_path, index_dir=tmp_path / "index")
    embedder = Pipeline(settings).embedder
    with pytest.raises(ModelLoadError):
        embedder.embed_query("x")
    assert seen == [tmp_path / "models"]


def test_langchain_adapter_wraps_an_embedder() -> None:
    from langchain_core.embeddings import Embeddings

    emb = FakeEmbedder(dim=32)
    lc = LangChainEmbeddings(emb)
    assert isinstance(lc, Embeddings)
    docs = lc.embed_documents(["a b c", "d e f"])
    assert len(docs) == 2 and len(docs[0]) == 32
    assert lc.embed_query("a b c") == pytest.approx(docs[0])


def test_importing_rag_loads_no_model() -> None:
    import subprocess
    import sys

    code = ("import sys, rag, rag.pipeline, rag.embeddings, rag.retrieval, rag.answer; "
            "print('sentence_transformers' in sys.modules, 'torch' in sys.modules, 'chromadb' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.split() == ["False", "False", "False"]


# ------------------------------------------------------------------ integration
@pytest.fixture(scope="module")
def minilm() -> SentenceTransformerEmbedder:
    """The real model, loaded with HF_HUB_OFFLINE=1 and every socket blocked (proof it is offline)."""
    from pytest_socket import disable_socket, enable_socket

    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    emb = SentenceTransformerEmbedder("all-MiniLM-L6-v2")
    disable_socket()
    try:
        emb.embed_documents(["warm up"])
    finally:
        enable_socket()
    return emb


@pytest.mark.integration
def test_minilm_loads_offline_with_dim_384(minilm: SentenceTransformerEmbedder) -> None:
    assert minilm.dim == 384
    vecs = minilm.embed_documents(TEXTS[:2])
    assert vecs.shape == (2, 384)
    assert vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, rtol=1e-4)


@pytest.mark.integration
def test_minilm_paraphrase_is_closer_than_unrelated(minilm: SentenceTransformerEmbedder) -> None:
    q = minilm.embed_query("Mexico's president wrote a post in Spanish about migrants.")
    para = minilm.embed_query("Sheinbaum published a Spanish-language message about migration.")
    unrelated = minilm.embed_query("The recipe needs two cups of flour and an egg.")
    assert float(q @ para) > float(q @ unrelated) + 0.2


@pytest.mark.integration
def test_minilm_query_cache_returns_same_vector(minilm: SentenceTransformerEmbedder) -> None:
    a = minilm.embed_query("Bukele and Trump")
    b = minilm.embed_many_cached(["other text", "Bukele and Trump"])[1]
    np.testing.assert_allclose(a, b, rtol=1e-5)
    np.testing.assert_allclose(a, minilm.embed_documents(["Bukele and Trump"])[0], atol=1e-5)
