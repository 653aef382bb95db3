"""Chroma adapter: the only module that touches ``chromadb``.

Embedded mode (default) keeps one ``PersistentClient`` folder per index build.
Server mode (``RAG_CHROMA_HOST``) keeps one collection per build on a ``chroma run``
server plus a small pointer collection naming the current build, so several
processes (API workers, UI sessions) on several machines share one index.

Embedded clients are cached per build folder and counted: every :class:`ChromaStore`
opened with :func:`open_store` holds its client. A build that is no longer served is
*retired* (:func:`retire_client`) and its client is closed once the last store using it
is gone, so a long-running reader does not keep one client per build it ever opened,
and a request still holding an older build keeps working until it finishes.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rag.errors import StoreError
from rag.settings import Settings

log = logging.getLogger(__name__)

_CLIENTS: dict[str, Any] = {}
_CLIENTS_LOCK = threading.Lock()
#: Live ChromaStore objects per embedded client key.
_USERS: dict[str, int] = {}
#: Embedded client keys to close as soon as no store uses them.
_RETIRED: set[str] = set()
#: Keys of stores that were garbage-collected, counted down under the lock later: a
#: finalizer may run in any thread at any moment, so it only appends (thread-safe).
_DROPPED: deque[str] = deque()
_POINTER_SUFFIX = "current"


def _is_not_found(exc: Exception) -> bool:
    """True when chromadb says a collection does not exist (its error type varies by version)."""
    try:
        from chromadb.errors import NotFoundError
    except ImportError:  # pragma: no cover - older chromadb
        NotFoundError = ()  # type: ignore[assignment,misc]  # noqa: N806
    return isinstance(exc, NotFoundError) or (isinstance(exc, ValueError) and "does not exist" in str(exc))


def _one_line(exc: BaseException) -> str:
    """An exception's message on one line (CLI errors are one line)."""
    return " ".join(str(exc).split()) or type(exc).__name__


def _chroma_settings():  # noqa: ANN202
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def _key(settings: Settings, path: Path | None) -> str:
    return f"http://{settings.chroma_host}:{settings.chroma_port}" if settings.server_mode else str(path)


def get_client(settings: Settings, path: Path | None = None) -> Any:
    """A (cached) Chroma client: HttpClient in server mode, else PersistentClient at ``path``.

    Embedded callers that keep collections should use :func:`open_store`, which keeps
    the client open for as long as the store lives.
    """
    with _CLIENTS_LOCK:
        _collect_locked()
        return _client_locked(settings, path)


def _client_locked(settings: Settings, path: Path | None) -> Any:
    key = _key(settings, path)
    client = _CLIENTS.get(key)
    if client is not None:
        return client
    try:
        import chromadb

        if settings.server_mode:
            # chromadb's HTTP session has no timeout and its constructor already makes
            # requests: check the server answers at all first, then bound every request.
            _probe_server(settings)
            client = chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=_chroma_settings()
            )
            _bound_requests(client, settings.chroma_timeout)
            client.heartbeat()
        else:
            if path is None:
                raise StoreError("embedded Chroma needs a folder")
            path.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
    except StoreError:
        raise
    except Exception as exc:  # noqa: BLE001 - chromadb raises many types
        where = key if settings.server_mode else f"folder {path}"
        hint = (
            "start it with `chroma run --path DIR --host HOST --port PORT` or unset RAG_CHROMA_HOST"
            if settings.server_mode
            else "delete the index folder and run `python -m rag index`"
        )
        raise StoreError(f"cannot open Chroma at {where}: {_one_line(exc)}; {hint}") from exc
    _CLIENTS[key] = client
    return client


#: Longest wait for the first answer of a Chroma server (its heartbeat takes milliseconds).
_PROBE_TIMEOUT_S = 10.0


def _server_url(settings: Settings) -> str:
    host = settings.chroma_host
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{settings.chroma_port}"


def _probe_server(settings: Settings) -> None:
    """Fail within seconds when nothing answers HTTP at the server's address.

    Raises:
        StoreError: connection refused, or no answer within the timeout (a hung server,
            or another service on that port that never replies).
    """
    import httpx

    timeout = min(float(settings.chroma_timeout), _PROBE_TIMEOUT_S)
    try:
        httpx.get(f"{_server_url(settings)}/api/v2/heartbeat", timeout=timeout)
    except httpx.TimeoutException as exc:
        raise StoreError(
            f"the Chroma server at {_key(settings, None)} did not answer within {timeout:g} s; "
            "check it is running and not overloaded (`chroma run --path DIR --host HOST --port PORT`), "
            "or unset RAG_CHROMA_HOST") from exc
    except httpx.HTTPError:
        pass  # connection refused and the like: chromadb's own error says it clearly


