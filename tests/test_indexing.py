"""Tests for rag.indexing: incremental builds, atomic swaps, crash safety, clear errors.

All on the deterministic FakeEmbedder with private seeds and index folders.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rag.chunking import chunk_document
from rag.corpus import load_document
from rag.embeddings import FakeEmbedder
from rag.errors import (
    IndexBusyError,
    IndexCorruptError,
    IndexMismatchError,
    IndexMissingError,
    RagError,
)
from rag.indexing import KEEP_BUILDS, MANIFEST, CorpusChanges, CorpusWatch, IndexManager
from rag.settings import Settings

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
DOC = "003_625a3d29147f48c6.txt"
BLOOMBERG_Q = "Which outlet reported the Foreign Affairs Ministry statement?"


class CountingEmbedder(FakeEmbedder):
    """A FakeEmbedder that records every text it embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def embed_documents(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        self.texts.extend(texts)
        return super().embed_documents(texts, batch_size)


class CrashingEmbedder(FakeEmbedder):
    """A FakeEmbedder that fails after ``after`` successful calls (a crash mid-build)."""

    def __init__(self, after: int) -> None:
        super().__init__()
        self.after = after
        self.calls = 0

    def embed_documents(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        self.calls += 1
        if self.calls > self.after:
            raise RuntimeError("simulated crash while embedding")
        return super().embed_documents(texts, batch_size)


def doc_passages(settings: Settings, name: str) -> list:
    doc = load_document(settings.seeds_dir / name, settings.seeds_dir, settings.max_file_bytes)
    return chunk_document(doc, settings.chunk_chars)  # type: ignore[arg-type]


def ids_by_doc(manager: IndexManager) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for pid in manager.open().order:
        out.setdefault(manager.open().passages[pid].doc, []).append(pid)
    return out


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index of the seeds, built once; tests get a private copy (copying is 5x faster than building)."""
    root = tmp_path_factory.mktemp("template")
    shutil.copytree(SEEDS, root / "seeds")
    settings = Settings.from_env(env={}, seeds_dir=root / "seeds", index_dir=root / "index",
                                 embedding_model="fake")
    assert IndexManager(settings).build(FakeEmbedder()).changed
    return root / "index"


@pytest.fixture
def built(fake_settings: Settings, template: Path) -> IndexManager:
    """A private, complete index of ``fake_settings.seeds_dir`` (a fresh copy of the seeds)."""
    shutil.copytree(template, fake_settings.index_dir)
    manager = IndexManager(fake_settings)
    manager.open()
    return manager


# ------------------------------------------------------------------------ build
def test_first_build_writes_manifest_passages_and_current(fake_settings: Settings) -> None:
    manager = IndexManager(fake_settings)
    with pytest.raises(IndexMissingError, match="python -m rag index"):
        manager.open()
    stages: list[tuple[str, int, int]] = []
    report = manager.build(FakeEmbedder(), progress=lambda *a: stages.append(a))

    root = fake_settings.index_dir
    assert (root / "CURRENT").read_text(encoding="utf-8").strip() == report.build
    folder = root / "builds" / report.build
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["fingerprint"] == fake_settings.fingerprint()
    assert manifest["passages"] == report.passages
    assert sorted(manifest["documents"]) == sorted(p.name for p in fake_settings.seeds_dir.glob("*.txt"))
    assert len((folder / "passages.jsonl").read_text(encoding="utf-8").splitlines()) == report.passages
    assert (folder / "lexical.npz").exists()

    assert report.changed and report.documents == 5
    assert report.embedded == report.passages > 50 and report.reused == 0
    assert len(report.added_documents) == 5
    assert ("embed", report.passages, report.passages) in stages
    loaded = manager.open()
    assert loaded.build == report.build
    assert loaded.store.count() == report.passages
    assert manager.status()["passages"] == report.passages


def test_first_build_does_not_log_advice_to_run_the_index_command(
        fake_settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    # `python -m rag index` shows INFO logs; "build it with `python -m rag index`" there is noise.
    with caplog.at_level("INFO", logger="rag.indexing"):
        IndexManager(fake_settings).build(FakeEmbedder())
    messages = [r.getMessage() for r in caplog.records]
    assert any("no previous build" in m for m in messages)
    assert not any("python -m rag index" in m for m in messages), messages


def test_loaded_passages_round_trip_against_seed_files(built: IndexManager) -> None:
    seeds = built.settings.seeds_dir
    for p in built.open().passages.values():
        text = (seeds / p.doc).read_text(encoding="utf-8")
        assert text[p.start : p.end] == p.text
        for s in p.sentences:
            assert text[s.start : s.end] == s.text


def test_second_build_is_a_no_op(built: IndexManager) -> None:
    first = built.open().build
    embedder = CountingEmbedder()
    report = IndexManager(built.settings).build(embedder)
    assert report.changed is False
    assert report.embedded == 0
    assert report.reused == report.passages
    assert report.build == first
    assert embedder.texts == []
    assert not report.added_documents and not report.updated_documents and not report.removed_documents


def test_modified_seed_re_embeds_only_that_document(built: IndexManager) -> None:
    settings = built.settings
    before = ids_by_doc(built)
    path = settings.seeds_dir / DOC
    path.write_text(path.read_text(encoding="utf-8") + "\nThe talks ended on Friday. Officials met again.\n",
                    encoding="utf-8")
    new_passages = doc_passages(settings, DOC)

    embedder = CountingEmbedder()
    report = IndexManager(settings).build(embedder)

    assert report.changed
    assert report.updated_documents == [DOC]
    assert report.embedded == len(new_passages)
    assert report.reused == report.passages - len(new_passages)
    assert sorted(embedder.texts) == sorted(p.search_text() for p in new_passages)
    after = ids_by_doc(built)  # the old manager reloads the swapped build
    for doc, ids in before.items():
        if doc != DOC:
            assert after[doc] == ids
    assert not set(after[DOC]) & set(before[DOC])  # content-derived ids change with the content
    assert after[DOC] == [p.id for p in new_passages]


def test_reused_vectors_are_copied_unchanged(built: IndexManager) -> None:
    old = built.open()
    keep = [pid for pid in old.order if old.passages[pid].doc != DOC][:5]
    old_vecs = old.store.get_embeddings(keep)
    path = built.settings.seeds_dir / DOC
    path.write_text(path.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    IndexManager(built.settings).build(FakeEmbedder())
    new = built.open()
    assert new.build != old.build
    new_vecs = new.store.get_embeddings(keep)
    for pid in keep:
        np.testing.assert_allclose(new_vecs[pid], old_vecs[pid], rtol=1e-6)


def test_deleted_seed_passages_are_gone(built: IndexManager) -> None:
    before = ids_by_doc(built)
    (built.settings.seeds_dir / DOC).unlink()
    report = IndexManager(built.settings).build(CountingEmbedder())
    assert report.changed and report.removed_documents == [DOC]
    assert report.embedded == 0
    loaded = built.open()
    assert DOC not in loaded.documents()
    assert not set(before[DOC]) & set(loaded.passages)
    assert all(p.doc != DOC for p in loaded.passages.values())
    assert loaded.lexical.search("Bloomberg", 5) == []  # only 003 mentions Bloomberg
    assert loaded.store.count() == len(loaded.passages)


def test_added_seed_is_indexed(built: IndexManager) -> None:
    name = "005_new.txt"
    (built.settings.seeds_dir / name).write_text(
        "Guatemala Talks\nGuatemala agreed to receive deportation flights. Officials confirmed it.\n",
        encoding="utf-8")
    embedder = CountingEmbedder()
    report = IndexManager(built.settings).build(embedder)
    new_passages = doc_passages(built.settings, name)
    assert report.added_documents == [name]
    assert report.embedded == len(new_passages) == len(embedder.texts)
    loaded = built.open()
    assert {p.id for p in new_passages} <= set(loaded.passages)
    assert loaded.lexical.search("Guatemala deportation flights", 1)[0][0] in {p.id for p in new_passages}


def test_bad_file_in_seeds_is_skipped_and_reported(fake_settings: Settings) -> None:
    (fake_settings.seeds_dir / "broken.txt").write_bytes(b"\xff\xfe not utf-8 \x00")
    report = IndexManager(fake_settings).build(FakeEmbedder())
    assert report.documents == 5
    assert [s.name for s in report.skipped] == ["broken.txt"]
    assert report.to_dict()["skipped"][0]["name"] == "broken.txt"
    assert "broken.txt" not in IndexManager(fake_settings).open().documents()


def test_rebuild_re_embeds_everything(built: IndexManager) -> None:
    report = IndexManager(built.settings).build(FakeEmbedder(), rebuild=True)
    assert report.changed and report.embedded == report.passages and report.reused == 0


def test_old_builds_are_pruned(built: IndexManager) -> None:
    path = built.settings.seeds_dir / DOC
    for i in range(3):
        path.write_text(path.read_text(encoding="utf-8") + f"\nEdit number {i} happened.\n", encoding="utf-8")
        IndexManager(built.settings).build(FakeEmbedder())
    builds = sorted(p.name for p in (built.settings.index_dir / "builds").iterdir())
    assert len(builds) == KEEP_BUILDS
    assert built.open().build == builds[-1]


# ------------------------------------------------------------------- mismatch
@pytest.mark.parametrize("change", [{"embedding_model": "all-MiniLM-L6-v2"}, {"chunk_chars": 200}])
def test_open_with_other_settings_raises_mismatch(built: IndexManager, change: dict) -> None:
    other = IndexManager(built.settings.with_(**change))
    with pytest.raises(IndexMismatchError) as info:
        other.open()
    message = str(info.value)
    assert next(iter(change)) in message
    assert "python -m rag index" in message


def test_build_with_other_chunking_rebuilds_everything(built: IndexManager) -> None:
    settings = built.settings.with_(chunk_chars=200)
    report = IndexManager(settings).build(FakeEmbedder())
    assert report.changed and report.reused == 0 and report.embedded == report.passages
    assert IndexManager(settings).open().manifest["fingerprint"]["chunk_chars"] == 200


def test_build_refuses_an_embedder_that_is_not_the_configured_model(fake_settings: Settings) -> None:
    settings = fake_settings.with_(embedding_model="all-MiniLM-L6-v2")
    with pytest.raises(RagError):
        IndexManager(settings).build(FakeEmbedder())


# ------------------------------------------------------------------ corruption
def _live_folder(manager: IndexManager) -> Path:
    return manager.builds_dir / manager.open().build


def test_garbage_manifest_is_corrupt_and_says_rebuild(built: IndexManager) -> None:
    manifest = _live_folder(built) / MANIFEST
    for garbage in ["{not json", "[1, 2]", "", "\x00\x01"]:
        manifest.write_text(garbage, encoding="utf-8")
        with pytest.raises(IndexCorruptError, match="rebuild"):
            IndexManager(built.settings).open()
    # The next build repairs it.
    report = IndexManager(built.settings).build(FakeEmbedder())
    assert report.changed and report.embedded == report.passages
    assert IndexManager(built.settings).open().build == report.build


def test_current_pointing_at_missing_build_says_run_index(built: IndexManager) -> None:
    (built.settings.index_dir / "CURRENT").write_text("20990101T000000000000-gone-gone\n", encoding="utf-8")
    with pytest.raises(IndexCorruptError) as info:
        IndexManager(built.settings).open()
    assert "20990101T000000000000-gone-gone" in str(info.value)
    assert "python -m rag index" in str(info.value)
    report = IndexManager(built.settings).build(FakeEmbedder())
    assert IndexManager(built.settings).open().build == report.build


@pytest.mark.parametrize("content", ["../../etc\n", "", ".hidden\n"])
def test_damaged_current_file(fake_settings: Settings, content: str) -> None:
    fake_settings.index_dir.mkdir(parents=True)
    (fake_settings.index_dir / "CURRENT").write_text(content, encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="python -m rag index"):
        IndexManager(fake_settings).open()


def test_current_file_that_is_not_text_is_damaged_and_a_build_recovers(built: IndexManager) -> None:
    # Bytes that are not UTF-8 (a disk error, a stray write) were a UnicodeDecodeError
    # traceback from `ask` and from `index` alike.
    (built.settings.index_dir / "CURRENT").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(IndexCorruptError, match="python -m rag index --rebuild"):
        IndexManager(built.settings).open()
    report = IndexManager(built.settings).build(FakeEmbedder(), rebuild=True)
    assert IndexManager(built.settings).open().build == report.build


def test_index_dir_that_is_a_file_says_what_to_do(fake_settings: Settings) -> None:
    fake_settings.index_dir.parent.mkdir(parents=True, exist_ok=True)
    fake_settings.index_dir.write_text("not a folder", encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="RAG_INDEX_DIR"):
        IndexManager(fake_settings).open()


def test_missing_lexical_file_is_corrupt(built: IndexManager) -> None:
    (_live_folder(built) / "lexical.npz").unlink()
    with pytest.raises(IndexCorruptError, match="rebuild"):
        IndexManager(built.settings).open()


@pytest.mark.parametrize("damage", [b"PK\x03\x04garbage", b""], ids=["garbage", "empty"])
def test_damaged_lexical_file_is_corrupt_and_a_plain_build_recovers(built: IndexManager, damage: bytes) -> None:
    # A damaged .npz is a zipfile.BadZipFile: it was a traceback from `ask` and from `index`.
    (_live_folder(built) / "lexical.npz").write_bytes(damage)
    with pytest.raises(IndexCorruptError, match="rebuild"):
        IndexManager(built.settings).open()
    report = IndexManager(built.settings).build(FakeEmbedder())
    assert IndexManager(built.settings).open().build == report.build


def test_manifest_fingerprint_that_is_not_an_object_is_a_mismatch(built: IndexManager) -> None:
    path = _live_folder(built) / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**manifest, "fingerprint": 5}), encoding="utf-8")
    with pytest.raises(IndexMismatchError, match="python -m rag index"):
        IndexManager(built.settings).open()


def test_truncated_passages_file_is_corrupt(built: IndexManager) -> None:
    path = _live_folder(built) / "passages.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="rebuild"):
        IndexManager(built.settings).open()


# --------------------------------------------------------------- crash safety
def test_crash_mid_build_keeps_previous_build_and_next_build_cleans_up(tmp_path: Path, seeds_copy: Path) -> None:
    from rag.pipeline import Pipeline

    settings = Settings.from_env(env={}, seeds_dir=seeds_copy, index_dir=tmp_path / "index",
                                 embedding_model="fake", embed_batch=4)
    first = IndexManager(settings).build(FakeEmbedder())
    path = seeds_copy / DOC
    path.write_text(path.read_text(encoding="utf-8") + "\nA late addition to the story.\n", encoding="utf-8")

    with pytest.raises(RuntimeError, match="simulated crash"):
        IndexManager(settings).build(CrashingEmbedder(after=0))

    builds = settings.index_dir / "builds"
    debris = [p for p in builds.iterdir() if not (p / MANIFEST).exists()]
    assert len(debris) == 1, "the crashed build left its folder behind"
    assert (settings.index_dir / "CURRENT").read_text(encoding="utf-8").strip() == first.build

    # The previous build still opens and answers.
    pipe = Pipeline(settings, embedder=FakeEmbedder())
    assert pipe.index.open().build == first.build
    answer = pipe.ask(BLOOMBERG_Q)
    assert not answer.abstained and "Bloomberg" in answer.answer

    # The next build succeeds and removes the debris.
    report = IndexManager(settings).build(FakeEmbedder())
    assert report.changed and report.updated_documents == [DOC]
    assert not debris[0].exists()
    assert all((p / MANIFEST).exists() for p in builds.iterdir())
    assert pipe.index.open().build == report.build


def test_readers_pick_up_a_new_build(built: IndexManager) -> None:
    reader = IndexManager(built.settings)
    old = reader.open().build
    (built.settings.seeds_dir / DOC).unlink()
    new = IndexManager(built.settings).build(FakeEmbedder()).build
    assert new != old
    assert reader.open().build == new


# ------------------------------------------------------------------ concurrency
def test_concurrent_writer_makes_build_busy(fake_settings: Settings) -> None:
    root = fake_settings.index_dir
    root.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from filelock import FileLock; lock = FileLock(sys.argv[1]); lock.acquire(); "
         "print('locked', flush=True); sys.stdin.read()",
         str(root / ".write.lock")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(IndexBusyError, match="another process"):
            IndexManager(fake_settings).build(FakeEmbedder(), lock_timeout=0.3)
        assert not (root / "CURRENT").exists()
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=10)
    # Once the other writer is done, building works.
    assert IndexManager(fake_settings).build(FakeEmbedder(), lock_timeout=2).changed


# ------------------------------------------------------- Chroma clients of old builds
def _clients_under(root: Path) -> tuple[list[str], list[str]]:
    """(our cached clients, Chroma's own systems) for folders under ``root``."""
    from chromadb.api.shared_system_client import SharedSystemClient

    from rag import store

    ours = sorted(k for k in list(store._CLIENTS) if k.startswith(str(root)))
    chroma = sorted(k for k in list(SharedSystemClient._identifier_to_system) if k.startswith(str(root)))
    return ours, chroma


def test_a_request_holding_an_old_build_keeps_working(built: IndexManager) -> None:
    import gc

    reader = IndexManager(built.settings)
    held = reader.open()
    old_dir = str(reader.builds_dir / held.build / "chroma")
    new = IndexManager(built.settings).build(FakeEmbedder(), rebuild=True).build
    assert reader.open().build == new  # the reader switched; the request below did not
    vec = FakeEmbedder().embed_query(BLOOMBERG_Q)
    assert len(held.store.query(vec, 3)) == 3
    assert held.store.count() == len(held.passages)
    assert old_dir in _clients_under(built.root)[0]
    del held
    gc.collect()
    reader.open()  # the next request closes the old build's client
    built.open()  # (the fixture's manager served it too)
    gc.collect()
    reader.open()
    ours, chroma = _clients_under(built.root)
    assert old_dir not in ours and old_dir not in chroma


def test_reader_keeps_few_clients_while_another_thread_rebuilds(built: IndexManager) -> None:
    """Memory: a long-running reader must not keep a Chroma client per build it ever opened."""
    import threading

    from rag.pipeline import Pipeline

    reader = Pipeline(built.settings, embedder=FakeEmbedder())
    errors: list[BaseException] = []
    most = [0, 0]
    stop = threading.Event()
    builds_seen: set[str] = set()

    def read() -> None:
        while not stop.is_set():
            try:
                assert reader.retrieve(BLOOMBERG_Q)
                builds_seen.add(reader.index.open().build)
                ours, chroma = _clients_under(built.root)
                most[0], most[1] = max(most[0], len(ours)), max(most[1], len(chroma))
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)
                return

    thread = threading.Thread(target=read)
    thread.start()
    try:
        writer = IndexManager(built.settings)
        for _ in range(6):
            writer.build(FakeEmbedder(), rebuild=True)
    finally:
        stop.set()
        thread.join(60)
    assert not errors, errors
    assert len(builds_seen) >= 3  # the reader really switched builds while reading
    # Building: the newest KEEP_BUILDS builds, the one being written, one a request still holds.
    assert most[0] <= KEEP_BUILDS + 2 and most[1] <= KEEP_BUILDS + 2, most
    reader.retrieve(BLOOMBERG_Q)
    ours, chroma = _clients_under(built.root)
    # At rest: the first build (the fixture's idle manager) and the newest KEEP_BUILDS.
    assert len(ours) <= KEEP_BUILDS + 1 and len(chroma) <= KEEP_BUILDS + 1, (ours, chroma)


@pytest.mark.slow
def test_reader_keeps_few_clients_while_another_process_rebuilds(built: IndexManager) -> None:
    """The same with the writer in another process: nothing in the reader is pruned for it."""
    import os
    import threading

    from rag.pipeline import Pipeline

    settings = built.settings
    reader = Pipeline(settings, embedder=FakeEmbedder())
    errors: list[BaseException] = []
    stop = threading.Event()
    builds_seen: set[str] = set()

    def read() -> None:
        while not stop.is_set():
            try:
                assert reader.ask(BLOOMBERG_Q).citations
                builds_seen.add(reader.index.open().build)
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)
                return

    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    env.update(RAG_SEEDS_DIR=str(settings.seeds_dir), RAG_INDEX_DIR=str(settings.index_dir),
               RAG_EMBEDDING_MODEL="fake", HF_HUB_OFFLINE="1")
    thread = threading.Thread(target=read)
    thread.start()
    try:
        for _ in range(4):
            done = subprocess.run([sys.executable, "-m", "rag", "index", "--rebuild"], cwd=SEEDS.parent, env=env,
                                  capture_output=True, text=True, timeout=300, check=False)
            assert done.returncode == 0, done.stderr[-2000:]
    finally:
        stop.set()
        thread.join(60)
    assert not errors, errors
    assert len(builds_seen) >= 3
    reader.ask(BLOOMBERG_Q)
    ours, chroma = _clients_under(built.root)
    # The reader serves the newest build; the fixture's idle manager still holds the first one.
    assert len(ours) <= 2 and len(chroma) <= 2, (ours, chroma)


# ------------------------------------------------------------------ freshness (CorpusWatch)
def _watch(settings: Settings) -> CorpusWatch:
    return CorpusWatch(settings.seeds_dir, settings.max_file_bytes, interval=0)


def test_watch_finds_nothing_on_a_fresh_index(built: IndexManager) -> None:
    changes = _watch(built.settings).changes(built.open().documents())
    assert not changes.stale
    assert changes.message() == ""
    assert changes.to_dict()["stale"] is False


def test_watch_names_edited_deleted_and_new_articles(built: IndexManager) -> None:
    seeds = built.settings.seeds_dir
    docs = built.open().documents()
    names = sorted(docs)
    watch = _watch(built.settings)
    assert not watch.changes(docs).stale  # hashes cached now: the edit below must still be seen
    edited = seeds / names[0]
    edited.write_text(edited.read_text(encoding="utf-8").replace("Trump", "Trunp", 1), encoding="utf-8")
    (seeds / names[1]).unlink()
    (seeds / "zz_new.txt").write_text("Mexico opened a new consulate in Texas.\n", encoding="utf-8")
    (seeds / "zz_empty.txt").write_text("  \n", encoding="utf-8")  # the indexer skips it: not "new"
    (seeds / ".hidden.txt").write_text("A draft nobody indexes.\n", encoding="utf-8")
    changes = watch.changes(docs)
    assert changes.changed == (names[0],)
    assert changes.missing == (names[1],)
    assert changes.added == ("zz_new.txt",)
    msg = changes.message()
    assert names[0] in msg and names[1] in msg and "zz_new.txt" in msg and "python -m rag index" in msg
    # Only the documents asked about are looked at for an answer's citations.
    assert watch.documents_changed([names[2]], docs) == CorpusChanges()
    assert watch.documents_changed([names[0], "not-indexed.txt"], docs).changed == (names[0],)


def test_watch_clears_once_the_index_is_rebuilt(built: IndexManager) -> None:
    seeds = built.settings.seeds_dir
    name = sorted(built.open().documents())[0]
    path = seeds / name
    path.write_text(path.read_text(encoding="utf-8") + "\nA late correction was appended.\n", encoding="utf-8")
    watch = _watch(built.settings)
    assert watch.changes(built.open().documents()).changed == (name,)
    built.build(FakeEmbedder())
    assert not watch.changes(built.open().documents()).stale


def test_watch_reuses_a_recent_sweep(built: IndexManager) -> None:
    docs = built.open().documents()
    watch = CorpusWatch(built.settings.seeds_dir, built.settings.max_file_bytes, interval=3600)
    assert not watch.changes(docs).stale
    (built.settings.seeds_dir / "zz_new.txt").write_text("A new article about tariffs.\n", encoding="utf-8")
    assert not watch.changes(docs).stale  # within the interval: the last sweep's answer
    assert _watch(built.settings).changes(docs).added == ("zz_new.txt",)


def test_watch_compares_nothing_when_the_seeds_folder_holds_none_of_the_articles(built: IndexManager,
                                                                                tmp_path: Path) -> None:
    # A machine serving the index from a Chroma server may have no copy of the corpus.
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    docs = built.open().documents()
    watch = CorpusWatch(empty, built.settings.max_file_bytes, interval=0)
    changes = watch.changes(docs)
    assert not changes.stale and changes.compared is False
    assert "not known" in changes.message()
    assert watch.documents_changed(sorted(docs)[:1], docs) == CorpusChanges(compared=False)
