"""One frozen settings object, read from ``RAG_*`` environment variables.

Create it once at an entry point (``Settings.from_env()``) and pass it explicitly.
Bad values raise :class:`~rag.errors.ConfigError` naming the variable and the value.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from rag.errors import ConfigError

#: Bump when the on-disk index layout or the chunker's output changes.
SCHEMA_VERSION = 4

#: Embedding models this package knows how to load offline from PyPI packages.
KNOWN_EMBEDDING_MODELS = ("all-MiniLM-L6-v2", "all-mpnet-base-v2", "fake")

#: Answer generators: the extractive default and the chat-model backends (rag/llm.py).
GENERATORS = ("extractive", "llamacpp", "ollama", "openai")
#: Ways of fusing the dense and BM25 candidates (Settings.fusion).
FUSIONS = ("score", "rrf")
#: Claim verifiers (Settings.verifier).
VERIFIERS = ("rules", "hybrid")

_PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: A Chroma collection name prefix (Chroma: 3-512 of [a-zA-Z0-9._-], alphanumeric at both
#: ends; "-<build>" or "-current" is appended, so the prefix need only start with one).
_COLLECTION_RE = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9._-]{0,199}\Z")


@dataclass(frozen=True)
class Settings:
    """Every knob of the pipeline, with documented defaults.

    Environment variable for each field: ``RAG_`` + the upper-cased field name
    (``RAG_SEEDS_DIR``, ``RAG_INDEX_DIR``, ``RAG_EMBEDDING_MODEL`` ...).
    """

    #: Folder of ``.txt`` / ``.md`` articles.
    seeds_dir: Path = _PROJECT_ROOT / "seeds"
    #: Folder of the embedded Chroma index (builds, manifest, lexical index).
    index_dir: Path = _PROJECT_ROOT / "index"
    #: Sentence-transformers model; see KNOWN_EMBEDDING_MODELS.
    embedding_model: str = "all-MiniLM-L6-v2"
    #: Chroma server host; empty = embedded PersistentClient under index_dir.
    chroma_host: str = ""
    #: Chroma server port (used only with chroma_host).
    chroma_port: int = 8000
    #: Seconds to wait for the Chroma server to answer one request (chromadb itself waits
    #: forever, so a server that hangs would hang every request and build).
    chroma_timeout: int = 60
    #: Collection name prefix (server mode keeps one collection per build).
    collection: str = "rag"
    #: Soft maximum passage length in characters (sentences are never split).
    chunk_chars: int = 320
    #: Candidates taken from each retriever before fusion.
    candidates: int = 24
    #: Passages returned by the hybrid retriever.
    top_k: int = 8
    #: How the dense and BM25 candidates are fused: "score" (z-normalised scores over the
    #: candidate pool, weighted; the default) or "rrf" (weighted reciprocal rank fusion).
    fusion: str = "score"
    #: Weight of the dense side in score fusion: the best cosine similarity of one of the
    #: passage's sentences to the query.
    dense_weight: float = 0.5
    #: Reciprocal-rank-fusion constant (fusion="rrf").
    rrf_k: int = 60
    #: Weight of BM25 in the fusion (in rrf the dense ranking weighs 1.0).
    lexical_weight: float = 1.5
    #: Weight of a synonym's match in BM25 ("talked" finding "discussion"), relative to the word itself.
    synonym_weight: float = 0.5
    #: Largest article accepted, in bytes.
    max_file_bytes: int = 5_000_000
    #: Longest question or claim accepted, in characters.
    max_query_chars: int = 2_000
    #: Batch size for embedding at index time.
    embed_batch: int = 16
    #: Requests the HTTP API serves at once (per worker); beyond it, 503 with Retry-After
    #: and a JSON error (``python -m rag serve --limit-concurrency`` sets it).
    max_concurrency: int = 64
    #: Seconds the HTTP API waits for a request's body after its headers; then 408. A request
    #: takes one of the ``max_concurrency`` slots only once its body is in.
    body_timeout: int = 30
    #: Claim verifier: "rules" (offline default, fast) or "hybrid": the rules, and for a claim
    #: they find unstated only in wording, a chat model's reading (``verifier_backend``).
    verifier: str = "rules"
    #: The chat model of the hybrid verifier: "llamacpp" (the bundled local GGUF, or
    #: RAG_LLM_MODEL), "ollama" or "openai" (RAG_LLM_MODEL / RAG_LLM_URL as for answers).
    verifier_backend: str = "llamacpp"
    #: Least probability of "the passage states it" the hybrid verifier needs for SUPPORTED.
    verifier_threshold: float = 0.7
    #: Answer generator: "extractive" (offline default, quotes only), or a chat model that
    #: writes the answer, every sentence checked against its citations: "llamacpp" (local
    #: GGUF, offline), "ollama" or "openai" (servers the user runs; see README).
    generator: str = "extractive"
    #: Chat model: a .gguf path (llamacpp; empty = the bundled Qwen2.5-Coder-1.5B) or the
    #: server's model name (ollama: qwen2.5:1.5b, openai: gpt-4o-mini by default).
    llm_model: str = ""
    #: Base URL of the Ollama / OpenAI-compatible server (empty = the backend's default).
    llm_url: str = ""
    #: Most tokens a generated answer may have.
    llm_max_tokens: int = 200
    #: Retrieved passages put in the prompt (fewer = faster first token).
    llm_passages: int = 3
    #: llama.cpp threads (0 = one per core) and context window in tokens.
    llm_threads: int = 0
    llm_context: int = 4096
    #: Seconds to wait for a chat-model server.
    llm_timeout: int = 120
    #: Where assembled model files (the local GGUF, mpnet) are cached.
    #: (default: $XDG_CACHE_HOME/rag-models, else ~/.cache/rag-models).
    model_dir: Path | None = None

    # ------------------------------------------------------------------ loading
    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read ``RAG_*`` variables from ``env`` (default ``os.environ``); overrides win."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            var = f"RAG_{f.name.upper()}"
            if var in env and env[var] != "":
                values[f.name] = _coerce(var, env[var], f.type)
        values.update(overrides)
        return cls(**values)

    def __post_init__(self) -> None:
        object.__setattr__(self, "seeds_dir", Path(self.seeds_dir))
        object.__setattr__(self, "index_dir", Path(self.index_dir))
        if self.model_dir is None:
            cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
            object.__setattr__(self, "model_dir", Path(cache) / "rag-models")
        object.__setattr__(self, "model_dir", Path(self.model_dir))
        if self.embedding_model not in KNOWN_EMBEDDING_MODELS:
            raise ConfigError(
                f"RAG_EMBEDDING_MODEL={self.embedding_model!r} is not supported; "
                f"choose one of {', '.join(KNOWN_EMBEDDING_MODELS)}"
            )
        for name, low, high in (
            ("chunk_chars", 80, 5000),
            ("candidates", 1, 500),
            ("top_k", 1, 100),
            ("rrf_k", 1, 1000),
            ("max_query_chars", 10, 1_000_000),
            ("max_file_bytes", 1, 1_000_000_000),
            ("embed_batch", 1, 4096),
            ("max_concurrency", 1, 100_000),
            ("body_timeout", 1, 3600),
            ("chroma_port", 1, 65535),
            ("chroma_timeout", 1, 3600),
            ("llm_max_tokens", 16, 8192),
            ("llm_passages", 1, 30),
            ("llm_threads", 0, 512),
            ("llm_context", 512, 131072),
            ("llm_timeout", 1, 3600),
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or not low <= value <= high:
                raise ConfigError(f"RAG_{name.upper()}={value!r} must be an integer in [{low}, {high}]")
        if not isinstance(self.collection, str) or not _COLLECTION_RE.match(self.collection):
            # Checked now: Chroma would refuse the name only after every passage is embedded.
            raise ConfigError(
                f"RAG_COLLECTION={self.collection!r} is not a valid collection name prefix: use 1-200 "
                "letters, digits, '.', '_' or '-', starting with a letter or digit")
        if isinstance(self.chroma_host, str) and re.search(r"://|/|^[^:]+:\d+$", self.chroma_host.strip()):
            # "http://127.0.0.1" became "cannot open Chroma at http://http://127.0.0.1:8000".
            raise ConfigError(
                f"RAG_CHROMA_HOST={self.chroma_host!r} must be a host name or address only (such as 127.0.0.1): "
                "give the port in RAG_CHROMA_PORT and leave out 'http://' and any path")
        if self.fusion not in FUSIONS:
            raise ConfigError(f"RAG_FUSION={self.fusion!r} is not supported; choose one of {', '.join(FUSIONS)}")
        for name, flow, fhigh in (("dense_weight", 0.0, 10.0), ("lexical_weight", 0.0, 10.0),
                                  ("synonym_weight", 0.0, 1.0)):
            value = getattr(self, name)
            if isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
                object.__setattr__(self, name, value)
            if not isinstance(value, float) or not flow <= value <= fhigh:
                raise ConfigError(f"RAG_{name.upper()}={value!r} must be a number in [{flow}, {fhigh}]")
        if self.top_k > self.candidates:
            raise ConfigError(
                f"RAG_TOP_K={self.top_k} must not exceed RAG_CANDIDATES={self.candidates}"
            )
        if self.verifier not in VERIFIERS:
            raise ConfigError(f"RAG_VERIFIER={self.verifier!r} is not supported; choose one of {', '.join(VERIFIERS)}")
        if self.verifier_backend not in GENERATORS or self.verifier_backend == "extractive":
            raise ConfigError(f"RAG_VERIFIER_BACKEND={self.verifier_backend!r} is not supported; choose one of "
                              f"{', '.join(g for g in GENERATORS if g != 'extractive')}")
        if isinstance(self.verifier_threshold, int) and not isinstance(self.verifier_threshold, bool):
            object.__setattr__(self, "verifier_threshold", float(self.verifier_threshold))
        if not isinstance(self.verifier_threshold, float) or not 0.0 < self.verifier_threshold <= 1.0:
            raise ConfigError(f"RAG_VERIFIER_THRESHOLD={self.verifier_threshold!r} must be a number in (0, 1]")
        if self.generator not in GENERATORS:
            raise ConfigError(
                f"RAG_GENERATOR={self.generator!r} is not supported; choose one of {', '.join(GENERATORS)}"
            )

    # ---------------------------------------------------------------- helpers
    @property
    def server_mode(self) -> bool:
        """True when a Chroma server is configured (``RAG_CHROMA_HOST``)."""
        return bool(self.chroma_host)

    def fingerprint(self) -> dict[str, Any]:
        """What an index depends on; stored in its manifest and checked on open."""
        from rag.lexical import TOKENIZER_VERSION

        return {
            "schema": SCHEMA_VERSION,
            "tokenizer": TOKENIZER_VERSION,
            "embedding_model": self.embedding_model,
            "chunk_chars": self.chunk_chars,
        }

    def fingerprint_hash(self) -> str:
        """Short hash of :meth:`fingerprint`, used in collection names."""
        blob = json.dumps(self.fingerprint(), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:12]

    def with_(self, **changes: Any) -> Settings:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        return {k: str(v) if isinstance(v, Path) else v for k, v in d.items()}


def _coerce(var: str, raw: str, typ: Any) -> Any:
    typ = str(typ)
    if "int" in typ:
        try:
            return int(raw)
        except ValueError as exc:
            # "1.5" is a number, just not a whole one: say what is expected.
            raise ConfigError(f"{var}={raw!r} is not a whole number") from exc
    if "float" in typ:
        try:
            return float(raw)
        except ValueError as exc:
            raise ConfigError(f"{var}={raw!r} is not a valid number") from exc
    if "Path" in typ:
        return Path(raw).expanduser()
    return raw
