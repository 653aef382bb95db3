"""Typed records carried from chunking to the UI.

Ids are derived from content (document name, document hash, offsets), never from
list positions, ``hash()`` or random uuids, so the same corpus always yields the
same ids and a citation stays valid across rebuilds.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

#: A passage id: ``p_`` and 20 lowercase hex digits. Anything else (``../``, spaces) is rejected.
#: The same rule as a portable pattern string (for OpenAPI / JSON Schema validators).
PASSAGE_ID_PATTERN = r"^p_[0-9a-f]{20}$"
PASSAGE_ID_RE = re.compile(r"^p_[0-9a-f]{20}\Z")
#: A citation id as the API hands it out: ``<passage id or document>#<start>-<end>``.
CITATION_ID_PATTERN = r"^.+#[0-9]{1,10}-[0-9]{1,10}$"
CITATION_ID_RE = re.compile(r"^(?P<base>.+)#(?P<start>[0-9]{1,10})-(?P<end>[0-9]{1,10})\Z")


def citation_id(base: str, start: int, end: int) -> str:
    """The id of the span ``[start, end)`` of the passage (or document) ``base``."""
    return f"{base}#{start}-{end}"


def sha256_text(text: str) -> str:
    """Hex sha256 of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_passage_id(doc: str, doc_sha256: str, start: int, end: int) -> str:
    """Stable passage id from the document name, its content hash and the offsets."""
    digest = hashlib.sha256(f"{doc}\0{doc_sha256}\0{start}\0{end}".encode()).hexdigest()
    return f"p_{digest[:20]}"


class Label(str, Enum):
    """Verdict labels for a claim."""

    SUPPORTED = "SUPPORTED"
    REFUTED = "REFUTED"
    NOT_ENOUGH_INFO = "NOT_ENOUGH_INFO"


class Relation(str, Enum):
    """How one evidence span relates to a claim."""

    SUPPORTS = "supports"
    REFUTES = "refutes"
    RELATED = "related"


@dataclass(frozen=True)
class Document:
    """One article file.

    ``text`` is exactly ``Path.read_text(encoding="utf-8")``; every offset in the
    package indexes into it. ``body_end`` is where the article ends and trailing
    site boilerplate (teaser links and the like) begins; nothing past it is indexed.
    """

    name: str
    text: str
    sha256: str
    body_end: int
    title: str = ""

    @property
    def body(self) -> str:
        """The article text without trailing boilerplate."""
        return self.text[: self.body_end]


@dataclass(frozen=True)
class Sentence:
    """A sentence (or list item / table row) inside a passage, with document offsets."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Passage:
    """A retrievable chunk: one or more whole sentences within a paragraph.

    ``document.text[start:end] == text`` always holds. ``context`` is the heading
    (and table header row, or list lead-in) the passage sits under; it is used for
    retrieval but is not part of the quoted text.
    """

    id: str
    doc: str
    start: int
    end: int
    text: str
    context: str = ""
    kind: str = "text"  # text | heading | list_item | table_header | table_row | title
    sentences: tuple[Sentence, ...] = field(default_factory=tuple)

    def search_text(self) -> str:
        """The text that is embedded and indexed lexically: context + passage."""
        return f"{self.context}\n{self.text}" if self.context else self.text

    def sentence_text(self, sentence: Sentence) -> str:
        """The text a sentence is scored as: a table row or list item keeps its header or
        lead-in (a bare row "| X | Y |" means little alone), a header row says it names the
        table's columns; other sentences stand alone."""
        if self.kind in ("table_header", "table_row", "list_item") and self.context:
            return f"{self.context}\n{sentence.text}"
        return sentence.text


@dataclass(frozen=True)
class ScoredPassage:
    """A passage with its retrieval score and the ranks that produced it."""

    passage: Passage
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None


@dataclass(frozen=True)
class Citation:
    """An exact, verifiable span of a document: ``document.text[start:end] == quote``."""

    id: str
    doc: str
    start: int
    end: int
    quote: str
    passage_id: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class AnswerSentence:
    """One sentence of an answer and the indexes of its citations in ``Answer.citations``."""

    text: str
    citations: tuple[int, ...]
    supported: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "citations": list(self.citations), "supported": self.supported}


@dataclass(frozen=True)
class Answer:
    """A grounded answer. ``abstained`` answers carry the fixed NOT_IN_CORPUS message."""

    question: str
    answer: str
    abstained: bool
    sentences: tuple[AnswerSentence, ...] = ()
    citations: tuple[Citation, ...] = ()
    premise_corrected: bool = False
    reason: str = ""
    #: Things the reader should know about the answer's sources, e.g. that a cited article
    #: changed on disk since it was indexed (so a quote may no longer be the file's text).
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "premise_corrected": self.premise_corrected,
            "reason": self.reason,
            "sentences": [s.to_dict() for s in self.sentences],
            "citations": [c.to_dict() for c in self.citations],
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class AnswerEvent:
    """One step of a streamed answer.

    ``kind`` is ``token`` (draft text as the model writes it, not yet checked),
    ``sentence`` (a finished sentence after the citation check: ``supported`` and the
    exact ``citations``), or ``answer`` (the final, checked :class:`Answer`; always last).
    """

    kind: str
    text: str = ""
    supported: bool | None = None
    citations: tuple[Citation, ...] = ()
    answer: Answer | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"event": self.kind}
        if self.kind == "token":
            d["text"] = self.text
        elif self.kind == "sentence":
            d.update(text=self.text, supported=self.supported, citations=[c.to_dict() for c in self.citations])
        elif self.answer is not None:
            d["answer"] = self.answer.to_dict()
        return d


@dataclass(frozen=True)
class Evidence:
    """A cited span with its relation to a claim."""

    citation: Citation
    relation: Relation
    score: float = 0.0
    explanation: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = self.citation.to_dict()
        d["relation"] = self.relation.value
        d["score"] = round(float(self.score), 4)
        if self.explanation:
            d["explanation"] = self.explanation
        return d


@dataclass(frozen=True)
class Verdict:
    """The label of a claim against the corpus (or against the cited spans)."""

    claim: str
    label: Label
    confidence: float
    evidence: tuple[Evidence, ...]
    explanation: str
    #: As :attr:`Answer.warnings`: e.g. an evidence article changed since it was indexed.
    warnings: tuple[str, ...] = ()
    #: For NOT_ENOUGH_INFO: the claim's checkable details (names, numbers, dates, quotations,
    #: outlets ...) that the closest passage does not state, or states otherwise too loosely
    #: to refute; empty when what is missing is only wording.
    unstated: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "claim": self.claim,
            "verdict": self.label.value,
            "confidence": round(float(self.confidence), 4),
            "evidence": [e.to_dict() for e in self.evidence],
            "explanation": self.explanation,
            "warnings": list(self.warnings),
            "unstated": list(self.unstated),
        }
