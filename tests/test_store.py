"""Tests for rag.store: the embedded Chroma client cache (what keeps memory bounded).

Real embedded Chroma in private folders; vectors are small random arrays.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from rag.settings import Settings
from rag.store import ChromaStore, open_clients, open_store, release_unused_clients, retire_client


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env(env={}, seeds_dir=tmp_path / "seeds", index_dir=tmp_path / "index",
                             embedding_model="fake")


def chroma_systems(root: Path) -> list[str]:
    """Chroma's own per-folder systems under ``root`` (what holds the memory)."""
    from chromadb.api.shared_system_client import SharedSystemClient

    return sorted(k for k in SharedSystemClient._identifier_to_system if k.startswith(str(root)))


def filled(settings: Settings, path: Path, n: int = 3) -> ChromaStore:
    store = open_store(settings, path, "rag-test", create=True)
    vecs = np.random.default_rng(0).random((n, 8), dtype=np.float32)
    store.add([f"p{i}" for i in range(n)], vecs, [f"text {i}" for i in range(n)], [{"i": i} for i in range(n)])
    return store


def test_a_served_client_stays_cached_without_stores(settings: Settings) -> None:
    path = settings.index_dir / "builds" / "b1" / "chroma"
    store = filled(settings, path)
    del store
    gc.collect()
    release_unused_clients()
    assert str(path) in open_clients()  # the live build is reused, not reopened per request
    assert open_store(settings, path, "rag-test").count() == 3


def test_a_retired_client_closes_once_its_last_store_is_gone(settings: Settings) -> None:
    path = settings.index_dir / "builds" / "b1" / "chroma"
    held = filled(settings, path)
    retire_client(path)
    # Still in use: a request holding the old build keeps working.
    assert str(path) in open_clients()
    assert held.count() == 3 and len(held.query(np.ones(8, dtype=np.float32), 2)) == 2
    del held
    gc.collect()
    release_unused_clients()
    assert str(path) not in open_clients()
    assert chroma_systems(settings.index_dir) == []
    # Opening the build again later gets a fresh client over the same data.
    assert open_store(settings, path, "rag-test").count() == 3


def test_retiring_an_unused_client_closes_it_at_once(settings: Settings) -> None:
    path = settings.index_dir / "builds" / "b1" / "chroma"
    del_me = filled(settings, path)
    del del_me
    gc.collect()
    retire_client(path)
    assert str(path) not in open_clients()
    assert chroma_systems(settings.index_dir) == []
    retire_client(path)  # idempotent, and fine for folders never opened
    retire_client(settings.index_dir / "never-opened")


def test_a_store_that_fails_to_open_does_not_pin_its_client(settings: Settings) -> None:
    from rag.errors import StoreError

    path = settings.index_dir / "builds" / "b1" / "chroma"
    with pytest.raises(StoreError, match="missing or unreadable"):
        open_store(settings, path, "no-such-collection")
    retire_client(path)
    assert str(path) not in open_clients()


# ------------------------------------------------------------------ server mode timeouts
@pytest.fixture
def silent_server() -> Iterator[int]:
    """A loopback port that accepts connections and never answers (a hung or stopped server)."""
    import socket
    import threading

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    accepted: list[socket.socket] = []
    done = threading.Event()

    def accept() -> None:
        sock.settimeout(0.2)
        while not done.is_set():
            try:
                accepted.append(sock.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield int(sock.getsockname()[1])
    finally:
        done.set()
        thread.join(timeout=5)
        for conn in accepted:
            conn.close()
        sock.close()


def test_a_server_that_never_answers_is_a_store_error_not_a_hang(settings: Settings, silent_server: int) -> None:
    import time

    from rag.errors import StoreError
    from rag.store import get_client

    server = settings.with_(chroma_host="127.0.0.1", chroma_port=silent_server, chroma_timeout=1)
    t0 = time.monotonic()
    with pytest.raises(StoreError, match=rf"127\.0\.0\.1:{silent_server} did not answer within 1 s.*chroma run"):
        get_client(server)
    assert time.monotonic() - t0 < 10



def test_a_failed_write_says_what_to_check() -> None:
    # A full disk surfaced only as Chroma's "Error in compaction: Failed to apply logs ...".
    from rag.errors import StoreError

    class Full:
        def upsert(self, **kwargs: object) -> None:
            raise RuntimeError("Error in compaction:\n Failed to apply logs to the metadata segment")

    store = ChromaStore.__new__(ChromaStore)
    store.name, store._col = "rag-b1", Full()
    with pytest.raises(StoreError) as info:
        store.add(["p0"], np.zeros((1, 8), dtype=np.float32), ["text"], [{"i": 0}])
    message = str(info.value)
    assert "\n" not in message and "free disk space" in message and "python -m rag index" in message
