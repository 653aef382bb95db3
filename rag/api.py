"""HTTP API: a thin FastAPI layer over :class:`~rag.pipeline.Pipeline`.

Run it with ``python -m rag serve`` (OpenAPI docs at ``/docs``). Every error is JSON
``{"error": {"type": ..., "message": ...}}`` with a 4xx status for bad input (408 for a
body that does not arrive within ``RAG_BODY_TIMEOUT`` seconds), 503
while there is no usable index and 503 with ``Retry-After`` beyond
``RAG_MAX_CONCURRENCY`` requests in progress; a 500 carries a short message and the
traceback is logged, never sent.

The endpoints that run the pipeline are plain ``def`` functions: the work is
CPU-bound and FastAPI runs them in its threadpool, sharing one thread-safe pipeline.
"""

# No ``from __future__ import annotations``: the request models are built inside
# create_app (their limits come from the settings) and FastAPI must resolve them.
import asyncio
import itertools
import json
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rag.errors import (
    IndexBusyError,
    IndexCorruptError,
    IndexMismatchError,
    IndexMissingError,
    RagError,
    StoreError,
)
from rag.pipeline import MAX_CITATIONS, Pipeline
from rag.settings import Settings
from rag.types import CITATION_ID_PATTERN, PASSAGE_ID_PATTERN

log = logging.getLogger(__name__)

#: Errors that mean there is no index to serve (yet), as opposed to a misconfigured model.
_INDEX_ERRORS = (IndexMissingError, IndexMismatchError, IndexCorruptError, IndexBusyError, StoreError)
#: Largest request body accepted, in bytes.
MAX_BODY_BYTES = 64 * 1024
#: Longest document name accepted.
MAX_DOC_CHARS = 512
#: Largest character offset accepted (far beyond any indexed article).
MAX_OFFSET = 1_000_000_000


# ---------------------------------------------------------------- request bodies
class _Strict(BaseModel):
    # Strict: {"question": 5} is a 422, not "5"; unknown fields are rejected, not ignored.
    model_config = ConfigDict(strict=True, extra="forbid")


def _integral_float(value: Any) -> Any:
    """``42.0`` -> ``42``: JSON Schema counts a number with a zero fraction as an integer.

    Anything else (``42.5``, ``true``, ``"42"``, NaN, infinity) is left for strict
    integer validation to reject with a 422 naming the field.
    """
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


#: A strict integer that also accepts integral floats (the schema still says ``integer``).
JsonInt = Annotated[int, BeforeValidator(_integral_float)]


class Span(_Strict):
    """A cited span: ``document.text[start:end]``."""

    doc: str = Field(min_length=1, max_length=MAX_DOC_CHARS, description="Document file name, as indexed.")
    start: JsonInt = Field(ge=0, le=MAX_OFFSET, description="Start offset (characters, inclusive).")
    end: JsonInt = Field(ge=0, le=MAX_OFFSET, description="End offset (characters, exclusive).")


# --------------------------------------------------------------- response bodies
class _Out(BaseModel):
    # Extra fields the pipeline adds later pass through rather than being dropped.
    model_config = ConfigDict(extra="allow")


class ErrorDetail(_Out):
    type: str = Field(description="Error kind, e.g. InputError, NotFoundError, validation_error.")
    message: str = Field(description="What went wrong and what to do about it.")


class ErrorOut(_Out):
    error: ErrorDetail


class HealthOut(_Out):
    status: str = Field(description="'ok', or 'no_index' / 'unavailable' with HTTP 503.")
    documents: int | None = None
    passages: int | None = None
    build: str | None = None
    embedding_model: str | None = None
    backend: str | None = None
    generator: str | None = Field(None, description="Who writes answers: 'extractive' or the chat-model backend.")
    verifier: str | None = Field(None, description="Who checks claims: 'rules', or 'hybrid (<backend>)'.")
    message: str | None = Field(None, description="Why the service is unavailable.")
    stale: bool | None = Field(None, description="True when seeds/ changed since the served build "
                                                  "(see corpus_changes; run `python -m rag index`).")
    corpus_changes: dict[str, Any] | None = Field(
        None, description="Articles changed, missing or added since indexing (`changed`, `missing`, "
                          "`added`, up to 50 names each) and a one-line `message`.")


