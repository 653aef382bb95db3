"""LangChain's standard retriever tests, run against our adapter.

``rag.retrieval.as_langchain_retriever`` over a FakeEmbedder index of the seeds,
built once in a module-level temporary folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from langchain_core.retrievers import BaseRetriever
from langchain_tests.integration_tests import RetrieversIntegrationTests

from rag.embeddings import FakeEmbedder
from rag.pipeline import Pipeline
from rag.retrieval import as_langchain_retriever
from rag.settings import Settings

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
_STATE: dict[str, Any] = {}


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module", autouse=True)
def _index(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN202
    root = tmp_path_factory.mktemp("lc-standard")
    shutil.copytree(SEEDS, root / "seeds")
    settings = Settings.from_env(env={}, seeds_dir=root / "seeds", index_dir=root / "index",
                                 embedding_model="fake")
    pipe = Pipeline(settings, embedder=FakeEmbedder())
    pipe.build_index()
    _STATE["retriever"] = as_langchain_retriever(pipe.retriever)
    yield
    _STATE.clear()


class TestPassageRetrieverStandard(RetrieversIntegrationTests):
    """The adapter class is local to ``as_langchain_retriever``; its instances share one index."""

    # The standard suite has one ``async def`` test and pytest-asyncio runs in strict mode here;
    # anyio's plugin runs marked coroutine tests and leaves the plain ones alone.
    pytestmark = pytest.mark.anyio

    @property
    def retriever_constructor(self) -> type[BaseRetriever]:
        return type(_STATE["retriever"])

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"k": 4}

    @property
    def retriever_query_example(self) -> str:
        return "Which outlet reported the Foreign Affairs Ministry statement?"

