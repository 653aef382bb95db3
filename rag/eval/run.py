"""Score the pipeline (and baselines) on the gold sets: ``python -m rag eval``.

:func:`evaluate` is the library entry (the regression gate calls it with a pipeline);
:func:`main` is what the CLI runs: it opens (or first builds) the configured index,
evaluates our pipeline and the baselines, times a fresh index build, and writes

* ``report.json`` - every metric per system plus per-case records (question, answer,
  citations, verdict ...), so a regression can be traced to a case;
* ``report.md`` - compact tables: metrics x systems, claims, latency, failures;
* ``recall_at_k.png``, ``claims_confusion.png``, ``latency.png``.

Metric definitions live in :mod:`rag.eval.metrics`; the baselines in
:mod:`rag.eval.baselines`. Gold quotes are located in the seed files with
``str.find``, and every citation is compared with the seed file as read from disk.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, is_dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from rag.answer import PREMISE_CORRECTION
from rag.corpus import load_corpus
from rag.errors import ConfigError, InputError
from rag.progress import stage_progress
from rag.eval.baselines import Baseline, Hit, hits_from_passages, make_baselines
from rag.eval.gold import ClaimCase, GoldFormatError, QACase, load_claims, load_qa
from rag.eval.metrics import (
    MIN_COVER,
    Span,
    abstention_scores,
    alce_sentence,
    answer_correct,
    classification_report,
    evidence_chars,
    first_hit_rank,
    locate_quote,
    mean,
    missing_keys,
    percentile,
    ratio,
    recall_at_k,
    reciprocal_rank,
)
from rag.types import Answer, Citation, Label, sha256_text

log = logging.getLogger(__name__)

#: Cut-offs of the evidence recall curve.
RECALL_KS: tuple[int, ...] = (1, 3, 5, 10)
#: Depth at which the share of retrieved characters that are gold evidence is measured.
EVIDENCE_SHARE_K = 5
#: Order of the label axis in the claims confusion matrix.
CLAIM_LABELS: tuple[str, ...] = ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO")
OURS = "ours"
#: Seconds the timed index build may take before it is abandoned.
BUILD_TIMEOUT = 900

# Rows of the comparison table: (key in the flat metrics, label). Baselines show "—"
# for what they cannot have (faithfulness and verifier-based citation scores).
TABLE_ROWS: tuple[tuple[str, str], ...] = (
    *((f"recall@{k}", f"evidence recall@{k}") for k in RECALL_KS),
    ("mrr", "MRR@10"),
    (f"evidence_share@{EVIDENCE_SHARE_K}", f"retrieved chars that are evidence (top {EVIDENCE_SHARE_K})"),
    ("answer_correctness", "answer correctness (answerable)"),
    ("false_premise_correct", "false-premise questions answered"),
    ("abstention_precision", "abstention precision"),
    ("abstention_recall", "abstention recall (unanswerable)"),
    ("citation_faithfulness", "citation faithfulness (quote == seed text)"),
    ("citation_precision", "citation precision (gold overlap or verifier)"),
    ("citation_precision_gold", "citation precision (gold overlap only)"),
    ("alce_recall", "ALCE citation recall (verifier)"),
    ("alce_precision", "ALCE citation precision (verifier)"),
    ("cited_evidence_share", "cited chars that are evidence"),
    ("answer_chars", "answer length, chars (mean, answered)"),
    ("sentences_dropped_share", "written sentences removed by the citation check"),
)
#: Context rows: no "better" direction, so no ratio.
NO_RATIO = frozenset({"answer_chars", "sentences_dropped_share"})


# ====================================================================== helpers
def doc_texts_of(seeds_dir: Path) -> dict[str, str]:
    """Exact text of every seed file, by the name the index uses."""
    return {d.name: d.text for d in load_corpus(Path(seeds_dir)).documents}


def gold_spans(evidence: Sequence[Any], doc_texts: dict[str, str]) -> list[Span]:
    """Spans of gold evidence quotes (``text.find(quote)`` in the seed file)."""
    return [locate_quote(e.doc, e.quote, doc_texts) for e in evidence]


def _span(x: Citation | Hit) -> Span:
    return Span(x.doc, x.start, x.end)


def is_framing(text: str) -> bool:
    """Answer sentences that frame rather than state a fact ("Yes.", "No.", the premise lead)."""
    return text in ("Yes.", "No.") or text.startswith(PREMISE_CORRECTION)


class _Entails:
    """``entails(sentence, citations)`` through the verifier, cached (ALCE asks the same twice)."""

    def __init__(self, verifier: Any) -> None:
        self.verifier = verifier
        self.calls = 0
        self._cache: dict[tuple[str, tuple[tuple[str, int, int], ...]], bool] = {}

    def __call__(self, sentence: str, cites: Sequence[Citation]) -> bool:
        if not cites:
            return False
        key = (sentence, tuple((c.doc, c.start, c.end) for c in cites))
        if key not in self._cache:
            self.calls += 1
            self._cache[key] = self.verifier.verify(sentence, list(cites)).label is Label.SUPPORTED
        return self._cache[key]


def _bar(total: int, desc: str, enabled: bool, unit: str = "case") -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=not enabled, leave=True,
                dynamic_ncols=True)


def _retrieval_record(gold: list[Span], ranked: list[Span]) -> dict[str, Any]:
    ev_gold, ev_total = evidence_chars(ranked[:EVIDENCE_SHARE_K], gold)
    return {
        "recall_at": {str(k): recall_at_k(gold, ranked, k) for k in RECALL_KS},
        "rr": reciprocal_rank(gold, ranked),
        "first_hit_rank": first_hit_rank(gold, ranked) if gold else None,
        "evidence_chars": [ev_gold, ev_total],
        "retrieved": [[s.doc, s.start, s.end] for s in ranked],
    }


# ============================================================== per-case scoring
def _score_question(pipeline: Any, case: QACase, gold: list[Span], doc_texts: dict[str, str],
                    entails: _Entails) -> dict[str, Any]:
    # ask first: timed before retrieve() below caches this question's embedding. Streamed,
    # so a chat model's time to first token is measured too (extractive: the whole answer).
    t0 = time.perf_counter()
    first_ms: float | None = None
    ans: Answer | None = None
    for event in pipeline.ask_stream(case.question):
        if first_ms is None:
            first_ms = (time.perf_counter() - t0) * 1000
        if event.kind == "answer":
            ans = event.answer
    ask_ms = (time.perf_counter() - t0) * 1000
    assert ans is not None
    hits = pipeline.retrieve(case.question, k=max(RECALL_KS))
    ranked = [_span(h) for h in hits_from_passages(hits)]

    citations: list[dict[str, Any]] = []
    for c in ans.citations:
        text = doc_texts.get(c.doc)
        sp = _span(c)
        citations.append({
            "doc": c.doc, "start": c.start, "end": c.end, "quote": c.quote,
            "faithful": text is not None and text[c.start : c.end] == c.quote,
            "gold_overlap": any(sp.overlap(g) > 0 for g in gold),
            "gold_chars": evidence_chars([sp], gold)[0],
            "verifier_supports": False,
        })

    sentences: list[dict[str, Any]] = []
    if not ans.abstained:
        for s in ans.sentences:
            rec: dict[str, Any] = {"text": s.text, "citations": list(s.citations), "supported": s.supported,
                                   "framing": is_framing(s.text)}
            if s.supported and not rec["framing"]:
                cites = [ans.citations[i] for i in s.citations]
                rec["verbatim"] = any(s.text in c.quote for c in cites)
                rec["alce_recall"], rec["alce_precise"] = alce_sentence(s.text, cites, entails)
                for i, c in zip(s.citations, cites, strict=True):
                    if entails(s.text, [c]):
                        citations[i]["verifier_supports"] = True
            sentences.append(rec)
    for c in citations:
        c["precise"] = c["gold_overlap"] or c["verifier_supports"]

    cited = [_span(c) for c in ans.citations] if not ans.abstained else []
    return {
        "id": case.id, "type": case.type, "question": case.question, "answerable": case.answerable,
        "gold_answer": case.answer, "answer_keys": list(case.answer_keys),
        "answer": ans.answer, "abstained": ans.abstained, "reason": ans.reason,
        "premise_corrected": ans.premise_corrected,
        "correct": answer_correct(ans.answer, case.answer_keys, ans.abstained) if case.answerable else None,
        "missing_keys": missing_keys(ans.answer, case.answer_keys) if case.answerable else [],
        "sentences": sentences, "citations": citations,
        "cited_chars": list(evidence_chars(cited, gold)) if cited else [0, 0],
        "retrieval": _retrieval_record(gold, ranked),
        "ask_ms": round(ask_ms, 2), "first_token_ms": round(first_ms or ask_ms, 2),
        "written": len(ans.sentences), "dropped": sum(not s.supported for s in ans.sentences),
    }


def _score_baseline_question(system: Baseline, case: QACase, gold: list[Span]) -> dict[str, Any]:
    hits = system.retrieve(case.question, max(RECALL_KS))
    ranked = [_span(h) for h in hits]
    top = hits[: system.answer_k]
    answer = "\n\n".join(h.text for h in top)
    cited = [_span(h) for h in top]
    return {
        "id": case.id, "type": case.type, "answerable": case.answerable,
        "answer": answer, "abstained": False, "premise_corrected": False,
        "correct": answer_correct(answer, case.answer_keys, False) if case.answerable else None,
        "missing_keys": missing_keys(answer, case.answer_keys) if case.answerable else [],
        "citations": [{"doc": h.doc, "start": h.start, "end": h.end,
                       "gold_overlap": any(_span(h).overlap(g) > 0 for g in gold)} for h in top],
        "cited_chars": list(evidence_chars(cited, gold)),
        "retrieval": _retrieval_record(gold, ranked),
    }


def _score_claim(pipeline: Any, case: ClaimCase, gold: list[Span], doc_texts: dict[str, str]) -> dict[str, Any]:
    t0 = time.perf_counter()
    verdict = pipeline.check(case.claim)
    check_ms = (time.perf_counter() - t0) * 1000
    evidence = []
    for e in verdict.evidence:
        c = e.citation
        text = doc_texts.get(c.doc)
        evidence.append({"doc": c.doc, "start": c.start, "end": c.end, "quote": c.quote,
                         "relation": e.relation.value, "faithful": text is not None and text[c.start : c.end] == c.quote,
                         "gold_overlap": any(_span(c).overlap(g) > 0 for g in gold)})
    return {
        "id": case.id, "claim": case.claim, "conflict": case.conflict, "gold": case.label,
        "predicted": verdict.label.value, "correct": verdict.label.value == case.label,
        "confidence": round(float(verdict.confidence), 4), "explanation": verdict.explanation,
        "evidence": evidence,
        "first_evidence_overlaps_gold": evidence[0]["gold_overlap"] if evidence else False,
        "check_ms": round(check_ms, 2),
        "citation_pair": _citation_pair(pipeline, case, gold, evidence),
    }


def _citation_pair(pipeline: Any, case: ClaimCase, gold: list[Span], evidence: list[dict[str, Any]]
                   ) -> dict[str, Any] | None:
    """A SUPPORTED claim checked against its gold citation and against a wrong one.

    The wrong citation is the best-ranked sentence the full check retrieved for the claim
    that does not overlap the gold evidence: an on-topic sentence, the hard case (a random
    sentence would be told apart trivially). None when the claim is not SUPPORTED or no
    such sentence was retrieved.
    """
    if case.label != "SUPPORTED" or not gold or not hasattr(pipeline, "check_citations"):
        return None
    wrong = next((e for e in evidence if not e["gold_overlap"]), None)
    if wrong is None:
        return None
    right_v = pipeline.check_citations(case.claim, [{"doc": g.doc, "start": g.start, "end": g.end} for g in gold])
    wrong_v = pipeline.check_citations(case.claim, [{"doc": wrong["doc"], "start": wrong["start"], "end": wrong["end"]}])
    right_label, wrong_label = right_v.verdict.label.value, wrong_v.verdict.label.value
    return {"right": right_label, "wrong": wrong_label, "wrong_quote": wrong["quote"],
            "told_apart": right_label == "SUPPORTED" and wrong_label != "SUPPORTED"}


# ================================================================== summaries
def _micro(rows: list[dict[str, Any]], key: str) -> float | None:
    g = sum(r[key][0] for r in rows)
    t = sum(r[key][1] for r in rows)
    return ratio(g, t)


def summarize_qa(rows: list[dict[str, Any]], ours: bool) -> dict[str, Any]:
    """Flat metrics of one system over its per-question records."""
    answerable = [r for r in rows if r["answerable"]]
    with_gold = [r for r in answerable if r["retrieval"]["rr"] is not None]
    m: dict[str, Any] = {}
    for k in RECALL_KS:
        m[f"recall@{k}"] = mean(r["retrieval"]["recall_at"][str(k)] for r in with_gold)
    m["mrr"] = mean(r["retrieval"]["rr"] for r in with_gold)
    m[f"evidence_share@{EVIDENCE_SHARE_K}"] = _micro([r["retrieval"] for r in with_gold], "evidence_chars")
    m["answer_correctness"] = mean(r["correct"] for r in answerable)
    fp = [r for r in rows if r["type"] == "false_premise"]
    m["false_premise_correct"] = mean(r["correct"] for r in fp)
    ab = abstention_scores([not r["answerable"] for r in rows], [r["abstained"] for r in rows])
    m["abstention_precision"], m["abstention_recall"] = ab["precision"], ab["recall"]
    answered = [r for r in rows if not r["abstained"]]
    cites = [c for r in answered for c in r["citations"]]
    m["citation_precision_gold"] = mean(c["gold_overlap"] for c in cites)
    m["cited_evidence_share"] = _micro(answered, "cited_chars") if answered else None
    m["answer_chars"] = mean(len(r["answer"]) for r in answered)
    detail: dict[str, Any] = {
        "questions": len(rows), "answerable": len(answerable), "with_evidence": len(with_gold),
        "correct": sum(bool(r["correct"]) for r in answerable), "abstention": ab,
        "false_premise": {"n": len(fp), "answered_with_keys": sum(bool(r["correct"]) for r in fp),
                          "premise_corrected_flag": sum(bool(r["premise_corrected"]) for r in fp)},
        "by_type": _by_type(rows),
    }
    if ours:
        all_cites = [c for r in rows for c in r["citations"]]
        sents = [s for r in answered for s in r["sentences"]]
        factual = [s for s in sents if s["supported"] and not s["framing"]]
        m["citation_faithfulness"] = mean(c["faithful"] for c in all_cites)
        m["citation_precision"] = mean(c["precise"] for c in cites)
        m["alce_recall"] = mean(s["alce_recall"] for s in factual)
        m["alce_precision"] = mean(p for s in factual for p in s["alce_precise"])
        detail["citations"] = {
            "citations": len(all_cites), "unfaithful": sum(not c["faithful"] for c in all_cites),
            "answer_sentences": len(factual), "framing_sentences": sum(s["framing"] for s in sents),
            "verbatim_sentences": sum(bool(s.get("verbatim")) for s in factual),
            "unsupported_sentences_dropped": sum(not s["supported"] for s in sents),
        }
        # Sentences the citation check removed, abstained answers included (a generative
        # answer abstains when it removed them all).
        m["sentences_dropped_share"] = ratio(sum(r["dropped"] for r in rows), sum(r["written"] for r in rows))
    return {"metrics": m, "detail": detail}


def _by_type(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for t in sorted({r["type"] or "?" for r in rows}):
        sub = [r for r in rows if (r["type"] or "?") == t]
        if sub[0]["answerable"]:
            ok = sum(bool(r["correct"]) for r in sub)
            out[t] = {"n": len(sub), "ok": ok, "rate": ok / len(sub), "measure": "correct"}
        else:
            ok = sum(r["abstained"] for r in sub)
            out[t] = {"n": len(sub), "ok": ok, "rate": ok / len(sub), "measure": "abstained"}
    return out


def summarize_claims(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Accuracy, macro-F1, per-label P/R, confusion, and REFUTED evidence localisation."""
    rep = classification_report([r["gold"] for r in rows], [r["predicted"] for r in rows], CLAIM_LABELS)
    refuted_hits = [r for r in rows if r["gold"] == "REFUTED" and r["predicted"] == "REFUTED"]
    rep["refuted_first_evidence_overlaps_gold"] = mean(r["first_evidence_overlaps_gold"] for r in refuted_hits)
    rep["refuted_correct"] = len(refuted_hits)
    ev = [e for r in rows for e in r["evidence"]]
    rep["evidence_faithfulness"] = mean(e["faithful"] for e in ev)
    by_conflict: dict[str, list[bool]] = defaultdict(list)
    for r in rows:
        by_conflict[r["conflict"] or "?"].append(r["correct"])
    rep["by_conflict"] = {k: {"n": len(v), "ok": sum(v)} for k, v in sorted(by_conflict.items())}
    pairs = [r["citation_pair"] for r in rows if r.get("citation_pair")]
    rep["citation_check"] = {
        "pairs": len(pairs),
        # Issue 4's figure: the right citation SUPPORTED and the wrong one not.
        "told_apart": mean(p["told_apart"] for p in pairs) if pairs else None,
        "right_supported": mean(p["right"] == "SUPPORTED" for p in pairs) if pairs else None,
        "wrong_not_supported": mean(p["wrong"] != "SUPPORTED" for p in pairs) if pairs else None,
    }
    return rep


