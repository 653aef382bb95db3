"""HTTP API over the deterministic fake pipeline (FastAPI TestClient, no network)."""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rag.answer import NOT_IN_CORPUS
from rag.api import MAX_BODY_BYTES, BodyReader, ConcurrencyLimit, create_app
from rag.embeddings import FakeEmbedder
from rag.pipeline import MAX_CITATIONS, Pipeline
from rag.settings import Settings

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
DOC = "003_625a3d29147f48c6.txt"
BLOOMBERG = ("According to a statement from Mexico’s Foreign Affairs Ministry reported by Bloomberg, the Sheinbaum "
             "administration is prepared to work with federal, state, and local authorities to address potential "
             "mass deportations.")
LABELS = {"SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"}
JSON = {"content-type": "application/json"}
BLOOMBERG_Q = "Which outlet reported the Foreign Affairs Ministry statement?"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One app for the module: like ``fake_pipeline``, but indexed and warmed up once."""
    root = tmp_path_factory.mktemp("api")
    shutil.copytree(SEEDS, root / "seeds")
    settings = Settings.from_env(env={}, seeds_dir=root / "seeds", index_dir=root / "index",
                                 embedding_model="fake")
    pipe = Pipeline(settings, embedder=FakeEmbedder())
    pipe.build_index()
    with TestClient(create_app(pipe)) as c:  # runs the lifespan (warm-up)
        yield c


def doc_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def span_of(sentence: str, doc: str = DOC) -> dict[str, Any]:
    start = doc_text(doc).index(sentence)
    return {"doc": doc, "start": start, "end": start + len(sentence)}


def assert_error(response: Any, status: int, needle: str = "") -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    err = response.json()["error"]
    assert err["type"] and err["message"]
    assert needle.lower() in err["message"].lower(), err
    assert "Traceback" not in response.text
    return err


# ------------------------------------------------------------------ happy paths
def test_health_answers_head_for_uptime_checks(client: TestClient) -> None:
    r = client.head("/health")  # `curl -I` and uptime checkers send HEAD; it was a 405
    assert r.status_code == 200 and r.content == b""
    assert list(client.get("/openapi.json").json()["paths"]["/health"]) == ["get"]  # one operation


def test_health(client: TestClient) -> None:
    r = client.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["documents"] == 5
    assert body["passages"] > 0
    assert body["embedding_model"] == "fake"
    assert body["backend"] == "chroma-embedded"
    assert body["generator"] == "extractive"
    assert body["verifier"] == "rules"
    assert body["build"]


def test_ask_answers_with_exact_citations(client: TestClient) -> None:
    r = client.post("/ask", json={"question": "What did Sheinbaum say about migration?"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert {"question", "answer", "abstained", "sentences", "citations"} <= body.keys()
    assert body["abstained"] is False
    assert body["sentences"] and body["citations"]
    for s in body["sentences"]:
        assert s["text"] and all(0 <= i < len(body["citations"]) for i in s["citations"])
    for c in body["citations"]:
        assert {"id", "doc", "start", "end", "quote", "passage_id"} <= c.keys()
        assert doc_text(c["doc"])[c["start"]:c["end"]] == c["quote"]


def test_ask_abstains_with_fixed_message(client: TestClient) -> None:
    r = client.post("/ask", json={"question": "What is the capital of Australia?"})
    assert r.status_code == 200
    body = r.json()
    assert body["abstained"] is True
    assert body["answer"] == NOT_IN_CORPUS
    assert body["citations"] == []


def test_check_returns_verdict_with_evidence(client: TestClient) -> None:
    r = client.post("/check", json={"claim": "Sheinbaum posted her comments on Facebook."})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["verdict"] == "REFUTED"
    assert 0.0 <= body["confidence"] <= 1.0
    assert body["explanation"]
    for e in body["evidence"]:
        assert {"doc", "start", "end", "quote", "relation"} <= e.keys()
        assert doc_text(e["doc"])[e["start"]:e["end"]] == e["quote"]


def test_check_citation_correct_vs_wrong_span(client: TestClient) -> None:
    claim = "Bloomberg reported the Foreign Affairs Ministry statement."
    right = span_of(BLOOMBERG)
    wrong = span_of("Mexican President Claudia Sheinbaum was among the first world leaders to extend congratulations.")

    r = client.post("/check/citation", json={"claim": claim, "citations": [right]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["verdict"] == "SUPPORTED"
    [c] = body["citations"]
    assert c["quote"] == BLOOMBERG and c["verdict"] == "SUPPORTED"
    assert (c["doc"], c["start"], c["end"]) == (right["doc"], right["start"], right["end"])

    r = client.post("/check/citation", json={"claim": claim, "citations": [wrong]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["verdict"] != "SUPPORTED"
    assert body["citations"][0]["verdict"] in LABELS - {"SUPPORTED"}

    r = client.post("/check/citation", json={"claim": claim, "citations": [wrong, right]})
    verdicts = [c["verdict"] for c in r.json()["citations"]]
    assert r.json()["verdict"] == "SUPPORTED" and verdicts[1] == "SUPPORTED" and verdicts[0] != "SUPPORTED"


def test_integral_float_offsets_are_integers(client: TestClient) -> None:
    """JSON Schema counts 42.0 as an integer, so the offsets accept it (and answer with 42)."""
    claim = "Bloomberg reported the Foreign Affairs Ministry statement."
    right = span_of(BLOOMBERG)
    as_floats = {**right, "start": float(right["start"]), "end": float(right["end"])}
    body = json.dumps({"claim": claim, "citations": [as_floats]})
    assert f'"start": {right["start"]}.0' in body
    r = client.post("/check/citation", content=body, headers=JSON)
    assert r.status_code == 200, r.text
    [c] = r.json()["citations"]
    assert (c["start"], c["end"]) == (right["start"], right["end"])
    assert f'"start":{right["start"]},' in r.text  # integers again, not 123.0
    assert c["quote"] == BLOOMBERG and r.json()["verdict"] == "SUPPORTED"


def test_passage_round_trip(client: TestClient) -> None:
    cites = client.post("/check", json={"claim": "Sheinbaum posted her comments on Facebook."}).json()["evidence"]
    pid = cites[0]["passage_id"]
    r = client.get(f"/passages/{pid}")
    assert r.status_code == 200, r.text
    p = r.json()
    assert p["id"] == pid and p["kind"] and "context" in p
    assert doc_text(p["doc"])[p["start"]:p["end"]] == p["text"]


def _get_passage(client: TestClient, any_id: str) -> Any:
    return client.get("/passages/" + any_id.replace("#", "%23"))


def test_passages_accepts_every_citation_id_the_api_hands_out(client: TestClient) -> None:
    """/ask, /check and /check/citation ids (``p_…#start-end``) all resolve, to the span and its passage."""
    asked = client.post("/ask", json={"question": BLOOMBERG_Q}).json()["citations"]
    checked = client.post("/check", json={"claim": "Sheinbaum posted her comments on Facebook."}).json()["evidence"]
    judged = client.post("/check/citation", json={"claim": "Bloomberg reported the statement.",
                                                  "citations": [span_of(BLOOMBERG)]}).json()
    given = judged["citations"] + judged["evidence"]
    assert asked and checked and given
    for c in asked + checked + given:
        assert c["id"] == f"{c['passage_id']}#{c['start']}-{c['end']}", c  # one id form everywhere
        r = _get_passage(client, c["id"])
        assert r.status_code == 200, (c["id"], r.text)
        p = r.json()
        assert p["id"] == c["passage_id"] and p["doc"] == c["doc"] and p["start"] <= c["start"] < p["end"]
        assert p["span"] == {"id": c["id"], "start": c["start"], "end": c["end"], "quote": c["quote"]}
        assert doc_text(p["doc"])[p["start"]:p["end"]] == p["text"]
    assert "span" not in _get_passage(client, asked[0]["passage_id"]).json()  # a plain passage id: no span


def test_passages_accepts_a_document_span_id(client: TestClient) -> None:
    span = span_of(BLOOMBERG)
    r = _get_passage(client, f"{DOC}#{span['start']}-{span['end']}")
    assert r.status_code == 200, r.text
    p = r.json()
    assert p["doc"] == DOC and p["start"] <= span["start"] < p["end"] and p["span"]["quote"] == BLOOMBERG


@pytest.mark.parametrize(("any_id", "status", "needle"), [
    ("p_00000000000000000000#0-5", 404, "no passage p_00000000000000000000"),
    ("nope.txt#0-5", 404, "unknown document"),
    (f"{DOC}#0-99999999", 404, "outside document"),
    (f"{DOC}#9-5", 404, "start must be less than end"),
    ("..%2F..%2Fetc%2Fpasswd#0-5", 404, "unknown document"),
    ("p_00000000000000000000#5", 422, "should match pattern"),
    ("p_00000000000000000000#a-b", 422, "should match pattern"),
])
def test_passages_unknown_or_malformed_citation_id(client: TestClient, any_id: str, status: int,
                                                   needle: str) -> None:
    assert_error(_get_passage(client, any_id), status, needle)


def test_passages_span_outside_the_named_passage_is_a_404(client: TestClient) -> None:
    c = client.post("/ask", json={"question": BLOOMBERG_Q}).json()["citations"][0]
    p = _get_passage(client, c["passage_id"]).json()
    assert_error(_get_passage(client, f"{c['passage_id']}#{p['end']}-{p['end'] + 5}"), 404, "covers offsets")


def test_every_citation_id_check_citation_returns_resolves(client: TestClient) -> None:
    # A span selected from the newline before a paragraph starts in no passage: its id
    # (doc#start-end, no passage_id) was a 404 at /passages, which promises any id the API returns.
    text = doc_text(DOC)
    start = text.index("\n", text.index(BLOOMBERG) + len(BLOOMBERG))
    body = {"claim": "The ministry made a statement.", "citations": [{"doc": DOC, "start": start, "end": start + 40}]}
    r = client.post("/check/citation", json=body)
    assert r.status_code == 200, r.text
    [cited] = r.json()["citations"]
    assert cited["passage_id"] and (cited["start"], cited["end"]) == (start, start + 40)
    got = _get_passage(client, cited["id"])
    assert got.status_code == 200, got.text
    assert got.json()["id"] == cited["passage_id"] and got.json()["span"]["quote"] == text[start:start + 40]


def test_citation_ids_of_spans_in_no_passage_resolve(client: TestClient) -> None:
    # Blank lines between paragraphs, headings and trailing boilerplate lie in no passage: their
    # /check/citation id was doc#start-end, with no passage_id, and a 404 at /passages. Such a
    # span now belongs to the passage after it (the last one at the end of a document).
    pipe = client.app.state.pipeline  # type: ignore[attr-defined]
    kinds = set()
    for doc in sorted(pipe.index.open().documents()):
        text, passages = doc_text(doc), pipe.doc_passages(doc)
        gaps = [(a.end, b.start) for a, b in zip(passages, passages[1:], strict=False) if a.end < b.start]
        gaps += [(passages[-1].end, len(text))] if passages[-1].end < len(text) else []
        assert 0 < len(gaps) <= MAX_CITATIONS
        r = client.post("/check/citation", json={"claim": "Trump spoke with Sheinbaum.", "citations": [
            {"doc": doc, "start": start, "end": end} for start, end in gaps]})
        assert r.status_code == 200, r.text
        for (start, end), cited in zip(gaps, r.json()["citations"], strict=True):
            kinds.add("blank" if text[start:end].isspace() else "text")
            after = next((p for p in passages if p.start >= end), passages[-1])
            assert cited["id"] == f"{after.id}#{start}-{end}" and cited["passage_id"] == after.id
            got = _get_passage(client, cited["id"])
            assert got.status_code == 200, got.text
            assert got.json()["id"] == after.id
            assert got.json()["span"] == {"id": cited["id"], "start": start, "end": end, "quote": text[start:end]}
    assert kinds == {"blank", "text"}
    # An id naming another passage for such a span is still no span the API handed out.
    start, end = gaps[0]  # after passages[0], so it belongs to passages[1]
    assert_error(_get_passage(client, f"{passages[0].id}#{start}-{end}"), 404, "covers offsets")


def test_document_text(client: TestClient) -> None:
    r = client.get(f"/documents/{DOC}")
    assert r.status_code == 200
    assert r.json() == {"doc": DOC, "text": doc_text(DOC)}


def test_openapi_documents_the_configured_limits(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/health", "/ask", "/check", "/check/citation", "/passages/{passage_id}",
            "/documents/{name}"} <= schema["paths"].keys()
    ask = schema["components"]["schemas"]["AskRequest"]
    assert ask["properties"]["question"]["maxLength"] == 2000
    assert ask["additionalProperties"] is False
    assert client.get("/docs").status_code == 200


def test_docs_page_loads_swagger_ui_from_the_server_not_a_cdn(client: TestClient) -> None:
    page = client.get("/docs").text
    assert "/docs-assets/swagger-ui-bundle.js" in page and "/docs-assets/swagger-ui.css" in page
    assert "cdn." not in page and "https://" not in page
    js = client.get("/docs-assets/swagger-ui-bundle.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"] and len(js.content) > 100_000
    assert client.get("/docs-assets/swagger-ui.css").status_code == 200
    assert client.get("/redoc").status_code == 404  # ReDoc needs a CDN: not offered


@pytest.mark.parametrize("text", [
    "¿Qué dijo Sheinbaum sobre la migración? 🇲🇽",
    "\u200b\ufeffWhat did Sheinbaum say about migration?\u2060\u00a0",
    "control\x00chars\x1b[31m about Trump",
    "שלום Sheinbaum " * 20,
])
def test_odd_but_valid_text_is_answered(client: TestClient, text: str) -> None:
    for path, key in (("/ask", "question"), ("/check", "claim")):
        r = client.post(path, content=json.dumps({key: text}), headers=JSON)
        assert r.status_code == 200, r.text


# ------------------------------------------------------------------- bad input
TOO_MANY = [{"doc": DOC, "start": 0, "end": 5}] * (MAX_CITATIONS + 1)
BAD_INPUTS = [
    # id, method, path, request kwargs, status, text the message must contain
    ("question-int", "post", "/ask", {"json": {"question": 5}}, 422, "valid string"),
    ("question-missing", "post", "/ask", {"json": {}}, 422, "question: field required"),
    ("question-null", "post", "/ask", {"json": {"question": None}}, 422, "valid string"),
    ("question-empty", "post", "/ask", {"json": {"question": ""}}, 422, "at least 1 character"),
    ("question-blank", "post", "/ask", {"json": {"question": " \n\t "}}, 422, "question is empty"),
    ("question-control-only", "post", "/ask", {"json": {"question": "\x00\x01"}}, 422, "question is empty"),
    ("question-invisible", "post", "/ask", {"json": {"question": "\u200b\u200c\u200d\u2060\ufeff"}}, 422,
     "question is empty"),
    ("question-nbsp-zwsp", "post", "/ask", {"json": {"question": "\u00a0\u200b\u3000"}}, 422, "question is empty"),
    ("stream-invisible", "post", "/ask/stream", {"json": {"question": "\ufeff\u200b"}}, 422, "question is empty"),
    ("question-lone-surrogate", "post", "/ask", {"content": b'{"question": "\\ud800 Who?"}', "headers": JSON},
     422, "unicode string"),
    ("question-too-long", "post", "/ask", {"json": {"question": "x" * 2001}}, 422, "the limit is 2000"),
    ("extra-field", "post", "/ask", {"json": {"question": "Who?", "top_k": 3}}, 422, "extra"),
    ("body-array", "post", "/ask", {"json": ["Who?"]}, 422, "valid dictionary"),
    ("body-empty", "post", "/ask", {"content": b"", "headers": JSON}, 422, "field required"),
    ("json-malformed", "post", "/ask", {"content": b'{"question": ', "headers": JSON}, 422, "not valid JSON"),
    ("json-not-utf8", "post", "/ask", {"content": b'{"question": "\xff\xfe"}', "headers": JSON}, 400,
     "parsing the body (send UTF-8 encoded JSON)"),
    ("not-json", "post", "/ask", {"content": b"question=hi", "headers": {"content-type": "text/plain"}}, 422,
     "valid dictionary or object to extract fields from (send a JSON object with Content-Type: application/json)"),
    ("claim-list", "post", "/check", {"json": {"claim": ["a"]}}, 422, "valid string"),
    ("claim-blank", "post", "/check", {"json": {"claim": "   "}}, 422, "claim is empty"),
    ("claim-invisible", "post", "/check", {"json": {"claim": "\u2060\u200b\u00ad"}}, 422, "claim is empty"),
    ("cite-claim-invisible", "post", "/check/citation",
     {"json": {"claim": "\u200b\ufeff", "citations": [{"doc": DOC, "start": 0, "end": 4}]}}, 422, "claim is empty"),
    ("claim-too-long", "post", "/check", {"json": {"claim": "y" * 5000}}, 422, "the limit is 2000"),
    ("cite-unknown-doc", "post", "/check/citation",
     {"json": {"claim": "x is y", "citations": [{"doc": "nope.txt", "start": 0, "end": 4}]}}, 404,
     "unknown document 'nope.txt'"),
    ("cite-traversal", "post", "/check/citation",
     {"json": {"claim": "x is y", "citations": [{"doc": "../../etc/passwd", "start": 0, "end": 4}]}}, 404,
     "unknown document"),
    ("cite-past-end", "post", "/check/citation",
     {"json": {"claim": "x is y", "citations": [{"doc": DOC, "start": 0, "end": 10**6}]}}, 422,
     "outside document"),
    ("cite-reversed", "post", "/check/citation",
     {"json": {"claim": "x is y", "citations": [{"doc": DOC, "start": 50, "end": 10}]}}, 422,
     "start must be less than end"),
    ("cite-empty-span", "post", "/check/citation",
     {"json": {"claim": "x is y", "citations": [{"doc": DOC, "start": 10, "end": 10}]}}, 422,
     "start must be less than end"),
    ("cite-negative", "post", "/check/citation",
     {"json": {"claim": "x is y", "citations": [{"doc": DOC, "start": -1, "end": 10}]}}, 422,
     "greater than or equal to 0"),
    ("cite-string-offset", "post", "/check/citation",
     {"json": {"claim": "x is y", "citations": [{"doc": DOC, "start": "0", "end": 10}]}}, 422,
     "valid integer"),
    ("cite-bool-offset", "post", "/check/citation",
     {"json": {"claim": "x is y", "citations": [{"doc": DOC, "start": True, "end": 10}]}}, 422,
     "valid integer"),
    ("cite-fractional-offset", "post", "/check/citation",
     {"json": {"claim": "x is y", "citations": [{"doc": DOC, "start": 42.5, "end": 100}]}}, 422,
     "citations.0.start: input should be a valid integer"),
    ("cite-fractional-end", "post", "/check/citation",
     {"json": {"claim": "x is y", "citations": [{"doc": DOC, "start": 0, "end": 1e-9}]}}, 422,
     "citations.0.end: input should be a valid integer"),
    ("cite-false-end", "post", "/check/citation",
     {"json": {"claim": "x is y", "citations": [{"doc": DOC, "start": 0, "end": False}]}}, 422,
     "citations.0.end: input should be a valid integer"),
    ("cite-huge-float", "post", "/check/citation",
     {"json": {"claim": "x is y", "citations": [{"doc": DOC, "start": 0, "end": 1e300}]}}, 422,
     "citations.0.end: input should be less than or equal to"),
    ("cite-nan", "post", "/check/citation",
     {"content": b'{"claim": "x is y", "citations": [{"doc": "' + DOC.encode() + b'", "start": 0, "end": NaN}]}',
      "headers": JSON}, 422, "citations.0.end"),
    ("cite-none", "post", "/check/citation", {"json": {"claim": "x is y", "citations": []}}, 422,
     "at least 1 item"),
    ("cite-too-many", "post", "/check/citation", {"json": {"claim": "x is y", "citations": TOO_MANY}}, 422,
     f"at most {MAX_CITATIONS} items"),
    ("cite-missing-end", "post", "/check/citation",
     {"json": {"claim": "x is y", "citations": [{"doc": DOC, "start": 0}]}}, 422, "end: field required"),
    ("passage-traversal", "get", "/passages/..%2Fetc", {}, 422, "should match pattern"),
    ("passage-traversal-deep", "get", "/passages/..%2F..%2Fetc%2Fpasswd", {}, 422, "should match pattern"),
    ("passage-malformed", "get", "/passages/p_XYZ", {}, 422, "should match pattern"),
    ("passage-malformed-says-what-fits", "get", "/passages/p_XYZ", {}, 422, "or a citation id as /ask returns it"),
    ("passage-unknown", "get", "/passages/p_00000000000000000000", {}, 404, "no passage"),
    ("document-unknown", "get", "/documents/nope.txt", {}, 404, "unknown document"),
    ("document-traversal", "get", "/documents/..%2F..%2Fetc%2Fpasswd", {}, 404, "unknown document"),
    ("wrong-method", "get", "/ask", {}, 405, "method not allowed"),
    ("unknown-route", "get", "/nope", {}, 404, "not found"),
]


@pytest.mark.parametrize(("method", "path", "kwargs", "status", "needle"),
                         [case[1:] for case in BAD_INPUTS], ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_is_a_4xx_with_a_message(client: TestClient, method: str, path: str,
                                           kwargs: dict[str, Any], status: int, needle: str) -> None:
    assert_error(client.request(method, path, **kwargs), status, needle)


def test_oversized_body_by_content_length(client: TestClient) -> None:
    body = b'{"question": "' + b"x" * MAX_BODY_BYTES + b'"}'
    assert_error(client.post("/ask", content=body, headers=JSON), 413, "64 KiB")


def test_oversized_body_streamed_without_content_length(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"question": "'
        for _ in range(80):
            yield b"x" * 1024
        yield b'"}'

    assert_error(client.post("/ask", content=chunks(), headers=JSON), 413, "64 KiB")


#: Arrays inside one another far deeper than the JSON parser recurses, within the body limit.
_DEEP = b"[" * 30_000 + b"]" * 30_000


@pytest.mark.parametrize(("path", "body"), [
    ("/ask", _DEEP),
    ("/ask", b'{"question": ' + _DEEP + b"}"),
    ("/check", b'{"a": ' * 8_000 + b"1" + b"}" * 8_000),
    ("/check/citation", b'{"claim": "Bukele met Trump.", "citations": [' + _DEEP + b"]}"),
], ids=["array", "question", "object", "citations"])
def test_deeply_nested_json_is_a_4xx_that_says_so(client: TestClient, path: str, body: bytes) -> None:
    # It was a 400 saying "send UTF-8 encoded JSON" (FastAPI's parse error for a RecursionError).
    assert len(body) < MAX_BODY_BYTES
    err = assert_error(client.post(path, content=body, headers=JSON), 422, "nested too deeply")
    assert err["type"] == "validation_error" and "UTF-8" not in err["message"]


def test_body_just_under_the_limit_reaches_validation(client: TestClient) -> None:
    body = b'{"question": "' + b"x" * (MAX_BODY_BYTES - 100) + b'"}'
    assert_error(client.post("/ask", content=body, headers=JSON), 422, "the limit is 2000")


# -------------------------------------------------------------------- overload
def test_overload_is_a_json_503_with_retry_after() -> None:
    """Beyond ``max_in_flight`` requests in progress: our JSON error, not uvicorn's plain text."""
    import asyncio

    import httpx

    async def run() -> None:
        inside, release = asyncio.Event(), asyncio.Event()

        async def slow_app(scope: Any, receive: Any, send: Any) -> None:
            inside.set()
            await release.wait()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"done"})

        limiter = ConcurrencyLimit(slow_app, max_in_flight=1)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=limiter), base_url="http://t") as c:
            first = asyncio.create_task(c.post("/ask", json={"question": "Who?"}))
            await asyncio.wait_for(inside.wait(), 5)
            busy = await c.post("/ask", json={"question": "Who?"})
            assert_error(busy, 503, "RAG_MAX_CONCURRENCY")
            assert busy.json()["error"]["type"] == "overloaded"
            assert busy.headers["retry-after"] == "1"
            release.set()
            assert (await first).status_code == 200
            assert limiter.in_flight == 0
            assert (await c.post("/ask", json={"question": "Who?"})).status_code == 200  # the slot is free again

    asyncio.run(run())


