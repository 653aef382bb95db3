"""Chroma server mode, tested against a real ``chroma run`` process.

One session-wide server (``chroma_server``) is started on a free loopback port and
always terminated. Each test uses its own collection prefix, so tests sharing the
server never see each other's builds.

- ``TestBackendContract`` runs the same assertions over both backends (embedded
  ``PersistentClient`` and the server): answer JSON shape, citations that are exact
  slices of the seed files, incremental re-indexing that embeds only changed
  documents, no duplicate ids in the collection.
- The server-only tests cover what the server is for: a second machine (another,
  empty ``index_dir``) opening the same index through the server's pointer, a
  re-index while another pipeline keeps serving, pruning of old builds, a build that
  fails half-way, a server that goes away, and the real MiniLM model end to end.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import stop_process

from rag.embeddings import FakeEmbedder
from rag.errors import IndexMissingError, RagError, StoreError
from rag.pipeline import Pipeline
from rag.settings import Settings
from rag.types import Answer, Label

pytestmark = pytest.mark.integration

PROJECT = Path(__file__).resolve().parent.parent
QUESTION = "What did Sheinbaum say about migration?"
QUESTIONS = (
    QUESTION,
    "Which outlet reported the Foreign Affairs Ministry statement?",
    "When did Bukele rise to power?",
    "What did Trump threaten Mexico with?",
    "What is the capital of Australia?",
)
CLAIM = "Sheinbaum described her exchange with Trump as very cordial."
CHANGED_DOC = "003_625a3d29147f48c6.txt"
NEW_DOC = "zz_new_report.txt"
NEW_DOC_TEXT = (
    "Zephyr Accord Signed in Valparaiso\n"
    "The Zephyr Accord on coastal fisheries was signed in Valparaiso by eleven delegations. "
    "Negotiators said the accord caps trawling in the southern corridor until 2031.\n"
)
NEW_QUESTION = "Where was the Zephyr Accord signed?"


# ----------------------------------------------------------------------- the server
@dataclass(frozen=True)
class ChromaServer:
    host: str
    port: int
    data: Path
    log: Path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _chroma_exe() -> Path:
    exe = Path(sys.executable).with_name("chroma")
    if not exe.exists():
        found = shutil.which("chroma")
        if not found:
            pytest.skip("the `chroma` CLI (chromadb) is not installed")
        exe = Path(found)
    return exe


def _heartbeat(host: str, port: int) -> bool:
    import httpx

    try:
        return httpx.get(f"http://{host}:{port}/api/v2/heartbeat", timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


def start_chroma(root: Path, timeout: float = 90.0) -> tuple[subprocess.Popen[bytes], ChromaServer]:
    """Start ``chroma run`` on a free loopback port and wait for its heartbeat."""
    port = _free_port()
    root.mkdir(parents=True, exist_ok=True)
    server = ChromaServer("127.0.0.1", port, root / "data", root / "chroma.log")
    log = server.log.open("wb")
    proc = subprocess.Popen(
        [str(_chroma_exe()), "run", "--path", str(server.data), "--host", server.host, "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
    )
    log.close()
    deadline = time.monotonic() + timeout
    while not _heartbeat(server.host, port):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_process(proc)
            tail = server.log.read_text(errors="replace")[-2000:]
            pytest.fail(f"chroma run did not start on port {port} (exit {proc.returncode}):\n{tail}")
        time.sleep(0.2)
    return proc, server


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """A real Chroma server for the whole session, always terminated."""
    proc, server = start_chroma(tmp_path_factory.mktemp("chroma-server"))
    try:
        yield server
    finally:
        stop_process(proc)


# -------------------------------------------------------------------------- helpers
def _prefix(request: pytest.FixtureRequest) -> str:
    """A collection prefix unique to the test (no prefix is a prefix of another)."""
    return "t" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:12]


def server_settings(server: ChromaServer, seeds: Path, index_dir: Path, prefix: str,
                    model: str = "fake") -> Settings:
    return Settings.from_env(env={}, seeds_dir=seeds, index_dir=index_dir, embedding_model=model,
                             chroma_host=server.host, chroma_port=server.port, collection=prefix)


def cli_env(settings: Settings) -> dict[str, str]:
    """Environment for ``python -m rag`` with exactly these settings (no inherited RAG_*)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    env.update(HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", PYTHONPATH=str(PROJECT),
               RAG_SEEDS_DIR=str(settings.seeds_dir), RAG_INDEX_DIR=str(settings.index_dir),
               RAG_EMBEDDING_MODEL=settings.embedding_model, RAG_COLLECTION=settings.collection)
    if settings.server_mode:
        env.update(RAG_CHROMA_HOST=settings.chroma_host, RAG_CHROMA_PORT=str(settings.chroma_port))
    return env


