"""Build, update and open the index: passages + Chroma vectors + BM25, one build at a time.

Layout under ``index_dir``::

    CURRENT                 name of the live build (replaced atomically)
    .write.lock             one writer at a time (readers never take it)
    builds/<build>/         manifest.json (written last), passages.jsonl,
                            lexical.npz/.json, chroma/ (embedded mode)

A build is written beside the live one and only then made current, so a crash
(even SIGKILL) mid-build leaves the previous index serving; the next run removes
the debris. Unchanged documents keep their passage ids and their vectors are copied,
not re-embedded.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
from filelock import FileLock, Timeout

from rag.chunking import chunk_corpus
from rag.corpus import SkippedFile, article_paths, load_corpus, load_document
from rag.embeddings import Embedder
from rag.errors import (
    ConfigError,
    IndexBusyError,
    IndexCorruptError,
    IndexMismatchError,
    IndexMissingError,
    StoreError,
)
from rag.lexical import BM25Index
from rag.settings import SCHEMA_VERSION, Settings
from rag.store import (
    ChromaStore,
    delete_server_collection,
    forget_client,
    list_server_collections,
    open_store,
    read_server_pointer,
    release_unused_clients,
    retire_client,
    write_server_pointer,
)
from rag.types import Passage, Sentence, sha256_text

log = logging.getLogger(__name__)

#: progress(stage, done, total)
Progress = Callable[[str, int, int], None]

MANIFEST = "manifest.json"
_PARTIAL = ".partial"  # suffix of a local copy of a server build being written
_STALE_PARTIAL_S = 3600.0  # a copy untouched this long was left by a killed process
KEEP_BUILDS = 2  # the live build and the one before (a reader may still hold it)


@dataclass
class BuildReport:
    """What an ``index`` run did."""

    build: str
    changed: bool
    documents: int
    passages: int
    embedded: int
    reused: int
    removed_documents: list[str] = field(default_factory=list)
    added_documents: list[str] = field(default_factory=list)
    updated_documents: list[str] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["skipped"] = [asdict(s) for s in self.skipped]
        return d


# ------------------------------------------------------------------ serialisation
def passage_to_json(p: Passage) -> dict[str, Any]:
    return {
        "id": p.id, "doc": p.doc, "start": p.start, "end": p.end, "text": p.text,
        "context": p.context, "kind": p.kind,
        "sentences": [[s.start, s.end] for s in p.sentences],
    }


def passage_from_json(d: dict[str, Any]) -> Passage:
    start = int(d["start"])
    text = d["text"]
    sents = tuple(Sentence(int(s), int(e), text[int(s) - start : int(e) - start]) for s, e in d["sentences"])
    return Passage(id=d["id"], doc=d["doc"], start=start, end=int(d["end"]), text=text,
                   context=d.get("context", ""), kind=d.get("kind", "text"), sentences=sents)


def passage_metadata(p: Passage) -> dict[str, Any]:
    """Chroma metadata: enough to rebuild the passage from the server alone."""
    return {"doc": p.doc, "start": p.start, "end": p.end, "kind": p.kind, "context": p.context,
            "sentences": json.dumps([[s.start, s.end] for s in p.sentences])}


def passage_from_record(pid: str, text: str, meta: dict[str, Any]) -> Passage:
    return passage_from_json({
        "id": pid, "doc": meta["doc"], "start": meta["start"], "end": meta["end"], "text": text,
        "context": meta.get("context", ""), "kind": meta.get("kind", "text"),
        "sentences": json.loads(meta.get("sentences", "[]")),
    })


def _atomic_write(path: Path, data: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


# ---------------------------------------------------------------------- the index
@dataclass
class LoadedIndex:
    """An opened, complete build: what retrieval needs."""

    build: str
    manifest: dict[str, Any]
    passages: dict[str, Passage]
    order: list[str]
    lexical: BM25Index
    store: ChromaStore

    def documents(self) -> dict[str, dict[str, Any]]:
        return self.manifest.get("documents", {})


@dataclass(frozen=True)
class CorpusChanges:
    """How the articles on disk differ from the ones an index build was made from.

    ``changed``: edited since indexing (their citations' quotes may no longer be the file's
    text at those offsets); ``missing``: deleted or unreadable; ``added``: new articles the
    index does not have yet. Any of them means `python -m rag index` should run again.
    """

    changed: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    #: False when the seeds folder holds none of the indexed articles (a machine that serves
    #: an index from a Chroma server without a copy of the corpus): nothing was compared.
    compared: bool = True

    @property
    def stale(self) -> bool:
        return bool(self.changed or self.missing or self.added)

    def message(self, limit: int = 5) -> str:
        """One line for a person: what changed and what to run; "" when nothing did."""
        parts = []
        for what, names in (("changed", self.changed), ("missing", self.missing), ("new", self.added)):
            if names:
                shown = ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")
                parts.append(f"{what} since indexing: {shown}")
        if not parts:
            return "" if self.compared else ("the seeds folder holds none of the indexed articles, so whether "
                                             "they changed since indexing is not known")
        return "the index is out of date (" + "; ".join(parts) + "); run `python -m rag index`"

    def to_dict(self, limit: int = 50) -> dict[str, Any]:
        return {"stale": self.stale, "compared": self.compared, "changed": list(self.changed[:limit]),
                "missing": list(self.missing[:limit]), "added": list(self.added[:limit]), "message": self.message()}


class CorpusWatch:
    """Tells whether the seeds folder still holds what an index build was made from.

    A file is hashed again only when its size or modification time moved since the last
    look, so a repeated check costs one ``stat`` per article; a whole-folder sweep (which
    also finds new articles) runs at most once per ``interval`` seconds and is reused
    in between. Thread-safe.

    Args:
        seeds_dir: the articles folder (``RAG_SEEDS_DIR``).
        max_bytes: ``RAG_MAX_FILE_BYTES``: a new file the indexer would skip is not "added".
        interval: seconds a whole-folder sweep is reused for.
    """

    def __init__(self, seeds_dir: Path, max_bytes: int, interval: float = 5.0) -> None:
        self.seeds_dir = seeds_dir
        self.max_bytes = max_bytes
        self.interval = interval
        self._lock = threading.Lock()
        self._hashes: dict[str, tuple[int, int, Any]] = {}  # name -> (mtime_ns, size, sha256 or None)
        self._new: dict[str, tuple[int, int, Any]] = {}  # not indexed: name -> (mtime_ns, size, indexable)
        self._sweep: tuple[float, int, CorpusChanges] | None = None  # (time, id(documents), result)
        self._holds: tuple[float, int, bool] | None = None  # (time, id(documents), seeds hold an indexed article)

    def _by_stat(self, cache: dict[str, tuple[int, int, Any]], name: str, compute: Callable[[Path], Any],
                 missing: Any = None) -> Any:
        """``compute(path)`` for the file ``name``, kept until its size or mtime moves."""
        path = self.seeds_dir / name
        try:
            st = path.stat()
        except OSError:
            return missing
        with self._lock:
            known = cache.get(name)
        if known is not None and known[:2] == (st.st_mtime_ns, st.st_size):
            return known[2]
        value = compute(path)
        with self._lock:
            cache[name] = (st.st_mtime_ns, st.st_size, value)
        return value

    def _sha(self, name: str) -> str | None:
        """The file's content hash as the indexer computes it; None when it cannot be read."""
        def sha(path: Path) -> str | None:
            try:
                return sha256_text(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                return None

        result: str | None = self._by_stat(self._hashes, name, sha)
        return result

    def _indexable(self, name: str) -> bool:
        """Whether the indexer would take this new file (not empty, binary or too big)."""
        return bool(self._by_stat(self._new, name, lambda path: not isinstance(
            load_document(path, self.seeds_dir, self.max_bytes), SkippedFile), missing=False))

    def _holds_corpus(self, documents: Mapping[str, Mapping[str, Any]]) -> bool:
        """Whether the seeds folder holds any indexed article (usually one ``stat``); kept
        for ``interval`` seconds per build."""
        now = time.monotonic()
        with self._lock:
            known = self._holds
        if known is not None and known[1] == id(documents) and now - known[0] < self.interval:
            return known[2]
        holds = any((self.seeds_dir / name).is_file() for name in documents)
        with self._lock:
            self._holds = (now, id(documents), holds)
        return holds

    def documents_changed(self, names: Iterable[str], documents: Mapping[str, Mapping[str, Any]]) -> CorpusChanges:
        """Which of ``names`` (indexed documents, e.g. the ones an answer cites) changed on disk."""
        if documents and not self._holds_corpus(documents):
            return CorpusChanges(compared=False)
        changed, missing = [], []
        for name in dict.fromkeys(names):
            meta = documents.get(name)
            if meta is None:
                continue
            sha = self._sha(name)
            if sha is None:
                missing.append(name)
            elif sha != meta.get("sha256"):
                changed.append(name)
        return CorpusChanges(tuple(changed), tuple(missing))

    def changes(self, documents: Mapping[str, Mapping[str, Any]]) -> CorpusChanges:
        """Every difference between the folder and ``documents`` (a build manifest's)."""
        now = time.monotonic()
        with self._lock:
            last = self._sweep
        if last is not None and last[1] == id(documents) and now - last[0] < self.interval:
            return last[2]
        known = self.documents_changed(sorted(documents), documents)
        if not known.compared:
            with self._lock:
                self._sweep = (now, id(documents), known)
            return known
        added = []
        if self.seeds_dir.is_dir():
            for path in article_paths(self.seeds_dir):
                name = path.relative_to(self.seeds_dir).as_posix()
                if name not in documents and self._indexable(name):
                    added.append(name)
        result = CorpusChanges(known.changed, known.missing, tuple(added))
        with self._lock:
            self._sweep = (now, id(documents), result)
        return result


class IndexManager:
    """Builds new index versions and opens the current one (reloading when it changes)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = settings.index_dir
        self.builds_dir = self.root / "builds"
        self._loaded: LoadedIndex | None = None
        self._loaded_key: str | None = None
        self._lock = threading.Lock()

    # ---------------------------------------------------------------- pointers
    def current_build(self) -> str | None:
        """Name of the live build, or None when nothing was built yet."""
        if self.settings.server_mode:
            return read_server_pointer(self.settings)
        try:
            name = (self.root / "CURRENT").read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        except UnicodeDecodeError:
            name = ""  # not text: damaged like an empty file
        except OSError as exc:
            raise IndexCorruptError(
                f"cannot read {self.root / 'CURRENT'}: {exc.strerror or exc}; point RAG_INDEX_DIR at the "
                "index folder, or run `python -m rag index --rebuild`") from exc
        if not name or "/" in name or name.startswith("."):
            raise IndexCorruptError(
                f"{self.root / 'CURRENT'} is damaged; run `python -m rag index --rebuild`"
            )
        return name

    def _collection_name(self, build: str) -> str:
        return f"{self.settings.collection}-{build}"

    def _store_for(self, build: str, create: bool = False) -> ChromaStore:
        path = None if self.settings.server_mode else self._chroma_dir(build)
        return open_store(self.settings, path, self._collection_name(build), create=create)

    def _chroma_dir(self, build: str) -> Path:
        return self.builds_dir / build / "chroma"

    # ------------------------------------------------------------------ opening
    def open(self) -> LoadedIndex:
        """The current build, loaded once and reloaded when another process swaps it.

        Raises:
            IndexMissingError: nothing built yet.
            IndexMismatchError: built with other settings or an older schema.
            IndexCorruptError: files are damaged.
        """
        build = self.current_build()
        if build is None:
            raise IndexMissingError(
                f"no index in {self.root}" + (f" (Chroma server {self.settings.chroma_host})" if self.settings.server_mode else "")
                + "; build it with `python -m rag index`"
            )
        # Close the clients of older builds whose last in-flight request has finished.
        release_unused_clients()
        with self._lock:
            if self._loaded is not None and self._loaded_key == build:
                return self._loaded
            loaded = self._load(build)
            previous = self._loaded_key
            self._loaded, self._loaded_key = loaded, build
        if previous is not None and previous != build and not self.settings.server_mode:
            # This manager no longer serves ``previous``: its client closes as soon as no
            # request holds that build (at once if none does), so a long-running reader
            # keeps one client, not one per build another process ever wrote.
            retire_client(self._chroma_dir(previous))
        return loaded

    def _read_manifest(self, folder: Path) -> dict[str, Any]:
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            if not isinstance(manifest, dict):
                raise ValueError("not an object")
        except FileNotFoundError as exc:
            raise IndexCorruptError(
                f"build {folder.name} has no manifest; run `python -m rag index --rebuild`"
            ) from exc
        except (OSError, ValueError) as exc:
            raise IndexCorruptError(
                f"{folder / MANIFEST} is damaged ({exc}); run `python -m rag index --rebuild`"
            ) from exc
        return manifest

    def check_fingerprint(self, manifest: dict[str, Any]) -> None:
        """Raise IndexMismatchError when ``manifest`` was built with other settings."""
        want = self.settings.fingerprint()
        have = manifest.get("fingerprint")
        if not isinstance(have, dict):
            have = {}  # damaged: reported below as an unknown schema, with the fix
        if have.get("schema") != SCHEMA_VERSION:
            raise IndexMismatchError(
                f"the index in {self.root} has schema {have.get('schema')!r}, this version reads "
                f"{SCHEMA_VERSION}; rebuild it with `python -m rag index --rebuild`"
            )
        diffs = [f"{k}: index has {have.get(k)!r}, settings ask for {v!r}"
                 for k, v in want.items() if have.get(k) != v]
        if diffs:
            raise IndexMismatchError(
                "the index was built with other settings (" + "; ".join(diffs)
                + "); run `python -m rag index` to rebuild it for the current settings"
            )

    def _load(self, build: str) -> LoadedIndex:
        t0 = time.perf_counter()
        folder = self.builds_dir / build
        if self.settings.server_mode and not (folder / MANIFEST).exists():
            self._cache_from_server(build, folder)
        manifest = self._read_manifest(folder)
        self.check_fingerprint(manifest)
        try:
            passages: dict[str, Passage] = {}
            order: list[str] = []
            with (folder / "passages.jsonl").open(encoding="utf-8") as fh:
                for line in fh:
                    p = passage_from_json(json.loads(line))
                    passages[p.id] = p
                    order.append(p.id)
            lexical = BM25Index.load(folder)
        except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as exc:
            # A damaged lexical.npz is a BadZipFile (or EOFError), neither an OSError nor a ValueError.
            raise IndexCorruptError(
                f"build {build} in {self.root} is damaged ({exc}); run `python -m rag index --rebuild`"
            ) from exc
        if len(passages) != manifest.get("passages"):
            raise IndexCorruptError(
                f"build {build} lists {manifest.get('passages')} passages but holds {len(passages)}; "
                "run `python -m rag index --rebuild`"
            )
        store = self._store_for(build)
        count = store.count()
        if count != len(passages):
            raise IndexCorruptError(
                f"Chroma holds {count} vectors for {len(passages)} passages in build {build}; "
                "run `python -m rag index --rebuild`"
            )
        log.info("opened index build %s (%d passages) in %.0f ms", build, len(passages),
                 (time.perf_counter() - t0) * 1000)
        return LoadedIndex(build, manifest, passages, order, lexical, store)

    def _cache_from_server(self, build: str, folder: Path) -> None:
        """Server mode on a machine that did not build: rebuild local files from Chroma."""
        store = self._store_for(build)
        col_meta = store._col.metadata or {}  # noqa: SLF001 - adapter-internal
        manifest_json = col_meta.get("manifest")
        if not manifest_json:
            raise IndexCorruptError(f"collection for build {build} has no manifest; run `python -m rag index`")
        passages = [passage_from_record(i, d, m) for i, d, m in store.records()]
        passages.sort(key=lambda p: (p.doc, p.start))
        # A hidden name private to this process and thread: several API workers on one
        # machine notice a new build at the same moment and must not write into (or
        # delete) each other's copy.
        tmp = folder.with_name(f".{folder.name}.{os.getpid()}-{threading.get_ident()}{_PARTIAL}")
        try:
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            self._write_files(tmp, passages, json.loads(manifest_json))
            if (folder / MANIFEST).exists():  # another worker finished first: use its copy
                shutil.rmtree(tmp, ignore_errors=True)
                return
            shutil.rmtree(folder, ignore_errors=True)
            try:
                os.replace(tmp, folder)
            except OSError:
                if not (folder / MANIFEST).exists():
                    raise
                shutil.rmtree(tmp, ignore_errors=True)  # lost the race to a complete copy
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise IndexCorruptError(
                f"cannot copy build {build} from the Chroma server into {folder}: {exc}; "
                "check the index folder is writable, then retry or run `python -m rag index`"
            ) from exc
        # Readers never build, so nothing else trims their local copies of old builds.
        self._prune(keep=build, server=False)

    # ----------------------------------------------------------------- building
    def _write_files(self, folder: Path, passages: list[Passage], manifest: dict[str, Any]) -> None:
        with (folder / "passages.jsonl").open("w", encoding="utf-8") as fh:
            for p in passages:
                fh.write(json.dumps(passage_to_json(p), ensure_ascii=False) + "\n")
        BM25Index.build([p.id for p in passages], [p.search_text() for p in passages]).save(folder)
        # The manifest is written last: its presence marks a complete build.
        _atomic_write(folder / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))

    def build(self, embedder: Embedder, progress: Progress | None = None, rebuild: bool = False,
              lock_timeout: float = 5.0) -> BuildReport:
        """Bring the index up to date with the seeds folder.

        Args:
            embedder: the embedding model (its name must match the settings).
            progress: optional callback ``(stage, done, total)``.
            rebuild: ignore the previous build (re-embed everything).
            lock_timeout: seconds to wait for another writer.

        Raises:
            IndexBusyError: another process holds the write lock.
        """
        if embedder.name != self.settings.embedding_model:
            raise ConfigError(
                f"the embedder is {embedder.name!r} but RAG_EMBEDDING_MODEL is "
                f"{self.settings.embedding_model!r}; an index must be built by the model it records"
            )
        lock = FileLock(str(self.root / ".write.lock"))
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            lock.acquire(timeout=lock_timeout)
        except Timeout as exc:
            raise IndexBusyError(
                f"another process is building the index in {self.root}; wait for it to finish"
            ) from exc
        except OSError as exc:
            raise self._not_writable(exc) from exc
        try:
            return self._build_locked(embedder, progress or (lambda *_: None), rebuild)
        except OSError as exc:  # a full disk, a read-only mount: the previous build keeps serving
            raise self._not_writable(exc) from exc
        finally:
            lock.release()

    def _not_writable(self, exc: OSError) -> ConfigError:
        return ConfigError(
            f"cannot write the index in RAG_INDEX_DIR={self.root} ({exc.strerror or exc}); "
            "point RAG_INDEX_DIR at a writable folder"
        )

    def _build_locked(self, embedder: Embedder, progress: Progress, rebuild: bool) -> BuildReport:
        t0 = time.perf_counter()
        s = self.settings
        self._remove_debris()
        corpus = load_corpus(s.seeds_dir, s.max_file_bytes)
        passages = chunk_corpus(corpus.documents, s.chunk_chars)
        ids = [p.id for p in passages]
        if len(set(ids)) != len(ids):  # pragma: no cover - offsets make this impossible
            raise IndexCorruptError("duplicate passage ids produced by the chunker")
        docs = {d.name: {"sha256": d.sha256, "chars": len(d.text), "body_end": d.body_end,
                         "title": d.title} for d in corpus.documents}

        previous: LoadedIndex | None = None
        if not rebuild:
            try:
                previous = self.open()
            except IndexMissingError:
                # The first build: the error's advice ("build it with `python -m rag index`")
                # would tell the user to run the very command that is running.
                log.info("no previous build to reuse; embedding every passage")
            except (IndexMismatchError, IndexCorruptError, StoreError) as exc:
                log.info("not reusing the previous build: %s", exc)
        old_docs = previous.documents() if previous else {}
        report_kw = dict(
            added_documents=sorted(set(docs) - set(old_docs)),
            removed_documents=sorted(set(old_docs) - set(docs)),
            updated_documents=sorted(n for n in docs if n in old_docs and old_docs[n]["sha256"] != docs[n]["sha256"]),
            skipped=corpus.skipped,
        )
        if previous is not None and previous.order == ids:
            log.info("index is up to date (%d passages)", len(ids))
            progress("embed", len(ids), len(ids))
            return BuildReport(previous.build, False, len(docs), len(ids), 0, len(ids),
                               seconds=time.perf_counter() - t0, **report_kw)

        reuse: dict[str, np.ndarray] = {}
        if previous is not None:
            keep = [i for i in ids if i in previous.passages]
            reuse = previous.store.get_embeddings(keep)
        todo = [p for p in passages if p.id not in reuse]

        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        build = f"{stamp}-{s.fingerprint_hash()}-{sha256_text(' '.join(ids))[:8]}"
        folder = self.builds_dir / build
        folder.mkdir(parents=True)
        store = self._store_for(build, create=True)

        dim = embedder.dim
        vectors = np.zeros((len(passages), dim), dtype=np.float32)
        index_of = {pid: n for n, pid in enumerate(ids)}
        for pid, vec in reuse.items():
            vectors[index_of[pid]] = vec
        total = len(todo)
        progress("embed", 0, total)
        # Large slices let the model sort texts by length across many batches (less padding:
        # ~30 % faster than embedding batch by batch); progress is reported per slice.
        step = max(s.embed_batch, 512)
        for i in range(0, total, step):
            batch = todo[i : i + step]
            vecs = embedder.embed_documents([p.search_text() for p in batch], batch_size=s.embed_batch)
            for p, v in zip(batch, vecs, strict=True):
                vectors[index_of[p.id]] = v
            progress("embed", min(i + step, total), total)
        progress("store", 0, len(passages))
        step = 2000
        for i in range(0, len(passages), step):
            chunk = passages[i : i + step]
            store.add([p.id for p in chunk], vectors[i : i + step], [p.text for p in chunk],
                      [passage_metadata(p) for p in chunk])
            progress("store", min(i + step, len(passages)), len(passages))

        manifest = {
            "build": build,
            "fingerprint": s.fingerprint(),
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "documents": docs,
            "passages": len(passages),
            "collection": self._collection_name(build),
        }
        if s.server_mode:
            store._col.modify(metadata={"manifest": json.dumps(manifest)})  # noqa: SLF001
        self._write_files(folder, passages, manifest)
        self._make_current(build)
        self._prune(keep=build)
        report = BuildReport(build, True, len(docs), len(passages), len(todo), len(reuse),
                             seconds=time.perf_counter() - t0, **report_kw)
        log.info("built index %s: %d documents, %d passages (%d embedded, %d reused) in %.1f s",
                 build, report.documents, report.passages, report.embedded, report.reused, report.seconds)
        return report

    def _make_current(self, build: str) -> None:
        if self.settings.server_mode:
            write_server_pointer(self.settings, build)
        _atomic_write(self.root / "CURRENT", build + "\n")

    def _all_builds(self) -> list[Path]:
        """Build folders (hidden temporary copies excluded), oldest first."""
        if not self.builds_dir.is_dir():
            return []
        return sorted(p for p in self.builds_dir.iterdir() if p.is_dir() and not p.name.startswith("."))

    def _remove_debris(self) -> None:
        """Delete builds a crash left without a manifest (never the live one)."""
        try:
            live = self.current_build()
        except (IndexCorruptError, StoreError):
            live = None
        for folder in self._all_builds():
            if folder.name != live and not (folder / MANIFEST).exists():
                log.info("removing incomplete build %s", folder.name)
                forget_client(folder / "chroma")
                shutil.rmtree(folder, ignore_errors=True)
                # Only a build this machine started owns its server collection; a local
                # copy of someone else's build (``*.partial``) never does.
                if self.settings.server_mode and not folder.name.endswith(_PARTIAL):
                    delete_server_collection(self.settings, self._collection_name(folder.name))
        # Copies from the server a killed reader left behind (live readers finish in seconds).
        if self.builds_dir.is_dir():
            for tmp in self.builds_dir.glob(f".*{_PARTIAL}"):
                try:
                    stale = time.time() - tmp.stat().st_mtime > _STALE_PARTIAL_S
                except OSError:
                    continue
                if stale:
                    shutil.rmtree(tmp, ignore_errors=True)

    def _prune(self, keep: str, server: bool = True) -> None:
        """Delete all but the newest KEEP_BUILDS complete builds (never ``keep``).

        ``server=False`` trims only local folders: a reader must not delete server
        collections another machine may be serving from or writing.
        """
        builds = [b for b in self._all_builds() if (b / MANIFEST).exists()]
        old = [b for b in builds if b.name != keep][: max(0, len(builds) - KEEP_BUILDS)]
        for folder in old:
            log.info("removing old build %s", folder.name)
            forget_client(folder / "chroma")
            shutil.rmtree(folder, ignore_errors=True)
        if self.settings.server_mode and server:
            # Build names start with a UTC timestamp: sorting puts the newest last.
            prefix = f"{self.settings.collection}-"
            names = sorted(n for n in list_server_collections(self.settings)
                           if n.startswith(prefix) and n != f"{prefix}current")
            for name in names[: max(0, len(names) - KEEP_BUILDS)]:
                if name != self._collection_name(keep):
                    delete_server_collection(self.settings, name)

    def status(self) -> dict[str, Any]:
        """A summary for `/health` and the UI: build, documents, passages, model."""
        loaded = self.open()
        return {
            "build": loaded.build,
            "created": loaded.manifest.get("created"),
            "documents": len(loaded.documents()),
            "passages": len(loaded.passages),
            "embedding_model": loaded.manifest.get("fingerprint", {}).get("embedding_model"),
            "backend": "chroma-server" if self.settings.server_mode else "chroma-embedded",
        }
