"""The library's front door: one object that indexes, answers, checks claims and citations.

The CLI, the HTTP API and the Streamlit app are thin layers over :class:`Pipeline`.
Heavy parts (embedding model, spaCy, Chroma) load lazily, once per pipeline, and
the pipeline is safe to share across threads.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rag.answer import AnswerConfig, ExtractiveAnswerer, expansion_query, make_citation, question_parts
from rag.embeddings import Embedder, get_embedder
from rag.errors import InputError, NotFoundError
from rag.indexing import BuildReport, IndexManager, Progress
from rag.retrieval import HybridRetriever
from rag.settings import Settings
from rag.types import (
    PASSAGE_ID_RE,
    Answer,
    AnswerSentence,
    Citation,
    Label,
    Passage,
    ScoredPassage,
    Verdict,
    sha256_text,
)

log = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Longest cited span a citation check accepts, in characters.
MAX_SPAN_CHARS = 20_000
#: Most citations one citation check accepts.
MAX_CITATIONS = 50


def clean_text(text: Any, max_chars: int, what: str = "question") -> str:
    """Validate and normalise user text.

    Control characters and unpaired surrogates are removed, whitespace collapsed.

    Raises:
        InputError: not a string, empty after cleaning, or longer than ``max_chars``.
    """
    if not isinstance(text, str):
        raise InputError(f"the {what} must be a string, got {type(text).__name__}")
    if len(text) > max_chars * 4 + 1000:
        raise InputError(f"the {what} is {len(text)} characters; the limit is {max_chars}")
    text = text.encode("utf-8", "ignore").decode("utf-8")  # drop lone surrogates
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", text))
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise InputError(f"the {what} is empty; type a {what}")
    if len(text) > max_chars:
        raise InputError(
            f"the {what} is {len(text)} characters; the limit is {max_chars} (RAG_MAX_QUERY_CHARS)"
        )
    return text


@dataclass(frozen=True)
class CitationCheck:
    """Whether the cited spans themselves support a claim, overall and one by one."""

    verdict: Verdict
    per_citation: tuple[tuple[Citation, Verdict], ...]

    def to_dict(self) -> dict[str, Any]:
        d = self.verdict.to_dict()
        d["citations"] = [
            {**c.to_dict(), "verdict": v.label.value, "confidence": round(v.confidence, 4),
             "explanation": v.explanation}
            for c, v in self.per_citation
        ]
        return d


class Pipeline:
    """Index, ask, check: everything a user of the library needs.

    Args:
        settings: the frozen settings (``Settings.from_env()``).
        embedder: inject an embedder (tests use ``FakeEmbedder``); default loads the
            model named in the settings on first use.
        verifier: inject a verifier; default is the offline rule-based verifier.
    """

    def __init__(self, settings: Settings, embedder: Embedder | None = None,
                 verifier: Any | None = None, answer_config: AnswerConfig | None = None) -> None:
        self.settings = settings
        self._embedder = embedder
        self._verifier = verifier
        self._answer_config = answer_config
        self._init_lock = threading.RLock()
        self._doc_cache: dict[str, tuple[str, str]] = {}

    # ----------------------------------------------------------- lazy parts
    @property
    def embedder(self) -> Embedder:
        with self._init_lock:
            if self._embedder is None:
                self._embedder = get_embedder(self.settings.embedding_model)
            return self._embedder

    @property
    def verifier(self) -> Any:
        with self._init_lock:
            if self._verifier is None:
                from rag.verify import RuleVerifier

                self._verifier = RuleVerifier(self.embedder, nlp=self.nlp.get)
            return self._verifier

    def _lazy(self, name: str, factory: Any) -> Any:
        # Built once under a lock: several API threads may arrive on a cold pipeline.
        value = self.__dict__.get(name)
        if value is None:
            with self._init_lock:
                value = self.__dict__.get(name)
                if value is None:
                    value = factory()
                    self.__dict__[name] = value
        return value

    @property
    def nlp(self) -> Any:
        """The shared spaCy pipeline holder (loaded on first use)."""
        from rag.nlp import LazyNLP

        return self._lazy("_nlp", LazyNLP)

    @property
    def index(self) -> IndexManager:
        """Builds and opens index versions."""
        return self._lazy("_index", lambda: IndexManager(self.settings))

    @property
    def retriever(self) -> HybridRetriever:
        """The hybrid (Chroma + BM25) retriever."""
        return self._lazy("_retriever", lambda: HybridRetriever(self.settings, self.index, self.embedder))

    @property
    def answerer(self) -> ExtractiveAnswerer:
        """The extractive answerer."""
        return self._lazy("_answerer", lambda: ExtractiveAnswerer(
            self.embedder, self._answer_config, verifier=self.verifier))

    # ------------------------------------------------------------- indexing
    def build_index(self, progress: Progress | None = None, rebuild: bool = False) -> BuildReport:
        """Bring the index up to date with the seeds folder (see :class:`IndexManager`)."""
        return self.index.build(self.embedder, progress=progress, rebuild=rebuild)

    def warm_up(self) -> None:
        """Load the index and the models now rather than on the first request."""
        self.index.open()
        self.ask("What did Sheinbaum say about migration?")
        self.check("Sheinbaum spoke with Trump.")

    def status(self) -> dict[str, Any]:
        """Index summary: build, documents, passages, embedding model, backend."""
        return self.index.status()

    # --------------------------------------------------------------- asking
    def retrieve(self, query: str, k: int | None = None) -> list[ScoredPassage]:
        """Hybrid retrieval of the best passages for ``query``."""
        query = clean_text(query, self.settings.max_query_chars, "query")
        return self.retriever.retrieve(query, k)

    def ask(self, question: str) -> Answer:
        """Answer a question from the corpus, every sentence cited and checked.

        Raises:
            InputError: empty or over-long question.
            IndexMissingError / IndexMismatchError / IndexCorruptError: no usable index.
        """
        return self.chain().invoke(question)

    def _build_chain(self) -> Any:
        from langchain_core.runnables import RunnableLambda

        def validate(question: Any) -> str:
            return clean_text(question, self.settings.max_query_chars, "question")

        def retrieve(question: str) -> dict[str, Any]:
            hits = self.retriever.retrieve(question)
            extra: list[ScoredPassage] = []
            parts = question_parts(question)
            if len(parts) > 1:
                # Each part of "..., and which ...?" gets its own best passages too.
                for part in parts:
                    extra += self.retriever.retrieve(part, 3)
            expanded = expansion_query(question)
            if expanded is not None:
                # "In what language ...?": lexical search for the category's members too.
                extra += self.retriever.lexical_only(expanded, 3)
            seen = {h.passage.id for h in hits}
            for h in extra:
                if h.passage.id not in seen:
                    seen.add(h.passage.id)
                    hits.append(h)
            return {"question": question, "hits": hits}

        def answer(state: dict[str, Any]) -> Answer:
            lexical = self.index.open().lexical
            return self.answerer.answer(state["question"], state["hits"], lexical)

        return (RunnableLambda(validate, name="validate") | RunnableLambda(retrieve, name="retrieve")
                | RunnableLambda(answer, name="answer") | RunnableLambda(self.self_check, name="self_check"))

    def chain(self) -> Any:
        """The answering chain as a LangChain runnable: question -> :class:`Answer`."""
        return self._lazy("_chain", self._build_chain)

    def self_check(self, answer: Answer) -> Answer:
        """Verify each answer sentence against its own citations.

        A sentence quoted verbatim from its cited span is supported by construction;
        any other sentence goes to the verifier, and one its citations do not support
        is marked unsupported. If no supported sentence remains the answer abstains.
        """
        if answer.abstained:
            return answer
        checked: list[AnswerSentence] = []
        for s in answer.sentences:
            cites = [answer.citations[i] for i in s.citations]
            if not cites:
                checked.append(AnswerSentence(s.text, s.citations, supported=False))
                continue
            verbatim = any(s.text in c.quote for c in cites)
            framing = s.text in ("Yes.", "No.") or s.text.startswith("The corpus does not support")
            ok = verbatim or framing or self.verifier.verify(s.text, cites).label is Label.SUPPORTED
            checked.append(AnswerSentence(s.text, s.citations, supported=ok))
        if not any(s.supported for s in checked):
            from rag.answer import NOT_IN_CORPUS

            return Answer(answer.question, NOT_IN_CORPUS, True, reason="no sentence passed the citation check")
        text = " ".join(s.text for s in checked if s.supported)
        return Answer(answer.question, text, False, tuple(checked), answer.citations,
                      answer.premise_corrected, answer.reason)

    # -------------------------------------------------------------- checking
    def evidence_for(self, claim: str, passages: int = 8, sentences: int = 14) -> list[Citation]:
        """Candidate evidence sentences for a claim, best passages first."""
        hits = self.retriever.retrieve(claim, passages)
        out: list[Citation] = []
        for h in hits:
            for s in h.passage.sentences:
                out.append(make_citation(h.passage, s.start, s.end))
        return out[:sentences]

    def check(self, claim: str) -> Verdict:
        """Label a claim SUPPORTED / REFUTED / NOT_ENOUGH_INFO against the whole corpus."""
        claim = clean_text(claim, self.settings.max_query_chars, "claim")
        return self.verifier.verify(claim, self.evidence_for(claim))

    def check_citations(self, claim: str, spans: Sequence[dict[str, Any]]) -> CitationCheck:
        """Judge a claim only against the cited spans ``[{"doc", "start", "end"}, ...]``.

        Raises:
            InputError: no spans, too many, bad offsets or types.
            NotFoundError: unknown document.
        """
        claim = clean_text(claim, self.settings.max_query_chars, "claim")
        if not spans:
            raise InputError("give at least one citation ({'doc', 'start', 'end'})")
        if len(spans) > MAX_CITATIONS:
            raise InputError(f"{len(spans)} citations given; the limit is {MAX_CITATIONS}")
        cites = [self.resolve_span(s) for s in spans]
        overall = self.verifier.verify(claim, cites)
        per = tuple((c, self.verifier.verify(claim, [c])) for c in cites)
        return CitationCheck(overall, per)

    # ------------------------------------------------------------ documents
    def document_text(self, doc: str) -> str:
        """The full text of an indexed document (as indexed).

        Raises:
            NotFoundError: unknown document, or changed since indexing.
        """
        if not isinstance(doc, str) or not doc or ".." in doc.split("/") or doc.startswith("/"):
            raise NotFoundError(f"unknown document {doc!r}")
        docs = self.index.open().documents()
        meta = docs.get(doc)
        if meta is None:
            raise NotFoundError(f"unknown document {doc!r}; indexed documents: {', '.join(sorted(docs)[:20])}")
        cached = self._doc_cache.get(doc)
        if cached and cached[0] == meta["sha256"]:
            return cached[1]
        path = self.settings.seeds_dir / doc
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise NotFoundError(f"document {doc!r} cannot be read ({exc}); run `python -m rag index`") from exc
        if sha256_text(text) != meta["sha256"]:
            raise NotFoundError(f"document {doc!r} changed since it was indexed; run `python -m rag index`")
        self._doc_cache[doc] = (meta["sha256"], text)
        return text

    def resolve_span(self, span: dict[str, Any]) -> Citation:
        """Turn ``{"doc", "start", "end"}`` into a checked :class:`Citation`."""
        if not isinstance(span, dict):
            raise InputError("each citation must be an object with doc, start and end")
        doc, start, end = span.get("doc"), span.get("start"), span.get("end")
        if not isinstance(doc, str):
            raise InputError("citation 'doc' must be a document file name")
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end)):
            raise InputError(f"citation offsets must be integers, got start={start!r} end={end!r}")
        text = self.document_text(doc)
        if not 0 <= start < end <= len(text):  # type: ignore[operator]
            raise InputError(
                f"offsets {start}-{end} are outside document {doc!r} (0-{len(text)})"
            )
        if end - start > MAX_SPAN_CHARS:  # type: ignore[operator]
            raise InputError(f"a cited span may be at most {MAX_SPAN_CHARS} characters")
        passage = self._passage_at(doc, start)  # type: ignore[arg-type]
        return Citation(id=f"{doc}#{start}-{end}", doc=doc, start=start, end=end,  # type: ignore[arg-type]
                        quote=text[start:end], passage_id=passage.id if passage else "")

    def _passage_at(self, doc: str, offset: int) -> Passage | None:
        for p in self.index.open().passages.values():
            if p.doc == doc and p.start <= offset < p.end:
                return p
        return None

    def passage(self, passage_id: str) -> Passage:
        """A passage by id.

        Raises:
            InputError: the id is malformed (e.g. contains ``../``).
            NotFoundError: no such passage in the current index.
        """
        if not isinstance(passage_id, str) or not PASSAGE_ID_RE.match(passage_id):
            raise InputError(f"{passage_id!r} is not a passage id (expected p_ and 20 hex digits)")
        p = self.index.open().passages.get(passage_id)
        if p is None:
            raise NotFoundError(f"no passage {passage_id} in the current index")
        return p
