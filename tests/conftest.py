"""Shared fixtures.

- ``seeds_copy``: a private copy of the project's seed articles (tests may modify it).
- ``fake_pipeline``: a Pipeline on the deterministic FakeEmbedder with a fresh on-disk index.
- ``real_pipeline``: session-wide Pipeline on the real MiniLM model and real embedded
  Chroma, indexed once from a copy of the seeds (integration tests).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

PROJECT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT / "seeds"


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "seeds"
    shutil.copytree(SEEDS, dest)
    return dest


@pytest.fixture
def fake_settings(tmp_path: Path, seeds_copy: Path):
    from rag.settings import Settings

    return Settings.from_env(env={}, seeds_dir=seeds_copy, index_dir=tmp_path / "index",
                             embedding_model="fake")


@pytest.fixture
def fake_pipeline(fake_settings):
    from rag.embeddings import FakeEmbedder
    from rag.pipeline import Pipeline

    pipe = Pipeline(fake_settings, embedder=FakeEmbedder())
    pipe.build_index()
    return pipe


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory):
    from rag.settings import Settings

    root = tmp_path_factory.mktemp("real")
    seeds = root / "seeds"
    shutil.copytree(SEEDS, seeds)
    return Settings.from_env(env={}, seeds_dir=seeds, index_dir=root / "index")


@pytest.fixture(scope="session")
def real_pipeline(real_settings):
    from rag.pipeline import Pipeline

    pipe = Pipeline(real_settings)
    pipe.build_index()
    return pipe


def build_fake_pipeline(root: Path):
    """A Pipeline on the FakeEmbedder over a fresh copy of the seeds under ``root``, indexed."""
    from rag.embeddings import FakeEmbedder
    from rag.pipeline import Pipeline
    from rag.settings import Settings

    shutil.copytree(SEEDS, root / "seeds")
    settings = Settings.from_env(env={}, seeds_dir=root / "seeds", index_dir=root / "index",
                                 embedding_model="fake")
    pipe = Pipeline(settings, embedder=FakeEmbedder())
    pipe.build_index()
    return pipe


def stop_process(proc) -> None:  # noqa: ANN001 - subprocess.Popen
    """Terminate a server started by a test, killing it if it does not stop."""
    import subprocess

    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def scripted_chat_model(script):  # noqa: ANN001, ANN201 - callable in, BaseChatModel out
    """A LangChain chat model whose reply is ``script(prompt_text)``, streamed word by word.

    ``prompt_text`` is the user message (passages and question). Every prompt the model
    saw is kept in ``model.prompts`` (a list of message lists) for assertions.
    """
    import re

    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import AIMessage, AIMessageChunk
    from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

    class _Scripted(BaseChatModel):
        prompts: list = []

        @property
        def _llm_type(self) -> str:
            return "scripted-fake"

        def _reply(self, messages) -> str:  # noqa: ANN001
            self.prompts.append(list(messages))
            return script(messages[-1].content)

        def _generate(self, messages, stop=None, run_manager=None, **kwargs):  # noqa: ANN001, ANN003
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self._reply(messages)))])

        def _stream(self, messages, stop=None, run_manager=None, **kwargs):  # noqa: ANN001, ANN003
            for tok in re.findall(r"\S+\s*|\s+", self._reply(messages)):
                yield ChatGenerationChunk(message=AIMessageChunk(content=tok))

    return _Scripted(prompts=[])


def prompt_passages(prompt: str) -> dict[str, str]:
    """``{prompt id: passage text}`` parsed from a generative prompt."""
    import re

    return {m.group(1): m.group(2).strip()
            for m in re.finditer(r'<passage id="([^"]+)"[^>]*>\n(.*?)\n</passage>', prompt, re.S)}
