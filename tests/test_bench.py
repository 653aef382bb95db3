"""The scaling benchmark's parts: the synthetic corpus, percentiles, the report, one tiny run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.bench import percentile, results_markdown, run_benchmark, synthesize_corpus
from rag.chunking import chunk_corpus
from rag.corpus import load_corpus

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _files(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}


def test_synthetic_corpus_is_deterministic_and_hits_the_target(tmp_path: Path) -> None:
    n = synthesize_corpus(SEEDS, tmp_path / "a", 600, seed=3)
    synthesize_corpus(SEEDS, tmp_path / "b", 600, seed=3)
    synthesize_corpus(SEEDS, tmp_path / "c", 600, seed=4)
    a = _files(tmp_path / "a")
    assert a == _files(tmp_path / "b")
    assert a != _files(tmp_path / "c")
    corpus = load_corpus(tmp_path / "a")
    passages = chunk_corpus(corpus.documents)
    assert n == len(passages) and 600 <= n < 700  # stops at the first article past the target
    assert not corpus.skipped
    assert {p.name for p in SEEDS.glob("*.txt")} <= set(a)  # the real seeds are included verbatim
    docs = corpus.by_name()
    for p in passages:
        assert docs[p.doc].text[p.start : p.end] == p.text
    seed_sentences = " ".join(_files(SEEDS).values())
    synthetic = [name for name in a if name.startswith("synthetic_")]
    assert synthetic
    body = a[synthetic[0]].splitlines()[2]  # a paragraph: sentences taken from the seeds
    assert body.split(". ")[0] in seed_sentences


def test_synthetic_corpus_refuses_a_folder_with_articles(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("Existing article.\n")
    with pytest.raises(ValueError, match="already holds articles"):
        synthesize_corpus(SEEDS, tmp_path, 100)


@pytest.mark.parametrize(("values", "q", "expected"), [
    ([1.0], 95, 1.0),
    ([1.0, 2.0, 3.0, 4.0, 5.0], 50, 3.0),
    ([1.0, 2.0, 3.0, 4.0, 5.0], 100, 5.0),
    ([5.0, 1.0, 3.0, 2.0, 4.0], 0, 1.0),
    ([1.0, 2.0], 95, 1.95),
])
def test_percentile(values: list[float], q: float, expected: float) -> None:
    assert percentile(values, q) == pytest.approx(expected)


def test_percentile_of_nothing_is_nan() -> None:
    assert percentile([], 50) != percentile([], 50)


@pytest.mark.integration
@pytest.mark.slow
def test_a_tiny_benchmark_run_writes_results(tmp_path: Path) -> None:
    results = run_benchmark([150], tmp_path / "out", model="fake", queries=3, work_dir=tmp_path / "work")
    (row,) = results["sizes"]
    assert row["passages"] >= 150 and row["index_passages_per_s"] > 0
    assert row["ask_ms"]["n"] == 3 and row["check_ms"]["n"] == 3
    assert row["ask_p50_vs_smallest"] == 1.0
    assert row["startup_s"] > 0 and row["first_answer_s"] >= row["startup_s"]
    saved = json.loads((tmp_path / "out" / "results.json").read_text())
    assert saved["sizes"][0]["passages"] == row["passages"]
    assert (tmp_path / "out" / "latency_vs_size.png").stat().st_size > 10_000
    assert (tmp_path / "out" / "results.md").read_text() == results_markdown(results)
    assert not (tmp_path / "work" / "index-150").exists()  # cleaned up without --keep


@pytest.mark.parametrize("text", ["abc", "1000,x", "0", "1000,-5", ""])
def test_bad_sizes_are_a_usage_error_that_names_the_value(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    from rag.cli import build_parser

    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["bench", "--sizes", text])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "passage counts" in err and repr(text) in err and "lambda" not in err


def test_sizes_parse() -> None:
    from rag.cli import build_parser

    assert build_parser().parse_args(["bench", "--sizes", "1000,10000"]).sizes == [1000, 10000]
