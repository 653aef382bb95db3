"""Crash safety and multi-process safety of the embedded index (real processes, real Chroma).

- SIGKILL ``python -m rag index --rebuild`` at seeded random moments: the live index
  keeps answering after every kill, the next ``python -m rag index`` completes, and the
  result equals a clean build.
- Damaged index files (truncated passages, garbage manifest / SQLite, a CURRENT that
  names a missing build, a manifest from another model or schema) give a one-line
  error through ``python -m rag ask`` that says to run ``python -m rag index``, and
  ``python -m rag index --rebuild`` recovers.
- A reader process keeps answering while another process re-indexes; two concurrent
  ``python -m rag index`` runs never both build (the second waits for the write lock
  for up to 5 s, then fails with IndexBusyError's message and exit status 1).

Everything here uses the deterministic fake embedder (``RAG_EMBEDDING_MODEL=fake``):
the subject is the storage layer, not the model.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock

from rag.bench import synthesize_corpus
from rag.chunking import chunk_corpus
from rag.corpus import load_corpus
from rag.embeddings import FakeEmbedder
from rag.errors import RagError
from rag.indexing import MANIFEST, IndexManager
from rag.pipeline import Pipeline
from rag.settings import Settings

pytestmark = pytest.mark.integration

PROJECT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT / "seeds"
QUESTION = "What did Sheinbaum say about migration?"
EXPECTED_QUOTE = "There are strategies and dialogues with the United States"

# The reader process of the concurrency test: asks in a loop and prints one JSON line
# per answer until the stop file appears.
READER = r"""
import json, sys, time
from pathlib import Path
from rag.pipeline import Pipeline
from rag.settings import Settings

pipe = Pipeline(Settings.from_env())
question, stop = sys.argv[1], Path(sys.argv[2])
while not stop.exists():
    try:
        build = pipe.index.open().build
        a = pipe.ask(question)
        print(json.dumps({"build": build, "abstained": a.abstained,
                          "cites": [[c.doc, c.start, c.end, c.quote] for c in a.citations]}), flush=True)
    except Exception as exc:
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}), flush=True)
        time.sleep(0.05)
