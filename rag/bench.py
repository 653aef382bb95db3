"""Scaling benchmark: index throughput, memory and latency at 1k / 10k / 100k passages.

``python -m rag bench`` (or ``python benchmarks/bench_scale.py``) builds a synthetic
corpus for each size from the seed articles' own sentences and section headings
(shuffled across synthetic articles with a fixed random seed, so every run indexes
the same text), then, each in a fresh process so memory figures do not mix:

1. indexes it with the real embedding model (embedded Chroma) and records
   passages/s and the indexing process's peak RSS;
2. starts a "serving" process that opens the index (timing the BM25 load and the
   whole open), warms up, and times ~30 ``ask`` and ~30 ``check`` calls.

Results go to ``results.json``, ``results.md`` and ``latency_vs_size.png`` in the
output folder. The default run (1k and 10k) takes a few minutes on 2 cores; 100k
passages (``--max 100000``) is meant to be run by hand.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rag.chunking import chunk_document
from rag.corpus import find_body_end, load_corpus
from rag.types import Document, sha256_text

log = logging.getLogger(__name__)

_PROJECT = Path(__file__).resolve().parent.parent

#: Benchmark sizes (passages) of the default run, and the opt-in large one.
DEFAULT_SIZES = (1_000, 10_000)
LARGE_SIZE = 100_000

#: Questions about the seed articles (timed with ``ask``); the last few are off-topic.
QUESTIONS = (
    "Which outlet reported the Foreign Affairs Ministry statement?",
    "Who is the President of El Salvador?",
    "What did Trump discuss with Bukele?",
    "Where did Sheinbaum post her comments about the call?",
    "What happened to the migrant caravans a week after the call?",
    "Will Mexico serve as a safe third country for migrants?",
    "What role does the Darien Gap play in the strategy?",
    "When did Bukele rise to power?",
    "What was Kamala Harris dubbed?",
    "What did Trump vow to prioritize on his first day back in office?",
    "Which governments did the transition team contact through informal channels?",
    "Which programs does the administration plan to bring back?",
    "Why is Bukele popular in El Salvador?",
    "What criticism has Bukele's administration faced?",
    "Which country received repatriation flights under Biden?",
    "How did Sheinbaum describe her exchange with Trump?",
    "In what language did Sheinbaum write her post?",
    "Which agency reported on the phone call between Trump and Sheinbaum?",
    "What measures did Trump use towards Latin America in his first term?",
    "What do critics say about the alliance between Trump and Bukele?",
    "Which countries are hard to secure commitments from?",
    "What did Trump threaten Mexico with?",
    "What is Mexico's position on closing borders?",
    "Who congratulated Trump on his electoral win?",
    "What are the goals of the partnership between Trump and Bukele?",
    "How will Mexico handle nationals deported from the U.S.?",
    "Which country drove record migration?",
    "What is the capital of Australia?",
    "Who won the 2022 football World Cup?",
    "What is the boiling point of water at sea level?",
)

#: Claims about the seed articles (timed with ``check``): supported, refuted and unrelated.
CLAIMS = (
    "Sheinbaum described her exchange with Trump as very cordial.",
    "Sheinbaum posted her comments on X.",
    "Sheinbaum wrote her post in Spanish.",
    "Sheinbaum wrote her post in English.",
    "Bloomberg reported the Foreign Affairs Ministry statement.",
    "Reuters reported the Foreign Affairs Ministry statement.",
    "Bukele rose to power in 2019.",
    "Bukele rose to power in 2015.",
    "Mexico disbanded two migrant caravans a week after the discussion.",
    "Mexico disbanded five migrant caravans.",
    "Mexico will serve as a safe third country for migrants.",
    "Mexico will not serve as a safe third country for migrants of other nationalities.",
    "Kamala Harris was dubbed the border czar.",
    "The Associated Press reported on the phone call.",
    "Trump vowed to prioritize border security on his first day back in office.",
    "Bukele's administration has faced criticism for human rights abuses.",
    "Bukele is unpopular in El Salvador.",
    "Cooperation with Panama aims to prevent migrant flows through the Darien Gap.",
    "The Biden administration facilitated repatriation flights to China.",
    "The Biden administration facilitated repatriation flights to Brazil.",
    "Trump threatened tariffs on the Mexican economy.",
    "Mexico's position is to close borders.",
    "Trump spoke with the leaders of Mexico, El Salvador and Argentina.",
    "Venezuela is a source of record migration.",
    "The transition team engaged Mexico and El Salvador through informal channels.",
    "Guatemala and Honduras have fully committed to the agreements.",
    "Trump met Bukele in Paris.",
    "The Eiffel Tower is in Berlin.",
    "Water boils at 100 degrees Celsius at sea level.",
    "The Pope visited Mexico City last week.",
)

# Questions used to warm the serving process up (kept out of the timed set so the
# query-embedding cache does not flatter the timings).
_WARM_UP = ("What did Sheinbaum say about migration?", "Sheinbaum spoke with Trump.")


# ------------------------------------------------------------------ synthetic corpus
def _seed_material(seeds_dir: Path, chunk_chars: int) -> tuple[list[str], list[str]]:
    """Sentences and section headings of the seed articles."""
    corpus = load_corpus(seeds_dir)
    sentences: list[str] = []
    headings: list[str] = []
    for doc in corpus.documents:
        for p in chunk_document(doc, chunk_chars):
            if p.kind == "text":
                sentences.extend(s.text for s in p.sentences if len(s.text) >= 30)
            if p.context and "\n" not in p.context:
                headings.append(p.context)
    headings = [h for h in dict.fromkeys(headings) if 2 <= len(h.split()) and len(h) <= 100]
    if not sentences:
        raise ValueError(f"no sentences found in the seed articles under {seeds_dir}")
    return sentences, headings or ["Regional news"]


class _Deck:
    """Draw items in shuffled order, reshuffling when the deck runs out (no short cycles)."""

    def __init__(self, items: list[str], rng: random.Random) -> None:
        self.items = list(items)
        self.rng = rng
        self.pos = len(self.items)

    def draw(self) -> str:
        if self.pos >= len(self.items):
            self.rng.shuffle(self.items)
            self.pos = 0
        self.pos += 1
        return self.items[self.pos - 1]


def synthesize_corpus(seeds_dir: Path, out_dir: Path, passages: int, seed: int = 0,
                      chunk_chars: int = 320, include_seeds: bool = True) -> int:
    """Write a synthetic corpus of about ``passages`` passages into ``out_dir``.

    Articles are built from the seeds' sentences and section headings, shuffled with
    ``random.Random(seed)``, so the same arguments always give the same files. The
    real seed articles are copied too (``include_seeds``) so that questions about
    them stay answerable at every size.

    Args:
        seeds_dir: the seed articles.
        out_dir: created if needed; must not already hold ``.txt`` files.
        passages: target passage count (the result is the first article boundary at
            or above it).
        seed: random seed.
        chunk_chars: the chunker's soft limit (as in the settings) used for counting.

    Returns:
        The number of passages the written corpus chunks into.

    Raises:
        ValueError: ``out_dir`` already holds articles, or the seeds have no sentences.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    if any(out_dir.glob("*.txt")):
        raise ValueError(f"{out_dir} already holds articles; give an empty folder")
    rng = random.Random(seed)
    sentences, headings = _seed_material(seeds_dir, chunk_chars)
    sent_deck, head_deck = _Deck(sentences, rng), _Deck(headings, rng)
    total = 0
    if include_seeds:
        for doc in load_corpus(seeds_dir).documents:
            (out_dir / doc.name).parent.mkdir(parents=True, exist_ok=True)
            (out_dir / doc.name).write_text(doc.text, encoding="utf-8")
            total += len(chunk_document(doc, chunk_chars))
    n = 0
    while total < passages:
        lines = [f"Dispatch {n:06d}: {head_deck.draw()}"]
        for _ in range(rng.randint(2, 4)):
            lines.append(head_deck.draw())
            for _ in range(rng.randint(2, 4)):
                lines.append(" ".join(sent_deck.draw() for _ in range(rng.randint(1, 5))))
        text = "\n".join(lines) + "\n"
        name = f"synthetic_{n:06d}.txt"
        doc = Document(name=name, text=text, sha256=sha256_text(text), body_end=find_body_end(text))
        total += len(chunk_document(doc, chunk_chars))
        (out_dir / name).write_text(text, encoding="utf-8")
        n += 1
    return total