class CitationOut(_Out):
    id: str
    doc: str
    start: int
    end: int
    quote: str
    passage_id: str


class SentenceOut(_Out):
    text: str
    citations: list[int] = Field(description="Indexes into the answer's citations.")
    supported: bool


class AnswerOut(_Out):
    question: str
    answer: str
    abstained: bool
    premise_corrected: bool
    reason: str
    sentences: list[SentenceOut]
    citations: list[CitationOut]
    warnings: list[str] = Field(default_factory=list, description="e.g. a cited article changed on disk since "
                                                                  "it was indexed")


class EvidenceOut(CitationOut):
    relation: str = Field(description="supports | refutes | related")
    score: float


class VerdictOut(_Out):
    claim: str
    verdict: str = Field(description="SUPPORTED | REFUTED | NOT_ENOUGH_INFO")
    confidence: float = Field(ge=0, le=1)
    evidence: list[EvidenceOut]
    explanation: str
    warnings: list[str] = Field(default_factory=list, description="e.g. an evidence article changed on disk "
                                                                  "since it was indexed")
    unstated: list[str] = Field(default_factory=list, description="NOT_ENOUGH_INFO: the claim's details (names, "
                                "numbers, dates, quotations ...) that the closest passage does not state")


class CheckedCitationOut(CitationOut):
    verdict: str
    confidence: float
    explanation: str


class CitationCheckOut(VerdictOut):
    citations: list[CheckedCitationOut]


class PassageOut(_Out):
    id: str
    doc: str
    start: int
    end: int
    text: str
    context: str
    kind: str


class SpanOut(_Out):
    id: str = Field(description="The citation id asked for.")
    start: int
    end: int
    quote: str = Field(description="Exactly the document's text[start:end].")


class PassageSpanOut(PassageOut):
    span: SpanOut | None = Field(None, description="The cited span, when the id names one (`…#start-end`).")


class DocumentOut(_Out):
    doc: str
    text: str


_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut} for code in (400, 404, 408, 413, 422, 500, 503)
}


