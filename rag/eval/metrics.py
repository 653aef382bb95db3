"""Metric functions of the evaluation, pure and small enough to test on hand-made inputs.

Nothing here loads a model or touches the index: spans, strings and labels in,
numbers out. :mod:`rag.eval.run` feeds them with the pipeline's (and the
baselines') outputs.

Conventions:

* A :class:`Span` is ``[start, end)`` in the exact text of one seed document
  (``Path.read_text(encoding="utf-8")``), the same offsets citations carry.
* A gold quote counts as *found* by a retrieved span when that one span covers at
  least :data:`MIN_COVER` of the quote's characters (passages are shorter than some
  quotes' sentences are long, and a sentence splitter may drop a closing quote mark).
* Rates return ``None`` when their denominator is empty, so "not measurable" never
  masquerades as 0 or 1.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from rag.errors import InputError

#: Share of a gold quote's characters one retrieved span must cover to count as found.
MIN_COVER = 0.8

_PUNCT_MAP = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ",
})
_SPACE = re.compile(r"\s+")


# ------------------------------------------------------------------------- spans
@dataclass(frozen=True, order=True)
class Span:
    """``[start, end)`` in the text of document ``doc``."""

    doc: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise InputError(f"bad span {self.doc!r} {self.start}-{self.end}: need 0 <= start <= end")

    def __len__(self) -> int:
        return self.end - self.start

    def overlap(self, other: Span) -> int:
        """Characters shared with ``other`` (0 when in different documents)."""
        if self.doc != other.doc:
            return 0
        return max(0, min(self.end, other.end) - max(self.start, other.start))


def locate_quote(doc: str, quote: str, doc_texts: Mapping[str, str]) -> Span:
    """The span of ``quote`` in document ``doc`` (its first occurrence, ``str.find``).

    Raises:
        InputError: the document is unknown or does not contain the quote.
    """
    text = doc_texts.get(doc)
    if text is None:
        raise InputError(f"gold evidence names document {doc!r}, which is not in the seeds folder")
    pos = text.find(quote)
    if pos < 0:
        raise InputError(f"gold quote {quote[:60]!r}... is not an exact substring of {doc!r}")
    return Span(doc, pos, pos + len(quote))


def coverage(gold: Span, span: Span) -> float:
    """Share of ``gold``'s characters that ``span`` covers (0..1)."""
    return gold.overlap(span) / len(gold) if len(gold) else 0.0


def is_found(gold: Span, spans: Iterable[Span], min_cover: float = MIN_COVER) -> bool:
    """True when one of ``spans`` covers at least ``min_cover`` of ``gold``."""
    return any(coverage(gold, s) >= min_cover for s in spans)


def recall_at_k(gold: Sequence[Span], ranked: Sequence[Span], k: int, min_cover: float = MIN_COVER) -> float | None:
    """Share of the gold quotes found in the top ``k`` of ``ranked``; None without gold."""
    if not gold:
        return None
    top = ranked[:k]
    return sum(is_found(g, top, min_cover) for g in gold) / len(gold)


def first_hit_rank(gold: Sequence[Span], ranked: Sequence[Span], min_cover: float = MIN_COVER) -> int | None:
    """1-based rank of the first span that finds any gold quote, or None."""
    for rank, span in enumerate(ranked, start=1):
        if any(coverage(g, span) >= min_cover for g in gold):
            return rank
    return None


def reciprocal_rank(gold: Sequence[Span], ranked: Sequence[Span], min_cover: float = MIN_COVER) -> float | None:
    """1 / rank of the first span that finds a gold quote (0 if none); None without gold."""
    if not gold:
        return None
    rank = first_hit_rank(gold, ranked, min_cover)
    return 1.0 / rank if rank else 0.0


def _merged(spans: Iterable[Span]) -> dict[str, list[tuple[int, int]]]:
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for s in sorted(spans):
        ivs = by_doc.setdefault(s.doc, [])
        if ivs and s.start <= ivs[-1][1]:
            ivs[-1] = (ivs[-1][0], max(ivs[-1][1], s.end))
        else:
            ivs.append((s.start, s.end))
    return by_doc


def gold_chars(span: Span, gold: Sequence[Span]) -> int:
    """Characters of ``span`` that lie inside any gold span (overlapping gold counted once)."""
    return sum(max(0, min(span.end, e) - max(span.start, s)) for s, e in _merged(gold).get(span.doc, []))


def evidence_chars(spans: Sequence[Span], gold: Sequence[Span]) -> tuple[int, int]:
    """(gold-evidence characters, all characters) over ``spans``, each span counted on its own.

    Sum these over cases and divide for a micro-averaged "share of retrieved (or cited)
    characters that are gold evidence".
    """
    return sum(gold_chars(s, gold) for s in spans), sum(len(s) for s in spans)


# ---------------------------------------------------------------------- answers
def normalize(text: str) -> str:
    """Case-folded text with curly quotes, apostrophes, dashes and odd spaces made ASCII."""
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT_MAP)
    return _SPACE.sub(" ", text).strip().casefold()