# ------------------------------------------------------------------------ measuring
def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 if sys.platform != "darwin" else rss / 1024 / 1024


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation; NaN for no values."""
    if not values:
        return float("nan")
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def _settings(seeds: Path, index: Path, model: str) -> Any:
    from rag.settings import Settings

    return Settings.from_env(env={}, seeds_dir=seeds, index_dir=index, embedding_model=model)


def _child_index(seeds: Path, index: Path, model: str) -> dict[str, Any]:
    """Index a corpus (run in a fresh process)."""
    from rag.pipeline import Pipeline

    import chromadb  # noqa: F401 - imported outside the timed build, like the model below

    pipe = Pipeline(_settings(seeds, index, model))
    t0 = time.perf_counter()
    pipe.embedder.dim  # load the model outside the timed build  # noqa: B018
    model_s = time.perf_counter() - t0
    stages: dict[str, list[float]] = {}

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        span = stages.setdefault(stage, [now, now])
        span[1] = now

    report = pipe.build_index(progress=progress, rebuild=True)
    embed_s = stages.get("embed", [0, 0])[1] - stages.get("embed", [0, 0])[0]
    return {
        "passages": report.passages,
        "documents": report.documents,
        "model_load_s": round(model_s, 3),
        "index_s": round(report.seconds, 3),
        "index_passages_per_s": round(report.passages / report.seconds, 1),
        "embed_s": round(embed_s, 3),
        "embed_passages_per_s": round(report.embedded / embed_s, 1) if embed_s > 0 else None,
        "store_s": round(stages.get("store", [0, 0])[1] - stages.get("store", [0, 0])[0], 3),
        "index_peak_rss_mb": round(peak_rss_mb(), 1),
    }


def _child_serve(seeds: Path, index: Path, model: str, queries: int) -> dict[str, Any]:
    """Open the index in a fresh process and time asks and checks."""
    from rag.indexing import IndexManager
    from rag.lexical import BM25Index
    from rag.pipeline import Pipeline

    t0 = time.perf_counter()
    import chromadb  # noqa: F401 - timed on its own: a fixed cost, whatever the corpus size

    chroma_import_s = time.perf_counter() - t0
    settings = _settings(seeds, index, model)
    build = IndexManager(settings).current_build()
    t0 = time.perf_counter()
    BM25Index.load(settings.index_dir / "builds" / str(build))
    bm25_s = time.perf_counter() - t0
    pipe = Pipeline(settings)
    t0 = time.perf_counter()
    pipe.index.open()
    open_s = time.perf_counter() - t0
    ready_wall = time.time()
    t0 = time.perf_counter()
    pipe.ask(_WARM_UP[0])  # loads the embedding model and spaCy
    pipe.check(_WARM_UP[1])
    warm_s = time.perf_counter() - t0
    answering_wall = time.time()
    asks: list[float] = []
    abstained = 0
    for q in (QUESTIONS * ((queries // len(QUESTIONS)) + 1))[:queries]:
        t0 = time.perf_counter()
        ans = pipe.ask(q)
        asks.append((time.perf_counter() - t0) * 1000)
        abstained += ans.abstained
    checks: list[float] = []
    for c in (CLAIMS * ((queries // len(CLAIMS)) + 1))[:queries]:
        t0 = time.perf_counter()
        pipe.check(c)
        checks.append((time.perf_counter() - t0) * 1000)
    return {
        "ready_wall": ready_wall,
        "answering_wall": answering_wall,
        "chromadb_import_s": round(chroma_import_s, 3),
        "bm25_load_s": round(bm25_s, 4),
        "open_s": round(open_s, 3),
        "warm_up_s": round(warm_s, 3),
        "ask_ms": {"p50": round(percentile(asks, 50), 1), "p95": round(percentile(asks, 95), 1),
                   "max": round(max(asks), 1), "n": len(asks), "abstained": abstained},
        "check_ms": {"p50": round(percentile(checks, 50), 1), "p95": round(percentile(checks, 95), 1),
                     "max": round(max(checks), 1), "n": len(checks)},
        "serve_peak_rss_mb": round(peak_rss_mb(), 1),
    }


def _run_child(kind: str, seeds: Path, index: Path, model: str, queries: int, timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "rag.bench", "--child", kind, "--seeds", str(seeds), "--index", str(index),
           "--model", model, "--queries", str(queries)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    launched = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env,
                          cwd=str(_PROJECT))
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark step {kind!r} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    if "ready_wall" in result:
        # Wall time from launching the process to an opened index (interpreter, imports, open),
        # and to the first answer (plus the embedding model, spaCy and one ask + check).
        result["startup_s"] = round(result.pop("ready_wall") - launched, 3)
        result["first_answer_s"] = round(result.pop("answering_wall") - launched, 3)
    return result


def run_benchmark(sizes: list[int], out_dir: Path, model: str = "all-MiniLM-L6-v2", queries: int = 30,
                  seed: int = 0, work_dir: Path | None = None, seeds_dir: Path | None = None,
                  keep: bool = False) -> dict[str, Any]:
    """Run every size; write ``results.json``, ``results.md`` and the plot into ``out_dir``."""
    from rag.settings import Settings

    defaults = Settings.from_env(env={})
    seeds_dir = seeds_dir or defaults.seeds_dir
    own_work = work_dir is None
    work = Path(tempfile.mkdtemp(prefix="rag-bench-")) if work_dir is None else work_dir
    rows: list[dict[str, Any]] = []
    try:
        for size in sorted(sizes):
            corpus = work / f"corpus-{size}"
            shutil.rmtree(corpus, ignore_errors=True)
            t0 = time.perf_counter()
            actual = synthesize_corpus(seeds_dir, corpus, size, seed=seed, chunk_chars=defaults.chunk_chars)
            log.info("size %d: corpus of %d passages written in %.1f s", size, actual,
                        time.perf_counter() - t0)
            index = work / f"index-{size}"
            shutil.rmtree(index, ignore_errors=True)
            # The 1-minute load average shows when other work shared the CPU (timings move a lot).
            row: dict[str, Any] = {"target_passages": size, "load_avg_before": round(os.getloadavg()[0], 2)}
            row.update(_run_child("index", corpus, index, model, queries, timeout=6 * 3600))
            log.info("size %d: indexed %d passages at %.0f passages/s", size, row["passages"],
                        row["index_passages_per_s"])
            row.update(_run_child("serve", corpus, index, model, queries, timeout=3600))
            log.info("size %d: ask p50 %.0f ms p95 %.0f ms, check p50 %.0f ms p95 %.0f ms", size,
                        row["ask_ms"]["p50"], row["ask_ms"]["p95"], row["check_ms"]["p50"], row["check_ms"]["p95"])
            row["load_avg_after"] = round(os.getloadavg()[0], 2)
            rows.append(row)
            if not keep:
                shutil.rmtree(index, ignore_errors=True)
                shutil.rmtree(corpus, ignore_errors=True)
    finally:
        if own_work and not keep:
            shutil.rmtree(work, ignore_errors=True)
    base = rows[0]
    for row in rows:
        row["ask_p50_vs_smallest"] = round(row["ask_ms"]["p50"] / base["ask_ms"]["p50"], 2)
        row["ask_p95_vs_smallest"] = round(row["ask_ms"]["p95"] / base["ask_ms"]["p95"], 2)
        row["check_p50_vs_smallest"] = round(row["check_ms"]["p50"] / base["check_ms"]["p50"], 2)
    results = {
        "model": model,
        "queries": queries,
        "seed": seed,
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "note": "single run; figures are noisy when other work shares the CPU (see load_avg_*)",
        "sizes": rows,
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (out_dir / "results.md").write_text(results_markdown(results), encoding="utf-8")
    plot_results(results, out_dir / "latency_vs_size.png")
    return results


def results_markdown(results: dict[str, Any]) -> str:
    """A Markdown table of the results (for the README)."""
    lines = [
        f"Model {results['model']}, {results['cpus']} CPUs, {results['queries']} warm queries per size.",
        "",
        "| passages | index passages/s | index peak RSS MiB | start-up s (first answer s) | BM25 load s "
        "| open s | ask p50 / p95 ms | check p50 / p95 ms | serve peak RSS MiB | ask p50 vs smallest |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results["sizes"]:
        lines.append(
            f"| {r['passages']:,} | {r['index_passages_per_s']:.0f} | {r['index_peak_rss_mb']:.0f} "
            f"| {r['startup_s']:.1f} ({r['first_answer_s']:.1f}) | {r['bm25_load_s']:.3f} | {r['open_s']:.2f} "
            f"| {r['ask_ms']['p50']:.0f} / {r['ask_ms']['p95']:.0f} "
            f"| {r['check_ms']['p50']:.0f} / {r['check_ms']['p95']:.0f} "
            f"| {r['serve_peak_rss_mb']:.0f} | {r['ask_p50_vs_smallest']:.2f}x |"
        )
    return "\n".join(lines) + "\n"


def plot_results(results: dict[str, Any], path: Path) -> None:
    """Latency (p50/p95 of ask and check) and start-up against corpus size, log-x."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = results["sizes"]
    xs = [r["passages"] for r in rows]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    for key, label, style in (("ask_ms", "ask", "-o"), ("check_ms", "check", "-s")):
        ax1.plot(xs, [r[key]["p50"] for r in rows], style, label=f"{label} p50")
        ax1.plot(xs, [r[key]["p95"] for r in rows], style, alpha=0.5, label=f"{label} p95")
    ax1.set_xscale("log")
    ax1.set_xlabel("passages in the index")
    ax1.set_ylabel("latency (ms, warm)")
    ax1.set_title("Latency vs corpus size")
    ax1.grid(True, which="both", alpha=0.3)
    ax1.legend()
    ax2.plot(xs, [r["first_answer_s"] for r in rows], "-D", label="process start to first answer (s)")
    ax2.plot(xs, [r["startup_s"] for r in rows], "-o", label="process start to open index (s)")
    ax2.plot(xs, [r["open_s"] for r in rows], "-s", label="index open (s)")
    ax2.plot(xs, [r["bm25_load_s"] for r in rows], "-^", label="BM25 load (s)")
    ax2.set_xscale("log")
    ax2.set_xlabel("passages in the index")
    ax2.set_ylabel("seconds")
    ax2.set_title(f"Start-up ({results['model']}, {results['cpus']} CPUs)")
    ax2.grid(True, which="both", alpha=0.3)
    ax2.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


