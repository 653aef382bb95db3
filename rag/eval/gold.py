"""Load the hand-checked gold evaluation sets (question answering and claim checking).

Two JSON Lines files live next to this module in ``data/``:

``qa.jsonl``
    One question per line::

        {"id": "q001", "question": "...", "answer": "..." | null,
         "answer_keys": ["..."], "evidence": [{"doc": "...", "quote": "..."}],
         "type": "single_fact"}

    ``answer`` is ``null`` when the corpus does not answer the question; then
    ``answer_keys`` and ``evidence`` must be empty.

``claims.jsonl``
    One claim per line::

        {"id": "c001", "claim": "...", "label": "SUPPORTED" | "REFUTED" | "NOT_ENOUGH_INFO",
         "evidence": [{"doc": "...", "quote": "..."}], "conflict": "number"}

Every evidence ``quote`` is an exact substring of the seed article named by
``doc``. Unknown extra fields (e.g. ``twin``) are ignored; blank lines are
skipped. Any malformed line raises :class:`GoldFormatError` naming the file,
the line number and the problem; so does a file with no items.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Protocol, TypeVar

logger = logging.getLogger(__name__)

DATA_DIR: Path = Path(__file__).parent / "data"
DEFAULT_QA_PATH: Path = DATA_DIR / "qa.jsonl"
DEFAULT_CLAIMS_PATH: Path = DATA_DIR / "claims.jsonl"

LABELS: frozenset[str] = frozenset({"SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"})



class _HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=_HasId)


class GoldFormatError(ValueError):
    """A gold file line is malformed (bad JSON, missing/invalid field, bad label, duplicate id),
    or the file has no items at all (``line_no`` None)."""

    def __init__(self, path: Path, line_no: int | None, problem: str) -> None:
        self.path = path
        self.line_no = line_no
        self.problem = problem
        super().__init__(f"{path}:{line_no}: {problem}" if line_no is not None else f"{path}: {problem}")


@dataclass(frozen=True)
class GoldEvidence:
    """An exact quote from a seed document that supports (or refutes) an answer/claim."""

    doc: str
    quote: str


@dataclass(frozen=True)
class QACase:
    """One gold question; ``answer`` is ``None`` when the corpus cannot answer it."""

    id: str
    question: str
    answer: str | None
    answer_keys: tuple[str, ...]
    evidence: tuple[GoldEvidence, ...]
    type: str | None = None

    @property
    def answerable(self) -> bool:
        """True when the corpus answers the question."""
        return self.answer is not None


@dataclass(frozen=True)
class ClaimCase:
    """One gold claim with its verdict label and deciding evidence."""

    id: str
    claim: str
    label: str
    evidence: tuple[GoldEvidence, ...]
    conflict: str | None = None


class _LineError(Exception):
    """Internal: a field-level problem, converted to GoldFormatError with location."""


def _require_str(obj: dict[str, Any], key: str) -> str:
    if key not in obj:
        raise _LineError(f"missing field {key!r}")
    value = obj[key]
    if not isinstance(value, str) or not value.strip():
        raise _LineError(f"field {key!r} must be a non-empty string, got {value!r}")
    return value


def _require_str_or_none(obj: dict[str, Any], key: str) -> str | None:
    if key not in obj:
        raise _LineError(f"missing field {key!r}")
    if obj[key] is None:
        return None
    return _require_str(obj, key)


def _optional_str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise _LineError(f"field {key!r} must be a string or null, got {value!r}")
    return value


def _evidence(obj: dict[str, Any]) -> tuple[GoldEvidence, ...]:
    if "evidence" not in obj:
        raise _LineError("missing field 'evidence'")
    items = obj["evidence"]
    if not isinstance(items, list):
        raise _LineError("field 'evidence' must be a list")
    out: list[GoldEvidence] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise _LineError(f"evidence[{i}] must be an object with 'doc' and 'quote'")
        for key in ("doc", "quote"):
            if not isinstance(item.get(key), str) or not item[key]:
                raise _LineError(f"evidence[{i}] is missing a non-empty string {key!r}")
        out.append(GoldEvidence(doc=item["doc"], quote=item["quote"]))
    return tuple(out)


def _parse_qa(obj: dict[str, Any]) -> QACase:
    case_id = _require_str(obj, "id")
    question = _require_str(obj, "question")
    answer = _require_str_or_none(obj, "answer")
    if "answer_keys" not in obj:
        raise _LineError("missing field 'answer_keys'")
    keys = obj["answer_keys"]
    if not isinstance(keys, list) or not all(isinstance(k, str) and k for k in keys):
        raise _LineError("field 'answer_keys' must be a list of non-empty strings")
    evidence = _evidence(obj)
    if answer is None and (keys or evidence):
        raise _LineError("unanswerable question (answer null) must have empty 'answer_keys' and 'evidence'")
    if answer is not None and not keys:
        raise _LineError("answerable question must have at least one answer key")
    return QACase(
        id=case_id,
        question=question,
        answer=answer,
        answer_keys=tuple(keys),
        evidence=evidence,
        type=_optional_str(obj, "type"),
    )


def _parse_claim(obj: dict[str, Any]) -> ClaimCase:
    case_id = _require_str(obj, "id")
    claim = _require_str(obj, "claim")
    label = _require_str(obj, "label")
    if label not in LABELS:
        raise _LineError(f"invalid label {label!r}; expected one of {sorted(LABELS)}")
    return ClaimCase(
        id=case_id,
        claim=claim,
        label=label,
        evidence=_evidence(obj),
        conflict=_optional_str(obj, "conflict"),
    )


def _iter_objects(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open("rb") as fh:  # decoded line by line, so a bad byte is reported with its line
        for line_no, raw in enumerate(fh, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise GoldFormatError(path, line_no, f"not UTF-8 ({exc.reason} at byte {exc.start} of the line); "
                                                     "save the file as UTF-8") from exc
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldFormatError(path, line_no, f"bad JSON: {exc.msg} (column {exc.colno})") from exc
            if not isinstance(obj, dict):
                raise GoldFormatError(path, line_no, f"expected a JSON object, got {type(obj).__name__}")
            yield line_no, obj


def _load(path: Path, parse: Callable[[dict[str, Any]], T]) -> list[T]:
    cases: list[T] = []
    seen: dict[str, int] = {}
    for line_no, obj in _iter_objects(path):
        try:
            case = parse(obj)
        except _LineError as exc:
            raise GoldFormatError(path, line_no, str(exc)) from None
        case_id = case.id
        if case_id in seen:
            raise GoldFormatError(path, line_no, f"duplicate id {case_id!r} (first seen on line {seen[case_id]})")
        seen[case_id] = line_no
        cases.append(case)
    if not cases:
        # Otherwise every figure of the report is "—" and the run still succeeds.
        raise GoldFormatError(path, None, "has no items (the file is empty or has only blank lines); "
                                          "write one JSON object per line")
    logger.debug("loaded %d gold cases from %s", len(cases), path)
    return cases


def load_qa(path: Path | str | None = None) -> list[QACase]:
    """Load gold questions from ``path`` (default: :data:`DEFAULT_QA_PATH`).

    Raises:
        GoldFormatError: if a line is malformed (the message names file and line), or the
            file has no items.
        FileNotFoundError: if the file does not exist.
    """
    return _load(Path(path) if path is not None else DEFAULT_QA_PATH, _parse_qa)


def load_claims(path: Path | str | None = None) -> list[ClaimCase]:
    """Load gold claims from ``path`` (default: :data:`DEFAULT_CLAIMS_PATH`).

    Raises:
        GoldFormatError: if a line is malformed (the message names file and line), or the
            file has no items.
        FileNotFoundError: if the file does not exist.
    """
    return _load(Path(path) if path is not None else DEFAULT_CLAIMS_PATH, _parse_claim)


__all__ = [
    "DEFAULT_CLAIMS_PATH",
    "DEFAULT_QA_PATH",
    "LABELS",
    "ClaimCase",
    "GoldEvidence",
    "GoldFormatError",
    "QACase",
    "load_claims",
    "load_qa",
]
