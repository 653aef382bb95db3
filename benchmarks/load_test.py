#!/usr/bin/env python
"""Load test of the HTTP API: N concurrent clients for T seconds of mixed /ask and /check.

    .venv/bin/python benchmarks/load_test.py                       # 32 clients, 60 s, MiniLM
    .venv/bin/python benchmarks/load_test.py --duration 15 --clients 8
    .venv/bin/python benchmarks/load_test.py --model fake --duration 10   # smoke run

It copies the seeds into a temporary folder, indexes them (``python -m rag index``),
starts the real API (``python -m rag serve``) on a free loopback port, waits for
``/health``, then runs the clients (asyncio + httpx), each sending requests from a
fixed list (questions about the seeds to ``/ask``, claims to ``/check``) back to back.
It reports throughput, p50/p95/p99 latency per endpoint, the error count and the
server's peak RSS, writes ``load_results.json`` next to this file, and always stops
the server. Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))

from rag.bench import CLAIMS, QUESTIONS, percentile  # noqa: E402

LOOPBACK = ("127.0.0.1", "::1", "localhost")
MAX_DURATION = 900.0
MAX_CLIENTS = 512


def free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def requests_list() -> list[tuple[str, dict[str, str]]]:
    """The fixed mix: questions and claims interleaved (half /ask, half /check)."""
    out: list[tuple[str, dict[str, str]]] = []
    for q, c in zip(QUESTIONS, CLAIMS, strict=False):
        out.append(("/ask", {"question": q}))
        out.append(("/check", {"claim": c}))
    return out


def server_env(seeds: Path, index: Path, model: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    env.update(HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", PYTHONPATH=str(PROJECT),
               RAG_SEEDS_DIR=str(seeds), RAG_INDEX_DIR=str(index), RAG_EMBEDDING_MODEL=model)
    return env


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM (peak resident set) of a live process, Linux only."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


async def run_clients(base: str, clients: int, duration: float, timeout: float) -> dict[str, Any]:
    import httpx

    mix = requests_list()
    latencies: dict[str, list[float]] = {"/ask": [], "/check": []}
    statuses: Counter[str] = Counter()
    samples: list[str] = []
    deadline = time.monotonic() + duration
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits) as http:

        async def client(n: int) -> None:
            i = n * 7  # each client starts at a different place in the list
            while time.monotonic() < deadline:
                path, body = mix[i % len(mix)]
                i += 1
                t0 = time.perf_counter()
                try:
                    r = await http.post(path, json=body)
                    ms = (time.perf_counter() - t0) * 1000
                    statuses[str(r.status_code)] += 1
                    if r.status_code == 200:
                        latencies[path].append(ms)
                    elif len(samples) < 5:
                        samples.append(f"{path} {r.status_code}: {r.text[:200]}")
                except httpx.HTTPError as exc:
                    statuses[type(exc).__name__] += 1
                    if len(samples) < 5:
                        samples.append(f"{path}: {type(exc).__name__}: {exc}")

        t0 = time.perf_counter()
        await asyncio.gather(*(client(n) for n in range(clients)))
        elapsed = time.perf_counter() - t0

    ok = sum(len(v) for v in latencies.values())
    total = sum(statuses.values())
    every = latencies["/ask"] + latencies["/check"]

    def summary(xs: list[float]) -> dict[str, float | int]:
        return {"n": len(xs), "p50": round(percentile(xs, 50), 1), "p95": round(percentile(xs, 95), 1),
                "p99": round(percentile(xs, 99), 1), "max": round(max(xs), 1) if xs else float("nan")}

    return {
        "elapsed_s": round(elapsed, 2),
        "requests": total,
        "ok": ok,
        "errors": total - ok,
        "throughput_rps": round(ok / elapsed, 2),
        "statuses": dict(statuses),
        "error_samples": samples,
        "latency_ms": {"all": summary(every), "/ask": summary(latencies["/ask"]),
                       "/check": summary(latencies["/check"])},
    }


def wait_healthy(base: str, proc: subprocess.Popen[bytes], timeout: float) -> dict[str, Any]:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the API exited with status {proc.returncode} during start-up")
        try:
            r = httpx.get(f"{base}/health", timeout=5)
            if r.status_code == 200:
                return dict(r.json())
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the API did not become healthy within {timeout:.0f} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", type=int, default=32, help="concurrent clients (default 32)")
    p.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    p.add_argument("--host", default="127.0.0.1", help="loopback address to serve on")
    p.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    p.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    p.add_argument("--model", default="all-MiniLM-L6-v2", help="embedding model (fake for a smoke run)")
    p.add_argument("--seeds", type=Path, default=PROJECT / "seeds", help="articles to index (copied)")
    p.add_argument("--timeout", type=float, default=60.0, help="per-request timeout, seconds")
    p.add_argument("--out", type=Path, default=HERE / "load_results.json", help="where to write the JSON")
    a = p.parse_args(argv)
    if a.host not in LOOPBACK:
        p.error(f"--host must be a loopback address ({', '.join(LOOPBACK)}), got {a.host!r}")
    if not 0 < a.duration <= MAX_DURATION:
        p.error(f"--duration must be in (0, {MAX_DURATION:.0f}] seconds")
    if not 0 < a.clients <= MAX_CLIENTS:
        p.error(f"--clients must be in [1, {MAX_CLIENTS}]")

    work = Path(tempfile.mkdtemp(prefix="rag-load-"))
    proc: subprocess.Popen[bytes] | None = None
    try:
        seeds, index = work / "seeds", work / "index"
        shutil.copytree(a.seeds, seeds)
        env = server_env(seeds, index, a.model)
        built = subprocess.run([sys.executable, "-m", "rag", "index", "--json"], env=env, cwd=PROJECT,
                               capture_output=True, text=True, timeout=1800)
        if built.returncode != 0:
            sys.stderr.write(built.stderr)
            return 1
        port = a.port or free_port(a.host)
        host_url = f"[{a.host}]" if ":" in a.host else a.host
        base = f"http://{host_url}:{port}"
        log_path = work / "server.log"
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "rag", "serve", "--host", a.host, "--port", str(port),
                 "--workers", str(a.workers), "--limit-concurrency", str(max(64, a.clients * 2))],
                env=env, cwd=PROJECT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        t0 = time.monotonic()
        try:
            health = wait_healthy(base, proc, timeout=300)
        except RuntimeError as exc:
            sys.stderr.write(f"{exc}\n{log_path.read_text(errors='replace')[-3000:]}\n")
            return 1
        startup = time.monotonic() - t0
        sys.stderr.write(f"API up in {startup:.1f} s ({health.get('passages')} passages); "
                         f"{a.clients} clients for {a.duration:.0f} s...\n")
        result = asyncio.run(run_clients(base, a.clients, a.duration, a.timeout))
        result.update(
            clients=a.clients, duration_s=a.duration, workers=a.workers, model=a.model,
            passages=health.get("passages"), api_startup_s=round(startup, 1),
            server_peak_rss_mb=peak_rss_mb(proc.pid), cpus=os.cpu_count(),
            created=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        )
    finally:
        if proc is not None:
            stop(proc)
        shutil.rmtree(work, ignore_errors=True)

    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    lat = result["latency_ms"]
    print(f"{result['ok']} ok / {result['requests']} requests in {result['elapsed_s']} s "
          f"= {result['throughput_rps']} req/s, {result['errors']} errors {result['statuses']}")
    for key in ("all", "/ask", "/check"):
        s = lat[key]
        print(f"  {key:7s} n={s['n']:5d}  p50 {s['p50']:8.1f} ms  p95 {s['p95']:8.1f} ms  p99 {s['p99']:8.1f} ms")
    print(f"  server peak RSS {result['server_peak_rss_mb']} MiB; wrote {a.out}")
    return 0 if result["errors"] == 0 else 2


if __name__ == "__main__":
    raise SystemExit(main())