def test_app_limits_concurrency_from_the_settings(fake_settings: Settings) -> None:
    app = create_app(Pipeline(fake_settings.with_(max_concurrency=7, body_timeout=9), embedder=FakeEmbedder()))
    [limit] = [m for m in app.user_middleware if m.cls is ConcurrencyLimit]
    assert limit.kwargs == {"max_in_flight": 7}
    # Outermost: the body is read (within RAG_BODY_TIMEOUT) before a request takes a slot.
    assert [m.cls for m in app.user_middleware[:2]] == [BodyReader, ConcurrencyLimit]
    assert app.user_middleware[0].kwargs == {"max_bytes": MAX_BODY_BYTES, "timeout_s": 9}


def test_a_stalled_body_holds_no_slot_and_gets_a_408() -> None:
    """A client that sends headers and part of its body, then stalls, held a slot for good."""
    import asyncio

    import httpx

    async def run() -> None:
        async def echo(scope: Any, receive: Any, send: Any) -> None:
            message = await receive()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": message["body"]})

        limiter = ConcurrencyLimit(echo, max_in_flight=1)
        app = BodyReader(limiter, timeout_s=0.5)
        parts = [{"type": "http.request", "body": b'{"question": ', "more_body": True}]

        async def stalling() -> dict[str, Any]:
            if parts:
                return parts.pop()
            await asyncio.Event().wait()  # the rest of the body never comes
            raise AssertionError("unreachable")

        sent: list[dict[str, Any]] = []

        async def record(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": "/ask", "headers": [(b"content-length", b"1000")]}
        stalled = asyncio.create_task(app(scope, stalling, record))
        await asyncio.sleep(0.1)
        assert not sent and limiter.in_flight == 0
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            r = await c.post("/ask", json={"question": "Who?"})  # limit 1, and the stalled one holds none
            assert r.status_code == 200 and r.json() == {"question": "Who?"}
        await asyncio.wait_for(stalled, 5)
        start, body = sent
        assert start["status"] == 408 and (b"connection", b"close") in start["headers"]
        err = json.loads(body["body"])["error"]
        assert err["type"] == "request_timeout" and "RAG_BODY_TIMEOUT" in err["message"]
        assert limiter.in_flight == 0

    asyncio.run(run())


# --------------------------------------------------------- failure and startup
def test_missing_index_is_503_not_a_crash(fake_settings: Settings) -> None:
    pipe = Pipeline(fake_settings, embedder=FakeEmbedder())  # never indexed
    with TestClient(create_app(pipe)) as c:
        r = c.get("/health")
        assert r.status_code == 503
        assert r.json()["status"] == "no_index"
        assert "python -m rag index" in r.json()["message"]
        for path, body in (("/ask", {"question": "Who?"}), ("/check", {"claim": "Trump won."})):
            assert_error(c.post(path, json=body), 503, "python -m rag index")


def test_a_warm_up_failing_on_a_model_does_not_say_the_index_is_missing(
        fake_pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    # RAG_GENERATOR=ollama without langchain-ollama was logged "serving without a usable index".
    from rag.errors import ConfigError

    def warm_up() -> None:
        raise ConfigError("RAG_GENERATOR=ollama needs langchain-ollama")

    monkeypatch.setattr(fake_pipeline, "warm_up", warm_up)
    with caplog.at_level("WARNING", logger="rag.api"), TestClient(create_app(fake_pipeline)) as c:
        assert c.get("/health").status_code == 200
    messages = [r.getMessage() for r in caplog.records if r.name == "rag.api"]
    assert any("warm-up failed" in m and "langchain-ollama" in m for m in messages), messages
    assert not any("usable index" in m for m in messages), messages


def test_factory_builds_the_pipeline_from_the_environment(
        fake_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    Pipeline(fake_settings, embedder=FakeEmbedder()).build_index()
    monkeypatch.setenv("RAG_SEEDS_DIR", str(fake_settings.seeds_dir))
    monkeypatch.setenv("RAG_INDEX_DIR", str(fake_settings.index_dir))
    monkeypatch.setenv("RAG_EMBEDDING_MODEL", "fake")
    monkeypatch.setenv("RAG_MAX_QUERY_CHARS", "100")
    with TestClient(create_app()) as c:
        assert c.get("/health").json()["embedding_model"] == "fake"
        assert_error(c.post("/ask", json={"question": "q" * 101}), 422, "the limit is 100")
        schema = c.get("/openapi.json").json()["components"]["schemas"]["AskRequest"]
        assert schema["properties"]["question"]["maxLength"] == 100


def test_api_and_cli_judge_length_after_collapsing_whitespace(
        fake_settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # The API counted the raw text (pydantic's max_length), the CLI the text with runs of
    # whitespace collapsed: a question over the limit only by its spaces was a 422 here and
    # answered there.
    from rag.cli import main

    Pipeline(fake_settings, embedder=FakeEmbedder()).build_index()
    for var, value in {"RAG_SEEDS_DIR": fake_settings.seeds_dir, "RAG_INDEX_DIR": fake_settings.index_dir,
                       "RAG_EMBEDDING_MODEL": "fake", "RAG_MAX_QUERY_CHARS": "100"}.items():
        monkeypatch.setenv(var, str(value))
    padded_q = BLOOMBERG_Q.replace(" ", " \t  \n    ")
    padded_claim = "Sheinbaum posted her comments on Facebook.".replace(" ", "\u00a0\u2003\t " * 4)
    assert len(padded_q) > 100 and len(padded_claim) > 100
    with TestClient(create_app()) as c:
        cli: dict[str, Any] = {}
        for command, field, path, text in (("ask", "question", "/ask", padded_q),
                                           ("check", "claim", "/check", padded_claim)):
            assert main([command, "--json", text]) == 0
            cli[command] = json.loads(capsys.readouterr().out)
            r = c.post(path, json={field: text})
            assert r.status_code == 200, r.text
            assert r.json() == cli[command] and len(cli[command][field]) <= 100
        streamed = [json.loads(line) for line in c.post("/ask/stream", json={"question": padded_q}).text.splitlines()]
        assert streamed[-1]["answer"] == cli["ask"]
        r = c.post("/check/citation", json={"claim": padded_claim, "citations": [span_of(BLOOMBERG)]})
        assert r.status_code == 200, r.text

        # Over the limit once collapsed: both refuse it, with the same message.
        long_q = "Which outlet   " + "reported " * 12 + "it?"
        assert main(["ask", long_q]) == 1
        cli_error = capsys.readouterr().err.strip()
        api_error = assert_error(c.post("/ask", json={"question": long_q}), 422, "the limit is 100")
        assert cli_error == f"error: {api_error['message']}"


def test_unexpected_error_is_a_short_500_and_logged(
        fake_pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def boom(question: str) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(fake_pipeline, "ask", boom)
    c = TestClient(create_app(fake_pipeline), raise_server_exceptions=False)  # no lifespan: no warm-up
    with caplog.at_level(logging.ERROR, logger="rag.api"):
        r = c.post("/ask", json={"question": "Who?"})
    err = assert_error(r, 500, "internal server error")
    assert err["type"] == "internal_error"
    assert "secret" not in r.text
    assert any("secret internal detail" in (rec.exc_text or "") or rec.exc_info for rec in caplog.records)


# ------------------------------------------------------------ streamed answers
def _events(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in response.text.splitlines() if line.strip()]


def test_ask_stream_extractive_is_one_final_event(client: TestClient) -> None:
    events = _events(client.post("/ask/stream", json={"question": BLOOMBERG_Q}))
    assert [e["event"] for e in events] == ["answer"]
    assert events[0]["answer"] == client.post("/ask", json={"question": BLOOMBERG_Q}).json()


def test_ask_stream_rejects_bad_input_before_streaming(client: TestClient) -> None:
    assert_error(client.post("/ask/stream", json={"question": "   "}), 422, "empty")


def test_ask_stream_generative_tokens_then_checked_sentences(tmp_path: Path) -> None:
    from conftest import build_fake_pipeline, prompt_passages, scripted_chat_model

    base = build_fake_pipeline(tmp_path)

    def script(prompt: str) -> str:
        sid = next(s for s, t in prompt_passages(prompt).items() if "Bloomberg" in t)
        return f"Bloomberg reported the statement [{sid}]. Reuters reported it first [p_abcdef]."

    pipe = Pipeline(base.settings, embedder=base.embedder, chat_model=scripted_chat_model(script))
    with TestClient(create_app(pipe)) as c:
        events = _events(c.post("/ask/stream", json={"question": BLOOMBERG_Q}))
    kinds = [e["event"] for e in events]
    assert kinds[0] == "token" and kinds[-1] == "answer"
    assert "".join(e["text"] for e in events if e["event"] == "token").startswith("Bloomberg reported")
    sentences = [e for e in events if e["event"] == "sentence"]
    assert [s["supported"] for s in sentences] == [True, False]
    assert sentences[0]["citations"][0]["quote"] in doc_text(sentences[0]["citations"][0]["doc"])
    final = events[-1]["answer"]
    assert final["answer"] == "Bloomberg reported the statement." and not final["abstained"]


def test_health_and_ask_report_articles_changed_since_indexing(tmp_path: Path) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    settings = Settings.from_env(env={}, seeds_dir=tmp_path / "seeds", index_dir=tmp_path / "index",
                                 embedding_model="fake")
    pipe = Pipeline(settings, embedder=FakeEmbedder())
    pipe.build_index()
    with TestClient(create_app(pipe)) as c:
        assert c.get("/health").json()["stale"] is False
        path = tmp_path / "seeds" / DOC
        path.write_text(path.read_text(encoding="utf-8").replace("Bloomberg", "Reuters"), encoding="utf-8")
        (tmp_path / "seeds" / "new_article.txt").write_text("Panama closed a migrant route.\n", encoding="utf-8")
        pipe._watch.interval = 0  # noqa: SLF001 - no waiting for the next sweep in a test
        health = c.get("/health").json()
        assert health["status"] == "ok" and health["stale"] is True
        assert health["corpus_changes"]["changed"] == [DOC]
        assert health["corpus_changes"]["added"] == ["new_article.txt"]
        assert "python -m rag index" in health["corpus_changes"]["message"]
        body = c.post("/ask", json={"question": BLOOMBERG_Q}).json()
        assert any(cit["doc"] == DOC for cit in body["citations"])
        assert body["warnings"] and DOC in body["warnings"][0]