def _bound_requests(client: Any, timeout_s: int) -> None:
    """Give the client's HTTP session a timeout (chromadb creates it with none)."""
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(float(timeout_s), connect=min(float(timeout_s), _PROBE_TIMEOUT_S))
    else:  # pragma: no cover - another chromadb layout
        log.warning("cannot set a timeout on this chromadb's HTTP client; a hung server may hang requests")


def open_store(settings: Settings, path: Path | None, name: str, create: bool = False) -> ChromaStore:
    """Open collection ``name``: on the server, or in the embedded client at ``path``.

    An embedded store keeps its client open while it lives (see :func:`retire_client`).

    Raises:
        StoreError: the client or the collection cannot be opened.
    """
    if settings.server_mode:
        return ChromaStore(get_client(settings), name, create=create)
    key = _key(settings, path)
    with _CLIENTS_LOCK:
        _collect_locked()
        client = _client_locked(settings, path)
        _USERS[key] = _USERS.get(key, 0) + 1
    try:
        store = ChromaStore(client, name, create=create)
    except BaseException:
        _DROPPED.append(key)
        release_unused_clients()
        raise
    weakref.finalize(store, _DROPPED.append, key)
    return store


def retire_client(path: Path) -> None:
    """Close the embedded client of build folder ``path`` once no store uses it any more.

    Called when a reader switches to a newer build and before an old build's folder is
    deleted. A store still in use (a request holding an older build) keeps working; its
    client closes when the last such store is garbage-collected, at the next
    :func:`release_unused_clients` (which opening an index calls).
    """
    key = str(path)
    with _CLIENTS_LOCK:
        if key in _CLIENTS:
            _RETIRED.add(key)
        _collect_locked()


#: Older name of :func:`retire_client` (an old build's folder is about to be deleted).
forget_client = retire_client


def release_unused_clients() -> None:
    """Close retired embedded clients that no store uses any more (cheap when there are none)."""
    if not _DROPPED:
        return
    with _CLIENTS_LOCK:
        _collect_locked()


def open_clients() -> list[str]:
    """Keys (build folders, or the server URL) of the Chroma clients this process holds open."""
    with _CLIENTS_LOCK:
        return sorted(_CLIENTS)


def _collect_locked() -> None:
    while _DROPPED:
        key = _DROPPED.popleft()
        left = _USERS.get(key, 0) - 1
        if left > 0:
            _USERS[key] = left
        else:
            _USERS.pop(key, None)
    for key in [k for k in _RETIRED if k not in _USERS]:
        _RETIRED.discard(key)
        client = _CLIENTS.pop(key, None)
        if client is None:
            continue
        try:
            client.close()
        except Exception as exc:  # closing is best effort: the client is dropped anyway
            log.warning("closing the Chroma client of %s failed: %s", key, _one_line(exc))
        log.debug("closed the Chroma client of %s", key)


