"""BM25 lexical index over passages, stored as a sparse matrix that loads in milliseconds.

Built once per index build and saved beside it (``lexical.npz`` + ``lexical.json``),
so neither a query nor a process start rebuilds it.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

#: Bump when tokenize() changes: it is part of the index fingerprint.
TOKENIZER_VERSION = 3

#: Country abbreviations spelled out before tokenizing, so "U.S." (whose single letters
#: would be dropped) and "US" match "United States" (and "us", the pronoun, stays a stop word).
_ABBREVIATIONS = (
    (re.compile(r"(?<![\w.])U\.S\.(?:A\.)?|(?<![\w.])USA?(?![\w])"), " United States "),
    (re.compile(r"(?<![\w.])U\.K\.|(?<![\w.])UK(?![\w])"), " United Kingdom "),
    (re.compile(r"(?<![\w.])D\.C\."), " DC "),
)

_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+", re.UNICODE)

STOPWORDS = frozenset(
    """a an the and or but if of at by for with about against between into through during before
    after above below to from up down in out on off over under again further then once here there
    when where why how all any both each few more most other some such no nor not only own same so
    than too very s t can will just don should now is are was were be been being have has had
    having do does did doing i me my myself we our ours you your he him his she her it its they
    them their what which who whom this that these those am would could might must shall may
    also as while""".split()
)


def _stem(tok: str) -> str:
    # A light, predictable stemmer: enough to match plurals and common verb forms
    # ("describe", "described", "describes" -> "describ").
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if tok.endswith(suffix) and len(tok) - len(suffix) >= 3:
            if suffix == "s" and tok.endswith("ss"):
                break
            tok = tok[: -len(suffix)] + repl
            break
    if tok.endswith("e") and len(tok) > 4:
        tok = tok[:-1]
    return tok


def tokenize(text: str) -> list[str]:
    """Lower-cased, stop-word-free, lightly stemmed tokens."""
    text = text.replace("’", "'")
    for pattern, spelled in _ABBREVIATIONS:
        text = pattern.sub(spelled, text)
    out = []
    for tok in _TOKEN.findall(text.lower()):
        if tok in STOPWORDS or len(tok) == 1 and not tok.isdigit():
            continue
        out.append(_stem(tok))
    return out


@lru_cache(maxsize=1)
def _synonym_table() -> dict[str, frozenset[str]]:
    """Stemmed token -> the stemmed tokens of its paraphrase groups (``rag.nlp.SYNONYM_GROUPS``)."""
    from rag.nlp import SYNONYM_GROUPS

    table: dict[str, set[str]] = {}
    for group in SYNONYM_GROUPS:
        stems = {t for word in group if "_" not in word for t in tokenize(word)}
        for stem in stems:
            table.setdefault(stem, set()).update(stems - {stem})
    return {k: frozenset(v) for k, v in table.items()}


def synonyms(term: str) -> frozenset[str]:
    """Tokens that paraphrase a (tokenized) term: "talk" -> "discussion", "call" ...; may be empty."""
    return _synonym_table().get(term, frozenset())


class BM25Index:
    """Okapi BM25 with precomputed per-(term, passage) weights in a CSR matrix."""

    def __init__(self, ids: list[str], vocab: dict[str, int], weights: sparse.csr_matrix) -> None:
        self.ids = ids
        self.vocab = vocab
        # terms x passages: a query sums a few rows.
        self.weights = weights

    @classmethod
    def build(cls, ids: list[str], texts: list[str], k1: float = 1.2, b: float = 0.75) -> BM25Index:
        """Index ``texts`` (one per id)."""
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        tfs: list[float] = []
        lengths = np.zeros(len(texts), dtype=np.float32)
        for j, text in enumerate(texts):
            counts = Counter(tokenize(text))
            lengths[j] = sum(counts.values())
            for term, tf in counts.items():
                rows.append(vocab.setdefault(term, len(vocab)))
                cols.append(j)
                tfs.append(tf)
        n = len(texts)
        if n == 0 or not vocab:
            return cls(ids, vocab, sparse.csr_matrix((len(vocab), n), dtype=np.float32))
        tf_arr = np.asarray(tfs, dtype=np.float32)
        row_arr = np.asarray(rows)
        col_arr = np.asarray(cols)
        df = np.bincount(row_arr, minlength=len(vocab)).astype(np.float32)
        idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
        avgdl = float(lengths.mean()) or 1.0
        norm = k1 * (1.0 - b + b * lengths[col_arr] / avgdl)
        w = idf[row_arr] * tf_arr * (k1 + 1.0) / (tf_arr + norm)
        mat = sparse.csr_matrix((w.astype(np.float32), (row_arr, col_arr)), shape=(len(vocab), n))
        return cls(ids, vocab, mat)

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """Top ``k`` (id, score) pairs with a positive score, best first."""
        terms = [self.vocab[t] for t in tokenize(query) if t in self.vocab]
        if not terms or not self.ids:
            return []
        scores = np.asarray(self.weights[terms].sum(axis=0)).ravel()
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def search_expanded(self, query: str, k: int, synonym_weight: float = 0.5) -> list[tuple[str, float]]:
        """Like :meth:`search`, but a query term also matches its synonyms at ``synonym_weight``.

        Each query term scores a passage by the better of its own weight and the
        (discounted) best weight of one of its synonyms, so a paraphrase ("talked" for
        "discussion") counts once, never more than the word itself. Sparse throughout:
        the cost grows with the postings of the terms, not with the corpus.
        """
        if not self.ids:
            return []
        rows: list[sparse.csr_matrix] = []
        for term in tokenize(query):
            own = self.vocab.get(term)
            syn = [self.vocab[t] for t in sorted(synonyms(term)) if t in self.vocab]
            if own is None and not syn:
                continue
            row = self.weights[own] if own is not None else sparse.csr_matrix((1, len(self.ids)), dtype=np.float32)
            if syn and synonym_weight > 0:
                row = row.maximum(self.weights[syn].max(axis=0).tocsr() * synonym_weight)
            rows.append(row)
        if not rows:
            return []
        scores = np.asarray(sparse.vstack(rows).sum(axis=0)).ravel()
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def idf(self, term: str) -> float:
        """Inverse document frequency of a (tokenized) term; 0 when unknown."""
        i = self.vocab.get(term)
        if i is None:
            return 0.0
        df = self.weights.indptr[i + 1] - self.weights.indptr[i]
        n = len(self.ids)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def save(self, folder: Path) -> None:
        """Write ``lexical.npz`` and ``lexical.json`` into ``folder``."""
        sparse.save_npz(folder / "lexical.npz", self.weights, compressed=False)
        (folder / "lexical.json").write_text(json.dumps({"ids": self.ids, "vocab": self.vocab}), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> BM25Index:
        """Read an index written by :meth:`save`."""
        meta = json.loads((folder / "lexical.json").read_text(encoding="utf-8"))
        weights = sparse.load_npz(folder / "lexical.npz").tocsr()
        return cls(meta["ids"], meta["vocab"], weights)