def _latency(values: list[float]) -> dict[str, Any]:
    return {"n": len(values), "p50_ms": percentile(values, 50), "p95_ms": percentile(values, 95),
            "mean_ms": mean(values), "max_ms": max(values) if values else None}


def _failures(qa_rows: list[dict[str, Any]], claim_rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    qa: list[dict[str, Any]] = []
    for r in qa_rows:
        if r["answerable"] and not r["correct"]:
            if r["abstained"]:
                why = f"abstained ({r['reason'] or 'no reason'})"
            else:
                why = f"missing keys {r['missing_keys']}"
            rank = r["retrieval"]["first_hit_rank"]
            qa.append({"id": r["id"], "type": r["type"], "why": why,
                       "evidence_rank": rank, "answer": r["answer"][:160]})
        elif not r["answerable"] and not r["abstained"]:
            qa.append({"id": r["id"], "type": r["type"], "why": "answered an unanswerable question",
                       "evidence_rank": None, "answer": r["answer"][:160]})
    claims = [{"id": r["id"], "conflict": r["conflict"], "why": f"{r['gold']} predicted {r['predicted']}",
               "explanation": r["explanation"][:200]} for r in claim_rows if not r["correct"]]
    return {"qa": qa, "claims": claims}


# ================================================================== evaluation
def evaluate(pipeline: Any, qa_cases: Sequence[QACase], claim_cases: Sequence[ClaimCase],
             baselines: bool = False, progress: bool = False,
             baseline_systems: Sequence[Baseline] | None = None,
             variants: dict[str, Any] | None = None) -> dict[str, Any]:
    """Score ``pipeline`` (and optionally the baselines) on gold questions and claims.

    Args:
        pipeline: a :class:`~rag.pipeline.Pipeline` whose index is built.
        qa_cases: gold questions (:func:`~rag.eval.gold.load_qa`).
        claim_cases: gold claims (:func:`~rag.eval.gold.load_claims`).
        baselines: also score the three baselines (:func:`~rag.eval.baselines.make_baselines`).
        progress: show tqdm bars on stderr.
        baseline_systems: explicit baselines (overrides ``baselines``; tests inject them).
        variants: other configurations of this project scored on the same questions,
            side by side with ``ours`` (e.g. ``{"ours (llamacpp)": generative pipeline}``);
            not counted as baselines in the ratio column.

    Returns:
        The report: ``meta``, ``systems`` (flat metrics + detail per system), ``claims``,
        ``latency``, ``failures`` and ``cases`` (per-case records).

    Raises:
        InputError: a gold quote is not in its seed file.
        RagError subclasses from the pipeline (no index, bad input ...).
    """
    t_start = time.perf_counter()
    doc_texts = doc_texts_of(pipeline.settings.seeds_dir)
    qa_gold = {c.id: gold_spans(c.evidence, doc_texts) for c in qa_cases}
    claim_gold = {c.id: gold_spans(c.evidence, doc_texts) for c in claim_cases}

    pipeline.warm_up()  # load models and index now: latencies below are warm
    build_at_start = pipeline.index.current_build()
    systems: list[Baseline] = list(baseline_systems) if baseline_systems is not None else (
        make_baselines(pipeline) if baselines else [])
    for s in systems:
        if hasattr(s, "chunks"):
            s.description += f" ({s.chunks} chunks)"  # builds the collection now, outside any timing

    meta = _meta(pipeline, qa_cases, claim_cases, systems)  # index status as the run starts
    meta["systems"] = [OURS, *(variants or {}), *(s.name for s in systems)]
    entails = _Entails(pipeline.verifier)
    qa_rows: list[dict[str, Any]] = []
    base_rows: dict[str, list[dict[str, Any]]] = {s.name: [] for s in systems}
    # Bars are closed by `with` also when a case raises: an error is then printed on a line
    # of its own, not glued to the bar.
    with _bar(len(qa_cases), "questions", progress) as bar:
        for case in qa_cases:
            gold = qa_gold[case.id]
            qa_rows.append(_score_question(pipeline, case, gold, doc_texts, entails))
            for s in systems:
                base_rows[s.name].append(_score_baseline_question(s, case, gold))
            bar.update(1)

    variant_rows: dict[str, list[dict[str, Any]]] = {}
    for name, vpipe in (variants or {}).items():
        vpipe.warm_up()
        rows = variant_rows[name] = []
        with _bar(len(qa_cases), f"questions ({name})", progress) as bar:
            for case in qa_cases:
                rows.append(_score_question(vpipe, case, qa_gold[case.id], doc_texts, entails))
                bar.update(1)

    claim_rows: list[dict[str, Any]] = []
    with _bar(len(claim_cases), "claims", progress) as bar:
        for ccase in claim_cases:
            claim_rows.append(_score_claim(pipeline, ccase, claim_gold[ccase.id], doc_texts))
            bar.update(1)

    report: dict[str, Any] = {
        "meta": meta,
        "systems": {OURS: summarize_qa(qa_rows, ours=True)},
        "claims": summarize_claims(claim_rows) if claim_rows else None,
        "latency": {"ask": _latency([r["ask_ms"] for r in qa_rows]),
                    "ask_first_token": _latency([r["first_token_ms"] for r in qa_rows]),
                    "check": _latency([r["check_ms"] for r in claim_rows]),
                    "warm": True, "index_build": None},
        "failures": _failures(qa_rows, claim_rows),
        "cases": {"qa": qa_rows, "claims": claim_rows, "baselines": base_rows},
    }
    for name, rows in variant_rows.items():
        vpipe = (variants or {})[name]
        report["systems"][name] = summarize_qa(rows, ours=True)
        report["systems"][name]["variant"] = True
        report["systems"][name]["description"] = (
            f"the same retrieval and checks, answers written by the {vpipe.settings.generator} chat model "
            f"({vpipe.settings.llm_passages} passages in the prompt)")
        report["latency"][name] = {"ask": _latency([r["ask_ms"] for r in rows]),
                                   "ask_first_token": _latency([r["first_token_ms"] for r in rows])}
        report["cases"].setdefault("variants", {})[name] = rows
        report["failures"].setdefault("variants", {})[name] = _failures(rows, [])["qa"]
    for s in systems:
        report["systems"][s.name] = summarize_qa(base_rows[s.name], ours=False)
        report["systems"][s.name]["description"] = s.description
    generator = "extractive answerer" if not pipeline.generative else f"{pipeline.settings.generator} chat model"
    report["systems"][OURS]["description"] = f"hybrid retrieval + {generator} + verifier (this project)"
    report["meta"]["generator"] = pipeline.settings.generator if pipeline.generative else "extractive"
    report["comparison"] = compare(report["systems"])
    report["meta"]["verifier_calls_for_citation_metrics"] = entails.calls
    build_at_end = pipeline.index.current_build()
    if build_at_end != build_at_start:
        # Another process rebuilt the index mid-run: the figures mix two builds.
        log.warning("the index changed during the evaluation (%s -> %s); rerun it", build_at_start, build_at_end)
        report["meta"]["index_changed_during_run"] = [build_at_start, build_at_end]
    report["meta"]["seconds"] = round(time.perf_counter() - t_start, 1)
    return report


def _jsonable(x: Any) -> Any:
    if is_dataclass(x) and not isinstance(x, type):
        return asdict(x)
    return x


def _meta(pipeline: Any, qa: Sequence[QACase], claims: Sequence[ClaimCase], systems: Sequence[Baseline]) -> dict[str, Any]:
    try:
        status = pipeline.status()
    except Exception as exc:  # noqa: BLE001 - status is informative only
        status = {"error": str(exc)}
    versions = {}
    for pkg in ("langchain-core", "langchain-text-splitters", "chromadb", "sentence-transformers"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    package = Path(__file__).resolve().parents[1]
    # Content hashes of the package's modules, so a report can be matched to the code that made it.
    sources = {str(f.relative_to(package.parent)): sha256_text(f.read_text(encoding="utf-8"))[:12]
               for f in sorted(package.rglob("*.py"))}
    return {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "sources": sources,
        "settings": pipeline.settings.to_dict(),
        "index": status,
        "answer_config": _jsonable(pipeline.answerer.config),
        "verifier": type(pipeline.verifier).__name__,
        "gold": {"questions": len(qa), "claims": len(claims),
                 "question_types": dict(Counter(c.type or "?" for c in qa)),
                 "claim_labels": dict(Counter(c.label for c in claims))},
        "systems": [OURS, *(s.name for s in systems)],
        "definitions": {
            "found": f"a retrieved span covers >= {MIN_COVER:.0%} of a gold quote's characters",
            "recall@k": "share of a question's gold quotes found in the top k, averaged over answerable questions",
            "mrr": f"1/rank of the first retrieved span that finds any gold quote, within top {max(RECALL_KS)}",
            "evidence_share": "gold-evidence characters / retrieved (or cited) characters, micro-averaged",
            "answer_correctness": "not abstained and every answer key present (case- and quote-insensitive)",
            "citation_precision": "cited span overlaps gold evidence, or the verifier says it alone supports "
                                  "a (non-framing) sentence citing it",
            "alce": "verifier SUPPORTED = entailment; framing sentences ('Yes.', 'No.', premise lead) excluded",
        },
        "versions": versions,
    }


def compare(systems: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per table metric: each system's value and ours / best baseline."""
    rows = []
    for key, label in TABLE_ROWS:
        values = {name: s["metrics"].get(key) for name, s in systems.items()}
        base = [v for n, v in values.items()
                if n != OURS and not systems[n].get("variant") and v is not None]
        best = max(base) if base else None
        ours = values.get(OURS)
        r: float | None = None
        if ours is not None and best and key not in NO_RATIO:
            r = ours / best
        rows.append({"metric": key, "label": label, "values": values, "best_baseline": best, "ratio": r})
    return rows


# =============================================================== index timing
def time_index_build(settings: Any, timeout: float = BUILD_TIMEOUT) -> dict[str, Any]:
    """Time ``python -m rag index --rebuild`` into a temporary copy of the index folder.

    Runs in a subprocess, so the time includes interpreter start, imports and the
    model load. In Chroma server mode the timed build still uses embedded Chroma (a
    rebuild must not touch the shared server).
    """
    tmp = Path(tempfile.mkdtemp(prefix="rag-eval-build-"))
    try:
        index_dir = tmp / "index"
        if not settings.server_mode and Path(settings.index_dir).is_dir():
            shutil.copytree(settings.index_dir, index_dir, ignore=shutil.ignore_patterns("*.lock"))
        env = dict(os.environ)
        for name, value in settings.to_dict().items():
            env[f"RAG_{name.upper()}"] = str(value)
        env["RAG_INDEX_DIR"] = str(index_dir)
        env["RAG_CHROMA_HOST"] = ""
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        env.setdefault("HF_HUB_OFFLINE", "1")
        cmd = [sys.executable, "-m", "rag", "index", "--rebuild", "--json"]
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(cmd, env=env, cwd=root, capture_output=True, text=True, timeout=timeout,
                                  check=False)
        except subprocess.TimeoutExpired:
            return {"error": f"timed out after {timeout:.0f} s", "command": " ".join(cmd)}
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            return {"error": (proc.stderr.strip().splitlines() or ["?"])[-1], "command": " ".join(cmd)}
        try:
            rep = json.loads(proc.stdout)
        except json.JSONDecodeError:
            rep = {}
        return {
            "wall_seconds": round(wall, 2),
            "build_seconds": round(float(rep.get("seconds", 0.0)), 2),
            "documents": rep.get("documents"), "passages": rep.get("passages"),
            "embedded": rep.get("embedded"),
            "includes": "subprocess: interpreter start, imports, model load, chunking, embedding, Chroma, BM25",
            "command": "python -m rag index --rebuild (into a temporary copy of the index folder)",
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ==================================================================== writing
def _fmt(v: Any, digits: int = 3) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def _citation_check_lines(cc: dict[str, Any] | None) -> list[str]:
    if not cc or not cc.get("pairs"):
        return []
    return [f"Citation check ({cc['pairs']} SUPPORTED claims, gold citation vs the best-ranked "
            f"non-gold sentence): told apart **{_fmt(cc['told_apart'])}** · gold citation SUPPORTED "
            f"{_fmt(cc['right_supported'])} · wrong citation not SUPPORTED {_fmt(cc['wrong_not_supported'])}", ""]


def render_markdown(report: dict[str, Any]) -> str:
    """The human summary: comparison table, claims, latency, failures."""
    systems = report["meta"]["systems"]
    lines = ["# Evaluation report", "",
             f"{report['meta']['created']} · {report['meta']['gold']['questions']} questions, "
             f"{report['meta']['gold']['claims']} claims · index {report['meta']['index'].get('build', '?')} · "
             f"embedding {report['meta']['settings']['embedding_model']} · verifier {report['meta']['verifier']}",
             ""]
    changed = report["meta"].get("index_changed_during_run")
    if changed:
        lines += [f"> **Warning**: the index was rebuilt during this run ({changed[0]} → {changed[1]}); "
                  "the figures mix two builds. Rerun the evaluation.", ""]
    with_ratio = len(systems) > 1
    lines += ["## Questions", "", "| metric | " + " | ".join(systems) + (" | ours / best baseline |" if with_ratio else " |"),
              "|---|" + "---:|" * (len(systems) + with_ratio)]
    for row in report["comparison"]:
        vals = [_fmt(row["values"].get(s), 0 if row["metric"] == "answer_chars" else 3) for s in systems]
        ratio_cell = f" {_fmt(row['ratio'], 2)} |" if with_ratio else ""
        lines.append(f"| {row['label']} | " + " | ".join(vals) + " |" + ratio_cell)
    lines.append("")
    for name in systems:
        desc = report["systems"][name].get("description")
        if desc:
            lines.append(f"- **{name}**: {desc}")
    ours = report["systems"][OURS]["detail"]
    fp = ours["false_premise"]
    cit = ours.get("citations", {})
    lines += ["", f"False premise: {fp['answered_with_keys']}/{fp['n']} answered with the keys, "
              f"{fp['premise_corrected_flag']} flagged premise_corrected. "
              f"Citations: {cit.get('citations', 0)} ({cit.get('unfaithful', 0)} unfaithful), "
              f"{cit.get('answer_sentences', 0)} answer sentences "
              f"({cit.get('verbatim_sentences', 0)} verbatim), {cit.get('framing_sentences', 0)} framing, "
              f"{cit.get('unsupported_sentences_dropped', 0)} dropped by the self-check.", ""]
    lines += ["### By question type (ours)", "", "| type | n | ok | rate | measure |", "|---|---:|---:|---:|---|"]
    for t, v in ours["by_type"].items():
        lines.append(f"| {t} | {v['n']} | {v['ok']} | {v['rate']:.2f} | {v['measure']} |")

    claims = report.get("claims")
    if claims:
        lines += ["", "## Claims (ours)", "",
                  f"accuracy **{_fmt(claims['accuracy'])}** · macro-F1 **{_fmt(claims['macro_f1'])}** · "
                  f"REFUTED→REFUTED whose first evidence overlaps the gold quote: "
                  f"{_fmt(claims['refuted_first_evidence_overlaps_gold'])} (of {claims['refuted_correct']}) · "
                  f"evidence faithfulness {_fmt(claims['evidence_faithfulness'])}", "",
                  *_citation_check_lines(claims.get("citation_check")),
                  "| label | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
        for lab, v in claims["per_label"].items():
            lines.append(f"| {lab} | {_fmt(v['precision'])} | {_fmt(v['recall'])} | {_fmt(v['f1'])} | {v['support']} |")
        lines += ["", "| gold \\ predicted | " + " | ".join(claims["labels"]) + " |",
                  "|---|" + "---:|" * len(claims["labels"])]
        for lab, row in zip(claims["labels"], claims["confusion"], strict=True):
            lines.append(f"| {lab} | " + " | ".join(str(x) for x in row) + " |")

    lat = report["latency"]
    lines += ["", "## Latency (warm, in process)", "", "| operation | n | p50 ms | p95 ms | max ms |",
              "|---|---:|---:|---:|---:|"]
    timed = [(op, lat.get(op)) for op in ("ask", "ask_first_token", "check")]
    timed += [(f"{name}: {op}", lat[name].get(op)) for name in systems if isinstance(lat.get(name), dict)
              for op in ("ask", "ask_first_token")]
    for op, v in timed:
        if v:
            lines.append(f"| {op} | {v['n']} | {_fmt(v['p50_ms'], 0)} | {_fmt(v['p95_ms'], 0)} | "
                         f"{_fmt(v['max_ms'], 0)} |")
    b = lat.get("index_build")
    if b:
        if "error" in b:
            lines.append(f"\nIndex build timing failed: {b['error']}")
        else:
            lines.append(f"\nFresh index build (`--rebuild`, {b['passages']} passages): **{b['wall_seconds']:.1f} s** "
                         f"wall in a subprocess incl. model load ({b['build_seconds']:.1f} s inside the build).")

    fails = report["failures"]
    lines += ["", f"## Failures (ours): {len(fails['qa'])} questions, {len(fails['claims'])} claims", ""]
    for f in fails["qa"]:
        rank = f" · evidence rank {f['evidence_rank']}" if f.get("evidence_rank") else (
            " · evidence not retrieved in top 10" if f["why"] != "answered an unanswerable question" else "")
        lines.append(f"- `{f['id']}` ({f['type']}): {f['why']}{rank}")
    for f in fails["claims"]:
        lines.append(f"- `{f['id']}` ({f['conflict']}): {f['why']} — {f['explanation']}")
    lines += ["", "Plots: `recall_at_k.png`, `claims_confusion.png`, `latency.png`. "
              "Per-case records: `report.json` → `cases`.", ""]
    return "\n".join(lines)


def write_plots(report: dict[str, Any], out: Path) -> list[Path]:
    """recall_at_k.png, claims_confusion.png and latency.png (matplotlib, Agg backend)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths: list[Path] = []
    fig, ax = plt.subplots(figsize=(6, 4))
    for name in report["meta"]["systems"]:
        m = report["systems"][name]["metrics"]
        ys = [m.get(f"recall@{k}") for k in RECALL_KS]
        ax.plot(RECALL_KS, [y if y is not None else float("nan") for y in ys], marker="o", label=name)
    ax.set(xlabel="k", ylabel="evidence recall@k", title="Evidence recall@k", ylim=(0, 1.02), xticks=RECALL_KS)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    paths.append(out / "recall_at_k.png")
    fig.savefig(paths[-1], dpi=120)
    plt.close(fig)

    claims = report.get("claims")
    if claims:
        labels, mat = claims["labels"], claims["confusion"]
        fig, ax = plt.subplots(figsize=(5.2, 4.4))
        im = ax.imshow(mat, cmap="Blues")
        short = [lab.replace("NOT_ENOUGH_INFO", "NEI") for lab in labels]
        ax.set_xticks(range(len(labels)), short)
        ax.set_yticks(range(len(labels)), short)
        ax.set(xlabel="predicted", ylabel="gold", title=f"Claims (accuracy {_fmt(claims['accuracy'])})")
        top = max(max(r) for r in mat) or 1
        for i, row in enumerate(mat):
            for j, v in enumerate(row):
                ax.text(j, i, str(v), ha="center", va="center", color="white" if v > top / 2 else "black")
        fig.colorbar(im, ax=ax)
        fig.tight_layout()
        paths.append(out / "claims_confusion.png")
        fig.savefig(paths[-1], dpi=120)
        plt.close(fig)

    import numpy as np

    fig, ax = plt.subplots(figsize=(6, 4))
    series = {"ask": [r["ask_ms"] for r in report["cases"]["qa"]],
              "check": [r["check_ms"] for r in report["cases"]["claims"]]}
    everything = [max(v, 0.1) for vals in series.values() for v in vals]
    if everything:
        # Latencies span milliseconds to seconds: shared log-spaced bins keep both readable.
        bins = np.logspace(np.log10(min(everything)), np.log10(max(everything) * 1.01), 30)
        for op, vals in series.items():
            if vals:
                ax.hist([max(v, 0.1) for v in vals], bins=bins, alpha=0.6,
                        label=f"{op} (p50 {percentile(vals, 50):.0f} ms, p95 {percentile(vals, 95):.0f} ms)")
        ax.set_xscale("log")
        ax.legend()
    ax.set(xlabel="latency (ms, log scale)", ylabel="requests", title="Warm latency per request (in process)")
    fig.tight_layout()
    paths.append(out / "latency.png")
    fig.savefig(paths[-1], dpi=120)
    plt.close(fig)
    return paths


def write_report(report: dict[str, Any], out: Path) -> list[Path]:
    """Write report.json, report.md and the plots into ``out`` (created if needed)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str) + "\n",
                                     encoding="utf-8")
    (out / "report.md").write_text(render_markdown(report), encoding="utf-8")
    return [out / "report.json", out / "report.md", *write_plots(report, out)]


# ======================================================================= CLI
def _load_gold(qa_path: str | None, claims_path: str | None,
               with_claims: bool = True) -> tuple[list[QACase], list[ClaimCase]]:
    """The gold questions and (unless ``with_claims`` is false) claims.

    Raises:
        InputError: a file is missing, unreadable, malformed or has no items.
    """
    try:
        return load_qa(qa_path), load_claims(claims_path) if with_claims else []
    except GoldFormatError as exc:
        raise InputError(f"bad gold file: {exc}") from exc
    except FileNotFoundError as exc:
        raise InputError(f"gold file not found: {exc.filename}") from exc
    except OSError as exc:  # a folder, no permission
        raise InputError(f"cannot read gold file {exc.filename}: {exc.strerror or exc}; "
                         "pass a JSON Lines file with --qa / --claims") from exc


def _writable_out(out: Path) -> Path:
    """``out``, created; checked before the evaluation runs, not after it (minutes later).

    Raises:
        ConfigError: it cannot be created or written (a file of that name, no permission).
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".write-check-"):
            pass
    except OSError as exc:
        raise ConfigError(f"cannot write the report in {out} ({exc.strerror or exc}); "
                          "pass a writable folder with --out") from exc
    return out


def main(args: argparse.Namespace) -> int:
    """``python -m rag eval``: evaluate the configured pipeline and write the report.

    Args:
        args: ``qa``, ``claims`` (gold files or None), ``out`` (folder), ``no_baselines``.

    Returns:
        0. Errors from :mod:`rag.errors` propagate to the CLI.
    """
    from rag.pipeline import Pipeline
    from rag.settings import Settings

    # --no-claims: the claims file is not read, so neither its absence nor an empty one stops the run.
    qa, claims = _load_gold(getattr(args, "qa", None), getattr(args, "claims", None),
                            with_claims=not getattr(args, "no_claims", False))
    out = _writable_out(Path(getattr(args, "out", None) or "eval-report"))
    pipeline = Pipeline(Settings.from_env())
    variants = {}
    for name in getattr(args, "generator", None) or []:
        # Same index, embedder and verifier: only the answer writer differs.
        variants[f"ours ({name})"] = Pipeline(pipeline.settings.with_(generator=name), embedder=pipeline.embedder,
                                             verifier=pipeline.verifier)
    if pipeline.index.current_build() is None:
        print("no index yet: building it first", file=sys.stderr)
        progress = stage_progress("index: ")
        try:
            pipeline.build_index(progress=progress)
        finally:
            progress.close()
    report = evaluate(pipeline, qa, claims, baselines=not getattr(args, "no_baselines", False), progress=True,
                      variants=variants)
    print("timing a fresh index build (subprocess) ...", file=sys.stderr)
    report["latency"]["index_build"] = time_index_build(pipeline.settings)
    paths = write_report(report, out)
    m = report["systems"][OURS]["metrics"]
    c = report["claims"] or {}
    print(f"answer correctness {_fmt(m['answer_correctness'])} · abstention recall {_fmt(m['abstention_recall'])}"
          f" · citation faithfulness {_fmt(m['citation_faithfulness'])} · claim accuracy {_fmt(c.get('accuracy'))}"
          f" · recall@5 {_fmt(m['recall@5'])}")
    print("wrote " + ", ".join(str(p) for p in paths))
    return 0


__all__ = ["RECALL_KS", "compare", "evaluate", "main", "render_markdown", "summarize_claims", "summarize_qa",
           "time_index_build", "write_report"]