"""


# --------------------------------------------------------------------------- helpers
def fake_settings(seeds: Path, index: Path) -> Settings:
    return Settings.from_env(env={}, seeds_dir=seeds, index_dir=index, embedding_model="fake")


def cli_env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    env.update(HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", PYTHONPATH=str(PROJECT),
               RAG_SEEDS_DIR=str(settings.seeds_dir), RAG_INDEX_DIR=str(settings.index_dir),
               RAG_EMBEDDING_MODEL="fake")
    return env


class Background:
    """``python -m rag ...`` running in the background, its output going to files (no pipe can fill up)."""

    def __init__(self, settings: Settings, *args: str, logs: Path) -> None:
        self.out, self.err = logs.with_suffix(".out"), logs.with_suffix(".err")
        with self.out.open("w") as out, self.err.open("w") as err:
            self.proc = subprocess.Popen([sys.executable, "-m", "rag", *args], env=cli_env(settings), cwd=PROJECT,
                                         stdout=out, stderr=err, stdin=subprocess.DEVNULL)

    def wait(self, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        self.proc.wait(timeout=timeout)
        return subprocess.CompletedProcess(self.proc.args, self.proc.returncode, self.out.read_text(),
                                           self.err.read_text())


def run_cli(settings: Settings, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rag", *args], env=cli_env(settings), cwd=PROJECT,
                          capture_output=True, text=True, timeout=timeout)


def expected_ids(seeds: Path) -> list[str]:
    """The passage ids a clean build of ``seeds`` must hold, in order."""
    return [p.id for p in chunk_corpus(load_corpus(seeds).documents)]


def assert_answers(pipe: Pipeline, seeds: Path) -> None:
    """The known question is answered, with citations that are exact slices of the files."""
    answer = pipe.ask(QUESTION)
    assert not answer.abstained, answer
    assert any(EXPECTED_QUOTE in c.quote for c in answer.citations), answer.citations
    for c in answer.citations:
        assert (seeds / c.doc).read_text(encoding="utf-8")[c.start : c.end] == c.quote


def assert_consistent(settings: Settings) -> list[str]:
    """The live build is complete and matches the corpus; no debris is left. Returns its ids."""
    loaded = IndexManager(settings).open()
    ids = [pid for pid, _d, _m in loaded.store.records()]
    assert loaded.order == expected_ids(settings.seeds_dir)
    assert len(ids) == len(set(ids)) == loaded.store.count() == len(loaded.order)
    assert set(ids) == set(loaded.order)
    builds = sorted((settings.index_dir / "builds").iterdir())
    assert all((b / MANIFEST).exists() for b in builds), "an incomplete build was left behind"
    return loaded.order


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert "python -m rag index" in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def shared_verifier() -> object:
    """One rule verifier (spaCy loads once) shared by the pipelines of this module."""
    return Pipeline(Settings.from_env(env={}, embedding_model="fake"), embedder=FakeEmbedder()).verifier


# --------------------------------------------------------------------------- SIGKILL
@pytest.mark.slow
def test_sigkill_during_rebuild_never_breaks_the_index(tmp_path: Path, shared_verifier: object) -> None:
    seeds = tmp_path / "seeds"
    synthesize_corpus(SEEDS, seeds, 2500, seed=11)
    settings = fake_settings(seeds, tmp_path / "index")
    t0 = time.monotonic()
    first = run_cli(settings, "index", "--rebuild")
    duration = time.monotonic() - t0  # process start to exit, like the runs we kill
    assert first.returncode == 0, first.stderr

    rng = random.Random(20241123)
    kills = 6
    phases: list[str] = []
    for i in range(kills):
        # Change the corpus so the build being killed differs from the live one.
        victim = seeds / f"synthetic_{i:06d}.txt"
        victim.write_text(victim.read_text(encoding="utf-8") + f"Update {i}: the ministry issued a new note.\n",
                          encoding="utf-8")
        before = IndexManager(settings).current_build()
        # Stratified delays cover the whole run: start-up, embedding, Chroma writes, swap.
        delay = rng.uniform(duration * i / kills, duration * (i + 1) / kills) * 0.95
        for attempt in range(3):
            # The first build may have run on a busier machine than this one: a run that
            # finished before its kill is tried again sooner (at most twice), so the kills
            # keep landing inside builds whatever the load was when `duration` was measured.
            run = Background(settings, "index", "--rebuild", logs=tmp_path / f"kill-{i}-{attempt}")
            time.sleep(delay)
            landed = run.proc.poll() is None
            if landed:
                run.proc.send_signal(signal.SIGKILL)
            run.wait(timeout=120)
            if landed:
                break
            before = IndexManager(settings).current_build()  # that run swapped in a build
            delay *= 0.6
        after = IndexManager(settings).current_build()
        debris = [b for b in (settings.index_dir / "builds").iterdir() if not (b / MANIFEST).exists()]
        if not landed:
            phase = "finished before the kill"
        elif after != before:
            phase = "after the swap"
        elif debris:
            files = sorted(f.name for f in debris[0].iterdir())
            stage = "just started" if not files else "Chroma writes" if files == ["chroma"] else "index files"
            phase = f"mid-build ({stage})"
        else:
            phase = "start-up"
        phases.append(f"{delay:.2f}s: {phase}")

        # Whatever the moment, the live index opens and answers correctly.
        pipe = Pipeline(settings, embedder=FakeEmbedder(), verifier=shared_verifier)
        assert pipe.index.open().build in {before, after}
        assert_answers(pipe, seeds)

        # A normal index run completes, clears the debris and matches the corpus.
        done = run_cli(settings, "index")
        assert done.returncode == 0, done.stderr
        assert_consistent(settings)
        assert_answers(Pipeline(settings, embedder=FakeEmbedder(), verifier=shared_verifier), seeds)

    print("kills:", "; ".join(phases))
    assert sum("finished" not in p for p in phases) >= 5, phases
    assert any("mid-build" in p for p in phases), phases

    # The surviving index equals a clean build of the final corpus.
    survivor = IndexManager(settings).open()
    clean_settings = fake_settings(seeds, tmp_path / "clean")
    Pipeline(clean_settings, embedder=FakeEmbedder()).build_index()
    clean = IndexManager(clean_settings).open()
    assert survivor.order == clean.order
    assert len(survivor.passages) == len(clean.passages) == survivor.store.count() == clean.store.count()
    assert survivor.passages == clean.passages
    assert survivor.documents() == clean.documents()


# ------------------------------------------------------------------------ corruption
def _json_edit(edit: Callable[[dict], None]) -> Callable[[Path], None]:
    def apply(build: Path) -> None:
        manifest = json.loads((build / MANIFEST).read_text(encoding="utf-8"))
        edit(manifest)
        (build / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")

    return apply


def _truncate(rel: str, keep: float) -> Callable[[Path], None]:
    def apply(build: Path) -> None:
        path = build / rel
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * keep)])

    return apply


def _garbage(rel: str) -> Callable[[Path], None]:
    def apply(build: Path) -> None:
        path = build / rel
        path.write_bytes(random.Random(rel).randbytes(max(4096, path.stat().st_size)))

    return apply


def _set_current(text: str) -> Callable[[Path], None]:
    def apply(build: Path) -> None:
        (build.parent.parent / "CURRENT").write_text(text, encoding="utf-8")

    return apply


def _remove(rel: str) -> Callable[[Path], None]:
    def apply(build: Path) -> None:
        path = build / rel
        shutil.rmtree(path) if path.is_dir() else path.unlink()

    return apply


# case -> (damage, a phrase the one-line message must contain)
CORRUPTIONS: dict[str, tuple[Callable[[Path], None], str]] = {
    "passages-truncated-mid-line": (_truncate("passages.jsonl", 0.5), "damaged"),
    "passages-empty": (_truncate("passages.jsonl", 0.0), "passages"),
    "manifest-garbage": (_garbage(MANIFEST), "damaged"),
    "manifest-not-an-object": (lambda b: (b / MANIFEST).write_text("[1, 2]"), "damaged"),
    "manifest-other-embedding-model": (
        _json_edit(lambda m: m["fingerprint"].update(embedding_model="all-mpnet-base-v2")), "embedding_model"),
    "manifest-schema-0": (_json_edit(lambda m: m["fingerprint"].update(schema=0)), "schema 0"),
    "chroma-sqlite-garbage": (_garbage("chroma/chroma.sqlite3"), "Chroma"),
    "chroma-sqlite-truncated": (_truncate("chroma/chroma.sqlite3", 0.4), "Chroma"),
    "chroma-folder-missing": (_remove("chroma"), "Chroma"),
    "lexical-missing": (_remove("lexical.npz"), "damaged"),
    "lexical-garbage": (_garbage("lexical.npz"), "damaged"),
    "lexical-truncated": (_truncate("lexical.npz", 0.3), "damaged"),
    "manifest-fingerprint-not-an-object": (_json_edit(lambda m: m.update(fingerprint=5)), "schema"),
    "current-not-utf8": (lambda b: (b.parent.parent / "CURRENT").write_bytes(b"\xff\xfe\x00"), "CURRENT"),
    "current-names-missing-build": (_set_current("20990101T000000000000-0123456789ab-deadbeef\n"), "20990101T"),
    "current-garbage": (_set_current("../../etc/passwd\n"), "CURRENT"),
}


@pytest.fixture(scope="module")
def pristine_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A seeds copy and a fake-model index of it, built once; tests copy both."""
    root = tmp_path_factory.mktemp("pristine")
    seeds = root / "seeds"
    shutil.copytree(SEEDS, seeds)
    Pipeline(fake_settings(seeds, root / "index"), embedder=FakeEmbedder()).build_index()
    return seeds, root / "index"


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CORRUPTIONS))
def test_damaged_index_gives_one_line_error_and_rebuild_recovers(
    case: str, pristine_index: tuple[Path, Path], tmp_path: Path, shared_verifier: object
) -> None:
    seeds, pristine = pristine_index
    index = tmp_path / "index"
    shutil.copytree(pristine, index)
    settings = fake_settings(seeds, index)
    build = index / "builds" / (index / "CURRENT").read_text().strip()
    damage, phrase = CORRUPTIONS[case]
    damage(build)

    with pytest.raises(RagError):  # in-process: a typed error, never a raw exception
        Pipeline(settings, embedder=FakeEmbedder(), verifier=shared_verifier).ask(QUESTION)
    message = one_line_error(run_cli(settings, "ask", QUESTION))
    assert phrase in message, message

    rebuilt = run_cli(settings, "index", "--rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert_consistent(settings)
    assert_answers(Pipeline(settings, embedder=FakeEmbedder(), verifier=shared_verifier), seeds)


@pytest.mark.slow
def test_plain_index_also_recovers_from_damage(pristine_index: tuple[Path, Path], tmp_path: Path,
                                               shared_verifier: object) -> None:
    seeds, pristine = pristine_index
    settings = fake_settings(seeds, tmp_path / "index")
    shutil.copytree(pristine, settings.index_dir)
    build = settings.index_dir / "builds" / (settings.index_dir / "CURRENT").read_text().strip()
    _garbage("chroma/chroma.sqlite3")(build)
    done = run_cli(settings, "index", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["changed"] and report["reused"] == 0  # nothing trustworthy to reuse
    assert_consistent(settings)
    assert_answers(Pipeline(settings, embedder=FakeEmbedder(), verifier=shared_verifier), seeds)


# ------------------------------------------------------------- concurrent processes
@pytest.mark.slow
def test_reader_process_keeps_answering_while_another_process_reindexes(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    synthesize_corpus(SEEDS, seeds, 1200, seed=5)
    settings = fake_settings(seeds, tmp_path / "index")
    assert run_cli(settings, "index").returncode == 0
    first = IndexManager(settings).current_build()

    stop = tmp_path / "stop"
    out_path = tmp_path / "reader.out"
    with out_path.open("w") as out:
        reader = subprocess.Popen([sys.executable, "-c", READER, QUESTION, str(stop)], env=cli_env(settings),
                                  cwd=PROJECT, stdout=out, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while out_path.read_text().count("\n") < 3:
            assert reader.poll() is None and time.monotonic() < deadline, reader.stderr.read() if reader.stderr else ""
            time.sleep(0.1)
        builds = [first]
        for n in range(3):
            if n == 2:  # an incremental run with a changed corpus, the others full rebuilds
                (seeds / "zz_extra.txt").write_text("Extra Report\nThe ministry issued a further note.\n")
            proc = run_cli(settings, "index", *(["--rebuild"] if n < 2 else []))
            assert proc.returncode == 0, proc.stderr
            builds.append(IndexManager(settings).current_build())
            # Let the reader answer from the new build before the next swap.
            seen_at = out_path.read_text().count("\n")
            deadline = time.monotonic() + 60
            while out_path.read_text().count("\n") < seen_at + 3 and time.monotonic() < deadline:
                time.sleep(0.1)
    finally:
        stop.touch()
        try:
            _, err = reader.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            reader.kill()
            _, err = reader.communicate()
    assert reader.returncode == 0, err
    records = [json.loads(line) for line in out_path.read_text().splitlines() if line.strip()]
    errors = [r["error"] for r in records if "error" in r]
    assert not errors, errors[:5]
    seen = [r["build"] for r in records]
    assert len(set(builds)) == 4
    assert set(seen) >= set(builds[1:]), (builds, sorted(set(seen)))  # it picked up every new build
    for r in records:
        assert not r["abstained"]
        for doc, start, end, quote in r["cites"]:
            assert (seeds / doc).read_text(encoding="utf-8")[start:end] == quote


@pytest.mark.slow
def test_index_waits_for_the_write_lock_then_fails_with_busy_message(tmp_path: Path, seeds_copy: Path) -> None:
    settings = fake_settings(seeds_copy, tmp_path / "index")
    settings.index_dir.mkdir(parents=True)
    lock = FileLock(str(settings.index_dir / ".write.lock"))
    with lock.acquire(timeout=1):
        t0 = time.monotonic()
        busy = run_cli(settings, "index")
        waited = time.monotonic() - t0
    assert waited >= 5.0  # IndexManager.build's lock_timeout
    message = one_line_error_busy(busy)
    assert "another process is building the index" in message and str(settings.index_dir) in message
    assert IndexManager(settings).current_build() is None  # nothing half-built was made live
    done = run_cli(settings, "index")
    assert done.returncode == 0, done.stderr
    assert_consistent(settings)


def one_line_error_busy(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert "Traceback" not in proc.stderr and len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    return lines[0]


@pytest.mark.slow
def test_two_concurrent_index_runs_never_both_build(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    synthesize_corpus(SEEDS, seeds, 5000, seed=3)
    settings = fake_settings(seeds, tmp_path / "index")
    first = Background(settings, "index", "--json", logs=tmp_path / "first")
    builds_dir = settings.index_dir / "builds"
    deadline = time.monotonic() + 120
    while not (builds_dir.is_dir() and any(builds_dir.iterdir())):  # the first holds the lock now
        assert first.proc.poll() is None and time.monotonic() < deadline, first.err.read_text()
        time.sleep(0.02)
    second = Background(settings, "index", "--json", logs=tmp_path / "second").wait()
    first_running_when_second_ended = first.proc.poll() is None
    done = first.wait()
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["changed"] is True
    print("second run:", "busy" if first_running_when_second_ended else "waited, up to date")
    if first_running_when_second_ended:
        # The second could never take the lock: it waited 5 s and gave up with a clear message.
        message = one_line_error_busy(second)
        assert "another process is building the index" in message
    else:
        # The first finished within the second's wait: the second found nothing to do.
        assert second.returncode == 0, second.stderr
        assert json.loads(second.stdout)["changed"] is False and json.loads(second.stdout)["embedded"] == 0
    assert_consistent(settings)
    assert len(list(builds_dir.iterdir())) == 1