# ---------------------------------------------------------------------------- CLI
def _sizes(text: str) -> list[int]:
    """``--sizes 1000,10000`` -> ``[1000, 10000]``; anything else is a one-line usage error."""
    try:
        sizes = [int(x) for x in text.split(",")]
    except ValueError:
        sizes = []
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated passage counts of at least 1 (e.g. 1000,10000), got {text!r}")
    return sizes


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The benchmark's command-line options (shared by ``python -m rag bench``)."""
    p.add_argument("--sizes", type=_sizes, default=None,
                   help="comma-separated passage counts (default 1000,10000, plus 100000 with --max)")
    p.add_argument("--max", type=int, default=max(DEFAULT_SIZES),
                   help="largest size of the default ladder (100000 adds the 100k run; slow)")
    p.add_argument("--model", default="all-MiniLM-L6-v2", help="embedding model (fake for a quick smoke run)")
    p.add_argument("--queries", type=int, default=30, help="timed asks and checks per size")
    p.add_argument("--seed", type=int, default=0, help="random seed of the synthetic corpus")
    p.add_argument("--out", type=Path, default=_PROJECT / "benchmarks",
                   help="folder for results.json, results.md and the plot (default: the project's benchmarks/)")
    p.add_argument("--work", type=Path, default=None, help="folder for corpora and indexes (default: temp)")
    p.add_argument("--keep", action="store_true", help="keep the corpora and indexes")