class ChromaStore:
    """One collection of passage vectors (cosine space, our own embeddings)."""

    def __init__(self, client: Any, name: str, create: bool = False) -> None:
        self.name = name
        try:
            if create:
                self._col = client.get_or_create_collection(
                    name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
                )
            else:
                self._col = client.get_collection(name, embedding_function=None)
        except Exception as exc:  # noqa: BLE001
            raise StoreError(
                f"Chroma collection {name!r} is missing or unreadable ({exc}); run `python -m rag index`"
            ) from exc

    def add(self, ids: Sequence[str], embeddings: np.ndarray, documents: Sequence[str],
            metadatas: Sequence[dict[str, Any]], batch: int = 2000) -> None:
        """Upsert records in batches (idempotent for the same ids)."""
        for i in range(0, len(ids), batch):
            try:
                self._col.upsert(
                    ids=list(ids[i : i + batch]),
                    embeddings=np.asarray(embeddings[i : i + batch], dtype=np.float32),
                    documents=list(documents[i : i + batch]),
                    metadatas=list(metadatas[i : i + batch]),
                )
            except Exception as exc:  # noqa: BLE001
                raise StoreError(
                    f"writing to Chroma collection {self.name!r} failed: {_one_line(exc)}; check there is free "
                    "disk space where the vectors are kept (RAG_INDEX_DIR, or the Chroma server's --path) "
                    "and that the server is running, then run `python -m rag index` again") from exc

    def query(self, embedding: np.ndarray, k: int) -> list[tuple[str, float]]:
        """Nearest ``k`` (id, cosine similarity) pairs, best first."""
        try:
            res = self._col.query(query_embeddings=[np.asarray(embedding, dtype=np.float32)],
                                  n_results=k, include=["distances"])
        except Exception as exc:  # noqa: BLE001
            raise StoreError(f"querying Chroma collection {self.name!r} failed: {exc}") from exc
        ids = res["ids"][0] if res["ids"] else []
        dists = res["distances"][0] if res.get("distances") else [1.0] * len(ids)
        return [(i, 1.0 - float(d)) for i, d in zip(ids, dists, strict=True)]

    def get_embeddings(self, ids: Sequence[str], batch: int = 2000) -> dict[str, np.ndarray]:
        """Stored vectors for those of ``ids`` that exist."""
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(ids), batch):
            try:
                res = self._col.get(ids=list(ids[i : i + batch]), include=["embeddings"])
            except Exception as exc:  # noqa: BLE001
                raise StoreError(f"reading Chroma collection {self.name!r} failed: {exc}") from exc
            for rid, vec in zip(res["ids"], res["embeddings"], strict=True):
                out[rid] = np.asarray(vec, dtype=np.float32)
        return out

    def records(self, batch: int = 2000) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """Every (id, document, metadata) in the collection, in pages."""
        offset = 0
        while True:
            try:
                res = self._col.get(include=["documents", "metadatas"], limit=batch, offset=offset)
            except Exception as exc:  # noqa: BLE001
                raise StoreError(f"reading Chroma collection {self.name!r} failed: {_one_line(exc)}") from exc
            if not res["ids"]:
                return
            yield from zip(res["ids"], res["documents"], res["metadatas"], strict=True)
            offset += len(res["ids"])

    def count(self) -> int:
        try:
            return int(self._col.count())
        except Exception as exc:  # noqa: BLE001
            raise StoreError(f"Chroma collection {self.name!r} is unreadable: {exc}") from exc


# ----------------------------------------------------------------- server pointer
def pointer_name(settings: Settings) -> str:
    return f"{settings.collection}-{_POINTER_SUFFIX}"


def read_server_pointer(settings: Settings) -> str | None:
    """The build name the server's pointer collection names, or None."""
    client = get_client(settings)
    try:
        col = client.get_collection(pointer_name(settings), embedding_function=None)
    except Exception as exc:  # noqa: BLE001 - chromadb raises many types
        if _is_not_found(exc):
            return None  # nothing built on this server yet
        # Anything else (server gone, timeout) must not pass for "no index yet".
        raise StoreError(
            f"cannot read the index pointer from the Chroma server at "
            f"http://{settings.chroma_host}:{settings.chroma_port}: {_one_line(exc)}; "
            "start it with `chroma run --path DIR --host HOST --port PORT` or unset RAG_CHROMA_HOST"
        ) from exc
    meta = col.metadata or {}
    build = meta.get("build")
    return str(build) if build else None


def write_server_pointer(settings: Settings, build: str) -> None:
    """Point the server at ``build`` (one metadata write: atomic for readers)."""
    client = get_client(settings)
    try:
        col = client.get_or_create_collection(pointer_name(settings), embedding_function=None)
        col.modify(metadata={"build": build})
    except Exception as exc:  # noqa: BLE001
        raise StoreError(f"cannot update the index pointer on the Chroma server: {exc}") from exc


def list_server_collections(settings: Settings) -> list[str]:
    client = get_client(settings)
    try:
        return [c if isinstance(c, str) else c.name for c in client.list_collections()]
    except Exception as exc:  # noqa: BLE001 - chromadb raises many types
        raise StoreError(f"cannot list the collections on the Chroma server at {_key(settings, None)}: "
                         f"{_one_line(exc)}; check it is running, then retry") from exc


def delete_server_collection(settings: Settings, name: str) -> None:
    try:
        get_client(settings).delete_collection(name)
    except Exception as exc:  # noqa: BLE001
        log.warning("could not delete old collection %s: %s", name, exc)
