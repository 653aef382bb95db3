"""The real server: ``python -m rag serve`` in a subprocess, real model, real Chroma, real HTTP."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import stop_process

pytestmark = [pytest.mark.integration, pytest.mark.server, pytest.mark.slow]

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DOC = "003_625a3d29147f48c6.txt"
QUESTION = "Which outlet reported the Foreign Affairs Ministry statement?"
FACEBOOK = "Sheinbaum posted her comments on Facebook."
BLOOMBERG = ("According to a statement from Mexico’s Foreign Affairs Ministry reported by Bloomberg, the Sheinbaum "
             "administration is prepared to work with federal, state, and local authorities to address potential "
             "mass deportations.")
STARTUP_SECONDS = 180


@dataclass
class Server:
    url: str
    seeds: Path
    log: Path

    def doc_text(self, name: str) -> str:
        return (self.seeds / name).read_text(encoding="utf-8")

    def post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return httpx.post(self.url + path, json=body, timeout=60)


def _env(seeds: Path, index: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    env.update(RAG_SEEDS_DIR=str(seeds), RAG_INDEX_DIR=str(index), HF_HUB_OFFLINE="1",
               TOKENIZERS_PARALLELISM="false")
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(seeds: Path, index: Path, log: Path, *args: str,
           env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``python -m rag serve [args]`` (``env``: more variables) and wait until it answers
    /health (any status)."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as fh:
        proc = subprocess.Popen([PYTHON, "-m", "rag", "serve", "--host", "127.0.0.1", "--port", str(port), *args],
                                cwd=PROJECT, env={**_env(seeds, index), **(env or {})}, stdout=fh,
                                stderr=subprocess.STDOUT)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            httpx.get(url + "/health", timeout=2)
            return proc, url
        except httpx.TransportError:
            time.sleep(0.5)
    stop_process(proc)
    pytest.fail(f"server did not answer within {STARTUP_SECONDS} s:\n{log.read_text(errors='replace')[-3000:]}")



@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("server")
    seeds, index = root / "seeds", root / "index"
    shutil.copytree(PROJECT / "seeds", seeds)
    built = subprocess.run([PYTHON, "-m", "rag", "index", "--json"], check=False, cwd=PROJECT, env=_env(seeds, index),
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-3000:]
    proc, url = _start(seeds, index, root / "server.log")
    try:
        yield Server(url, seeds, root / "server.log")
    finally:
        stop_process(proc)


def test_health(server: Server) -> None:
    r = httpx.get(server.url + "/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["documents"] == 5 and body["passages"] > 0
    assert body["embedding_model"] == "all-MiniLM-L6-v2"


def test_ask_known_question_cites_exact_spans(server: Server) -> None:
    r = server.post("/ask", {"question": QUESTION})
    assert r.status_code == 200, r.text
    body = r.json()
    assert not body["abstained"], body
    assert "Bloomberg" in body["answer"]
    assert body["citations"]
    for c in body["citations"]:
        assert server.doc_text(c["doc"])[c["start"]:c["end"]] == c["quote"]
        p = httpx.get(f"{server.url}/passages/{c['passage_id']}").json()
        assert p["doc"] == c["doc"] and p["start"] <= c["start"] and c["end"] <= p["end"]


def test_check_refutes_the_wrong_platform(server: Server) -> None:
    r = server.post("/check", {"claim": FACEBOOK})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["verdict"] == "REFUTED", body
    assert 0.0 <= body["confidence"] <= 1.0
    assert any(e["relation"] == "refutes" for e in body["evidence"])
    for e in body["evidence"]:
        assert server.doc_text(e["doc"])[e["start"]:e["end"]] == e["quote"]


def test_check_citation_correct_vs_wrong(server: Server) -> None:
    text = server.doc_text(DOC)
    start = text.index(BLOOMBERG)
    right = {"doc": DOC, "start": start, "end": start + len(BLOOMBERG)}
    wrong_sentence = "In a post on X (formerly Twitter), she emphasized"
    ws = text.index(wrong_sentence)
    wrong = {"doc": DOC, "start": ws, "end": text.index(".", ws) + 1}
    claim = "Bloomberg reported a statement from Mexico's Foreign Affairs Ministry."

    ok = server.post("/check/citation", {"claim": claim, "citations": [right]}).json()
    assert ok["verdict"] == "SUPPORTED", ok
    assert ok["citations"][0]["quote"] == BLOOMBERG
    bad = server.post("/check/citation", {"claim": claim, "citations": [wrong]}).json()
    assert bad["verdict"] != "SUPPORTED", bad
    assert bad["citations"][0]["verdict"] != "SUPPORTED"


def test_bad_input_over_http_is_4xx_json(server: Server) -> None:
    cases = [
        ("/ask", b'{"question": 5}', 422),
        ("/ask", b'{"question": ', 422),
        ("/ask", b'{"question": "' + b"x" * 70_000 + b'"}', 413),
        ("/check/citation", b'{"claim": "x", "citations": [{"doc": "nope.txt", "start": 0, "end": 3}]}', 404),
        ("/check/citation", b'{"claim": "x", "citations": [{"doc": "' + DOC.encode() + b'", "start": 0.5, "end": 3}]}',
         422),
        ("/ask", '{"question": "\u200b\ufeff\u00a0\u2060"}'.encode(), 422),
        ("/ask/stream", b'{"question": "\\u200b\\u200d"}', 422),
        ("/check/citation", b'{"claim": "\\u200b", "citations": [{"doc": "' + DOC.encode() + b'", "start": 0, "end": 3}]}',
         422),
    ]
    for path, content, status in cases:
        r = httpx.post(server.url + path, content=content, headers={"content-type": "application/json"})
        assert r.status_code == status, (path, r.text)
        assert r.json()["error"]["message"]
    r = httpx.get(server.url + "/passages/..%2Fetc")
    assert r.status_code == 422 and r.json()["error"]["message"]


def test_integral_float_offsets_over_http(server: Server) -> None:
    text = server.doc_text(DOC)
    start = text.index(BLOOMBERG)
    body = ('{"claim": "Bloomberg reported a statement from Mexico\'s Foreign Affairs Ministry.", '
            f'"citations": [{{"doc": "{DOC}", "start": {start}.0, "end": {start + len(BLOOMBERG)}.0}}]}}')
    r = httpx.post(server.url + "/check/citation", content=body.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text
    [c] = r.json()["citations"]
    assert (c["start"], c["end"], c["quote"]) == (start, start + len(BLOOMBERG), BLOOMBERG)


def test_overload_is_a_json_503_with_retry_after(server: Server, tmp_path: Path) -> None:
    """``serve --limit-concurrency 1``: while one request is in progress, the next gets our JSON 503."""
    proc, url = _start(server.seeds, server.seeds.parent / "index", tmp_path / "limited.log",
                       "--limit-concurrency", "1")
    try:
        busy: list[httpx.Response] = []
        deadline = time.monotonic() + 30
        with ThreadPoolExecutor(max_workers=8) as pool:
            while not busy and time.monotonic() < deadline:
                # Eight at once: all but the one in progress are turned away.
                burst = list(pool.map(lambda _: httpx.post(url + "/ask", json={"question": QUESTION}, timeout=60),
                                      range(8)))
                assert {r.status_code for r in burst} <= {200, 503}, [r.text for r in burst]
                busy = [r for r in burst if r.status_code == 503]
        assert busy, "no request was turned away"
        r = busy[0]
        assert r.headers["content-type"].startswith("application/json")
        assert r.headers["retry-after"] == "1"
        err = r.json()["error"]
        assert err["type"] == "overloaded" and "--limit-concurrency" in err["message"], err
        r = httpx.post(url + "/ask", json={"question": QUESTION}, timeout=60)  # the slot is free again
        assert r.status_code == 200, r.text
        assert "Bloomberg" in r.json()["answer"]
    finally:
        stop_process(proc)


def test_a_stalled_body_holds_no_slot_and_gets_a_408(server: Server, tmp_path: Path) -> None:
    """A client that sends its headers and part of its body, then stalls, held the only slot of
    ``--limit-concurrency 1`` for as long as it kept the socket open: every request was a 503."""
    proc, url = _start(server.seeds, server.seeds.parent / "index", tmp_path / "stalled.log",
                       "--limit-concurrency", "1", env={"RAG_BODY_TIMEOUT": "3"})
    try:
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=30) as stalled:
            stalled.sendall(b"POST /ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            b"Content-Length: 1000\r\n\r\n{\"question")  # 10 of 1000 bytes
            sent = time.monotonic()
            time.sleep(0.5)  # the stalled request has reached the app
            for _ in range(3):
                r = httpx.post(url + "/ask", json={"question": QUESTION}, timeout=60)
                assert r.status_code == 200, r.text
                assert "Bloomberg" in r.json()["answer"]
            reply = b""
            while chunk := stalled.recv(4096):  # the server closes the connection after the 408
                reply += chunk
            waited = time.monotonic() - sent
        head, _, body = reply.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 408"), reply
        err = json.loads(body)["error"]
        assert err["type"] == "request_timeout" and "RAG_BODY_TIMEOUT" in err["message"], err
        assert 2.5 < waited < 20, waited
    finally:
        stop_process(proc)


def test_concurrent_requests_are_all_answered_consistently(server: Server) -> None:
    expected_answer = server.post("/ask", {"question": QUESTION}).json()
    expected_verdict = server.post("/check", {"claim": FACEBOOK}).json()
    jobs = [("/ask", {"question": QUESTION}), ("/check", {"claim": FACEBOOK})] * 8
    with ThreadPoolExecutor(max_workers=16) as pool:
        responses = list(pool.map(lambda job: server.post(*job), jobs))
    assert [r.status_code for r in responses] == [200] * 16
    for (path, _), r in zip(jobs, responses, strict=True):
        assert r.json() == (expected_answer if path == "/ask" else expected_verdict)


def test_schemathesis_finds_no_server_error(server: Server, tmp_path: Path) -> None:
    """Property-based requests from the OpenAPI schema: no 5xx, whatever the input."""
    st = Path(PYTHON).parent / "st"
    cmd = [str(st), "run", f"{server.url}/openapi.json", "--checks", "not_a_server_error",
           "--max-examples", "30", "--seed", "20241123", "--workers", "1", "--generation-database", "none",
           "--request-timeout", "60", "--no-color"]
    # cwd=tmp_path keeps schemathesis' and hypothesis' scratch folders out of the project.
    run = subprocess.run(cmd, check=False, cwd=tmp_path, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="/usr/bin/chromium is missing")
def test_docs_page_renders_in_a_real_browser_with_the_network_cut_off(server: Server) -> None:
    """Swagger UI at /docs works offline: every request leaving loopback is refused."""
    from playwright import sync_api

    outside: list[str] = []

    def only_loopback(route: Any) -> None:
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.route("**/*", only_loopback)
            page.goto(f"{server.url}/docs")
            page.wait_for_selector(".opblock", timeout=30_000)
            paths = page.locator(".opblock-summary-path").all_inner_texts()
            assert {"/health", "/ask", "/check", "/check/citation"} <= {t.strip() for t in paths}, paths
        finally:
            browser.close()
    assert outside == []


def test_server_without_index_starts_and_reports_503(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(PROJECT / "seeds", seeds)
    proc, url = _start(seeds, tmp_path / "index", tmp_path / "server.log")
    try:
        r = httpx.get(url + "/health")
        assert r.status_code == 503 and r.json()["status"] == "no_index"
        r = httpx.post(url + "/ask", json={"question": QUESTION})
        assert r.status_code == 503
        assert "python -m rag index" in r.json()["error"]["message"]
    finally:
        stop_process(proc)