def main(args: argparse.Namespace) -> int:
    """Run the benchmark from parsed arguments; prints the Markdown table."""
    logging.getLogger(__name__).setLevel(logging.INFO)  # per-size progress lines on stderr
    sizes = args.sizes or [s for s in (*DEFAULT_SIZES, LARGE_SIZE) if s <= args.max]
    results = run_benchmark(sizes, args.out, model=args.model, queries=args.queries, seed=args.seed,
                            work_dir=args.work, keep=args.keep)
    sys.stdout.write(results_markdown(results))
    sys.stdout.write(f"\nwrote {args.out / 'results.json'}, {args.out / 'results.md'}, "
                     f"{args.out / 'latency_vs_size.png'}\n")
    return 0


def _child_main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m rag.bench --child")
    p.add_argument("--child", choices=("index", "serve"), required=True)
    p.add_argument("--seeds", type=Path, required=True)
    p.add_argument("--index", type=Path, required=True)
    p.add_argument("--model", required=True)
    p.add_argument("--queries", type=int, default=30)
    a = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    if a.child == "index":
        out = _child_index(a.seeds, a.index, a.model)
    else:
        out = _child_serve(a.seeds, a.index, a.model, a.queries)
    sys.stdout.write(json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if "--child" in sys.argv[1:]:
        raise SystemExit(_child_main(sys.argv[1:]))
    parser = argparse.ArgumentParser(prog="python -m rag.bench", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(message)s")
    raise SystemExit(main(parser.parse_args()))