# ------------------------------------------------------------------- middleware
class BodyReader:
    """Read the whole request body before the app runs, so a slow client costs no app resources.

    A body over ``max_bytes`` is a 413 (by Content-Length, before reading, or by the bytes
    read); one that has not arrived ``timeout_s`` seconds after the headers is a 408. The
    app then gets the body in one message. Installed outside :class:`ConcurrencyLimit`, so a
    request takes a concurrency slot only once its body is in: a client that sends its
    headers and stalls mid-body used to hold a slot for as long as it kept the socket open.
    """

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES, timeout_s: float = 30) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_bytes:
            await _too_large(self.max_bytes)(scope, receive, send)
            return
        try:
            async with asyncio.timeout(self.timeout_s):
                chunks = await self._read(receive)
        except TimeoutError:
            await _timed_out(self.timeout_s)(scope, receive, send)
            return
        if chunks is None:  # the client left before its body was in: no one to answer
            return
        if sum(map(len, chunks)) > self.max_bytes:
            await _too_large(self.max_bytes)(scope, receive, send)
            return
        body: Message | None = {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        async def replay() -> Message:
            nonlocal body
            if body is not None:
                message, body = body, None
                return message
            return await receive()  # after the body: the disconnect a streamed response listens for

        await self.app(scope, replay, send)

    async def _read(self, receive: Receive) -> list[bytes] | None:
        """The body's chunks, up to the first one past ``max_bytes``; None on a disconnect."""
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            chunks.append(chunk)
            seen += len(chunk)
            if seen > self.max_bytes or not message.get("more_body", False):
                return chunks


class ConcurrencyLimit:
    """Answer 503 with ``Retry-After`` and our JSON error once ``max_in_flight`` requests are in progress.

    It replaces uvicorn's ``--limit-concurrency``, whose 503 is plain text. A request
    counts from the end of its body (read by :class:`BodyReader` first) to the end of its
    response (a streamed answer included).
    The counter lives in the event loop's thread, so it needs no lock; each worker
    process has its own.
    """

    def __init__(self, app: ASGIApp, max_in_flight: int) -> None:
        self.app = app
        self.max_in_flight = max_in_flight
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.max_in_flight:
            await _overloaded(self.max_in_flight)(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1


#: Seconds a client is told to wait after an overload 503.
RETRY_AFTER_S = 1


def _overloaded(limit: int) -> JSONResponse:
    response = _error(503, "overloaded",
                      f"the server is busy: {limit} requests are already in progress, its limit "
                      f"(RAG_MAX_CONCURRENCY, or `python -m rag serve --limit-concurrency`); "
                      f"retry in {RETRY_AFTER_S} s")
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def _too_large_message(max_bytes: int) -> str:
    return f"the request body is larger than {max_bytes // 1024} KiB"


def _too_large(max_bytes: int) -> JSONResponse:
    return _error(413, "payload_too_large", _too_large_message(max_bytes))


def _timed_out(timeout_s: float) -> JSONResponse:
    response = _error(408, "request_timeout",
                      f"the request body did not arrive within {timeout_s:g} s of the headers "
                      f"(RAG_BODY_TIMEOUT); send the whole body, as its Content-Length says")
    response.headers["Connection"] = "close"  # the rest of the body may still come: not a next request
    return response


# ----------------------------------------------------------------------- errors
def _error(status: int, kind: str, message: str) -> JSONResponse:
    # Messages may quote user input; never let a lone surrogate break the encoder.
    safe = message.encode("utf-8", "replace").decode("utf-8")
    return JSONResponse({"error": {"type": kind, "message": safe}}, status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for e in exc.errors()[:5]:
        if e.get("type") == "json_invalid":
            parts.append(f"the body is not valid JSON ({e.get('ctx', {}).get('error', 'decode error')})")
            continue
        where = ".".join(str(x) for x in e.get("loc", ()))
        msg = f"{where}: {e.get('msg', 'invalid')}" if where else str(e.get("msg", "invalid"))
        parts.append(msg + _VALIDATION_HINTS.get((where, str(e.get("type", ""))), ""))
    return "; ".join(parts) or "invalid request"


#: What to do, added to pydantic's message for the mistakes a person makes by hand.
_VALIDATION_HINTS = {
    ("body", "model_attributes_type"): " (send a JSON object with Content-Type: application/json)",
    ("body", "dict_type"): " (send a JSON object with Content-Type: application/json)",
    ("path.passage_id", "string_pattern_mismatch"):
        " (a passage id, p_ and 20 hex digits, or a citation id as /ask returns it, p_…#start-end with # written %23)",
}


#: A body whose arrays or objects are nested too deeply for the JSON parser (it recurses).
_TOO_DEEP = ("the body is not valid JSON for this endpoint: its arrays or objects are nested too deeply "
             "to parse; send one JSON object of the fields the endpoint takes, such as "
             "{\"question\": \"...\"} (see /docs)")


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RagError)
    async def rag_error(request: Request, exc: RagError) -> JSONResponse:
        if exc.status_code >= 500:
            log.warning("%s %s: %s", request.method, request.url.path, exc)
        return _error(exc.status_code, type(exc).__name__, str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, "validation_error", _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = "payload_too_large" if exc.status_code == 413 else "http_error"
        message = str(exc.detail)
        if exc.status_code == 400 and message == "There was an error parsing the body":
            # FastAPI's words for any body json.loads fails on other than a JSONDecodeError.
            if isinstance(exc.__cause__, RecursionError):  # [[[[...]]]] thousands of levels deep
                return _error(422, "validation_error", _TOO_DEEP)
            if isinstance(exc.__cause__, UnicodeDecodeError):
                message += " (send UTF-8 encoded JSON)"
        response = _error(exc.status_code, kind, message)
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _error(500, "internal_error", "internal server error; see the server log")


# -------------------------------------------------------------------------- app
def get_pipeline(request: Request) -> Pipeline:
    """The app's shared pipeline."""
    pipe: Pipeline = request.app.state.pipeline
    return pipe


Pipe = Annotated[Pipeline, Depends(get_pipeline)]


#: Where the offline API docs page takes its script and style sheet from.
DOCS_ASSETS_URL = "/docs-assets"


def _swagger_ui_assets() -> str | None:
    """The folder of the installed Swagger UI 5 files (``swagger-ui-bundle-v2``), or None."""
    try:
        import swagger_ui_bundle
    except ImportError:
        log.warning("swagger-ui-bundle-v2 is not installed: /docs loads Swagger UI from a CDN "
                    "(blank offline); `pip install -r requirements.txt` installs it")
        return None
    return str(swagger_ui_bundle.swagger_ui_path)


def _install_offline_docs(app: FastAPI, assets: str) -> None:
    """``GET /docs``: Swagger UI from local files, for the schema at ``app.openapi_url``."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles

    app.mount(DOCS_ASSETS_URL, StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title} - API docs",
            swagger_js_url=f"{DOCS_ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS_URL}/favicon-32x32.png")


def create_app(pipeline: Pipeline | None = None) -> FastAPI:
    """Build the FastAPI app (``uvicorn --factory`` calls this once per worker process).

    Args:
        pipeline: the pipeline to serve; ``None`` builds ``Pipeline(Settings.from_env())``.
            Building a pipeline is cheap (models and index load lazily); the app's
            startup then warms it up so the first request is fast. A missing index
            does not stop the server: ``/health`` answers 503 until it is built.

    Raises:
        ConfigError: a ``RAG_*`` setting is invalid.
    """
    pipe = pipeline if pipeline is not None else Pipeline(Settings.from_env())
    max_chars = pipe.settings.max_query_chars

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            pipe.warm_up()
        except _INDEX_ERRORS as exc:
            log.warning("serving without a usable index: %s", exc)
        except RagError as exc:  # a chat model's package missing, a model that cannot load ...
            log.warning("warm-up failed, so requests that need it will fail too: %s", exc)
        except Exception:  # warm-up is an optimisation; requests will report the problem
            log.exception("warm-up failed")
        yield

    docs_assets = _swagger_ui_assets()
    app = FastAPI(
        title="rag-factcheck",
        summary="Grounded question answering and claim checking over a news corpus.",
        version="0.1.0",
        lifespan=lifespan,
        # Served from the installed swagger-ui-bundle below: FastAPI's own /docs page loads
        # its script from a CDN, so it is blank on an offline machine. ReDoc needs a CDN too.
        docs_url=None if docs_assets else "/docs",
        redoc_url=None,
    )
    if docs_assets:
        _install_offline_docs(app, docs_assets)
    app.state.pipeline = pipe
    app.add_middleware(ConcurrencyLimit, max_in_flight=pipe.settings.max_concurrency)
    # Added last, so it runs first: a request takes a concurrency slot only once its body is in
    # (a client stalling mid-body held one forever), and the wait for a body is bounded.
    app.add_middleware(BodyReader, max_bytes=MAX_BODY_BYTES, timeout_s=pipe.settings.body_timeout)
    _install_error_handlers(app)

    # The length is judged by the pipeline's clean_text, after runs of whitespace are collapsed,
    # as for the CLI (a pydantic max_length counted the raw text: a padded question the CLI
    # answered was a 422 here). The schema still documents the configured limit, so it never
    # promises more than the pipeline accepts; the 64 KiB body limit bounds the raw text.
    Text = Annotated[str, Field(min_length=1, json_schema_extra={"maxLength": max_chars},
                                description=f"At most {max_chars} characters once runs of whitespace are "
                                            f"collapsed to one space (RAG_MAX_QUERY_CHARS).")]

    class AskRequest(_Strict):
        """A question to answer from the corpus."""

        question: Text = Field(examples=["Which outlet reported the Foreign Affairs Ministry statement?"])

    class CheckRequest(_Strict):
        """A claim to label against the whole corpus."""

        claim: Text = Field(examples=["Sheinbaum posted her comments on Facebook."])

    class CitationCheckRequest(_Strict):
        """A claim and the spans cited for it; the claim is judged against those spans only."""

        claim: Text
        citations: list[Span] = Field(min_length=1, max_length=MAX_CITATIONS)

    @app.get("/health", response_model=HealthOut, response_model_exclude_none=True,
             responses={503: {"model": HealthOut}})
    def health(pipe: Pipe) -> Any:
        """Index summary; 503 with ``status`` ``no_index`` until ``python -m rag index`` has run."""
        try:
            generator = pipe.settings.generator if pipe.generative else "extractive"
            verifier = pipe.settings.verifier if pipe.settings.verifier == "rules" else \
                f"{pipe.settings.verifier} ({pipe.settings.verifier_backend})"
            return {"status": "ok", **pipe.status(), "generator": generator, "verifier": verifier}
        except RagError as exc:
            status = "no_index" if isinstance(exc, IndexMissingError) else "unavailable"
            code = exc.status_code if exc.status_code >= 500 else 503
            return JSONResponse({"status": status, "message": str(exc)}, status_code=code)

    @app.head("/health", include_in_schema=False)
    def health_head(pipe: Pipe) -> Any:
        """``curl -I`` and uptime checkers send HEAD: the same status, no body (and no second
        operation in the OpenAPI schema)."""
        return health(pipe)

    @app.post("/ask", response_model=AnswerOut, responses=_ERRORS)
    def ask(body: AskRequest, pipe: Pipe) -> Any:
        """Answer a question; every sentence cites exact document spans, or the answer abstains."""
        return pipe.ask(body.question).to_dict()

    @app.post("/ask/stream", responses={**_ERRORS, 200: {
        "description": "NDJSON, one event per line: token (draft text, not yet checked), sentence "
                       "(checked, with supported and citations), then answer (the final Answer, as /ask); "
                       "an error mid-stream is an error event",
        "content": {"application/x-ndjson": {}}}})
    def ask_stream(body: AskRequest, pipe: Pipe) -> Any:
        """Answer a question as a stream of events (a chat model's tokens as it writes)."""
        events = pipe.ask_stream(body.question)
        first = next(events)  # input and index errors surface here as JSON errors with a status

        def lines() -> Iterator[bytes]:
            try:
                for event in itertools.chain([first], events):
                    yield (json.dumps(event.to_dict(), ensure_ascii=False) + "\n").encode()
            except RagError as exc:
                yield (json.dumps({"event": "error", "error": type(exc).__name__, "message": str(exc)}) + "\n").encode()
            except Exception:
                log.exception("streaming an answer failed")
                yield (json.dumps({"event": "error", "error": "InternalError",
                                   "message": "internal error; see the server log"}) + "\n").encode()

        return StreamingResponse(lines(), media_type="application/x-ndjson")

    @app.post("/check", response_model=VerdictOut, responses=_ERRORS)
    def check(body: CheckRequest, pipe: Pipe) -> Any:
        """Label a claim SUPPORTED, REFUTED or NOT_ENOUGH_INFO against the whole corpus."""
        return pipe.check(body.claim).to_dict()

    @app.post("/check/citation", response_model=CitationCheckOut, responses=_ERRORS)
    def check_citation(body: CitationCheckRequest, pipe: Pipe) -> Any:
        """Judge a claim against the cited spans only, overall and citation by citation."""
        spans = [s.model_dump() for s in body.citations]
        return pipe.check_citations(body.claim, spans).to_dict()

    @app.get("/passages/{passage_id:path}", response_model=PassageSpanOut, response_model_exclude_none=True,
             responses=_ERRORS)
    def passage(
        passage_id: Annotated[str, Path(
            pattern=f"{PASSAGE_ID_PATTERN}|{CITATION_ID_PATTERN}", max_length=MAX_DOC_CHARS + 24,
            description="A passage id (p_ and 20 hex digits) or a citation id as /ask, /check and "
                        "/check/citation return it (p_…#start-end; write # as %23)")],
        pipe: Pipe,
    ) -> Any:
        """One indexed passage with its document and character offsets; for a citation id, the
        passage the span starts in and the span itself (``span``)."""
        p, cit = pipe.cited_span(passage_id)
        out: dict[str, Any] = {"id": p.id, "doc": p.doc, "start": p.start, "end": p.end, "text": p.text,
                               "context": p.context, "kind": p.kind}
        if cit is not None:
            out["span"] = {"id": cit.id, "start": cit.start, "end": cit.end, "quote": cit.quote}
        return out

    @app.get("/documents/{name:path}", response_model=DocumentOut, responses=_ERRORS)
    def document(name: Annotated[str, Path(max_length=MAX_DOC_CHARS)], pipe: Pipe) -> Any:
        """The full text of an indexed document; citation offsets index into it."""
        return {"doc": name, "text": pipe.document_text(name)}

    return app
