"""Tests for rag.settings: RAG_* environment variables, validation, fingerprint."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from rag.errors import ConfigError
from rag.settings import KNOWN_EMBEDDING_MODELS, SCHEMA_VERSION, Settings


def test_defaults_are_valid_and_offline() -> None:
    s = Settings.from_env(env={})
    assert s.embedding_model == "all-MiniLM-L6-v2"
    assert s.embedding_model in KNOWN_EMBEDDING_MODELS
    assert s.top_k <= s.candidates
    assert not s.server_mode
    assert s.seeds_dir.name == "seeds"


def test_from_env_reads_every_rag_variable(tmp_path: Path) -> None:
    env = {
        "RAG_SEEDS_DIR": str(tmp_path / "s"),
        "RAG_INDEX_DIR": str(tmp_path / "i"),
        "RAG_EMBEDDING_MODEL": "fake",
        "RAG_CHUNK_CHARS": "500",
        "RAG_CANDIDATES": "40",
        "RAG_TOP_K": "5",
        "RAG_RRF_K": "10",
        "RAG_LEXICAL_WEIGHT": "2",
        "RAG_SYNONYM_WEIGHT": "0.25",
        "RAG_MAX_FILE_BYTES": "1234",
        "RAG_MAX_QUERY_CHARS": "300",
        "RAG_EMBED_BATCH": "7",
        "RAG_MAX_CONCURRENCY": "3",
        "RAG_CHROMA_HOST": "chroma.internal",
        "RAG_CHROMA_PORT": "9000",
        "RAG_COLLECTION": "news",
    }
    s = Settings.from_env(env=env)
    assert s.seeds_dir == tmp_path / "s"
    assert isinstance(s.seeds_dir, Path)
    assert s.index_dir == tmp_path / "i"
    assert s.embedding_model == "fake"
    assert (s.chunk_chars, s.candidates, s.top_k, s.rrf_k) == (500, 40, 5, 10)
    assert (s.lexical_weight, s.synonym_weight) == (2.0, 0.25)
    assert (s.max_file_bytes, s.max_query_chars, s.embed_batch) == (1234, 300, 7)
    assert s.max_concurrency == 3
    assert (s.chroma_host, s.chroma_port, s.collection) == ("chroma.internal", 9000, "news")
    assert s.server_mode


def test_from_env_ignores_empty_and_foreign_variables() -> None:
    s = Settings.from_env(env={"RAG_TOP_K": "", "TOP_K": "3", "rag_top_k": "3"})
    assert s.top_k == Settings().top_k


def test_from_env_defaults_to_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAG_TOP_K", "3")
    assert Settings.from_env().top_k == 3


def test_overrides_win_over_environment(tmp_path: Path) -> None:
    s = Settings.from_env(env={"RAG_TOP_K": "3", "RAG_SEEDS_DIR": "/nowhere"}, top_k=6, seeds_dir=tmp_path)
    assert s.top_k == 6
    assert s.seeds_dir == tmp_path


def test_path_variables_expand_user(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    s = Settings.from_env(env={"RAG_INDEX_DIR": "~/idx"})
    assert s.index_dir == tmp_path / "idx"


@pytest.mark.parametrize(
    ("var", "value"),
    [
        ("RAG_CHUNK_CHARS", "abc"),
        ("RAG_CHUNK_CHARS", "3.5"),
        ("RAG_CHUNK_CHARS", "10"),
        ("RAG_CHUNK_CHARS", "999999"),
        ("RAG_TOP_K", "0"),
        ("RAG_TOP_K", "-3"),
        ("RAG_TOP_K", "25"),  # more than the default 24 candidates
        ("RAG_CANDIDATES", "many"),
        ("RAG_RRF_K", "0"),
        ("RAG_LEXICAL_WEIGHT", "-1"),
        ("RAG_SYNONYM_WEIGHT", "2.5"),
        ("RAG_SYNONYM_WEIGHT", "much"),
        ("RAG_MAX_FILE_BYTES", "0"),
        ("RAG_MAX_QUERY_CHARS", "5"),
        ("RAG_EMBED_BATCH", "1e3"),
        ("RAG_MAX_CONCURRENCY", "0"),
        ("RAG_BODY_TIMEOUT", "0"),
        ("RAG_BODY_TIMEOUT", "2.5"),
        ("RAG_CHROMA_PORT", "70000"),
        ("RAG_EMBEDDING_MODEL", "text-embedding-3-large"),
        ("RAG_VERIFIER", "gpt"),
        ("RAG_VERIFIER_BACKEND", "extractive"),
        ("RAG_VERIFIER_BACKEND", "claude"),
        ("RAG_VERIFIER_THRESHOLD", "0"),
        ("RAG_VERIFIER_THRESHOLD", "1.5"),
        ("RAG_GENERATOR", "gpt-4"),
    ],
)
def test_bad_values_raise_config_error_naming_variable_and_value(var: str, value: str) -> None:
    with pytest.raises(ConfigError) as info:
        Settings.from_env(env={var: value})
    message = str(info.value)
    assert var in message
    assert value in message


@pytest.mark.parametrize(("var", "value", "expected"), [
    ("RAG_TOP_K", "1.5", "is not a whole number"),  # a number, but not a whole one
    ("RAG_CHROMA_PORT", "x", "is not a whole number"),
    ("RAG_DENSE_WEIGHT", "heavy", "is not a valid number"),
])
def test_unparsable_values_say_what_kind_of_value_is_expected(var: str, value: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        Settings.from_env(env={var: value})


def test_config_error_is_a_rag_error() -> None:
    from rag.errors import RagError

    with pytest.raises(RagError):
        Settings.from_env(env={"RAG_TOP_K": "zero"})


def test_settings_are_frozen() -> None:
    s = Settings.from_env(env={})
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.top_k = 3  # type: ignore[misc]


def test_with_returns_validated_copy() -> None:
    s = Settings.from_env(env={})
    t = s.with_(top_k=3)
    assert (s.top_k, t.top_k) == (8, 3)
    with pytest.raises(ConfigError, match="RAG_TOP_K"):
        s.with_(top_k=0)


def test_fingerprint_records_model_chunking_and_schema() -> None:
    fp = Settings.from_env(env={}, embedding_model="fake", chunk_chars=400).fingerprint()
    assert fp["schema"] == SCHEMA_VERSION
    assert fp["embedding_model"] == "fake"
    assert fp["chunk_chars"] == 400


@pytest.mark.parametrize("change", [{"embedding_model": "all-mpnet-base-v2"}, {"chunk_chars": 321}])
def test_fingerprint_changes_with_model_and_chunking(change: dict) -> None:
    base = Settings.from_env(env={})
    other = base.with_(**change)
    assert other.fingerprint() != base.fingerprint()
    assert other.fingerprint_hash() != base.fingerprint_hash()


@pytest.mark.parametrize(
    "change", [{"top_k": 3}, {"candidates": 50}, {"rrf_k": 10}, {"seeds_dir": Path("/elsewhere")}]
)
def test_fingerprint_ignores_query_time_settings(change: dict) -> None:
    base = Settings.from_env(env={})
    assert base.with_(**change).fingerprint_hash() == base.fingerprint_hash()


def test_fingerprint_hash_is_stable_short_hex() -> None:
    a = Settings.from_env(env={}).fingerprint_hash()
    b = Settings.from_env(env={}).fingerprint_hash()
    assert a == b
    assert len(a) == 12
    int(a, 16)


def test_to_dict_is_json_serialisable() -> None:
    import json

    d = Settings.from_env(env={}).to_dict()
    assert json.loads(json.dumps(d))["seeds_dir"] == d["seeds_dir"]
    assert isinstance(d["seeds_dir"], str)


def test_hybrid_verifier_settings() -> None:
    s = Settings.from_env(env={"RAG_VERIFIER": "hybrid", "RAG_VERIFIER_BACKEND": "ollama",
                               "RAG_VERIFIER_THRESHOLD": "0.7"})
    assert (s.verifier, s.verifier_backend, s.verifier_threshold) == ("hybrid", "ollama", 0.7)
    default = Settings.from_env(env={})
    assert (default.verifier, default.verifier_backend, default.verifier_threshold) == ("rules", "llamacpp", 0.7)


def test_chroma_timeout_is_validated() -> None:
    assert Settings.from_env(env={"RAG_CHROMA_TIMEOUT": "5"}).chroma_timeout == 5
    with pytest.raises(ConfigError, match="RAG_CHROMA_TIMEOUT"):
        Settings.from_env(env={"RAG_CHROMA_TIMEOUT": "0"})


@pytest.mark.parametrize("name", ["my coll", "-rag", ".rag", "rag/x", "r\u00e9sum\u00e9", "x" * 201])
def test_collection_prefix_chroma_would_refuse_is_a_config_error(name: str) -> None:
    # Chroma refused such a name only after `index` had embedded every passage, and the
    # error said to run `python -m rag index` again.
    with pytest.raises(ConfigError, match="RAG_COLLECTION"):
        Settings.from_env(env={"RAG_COLLECTION": name})


@pytest.mark.parametrize("name", ["a", "rag", "news_2026.v2", "factcheck-production-x"])
def test_collection_prefixes_chroma_accepts(name: str) -> None:
    assert Settings.from_env(env={"RAG_COLLECTION": name}).collection == name


@pytest.mark.parametrize("host", ["http://127.0.0.1", "https://chroma.internal", "127.0.0.1:8000",
                                  "chroma.internal/api"])
def test_chroma_host_with_a_scheme_port_or_path_is_a_config_error(host: str) -> None:
    # It became "cannot open Chroma at http://http://127.0.0.1:8000" only at first use.
    with pytest.raises(ConfigError, match="RAG_CHROMA_HOST.*RAG_CHROMA_PORT"):
        Settings(chroma_host=host)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "chroma.internal", "::1", "[::1]"])
def test_chroma_host_names_and_addresses_are_accepted(host: str) -> None:
    assert Settings(chroma_host=host).chroma_host == host