def run_cli(settings: Settings, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rag", *args], env=cli_env(settings), cwd=PROJECT,
                          capture_output=True, text=True, timeout=timeout)


class CountingEmbedder:
    """A FakeEmbedder that records every text embedded at index time."""

    name = "fake"

    def __init__(self) -> None:
        self.inner = FakeEmbedder()
        self.embedded: list[str] = []

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed_documents(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        self.embedded.extend(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)

    def embed_many_cached(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_documents(texts)


def assert_citations_exact(answer: Answer | dict[str, Any], seeds: Path, pipe: Pipeline) -> None:
    """Every citation quotes its document exactly and lies inside a passage of the live index."""
    d = answer.to_dict() if isinstance(answer, Answer) else answer
    passages = pipe.index.open().passages
    for c in d["citations"]:
        text = (seeds / c["doc"]).read_text(encoding="utf-8")
        assert text[c["start"] : c["end"]] == c["quote"], c
        p = passages[c["passage_id"]]
        assert p.doc == c["doc"] and p.start <= c["start"] < c["end"] <= p.end
    for s in d["sentences"]:
        assert all(0 <= i < len(d["citations"]) for i in s["citations"])


def collection_ids(pipe: Pipeline) -> list[str]:
    return [pid for pid, _doc, _meta in pipe.index.open().store.records()]


# ------------------------------------------------------------- contract, both backends
@pytest.fixture(params=["embedded", pytest.param("server", marks=pytest.mark.server)])
def backend(request: pytest.FixtureRequest, tmp_path: Path, seeds_copy: Path) -> Settings:
    """Fake-embedder settings for one backend, with a private seeds copy and index."""
    if request.param == "embedded":
        return Settings.from_env(env={}, seeds_dir=seeds_copy, index_dir=tmp_path / "index",
                                 embedding_model="fake", collection=_prefix(request))
    server: ChromaServer = request.getfixturevalue("chroma_server")
    return server_settings(server, seeds_copy, tmp_path / "index", _prefix(request))


class TestBackendContract:
    """What every store backend must do, run over embedded Chroma and a Chroma server."""

    def test_answer_json_shape_and_exact_citations(self, backend: Settings) -> None:
        pipe = Pipeline(backend, embedder=FakeEmbedder())
        pipe.build_index()
        assert pipe.status()["backend"] == ("chroma-server" if backend.server_mode else "chroma-embedded")
        answer = pipe.ask(QUESTION)
        d = json.loads(json.dumps(answer.to_dict()))
        assert set(d) == {"question", "answer", "abstained", "premise_corrected", "reason", "sentences",
                          "citations", "warnings"}
        assert d["warnings"] == []
        assert d["abstained"] is False and d["citations"]
        for c in d["citations"]:
            assert set(c) == {"id", "doc", "start", "end", "quote", "passage_id"}
        for s in d["sentences"]:
            assert set(s) == {"text", "citations", "supported"}
        assert_citations_exact(d, backend.seeds_dir, pipe)
        off_topic = pipe.ask("What is the capital of Australia?")
        assert off_topic.abstained and not off_topic.citations

    def test_check_verdict_cites_exact_spans(self, backend: Settings) -> None:
        pipe = Pipeline(backend, embedder=FakeEmbedder())
        pipe.build_index()
        verdict = pipe.check(CLAIM).to_dict()
        assert verdict["verdict"] in {label.value for label in Label}
        assert verdict["evidence"]
        for e in verdict["evidence"]:
            text = (backend.seeds_dir / e["doc"]).read_text(encoding="utf-8")
            assert text[e["start"] : e["end"]] == e["quote"]

    def test_incremental_reindex_embeds_only_changed_documents(self, backend: Settings) -> None:
        embedder = CountingEmbedder()
        pipe = Pipeline(backend, embedder=embedder)
        first = pipe.build_index()
        assert first.changed and first.embedded == first.passages == len(embedder.embedded)

        embedder.embedded.clear()
        again = pipe.build_index()
        assert not again.changed and again.embedded == 0 and embedder.embedded == []
        assert again.build == first.build

        path = backend.seeds_dir / CHANGED_DOC
        path.write_text(path.read_text(encoding="utf-8") + "\nThe ministry repeated its position on Friday.\n",
                        encoding="utf-8")
        embedder.embedded.clear()
        third = pipe.build_index()
        loaded = pipe.index.open()
        changed = [p for p in loaded.passages.values() if p.doc == CHANGED_DOC]
        assert third.changed and third.updated_documents == [CHANGED_DOC]
        # Ids hash the document's content, so exactly the changed document is re-embedded.
        assert third.embedded == len(changed) == len(embedder.embedded)
        assert sorted(embedder.embedded) == sorted(p.search_text() for p in changed)
        assert third.reused == third.passages - third.embedded
        assert pipe.status()["build"] == third.build != first.build

    def test_no_duplicate_ids_in_the_collection(self, backend: Settings) -> None:
        pipe = Pipeline(backend, embedder=FakeEmbedder())
        pipe.build_index()
        pipe.build_index(rebuild=True)
        (backend.seeds_dir / NEW_DOC).write_text(NEW_DOC_TEXT, encoding="utf-8")
        report = pipe.build_index()
        ids = collection_ids(pipe)
        loaded = pipe.index.open()
        assert len(ids) == len(set(ids)) == report.passages == loaded.store.count()
        assert set(ids) == set(loaded.passages) == set(loaded.order)
        assert len(loaded.order) == len(set(loaded.order))


@pytest.mark.server
def test_backends_give_identical_answers(chroma_server: ChromaServer, tmp_path: Path, seeds_copy: Path,
                                         request: pytest.FixtureRequest) -> None:
    embedded = Pipeline(Settings.from_env(env={}, seeds_dir=seeds_copy, index_dir=tmp_path / "emb",
                                          embedding_model="fake"), embedder=FakeEmbedder())
    server = Pipeline(server_settings(chroma_server, seeds_copy, tmp_path / "srv", _prefix(request)),
                      embedder=FakeEmbedder())
    embedded.build_index()
    server.build_index()
    assert embedded.index.open().order == server.index.open().order
    for q in QUESTIONS:
        assert embedded.ask(q).to_dict() == server.ask(q).to_dict(), q
    assert embedded.check(CLAIM).to_dict() == server.check(CLAIM).to_dict()


# ------------------------------------------------------------------- server only
@pytest.mark.server
class TestServerMode:
    def test_another_machine_opens_the_index_through_the_server(
        self, chroma_server: ChromaServer, tmp_path: Path, seeds_copy: Path, request: pytest.FixtureRequest
    ) -> None:
        prefix = _prefix(request)
        builder = Pipeline(server_settings(chroma_server, seeds_copy, tmp_path / "machine-a", prefix),
                           embedder=FakeEmbedder())
        builder.build_index()
        expected = {q: builder.ask(q).to_dict() for q in QUESTIONS}

        # Machine B: same server and collection prefix, an empty index folder, no seeds.
        empty_seeds = tmp_path / "no-seeds"
        empty_seeds.mkdir()
        other_settings = server_settings(chroma_server, empty_seeds, tmp_path / "machine-b", prefix)
        other = Pipeline(other_settings, embedder=FakeEmbedder())
        assert other.status()["build"] == builder.status()["build"]
        assert other.index.open().order == builder.index.open().order
        for q in QUESTIONS:
            assert other.ask(q).to_dict() == expected[q], q
        # Machine B has no copy of the articles: nothing to compare, so no "changed" warning.
        assert other.status()["stale"] is False and other.status()["corpus_changes"]["compared"] is False
        assert_citations_exact(other.ask(QUESTION), seeds_copy, other)

        # And a separate process (another interpreter, yet another empty folder).
        third = other_settings.with_(index_dir=tmp_path / "machine-c")
        proc = run_cli(third, "ask", "--json", QUESTION)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout) == expected[QUESTION]

    def test_reindex_while_serving(self, chroma_server: ChromaServer, tmp_path: Path, seeds_copy: Path,
                                   request: pytest.FixtureRequest) -> None:
        prefix = _prefix(request)
        serving = Pipeline(server_settings(chroma_server, seeds_copy, tmp_path / "server-a", prefix),
                           embedder=FakeEmbedder())
        first = serving.build_index()
        seen: list[tuple[str, bool, bool]] = []  # (build, answered QUESTION, answered NEW_QUESTION)
        errors: list[BaseException] = []
        stop = threading.Event()

        def serve() -> None:
            while not stop.is_set():
                try:
                    build = serving.index.open().build
                    ans = serving.ask(QUESTION)
                    assert not ans.abstained
                    assert_citations_exact(ans, seeds_copy, serving)
                    new = serving.ask(NEW_QUESTION)
                    if serving.index.open().build != build:
                        continue  # the swap happened mid-sample: which build answered is ambiguous
                    seen.append((build, not ans.abstained,
                                 any(c.doc == NEW_DOC for c in new.citations)))
                except BaseException as exc:  # noqa: BLE001 - reported by the test below
                    errors.append(exc)
                    return

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        try:
            # Another machine (its own empty index folder, its own seeds with one new
            # article) re-indexes in a separate process while this one serves.
            seeds_b = tmp_path / "seeds-b"
            shutil.copytree(seeds_copy, seeds_b)
            (seeds_b / NEW_DOC).write_text(NEW_DOC_TEXT, encoding="utf-8")
            shutil.copy(seeds_b / NEW_DOC, seeds_copy / NEW_DOC)  # for the citation check only
            other = server_settings(chroma_server, seeds_b, tmp_path / "builder-b", prefix)
            proc = run_cli(other, "index", "--json")
            assert proc.returncode == 0, proc.stderr
            report = json.loads(proc.stdout)
            assert report["changed"] and report["added_documents"] == [NEW_DOC]
            # Machine B had no local files: it rebuilt them from the server and reused the vectors.
            assert report["reused"] == first.passages and report["embedded"] == report["passages"] - first.passages
            deadline = time.monotonic() + 30
            while not any(b == report["build"] for b, *_ in seen) and time.monotonic() < deadline and not errors:
                time.sleep(0.05)
        finally:
            stop.set()
            thread.join(timeout=60)
        assert not errors, errors
        builds = [b for b, *_ in seen]
        assert first.build in builds and report["build"] in builds
        assert builds.index(report["build"]) > builds.index(first.build)
        assert all(b == report["build"] for b in builds[builds.index(report["build"]) :])  # never back
        assert all(ok for _, ok, _ in seen)
        assert all(new for b, _, new in seen if b == report["build"])
        assert not any(new for b, _, new in seen if b == first.build)

    def test_old_builds_are_pruned_on_the_server(self, chroma_server: ChromaServer, tmp_path: Path,
                                                 seeds_copy: Path, request: pytest.FixtureRequest) -> None:
        from rag.store import list_server_collections, pointer_name

        settings = server_settings(chroma_server, seeds_copy, tmp_path / "index", _prefix(request))
        pipe = Pipeline(settings, embedder=FakeEmbedder())
        builds = [pipe.build_index(rebuild=True).build for _ in range(4)]
        mine = sorted(n for n in list_server_collections(settings) if n.startswith(settings.collection + "-"))
        assert mine == sorted([pointer_name(settings)] + [f"{settings.collection}-{b}" for b in builds[-2:]])
        assert pipe.status()["build"] == builds[-1]

    def test_failed_build_leaves_the_live_index_serving(self, chroma_server: ChromaServer, tmp_path: Path,
                                                        seeds_copy: Path, request: pytest.FixtureRequest) -> None:
        from rag.store import list_server_collections

        settings = server_settings(chroma_server, seeds_copy, tmp_path / "index", _prefix(request))
        settings = settings.with_(embed_batch=16)
        pipe = Pipeline(settings, embedder=FakeEmbedder())
        good = pipe.build_index()
        before = pipe.ask(QUESTION).to_dict()

        class Failing(FakeEmbedder):
            calls = 0

            def embed_documents(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
                Failing.calls += 1
                if Failing.calls > 0:  # the build's collection exists by now; its vectors do not
                    raise RuntimeError("simulated crash while embedding")
                return super().embed_documents(texts)

        with pytest.raises(RuntimeError, match="simulated crash"):
            Pipeline(settings, embedder=Failing()).build_index(rebuild=True)
        # The pointer still names the good build; a fresh reader answers as before.
        fresh = Pipeline(settings.with_(index_dir=tmp_path / "reader"), embedder=FakeEmbedder())
        assert fresh.status()["build"] == good.build
        assert fresh.ask(QUESTION).to_dict() == before
        debris = [n for n in list_server_collections(settings)
                  if n.startswith(settings.collection + "-") and good.build not in n and not n.endswith("-current")]
        assert len(debris) == 1  # the half-written collection, until the next build clears it
        again = pipe.build_index(rebuild=True)
        names = list_server_collections(settings)
        assert debris[0] not in names
        assert pipe.status()["build"] == again.build

    def test_workers_on_one_machine_copy_a_new_build_concurrently(
        self, chroma_server: ChromaServer, tmp_path: Path, seeds_copy: Path, request: pytest.FixtureRequest
    ) -> None:
        prefix = _prefix(request)
        builder = Pipeline(server_settings(chroma_server, seeds_copy, tmp_path / "builder", prefix),
                           embedder=FakeEmbedder())
        builder.build_index()
        expected = builder.ask(QUESTION).to_dict()
        # Six "workers" share one empty index folder and all open the build at once.
        shared = server_settings(chroma_server, seeds_copy, tmp_path / "workers", prefix)
        workers = [Pipeline(shared, embedder=FakeEmbedder(), verifier=builder.verifier) for _ in range(6)]
        barrier = threading.Barrier(len(workers))
        results: list[Any] = [None] * len(workers)

        def work(n: int) -> None:
            barrier.wait()
            try:
                results[n] = workers[n].ask(QUESTION).to_dict()
            except BaseException as exc:  # noqa: BLE001 - compared below
                results[n] = exc

        threads = [threading.Thread(target=work, args=(n,)) for n in range(len(workers))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert all(r == expected for r in results), results
        folders = sorted(p.name for p in (shared.index_dir / "builds").iterdir())
        assert folders == [builder.status()["build"]]  # one complete copy, no temporary leftovers

    def test_reader_keeps_only_recent_local_copies(self, chroma_server: ChromaServer, tmp_path: Path,
                                                   seeds_copy: Path, request: pytest.FixtureRequest) -> None:
        prefix = _prefix(request)
        builder = Pipeline(server_settings(chroma_server, seeds_copy, tmp_path / "builder", prefix),
                           embedder=FakeEmbedder())
        reader = Pipeline(server_settings(chroma_server, seeds_copy, tmp_path / "reader", prefix),
                          embedder=FakeEmbedder())
        for _ in range(4):
            build = builder.build_index(rebuild=True).build
            assert reader.status()["build"] == build
        assert len(list((tmp_path / "reader" / "builds").iterdir())) <= 2

    def test_leftovers_of_a_killed_reader_never_delete_the_live_collection(
        self, chroma_server: ChromaServer, tmp_path: Path, seeds_copy: Path, request: pytest.FixtureRequest
    ) -> None:
        from rag.store import list_server_collections

        settings = server_settings(chroma_server, seeds_copy, tmp_path / "index", _prefix(request))
        pipe = Pipeline(settings, embedder=FakeEmbedder())
        live = pipe.build_index().build
        # What a reader SIGKILLed while copying the live build leaves behind (old and new names).
        builds = settings.index_dir / "builds"
        (builds / f"{live}.partial").mkdir()
        (builds / f".{live}.4242-1.partial").mkdir()
        other = Pipeline(settings.with_(index_dir=tmp_path / "other-machine"), embedder=FakeEmbedder())
        answer = other.ask(QUESTION).to_dict()
        (seeds_copy / NEW_DOC).write_text(NEW_DOC_TEXT, encoding="utf-8")
        report = pipe.build_index()  # runs the debris clean-up first
        assert report.changed and report.reused > 0  # the live build's vectors were still there to reuse
        assert f"{settings.collection}-{live}" in list_server_collections(settings)
        assert other.ask(QUESTION).to_dict() == answer
        assert not (builds / f"{live}.partial").exists()

    def test_unreachable_server_is_a_clear_store_error(self, tmp_path: Path, seeds_copy: Path,
                                                       request: pytest.FixtureRequest) -> None:
        proc, server = start_chroma(tmp_path / "short-lived")
        try:
            settings = server_settings(server, seeds_copy, tmp_path / "index", _prefix(request))
            pipe = Pipeline(settings, embedder=FakeEmbedder())
            pipe.build_index()
            assert not pipe.ask(QUESTION).abstained
        finally:
            stop_process(proc)
        # The cached client now talks to nothing: a StoreError naming the server, not "no index".
        fresh = Pipeline(settings.with_(index_dir=tmp_path / "other"), embedder=FakeEmbedder())
        with pytest.raises(StoreError, match=f"{server.host}:{server.port}") as info:
            fresh.ask(QUESTION)
        assert not isinstance(info.value, IndexMissingError)
        cli = run_cli(settings.with_(index_dir=tmp_path / "third"), "ask", QUESTION)
        assert cli.returncode == 1
        lines = cli.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error:") and "chroma run" in lines[0], cli.stderr

    def test_a_stopped_server_is_a_store_error_within_the_timeout_then_recovers(
            self, tmp_path: Path, seeds_copy: Path, request: pytest.FixtureRequest) -> None:
        import signal

        proc, server = start_chroma(tmp_path / "paused")
        try:
            settings = server_settings(server, seeds_copy, tmp_path / "index", _prefix(request)).with_(
                chroma_timeout=2)
            pipe = Pipeline(settings, embedder=FakeEmbedder())
            pipe.build_index()
            assert not pipe.ask(QUESTION).abstained
            os.kill(proc.pid, signal.SIGSTOP)  # accepts connections, answers nothing (chromadb waits forever)
            try:
                t0 = time.monotonic()
                with pytest.raises(StoreError, match="timed out"):
                    pipe.ask(QUESTION)
                assert time.monotonic() - t0 < 15
            finally:
                os.kill(proc.pid, signal.SIGCONT)
            assert not pipe.ask(QUESTION).abstained  # the same pipeline recovers
        finally:
            stop_process(proc)

    def test_empty_server_says_how_to_build(self, chroma_server: ChromaServer, tmp_path: Path,
                                            seeds_copy: Path, request: pytest.FixtureRequest) -> None:
        settings = server_settings(chroma_server, seeds_copy, tmp_path / "index", _prefix(request))
        with pytest.raises(IndexMissingError, match="python -m rag index"):
            Pipeline(settings, embedder=FakeEmbedder()).ask(QUESTION)

    @pytest.mark.slow
    def test_real_minilm_model_through_the_server(self, chroma_server: ChromaServer, real_pipeline: Pipeline,
                                                  tmp_path: Path, request: pytest.FixtureRequest) -> None:
        seeds = real_pipeline.settings.seeds_dir
        settings = server_settings(chroma_server, seeds, tmp_path / "index", _prefix(request),
                                   model="all-MiniLM-L6-v2")
        # Share the loaded model; the server build embeds with it like the embedded one did.
        pipe = Pipeline(settings, embedder=real_pipeline.embedder)
        report = pipe.build_index()
        assert report.passages == len(real_pipeline.index.open().passages)
        answer = pipe.ask(QUESTION)
        assert not answer.abstained
        assert any("Sheinbaum" in c.quote for c in answer.citations)
        assert_citations_exact(answer, seeds, pipe)
        assert answer.to_dict() == real_pipeline.ask(QUESTION).to_dict()
        # Another "machine" with the real model and an empty folder answers the same.
        other = Pipeline(settings.with_(index_dir=tmp_path / "other"), embedder=real_pipeline.embedder)
        assert other.ask(QUESTION).to_dict() == answer.to_dict()
        with pytest.raises(RagError):
            # A fake-model reader must refuse the MiniLM index instead of answering wrongly.
            Pipeline(settings.with_(index_dir=tmp_path / "fake-reader", embedding_model="fake"),
                     embedder=FakeEmbedder()).ask(QUESTION)