def missing_keys(answer: str, keys: Sequence[str]) -> list[str]:
    """The answer keys not found (after :func:`normalize`) in ``answer``."""
    norm = normalize(answer)
    return [k for k in keys if normalize(k) not in norm]


def answer_correct(answer: str, keys: Sequence[str], abstained: bool) -> bool:
    """An answer is correct when it did not abstain and contains every key."""
    return not abstained and bool(keys) and not missing_keys(answer, keys)


def abstention_scores(unanswerable: Sequence[bool], abstained: Sequence[bool]) -> dict[str, Any]:
    """Precision / recall / F1 of abstaining, where "positive" means the question is unanswerable.

    Args:
        unanswerable: per question, True when the gold answer is null.
        abstained: per question, True when the system abstained.
    """
    if len(unanswerable) != len(abstained):
        raise InputError(f"{len(unanswerable)} gold flags but {len(abstained)} predictions")
    tp = sum(u and a for u, a in zip(unanswerable, abstained, strict=True))
    n_abst, n_unans = sum(abstained), sum(unanswerable)
    precision = tp / n_abst if n_abst else None
    recall = tp / n_unans if n_unans else None
    return {"precision": precision, "recall": recall, "f1": _f1(precision, recall),
            "abstained": n_abst, "unanswerable": n_unans, "true_abstentions": tp}


# ----------------------------------------------------------------------- labels
def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 2 * p * r / (p + r) if p + r else 0.0


def classification_report(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1, per-label precision/recall/F1 and the confusion matrix.

    ``confusion[i][j]`` counts cases with gold ``labels[i]`` predicted as ``labels[j]``.
    A label never predicted has precision 0 (and F1 0) when it has gold cases, so it
    pulls the macro average down instead of being skipped.

    Raises:
        InputError: lengths differ or a label is not in ``labels``.
    """
    if len(gold) != len(pred):
        raise InputError(f"{len(gold)} gold labels but {len(pred)} predictions")
    index = {lab: i for i, lab in enumerate(labels)}
    for lab in (*gold, *pred):
        if lab not in index:
            raise InputError(f"label {lab!r} is not one of {list(labels)}")
    n = len(labels)
    matrix = [[0] * n for _ in range(n)]
    for g, p in zip(gold, pred, strict=True):
        matrix[index[g]][index[p]] += 1
    per: dict[str, dict[str, Any]] = {}
    for lab, i in index.items():
        tp = matrix[i][i]
        predicted = sum(matrix[r][i] for r in range(n))
        support = sum(matrix[i])
        precision = tp / predicted if predicted else (0.0 if support else None)
        recall = tp / support if support else None
        per[lab] = {"precision": precision, "recall": recall, "f1": _f1(precision, recall) if support else None,
                    "support": support, "predicted": predicted}
    f1s = [v["f1"] for v in per.values() if v["f1"] is not None]
    return {
        "n": len(gold),
        "accuracy": sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else None,
        "macro_f1": sum(f1s) / len(f1s) if f1s else None,
        "per_label": per,
        "labels": list(labels),
        "confusion": matrix,
    }


# -------------------------------------------------------------------- citations
C = TypeVar("C")


def alce_sentence(sentence: str, citations: Sequence[C],
                  entails: Callable[[str, Sequence[C]], bool]) -> tuple[bool, list[bool]]:
    """ALCE citation recall and precision for one answer sentence.

    Recall: the citations *together* entail the sentence. Precision, per citation: it
    alone entails the sentence, or the sentence is entailed and removing the citation
    breaks that. Citations of a sentence that is not entailed are all imprecise
    (as in ALCE, Gao et al. 2023).

    Args:
        sentence: the answer sentence.
        citations: the citations attached to it.
        entails: ``entails(sentence, citations) -> bool`` (the project's verifier).

    Returns:
        (recall_ok, precise flag per citation).
    """
    if not citations:
        return False, []
    joint = entails(sentence, citations)
    if not joint:
        return False, [False] * len(citations)
    if len(citations) == 1:
        return True, [True]
    precise = []
    for i, c in enumerate(citations):
        if entails(sentence, [c]):
            precise.append(True)
            continue
        rest = [x for j, x in enumerate(citations) if j != i]
        precise.append(not entails(sentence, rest))
    return True, precise


# ------------------------------------------------------------------ aggregation
def mean(values: Iterable[float | bool | None]) -> float | None:
    """Mean of the non-None values, or None when there are none."""
    vals = [float(v) for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def ratio(num: int | float, den: int | float) -> float | None:
    """``num / den`` or None when ``den`` is 0."""
    return num / den if den else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0..100, linear interpolation), or None for no values."""
    if not values:
        return None
    if not 0 <= q <= 100:
        raise InputError(f"percentile must be in [0, 100], got {q!r}")
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


__all__ = [
    "MIN_COVER",
    "Span",
    "abstention_scores",
    "alce_sentence",
    "answer_correct",
    "classification_report",
    "coverage",
    "evidence_chars",
    "first_hit_rank",
    "gold_chars",
    "is_found",
    "locate_quote",
    "mean",
    "missing_keys",
    "normalize",
    "percentile",
    "ratio",
    "recall_at_k",
    "reciprocal_rank",
]
